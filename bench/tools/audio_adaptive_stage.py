#!/usr/bin/env python3
"""For comparison with the learned stage-2 predictor: the same correction learned *online* per file
(no model, nothing trained in advance), a sign-error LMS over the same causal features.

z' = z - round(s * w.x), then w += mu * sign(z/s - w.x) * x, w starting at 0 for every recording and
channel stream (frame-major, as decoded). Same features and the same code-length estimate as
audio_stage_model.py, so the two gains compare directly.
usage: audio_adaptive_stage.py DUMP_DIR MANIFEST [--mu 0.0005] [--splits test,validation]
"""
import argparse, os
import numpy as np
import audio_stage_model as m


def adaptive(X, y, s, mu):
    w = np.zeros(X.shape[1])
    pred = np.empty(len(y))
    for i in range(len(y)):
        x = X[i]
        p = w @ x
        pred[i] = p
        w += mu * np.sign(y[i] - p) * x
    return np.rint(pred * s).astype(np.int64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dump')
    ap.add_argument('manifest')
    ap.add_argument('--mu', type=float, default=5e-4)
    ap.add_argument('--splits', default='test,validation')
    args = ap.parse_args()
    m.RICH = True
    split = {}
    for line in open(args.manifest):
        parts = line.split()
        if len(parts) == 4 and parts[3].startswith('audio/'):
            split[os.path.basename(parts[3])[:-4]] = parts[2]
    print(f'\nsign-error LMS over the stage-2 features, mu {args.mu}\n')
    print('| recording | split | bits before | bits after | gain % of total |')
    print('|---|---|---:|---:|---:|')
    sums = {}
    for n in sorted(split):
        if split[n] not in args.splits.split(','):
            continue
        d = m.load(os.path.join(args.dump, n + '.stg'))
        X, y, s = m.features(d)
        z2 = d['z'] - adaptive(X, y, s, args.mu).reshape(d['z'].shape)
        before, after = m.coded_bits(d['z']), m.coded_bits(z2)
        total = before + d['side'] + d['table']
        print(f'| {n} | {split[n]} | {before:.0f} | {after:.0f} | {100 * (before - after) / total:+.2f} |', flush=True)
        a = sums.setdefault(split[n], [0.0, 0.0])
        a[0] += before - after
        a[1] += total
    for sp, (g, t) in sums.items():
        print(f'| **{sp} total** | | | | {100 * g / t:+.2f} |')


if __name__ == '__main__':
    main()
