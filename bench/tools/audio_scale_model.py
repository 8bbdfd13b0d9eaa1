#!/usr/bin/env python3
"""Does a learned scale beat flowAudio's hand-made one? (issue 6, audio side)

Reads the latents that `AudioLatentDump` (Tests/FlowsTests) writes, and estimates in float the code
length of every latent under a discretized logistic (mean 0) whose scale comes from:
  hand      - flowAudio's prior: ScaleContext bucket -> per-file table (mean |z| / ln 4), as the codec does;
  mlp       - a tiny MLP on causal features, trained on the train split, used as is;
  mlp+table - the MLP's predicted scale, quantised to quarter octaves, used as the bucket of a per-file
              table fitted like the codec's (so the file still adapts the scale; cheap to code).
Features (all causal in decoding order: frame by frame, channel by channel): the hand-made context,
log2(1+|z|) at lags 1..4, running means of |z| at three rates, the other channel's latest latent and
running mean, a stereo flag. The latents are the LPC+LMS prediction errors, so these are the
predictions' recent errors. Splits from corpora/MANIFEST: train to fit, validation to pick the epoch,
test to report.

usage: audio_scale_model.py LATENT_DIR MANIFEST [--out results.md] [--fz-table bench/results/audio-flow.md]
With --fz-table, the estimate is checked against the real .fz sizes in that table (per split).
"""
import argparse, math, os, sys, time
import numpy as np
from scipy.signal import lfilter

LN4 = math.log(4.0)


def load(path):
    a = np.fromfile(path, dtype='<i4')
    ch, frames = int(a[0]), int(a[1])
    body = a[2:].reshape(frames, ch, 2)
    return body[:, :, 0].astype(np.int64), body[:, :, 1].astype(np.int64)


def ema(x, rate):
    """Running mean y[i] = y[i-1] + rate (x[i] - y[i-1]), y[-1] = 0."""
    return lfilter([rate], [1.0, rate - 1.0], x)


def lag(x, k):
    out = np.zeros_like(x)
    out[k:] = x[:-k]
    return out


def features(z, buckets):
    """Rows in decoding order (frame-major); float32 matrix and |z|."""
    frames, ch = z.shape
    m = np.abs(z).astype(np.float64)
    cols = []
    per_channel = []
    for c in range(ch):
        x = m[:, c]
        f = [buckets[:, c] / 4.0]
        for k in (1, 2, 3, 4):
            f.append(np.log2(1 + lag(x, k)))
        for r in (1 / 2, 1 / 32, 1 / 256):
            f.append(np.log2(1 + lag(ema(x, r), 1)))
        # The other channel: its latest decoded latent and its running mean (stereo only).
        if ch == 2:
            o = m[:, 1 - c]
            latest = o if c == 1 else lag(o, 1)
            f.append(np.log2(1 + latest))
            f.append(np.log2(1 + (ema(o, 1 / 8) if c == 1 else lag(ema(o, 1 / 8), 1))))
            f.append(np.ones(frames))
        else:
            f += [np.zeros(frames), np.zeros(frames), np.zeros(frames)]
        per_channel.append(np.stack(f, axis=1))
    X = np.stack(per_channel, axis=1).reshape(frames * ch, -1).astype(np.float32)
    return X, m.reshape(-1)


def nll_bits(absz, log_s, grad=False):
    """-log2 P(z) under a discretized logistic of scale e^log_s (P floored at 2^-24, the coder's
    slot precision); with grad, also d/dlog_s."""
    s = np.exp(log_s)
    a = (absz + 0.5) / s
    b = (absz - 0.5) / s
    with np.errstate(over='ignore'):
        sa, sb = 1 / (1 + np.exp(a)), 1 / (1 + np.exp(b))  # sigma(-a), sigma(-b)
    floored = sb - sa < 2.0 ** -24
    p = np.where(floored, 2.0 ** -24, sb - sa)
    bits = -np.log2(p)
    if not grad:
        return bits
    # d p / d log_s = b sigma'(b) - a sigma'(a), sigma'(t) = sigma(t) sigma(-t); 0 where floored
    dp = np.where(floored, 0.0, b * sb * (1 - sb) - a * sa * (1 - sa))
    return bits, -dp / p / math.log(2)


def check_gradient():
    absz = np.array([0.0, 1, 3, 40, 900])
    log_s = np.array([0.3, -1.0, 1.2, 3.0, 5.5])
    _, g = nll_bits(absz, log_s, grad=True)
    h = 1e-6
    fd = (nll_bits(absz, log_s + h) - nll_bits(absz, log_s - h)) / (2 * h)
    assert np.allclose(g, fd, rtol=1e-4, atol=1e-6), (g, fd)


def table_bits(absz, buckets):
    """The codec's way: one scale per bucket, mean |z| / ln 4, fitted on this file."""
    total = 0.0
    for b in np.unique(buckets):
        sel = buckets == b
        s = max(absz[sel].mean() / LN4, 1 / 16)
        total += nll_bits(absz[sel], np.full(sel.sum(), math.log(s))).sum()
    return total


class MLP:
    def __init__(self, n_in, hidden, seed):
        rng = np.random.default_rng(seed)
        self.W1 = (rng.standard_normal((n_in, hidden)) / math.sqrt(n_in)).astype(np.float64)
        self.b1 = np.zeros(hidden)
        self.W2 = (rng.standard_normal(hidden) / math.sqrt(hidden) * 0.1)
        self.b2 = np.zeros(1)
        self.params = ['W1', 'b1', 'W2', 'b2']
        self.m = {p: np.zeros_like(getattr(self, p)) for p in self.params}
        self.v = {p: np.zeros_like(getattr(self, p)) for p in self.params}
        self.t = 0

    def forward(self, X):
        h = np.maximum(X @ self.W1 + self.b1, 0)
        return h, h @ self.W2 + self.b2[0]

    def predict_log_s(self, X, ctx_log_s):
        # Residual form: the net corrects the hand-made context's log scale.
        return ctx_log_s + self.forward(X)[1]

    def step(self, X, ctx_log_s, absz, lr):
        h, out = self.forward(X)
        bits, g = nll_bits(absz, ctx_log_s + out, grad=True)
        g = g / len(absz)
        grads = {'W2': h.T @ g, 'b2': np.array([g.sum()])}
        gh = np.outer(g, self.W2) * (h > 0)
        grads['W1'] = X.T @ gh
        grads['b1'] = gh.sum(axis=0)
        self.t += 1
        for p in self.params:
            self.m[p] = 0.9 * self.m[p] + 0.1 * grads[p]
            self.v[p] = 0.999 * self.v[p] + 0.001 * grads[p] ** 2
            mh = self.m[p] / (1 - 0.9 ** self.t)
            vh = self.v[p] / (1 - 0.999 ** self.t)
            setattr(self, p, getattr(self, p) - lr * mh / (np.sqrt(vh) + 1e-8))
        return bits.mean()


def ctx_log_s(X):
    """A fixed prior guess from the hand-made context: level is Q4 mean |z| -> scale mean/ln4."""
    level = 2.0 ** X[:, 0].astype(np.float64)
    return np.log(np.maximum(level / 16 / LN4, 1 / 16))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('latents')
    ap.add_argument('manifest')
    ap.add_argument('--out')
    ap.add_argument('--hidden', type=int, default=16)
    ap.add_argument('--epochs', type=int, default=6)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--fit-split', default='train',
                    help="split to train on; 'test' gives an in-sample ceiling, not a result")
    ap.add_argument('--fz-table', help='bench/results/audio-flow.md: real .fz sizes to check the estimate against')
    args = ap.parse_args()
    check_gradient()
    split = {}
    for line in open(args.manifest):
        parts = line.split()
        if len(parts) == 4 and parts[3].startswith('audio/'):
            split[os.path.basename(parts[3])[:-4]] = parts[2]
    data = {}
    for name in sorted(split):
        path = os.path.join(args.latents, name + '.lat')
        if not os.path.exists(path):
            sys.exit(f'missing {path}: run AudioLatentDump first')
        z, buckets = load(path)
        X, absz = features(z, buckets)
        data[name] = (X, absz, buckets.reshape(-1))
    # Normalise inputs with train statistics.
    train = [n for n in data if split[n] == args.fit_split]
    Xtr = np.concatenate([data[n][0] for n in train])
    ztr = np.concatenate([data[n][1] for n in train])
    mu, sd = Xtr.mean(axis=0), Xtr.std(axis=0) + 1e-6
    norm = lambda X: ((X - mu) / sd).astype(np.float64)
    rng = np.random.default_rng(args.seed)
    net = MLP(Xtr.shape[1], args.hidden, args.seed)
    val = [n for n in data if split[n] == 'validation']

    def mlp_bits(names):
        return sum(nll_bits(data[n][1], net.predict_log_s(norm(data[n][0]), ctx_log_s(data[n][0]))).sum() for n in names)

    best, best_state = float('inf'), None
    t0 = time.time()
    batch = 4096
    for epoch in range(args.epochs):
        order = rng.permutation(len(ztr))[:2_000_000]
        lr = args.lr if epoch < args.epochs - 2 else args.lr / 3
        for k in range(0, len(order), batch):
            idx = order[k:k + batch]
            net.step(norm(Xtr[idx]), ctx_log_s(Xtr[idx]), ztr[idx], lr)
        v = mlp_bits(val)
        print(f'epoch {epoch}: validation {v / sum(len(data[n][1]) for n in val):.4f} bits/latent ({time.time() - t0:.0f} s)', flush=True)
        if v < best:
            best = v
            best_state = {p: getattr(net, p).copy() for p in net.params}
    for p, value in best_state.items():
        setattr(net, p, value)

    rows = []
    for name in sorted(data):
        X, absz, buckets = data[name]
        log_s = net.predict_log_s(norm(X), ctx_log_s(X))
        learned_buckets = np.floor(4 * log_s / math.log(2)).astype(np.int64)
        rows.append((name, split[name], len(absz), table_bits(absz, buckets),
                     nll_bits(absz, log_s).sum(), table_bits(absz, learned_buckets)))
    lines = [f'Fitted on the {args.fit_split} split. MLP: {Xtr.shape[1]} inputs, {args.hidden} hidden (ReLU), 1 output; {args.epochs} epochs of 2M '
             f'train latents, Adam lr {args.lr}, seed {args.seed}; best validation epoch kept.', '',
             '| recording | split | latents | hand (bits/latent) | mlp | mlp+table | mlp+table vs hand |',
             '|---|---|---:|---:|---:|---:|---:|']
    for name, sp, n, h, m, mt in rows:
        lines.append(f'| {name} | {sp} | {n} | {h / n:.4f} | {m / n:.4f} | {mt / n:.4f} | {100 * (1 - mt / h):+.2f} % |')
    for sp in ('train', 'validation', 'test'):
        sel = [r for r in rows if r[1] == sp]
        n = sum(r[2] for r in sel); h = sum(r[3] for r in sel); m = sum(r[4] for r in sel); mt = sum(r[5] for r in sel)
        lines.append(f'| **{sp} total** | | {n} | {h / n:.4f} | {m / n:.4f} | {mt / n:.4f} | '
                     f'{100 * (1 - mt / h):+.2f} % (mlp alone {100 * (1 - m / h):+.2f} %) |')
    if args.fz_table:
        fz = {}
        for line in open(args.fz_table):
            cells = [c.strip() for c in line.split('|')]
            if len(cells) > 4 and cells[1] in split:
                fz[cells[1]] = int(cells[2]) * float(cells[3])
        lines += ['', '| split | hand estimate, latent bytes | real .fz bytes (' + args.fz_table + ') | '
                  'mlp+table gain, % of .fz | mlp alone gain, % of .fz |', '|---|---:|---:|---:|---:|']
        for sp in ('train', 'validation', 'test'):
            sel = [r for r in rows if r[1] == sp and r[0] in fz]
            h = sum(r[3] for r in sel) / 8; real = sum(fz[r[0]] for r in sel)
            gain_t = sum(r[3] - r[5] for r in sel) / 8; gain_m = sum(r[3] - r[4] for r in sel) / 8
            lines.append(f'| {sp} | {h:.0f} | {real:.0f} | {100 * gain_t / real:+.2f} % | {100 * gain_m / real:+.2f} % |')
    text = '\n'.join(lines)
    print(text)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(text + '\n')


if __name__ == '__main__':
    main()
