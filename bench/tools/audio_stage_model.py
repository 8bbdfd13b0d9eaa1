#!/usr/bin/env python3
"""Two candidate learned models for flowAudio (issue 6, audio side), measured in float before any codec path.

Reads the stage dumps of `AudioStageDump` (Tests/FlowsTests): per latent the coupled signal x, the block
predictor's residual e, the latent z (after the sign-LMS filter) and zWarm (the latent had the filter
already run once over the whole channel: the ceiling of any learned warm start of the filter), plus the
side information's bits (block fields) and the scale table's bits.

Code length of a latent sequence: the codec's prior, estimated in float: a running level of |z| (rate
1/8), bucketed in quarter octaves, one logistic scale per bucket fitted on the file (mean |z| / ln 4),
-log2 P(z) with P floored at 2^-24. Compared on the same estimate:
  a. warm start: zWarm against z (ceiling; the side information is unchanged by a warm start);
  b. stage-2 value predictor: z' = z - round(s * f(features)), s the running level, f linear or a tiny
     MLP on causal features (recent z, e at lags, the filter's and the block predictor's current
     predictions, the other channel's latent of the same frame), all divided by s. f fitted on the
     train split (L1 loss, Adam), checked on validation, reported on test; and fitted on test itself
     (the ceiling, not a result).
usage: audio_stage_model.py DUMP_DIR MANIFEST [--fit-split train] [--hidden 0|N] [--epochs E]
"""
import argparse, math, os, sys, time
import numpy as np
from scipy.signal import lfilter

LN4 = math.log(4.0)


def load(path):
    raw = open(path, 'rb').read()
    ch, frames = np.frombuffer(raw[:8], '<i4')
    ch, frames = int(ch), int(frames)
    shifts = np.frombuffer(raw[8:8 + 4 * ch], '<i4')
    side, table = np.frombuffer(raw[8 + 4 * ch:24 + 4 * ch], '<f8')
    body = np.frombuffer(raw[24 + 4 * ch:], '<i4').reshape(frames, ch, 4).astype(np.int64)
    return dict(ch=ch, frames=frames, shifts=shifts, side=float(side), table=float(table),
                x=body[:, :, 0], e=body[:, :, 1], z=body[:, :, 2], zw=body[:, :, 3])


def level(z):
    """Running mean of 16|z| (rate 1/8) before each latent, per channel (float stand-in for ScaleContext)."""
    m = 16.0 * np.abs(z).astype(np.float64)
    lv = lfilter([1 / 8], [1.0, -7 / 8], m, axis=0)
    out = np.zeros_like(lv)
    out[1:] = lv[:-1]
    return out


def nll_bits(absz, s):
    a = (absz + 0.5) / s
    b = (absz - 0.5) / s
    with np.errstate(over='ignore'):
        sa, sb = 1 / (1 + np.exp(a)), 1 / (1 + np.exp(b))
    p = np.maximum(sb - sa, 2.0 ** -24)
    return -np.log2(p)


def coded_bits(z):
    """The codec's prior on latents z (frames x channels), estimated: bits."""
    lv = level(z)
    buckets = np.minimum(np.floor(4 * np.log2(lv + 1)).astype(np.int64), 159).reshape(-1)
    absz = np.abs(z).reshape(-1).astype(np.float64)
    total = 0.0
    for b in np.unique(buckets):
        sel = buckets == b
        s = max(absz[sel].mean() / LN4, 1 / 16)
        total += nll_bits(absz[sel], s).sum()
    return total


def lag(a, k):
    out = np.zeros_like(a)
    out[k:] = a[:-k]
    return out


RICH = False


def features(d):
    """Causal features per latent (rows frame-major, decoding order), divided by the local scale.
    With RICH (--rich): 16 latent lags, 8 residual lags, signed running means of z (bias)."""
    z, e, x = d['z'].astype(np.float64), d['e'].astype(np.float64), d['x'].astype(np.float64)
    frames, ch = z.shape
    s = level(d['z']) / 16 + 1.0  # local mean |z|, from earlier latents only
    plms = e - z   # the filter's prediction of e (known before z)
    mu = x - e     # the block predictor's prediction of x
    cols = []
    for k in range(1, 17 if RICH else 9):
        cols.append(lag(z, k) / s)
    for k in range(1, 9 if RICH else 5):
        cols.append(lag(e, k) / s)
    if RICH:
        for r in (1 / 2, 1 / 8, 1 / 64):
            cols.append(lag(lfilter([r], [1.0, r - 1.0], z, axis=0), 1) / s)
    cols.append(plms / s)
    cols.append(np.clip((mu - lag(x, 1)) / s, -64, 64))
    cols.append(np.clip((lag(x, 1) - lag(x, 2)) / s, -64, 64))
    if ch == 2:  # the other channel: channel 1 sees channel 0's latent of the same frame
        other = np.stack([lag(z[:, 1], 1), z[:, 0]], axis=1)
        cols.append(other / s)
        cols.append(np.stack([lag(e[:, 1], 1), e[:, 0]], axis=1) / s)
    else:
        cols += [np.zeros_like(z), np.zeros_like(z)]
    X = np.stack(cols, axis=2).reshape(frames * ch, -1)
    X = np.clip(X, -32, 32)
    return X, (z / s).reshape(-1), s.reshape(-1)


class Net:
    """hidden == 0: linear; else one ReLU layer. L1 loss, Adam."""
    def __init__(self, n, hidden, seed):
        r = np.random.default_rng(seed)
        self.hidden = hidden
        if hidden:
            self.p = dict(W1=r.standard_normal((n, hidden)) / math.sqrt(n), b1=np.zeros(hidden),
                          W2=np.zeros(hidden), b2=np.zeros(1))
        else:
            self.p = dict(W=np.zeros(n), b=np.zeros(1))
        self.m = {k: np.zeros_like(v) for k, v in self.p.items()}
        self.v = {k: np.zeros_like(v) for k, v in self.p.items()}
        self.t = 0

    def forward(self, X):
        if self.hidden:
            h = np.maximum(X @ self.p['W1'] + self.p['b1'], 0)
            return h, h @ self.p['W2'] + self.p['b2'][0]
        return None, X @ self.p['W'] + self.p['b'][0]

    def gradients(self, X, y):
        """Gradients of the mean L1 loss |f(X) - y| by hand (checked by `check_gradient`)."""
        h, out = self.forward(X)
        g = np.sign(out - y) / len(y)
        if self.hidden:
            gr = dict(W2=h.T @ g, b2=np.array([g.sum()]))
            gh = np.outer(g, self.p['W2']) * (h > 0)
            gr['W1'] = X.T @ gh
            gr['b1'] = gh.sum(axis=0)
        else:
            gr = dict(W=X.T @ g, b=np.array([g.sum()]))
        return gr, np.abs(out - y).mean()

    def step(self, X, y, lr):
        gr, loss = self.gradients(X, y)
        self.t += 1
        for k in self.p:
            self.m[k] = 0.9 * self.m[k] + 0.1 * gr[k]
            self.v[k] = 0.999 * self.v[k] + 0.001 * gr[k] ** 2
            self.p[k] -= lr * (self.m[k] / (1 - 0.9 ** self.t)) / (np.sqrt(self.v[k] / (1 - 0.999 ** self.t)) + 1e-8)
        return loss


def check_gradient():
    """The hand-written gradients against central finite differences (at a random point, where the L1
    loss and the ReLUs are differentiable with probability 1)."""
    r = np.random.default_rng(7)
    X, y = r.standard_normal((50, 5)), r.standard_normal(50)
    for hidden in (0, 4):
        net = Net(5, hidden, 3)
        for k in net.p:
            net.p[k] += 0.3 * r.standard_normal(net.p[k].shape)
        gr, _ = net.gradients(X, y)
        for k, v in net.p.items():
            for i in range(min(v.size, 6)):
                old = v.flat[i]
                v.flat[i] = old + 1e-6
                up = np.abs(net.forward(X)[1] - y).mean()
                v.flat[i] = old - 1e-6
                down = np.abs(net.forward(X)[1] - y).mean()
                v.flat[i] = old
                assert abs((up - down) / 2e-6 - gr[k].flat[i]) < 1e-5, (hidden, k, i)


def corrected(d, X, s, net):
    pred = net.forward(X)[1]
    corr = np.rint(pred * s).astype(np.int64).reshape(d['z'].shape)
    return d['z'] - corr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dump')
    ap.add_argument('manifest')
    ap.add_argument('--fit-split', default='train')
    ap.add_argument('--hidden', type=int, default=0)
    ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--no-model', action='store_true', help='only the warm-start and side-information table')
    ap.add_argument('--eval', action='append', default=[], help='also evaluate on this dump directory (clips)')
    ap.add_argument('--rich', action='store_true', help='more lags and running means as features')
    args = ap.parse_args()
    global RICH
    RICH = args.rich
    check_gradient()
    split = {}
    for line in open(args.manifest):
        parts = line.split()
        if len(parts) == 4 and parts[3].startswith('audio/'):
            split[os.path.basename(parts[3])[:-4]] = parts[2]
    data = {}
    for name in sorted(split):
        path = os.path.join(args.dump, name + '.stg')
        if os.path.exists(path):
            data[name] = load(path)
    print('| recording | split | frames x ch | side bits % | table bits % | latent bits/latent | warm-start ceiling gain % |')
    print('|---|---|---:|---:|---:|---:|---:|')
    base = {}
    for n, d in data.items():
        lb = coded_bits(d['z'])
        wb = coded_bits(d['zw'])
        tot = lb + d['side'] + d['table']
        base[n] = (lb, tot)
        print(f"| {n} | {split[n]} | {d['frames']}x{d['ch']} | {100 * d['side'] / tot:.2f} | {100 * d['table'] / tot:.2f} "
              f"| {lb / d['z'].size:.4f} | {100 * (lb - wb) / tot:.2f} |")
    for sp in ('train', 'validation', 'test'):
        names = [n for n in data if split[n] == sp]
        if not names:
            continue
        tot = sum(base[n][1] for n in names)
        side = sum(data[n]['side'] + data[n]['table'] for n in names)
        warm = sum(base[n][0] - coded_bits(data[n]['zw']) for n in names)
        print(f"| **{sp} total** | | | side+table {100 * side / tot:.2f} % | | | {100 * warm / tot:.2f} |")
    sys.stdout.flush()
    if args.no_model:
        return
    feats = {n: features(d) for n, d in data.items()}
    fit = [n for n in data if split[n] == args.fit_split]
    X = np.concatenate([feats[n][0] for n in fit])
    y = np.concatenate([feats[n][1] for n in fit])
    net = Net(X.shape[1], args.hidden, args.seed)
    rng = np.random.default_rng(args.seed)
    t0 = time.time()
    for ep in range(args.epochs):
        order = rng.permutation(len(y))[:3_000_000]
        lr = args.lr if ep < args.epochs - 1 else args.lr / 3
        losses = [net.step(X[order[k:k + 4096]], y[order[k:k + 4096]], lr) for k in range(0, len(order), 4096)]
        print(f'epoch {ep}: L1 {np.mean(losses[-100:]):.4f} (|y| {np.abs(y).mean():.4f}), {time.time() - t0:.0f} s', file=sys.stderr)
    print(f'\nstage-2 predictor, fitted on {args.fit_split}, hidden {args.hidden}, {args.epochs} epochs, '
          f'{X.shape[1]} features, seed {args.seed}, {time.time() - t0:.0f} s\n')
    report(data, split, base, feats, net, 'whole recordings')
    for extra in args.eval:
        ed = {n: load(os.path.join(extra, n + '.stg')) for n in data if os.path.exists(os.path.join(extra, n + '.stg'))}
        eb = {}
        for n, d in ed.items():
            lb = coded_bits(d['z'])
            eb[n] = (lb, lb + d['side'] + d['table'])
        report(ed, split, eb, {n: features(d) for n, d in ed.items()}, net, extra)


def report(data, split, base, feats, net, title):
    """Per recording: estimated bits before and after the stage-2 correction, and the gain when an
    encoder keeps it only where smaller (one flag per recording)."""
    print(f'\n{title}\n')
    print('| recording | split | bits before | bits after | gain % of total | kept where smaller % |')
    print('|---|---|---:|---:|---:|---:|')
    sums = {}
    for n, d in data.items():
        Xn, _, s = feats[n]
        after = coded_bits(corrected(d, Xn, s, net))
        lb, tot = base[n]
        kept = max(0.0, lb - after - 1)
        print(f'| {n} | {split[n]} | {lb:.0f} | {after:.0f} | {100 * (lb - after) / tot:+.2f} | {100 * kept / tot:+.2f} |')
        a = sums.setdefault(split[n], [0.0, 0.0, 0.0])
        a[0] += lb - after
        a[1] += kept
        a[2] += tot
    for sp in ('train', 'validation', 'test'):
        if sp in sums:
            g, k, t = sums[sp]
            print(f'| **{sp} total** | | | | {100 * g / t:+.2f} | {100 * k / t:+.2f} |')
    sys.stdout.flush()

if __name__ == '__main__':
    main()
