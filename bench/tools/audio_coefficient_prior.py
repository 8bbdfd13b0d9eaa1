#!/usr/bin/env python3
"""Would a learned prior on flowAudio's block predictors save enough on short files? (issue 6, audio side)

flowAudio sends, per 4096-frame block and channel, the predictor's order index (uniform over 14), and
when the order is not 0 its coefficient precision p (uniform over 8), shift (uniform over 25) and
`order` coefficients, each uniform over 2^p. Short recordings pay most for it (2.5 % of misc_crow).
This estimates the same fields' code length under priors fitted on the train split:
  order, precision: categorical (counts + 1/2); shift: categorical of shift - p;
  coefficient j: the real coefficient a = c / 2^shift under a logistic whose location and scale are fitted
  per (order, j) (pooled over orders where an order has few blocks), mixed with 1/64 of the uniform
  field so that no value costs more than 6 bits above today's.
The encoder's choice of order and precision is kept as it is today (it would pick longer predictors
more often were coefficients cheaper, so this is a lower bound on the gain). Reads the dumps of
`AudioStageDump` (NAME.lpc beside NAME.stg).
usage: audio_coefficient_prior.py DUMP_DIR MANIFEST [--eval CLIP_DUMP_DIR ...]
"""
import argparse, math, os
import numpy as np
from audio_stage_model import load, coded_bits

ORDERS = [0, 1, 2, 3, 4, 6, 8, 10, 12, 16, 20, 24, 28, 32]
EPS = 1 / 64


def records(path):
    a = np.fromfile(path, dtype='<i4').reshape(-1, 35)
    return a[:, 0], a[:, 1], a[:, 2], a[:, 3:]


def uniform_bits(order, p, shift, c):
    bits = np.full(len(order), math.log2(14))
    on = order > 0
    return bits + np.where(on, math.log2(8) + math.log2(25) + order * p, 0)


class Prior:
    def __init__(self, recs):
        order, p, shift, c = (np.concatenate(x) for x in zip(*recs))
        self.order_bits = self.categorical([ORDERS.index(o) for o in order], 14)
        on = order > 0
        self.p_bits = self.categorical(p[on] - 8, 8)
        self.shift_bits = self.categorical(shift[on] - p[on] + 24, 49)
        a = c[on] / (2.0 ** shift[on][:, None])
        self.loc, self.scale = {}, {}
        for o in set(order[on]):
            sel = order[on] == o
            for j in range(o):
                pool = a[sel, j] if sel.sum() >= 40 else a[order[on] > j, j]
                m = np.median(pool)
                self.loc[o, j] = m
                self.scale[o, j] = max(np.mean(np.abs(pool - m)), 1e-4)

    @staticmethod
    def categorical(values, n):
        counts = np.bincount(np.asarray(values, dtype=np.int64), minlength=n) + 0.5
        return -np.log2(counts / counts.sum())

    def bits(self, order, p, shift, c):
        total = np.zeros(len(order))
        for i in range(len(order)):
            o = int(order[i])
            b = self.order_bits[ORDERS.index(o)]
            if o > 0:
                b += self.p_bits[p[i] - 8] + self.shift_bits[shift[i] - p[i] + 24]
                q = 2.0 ** shift[i]
                for j in range(o):
                    loc, s = self.loc.get((o, j), 0.0), self.scale.get((o, j), 1.0)
                    hi = 1 / (1 + math.exp(-((c[i, j] + 0.5) / q - loc) / s))
                    lo = 1 / (1 + math.exp(-((c[i, j] - 0.5) / q - loc) / s))
                    b += -math.log2((1 - EPS) * max(hi - lo, 1e-300) + EPS / 2.0 ** p[i])
            total[i] = b
        return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dump')
    ap.add_argument('manifest')
    ap.add_argument('--eval', action='append', default=[])
    args = ap.parse_args()
    split = {}
    for line in open(args.manifest):
        parts = line.split()
        if len(parts) == 4 and parts[3].startswith('audio/'):
            split[os.path.basename(parts[3])[:-4]] = parts[2]
    train = [records(os.path.join(args.dump, n + '.lpc')) for n in sorted(split) if split[n] == 'train']
    prior = Prior(train)
    for d in [args.dump] + args.eval:
        print(f'\n{d}\n')
        print('| recording | split | predictor bits today | with the learned prior | gain % of total |')
        print('|---|---|---:|---:|---:|')
        sums = {}
        for n in sorted(split):
            if not os.path.exists(os.path.join(d, n + '.lpc')):
                continue
            r = records(os.path.join(d, n + '.lpc'))
            st = load(os.path.join(d, n + '.stg'))
            total = coded_bits(st['z']) + st['side'] + st['table']
            today, learned = uniform_bits(*r).sum(), prior.bits(*r).sum()
            print(f'| {n} | {split[n]} | {today:.0f} | {learned:.0f} | {100 * (today - learned) / total:+.2f} |')
            a = sums.setdefault(split[n], [0.0, 0.0])
            a[0] += today - learned
            a[1] += total
        for sp in ('train', 'validation', 'test'):
            if sp in sums:
                print(f'| **{sp} total** | | | | {100 * sums[sp][0] / sums[sp][1]:+.2f} |')


if __name__ == '__main__':
    main()
