#!/usr/bin/env python3
"""Ideal code lengths of the learned raster conditioner on whole images, beside the hand-made
raster stream's real size (from `raster-samples`' index lines).

    python3 evaluate.py --model model.pt --dir DIR --index DIR/photo.txt

Per image and channel it reports the network alone, and with the per-image adaptations the codec
can send: a scale per (channel, scale bucket) and a least-squares refit of the mean on the last
hidden layer. Ideal lengths leave out headers and the coder's rounding (a few tenths of a percent).
"""
import argparse
import os

import numpy as np
import torch

from train import Conditioner, FEATURES, FEATURE_SCALE, logistic_bits

BUCKETS = 20


def bucket_of(log2_scale):
    return torch.clamp(torch.round(log2_scale * 3) + 4, 0, BUCKETS - 1).long()


def fitted_scale_bits(value, mean, log2_scale, per_pixel):
    """Bits with one scale per bucket (per_pixel=False) or the network's scale times one factor
    per bucket (per_pixel=True), each chosen from a 1/16-octave grid to minimise the bits."""
    b = bucket_of(log2_scale)
    total = 0.0
    grid = torch.arange(-48, 49, dtype=torch.float32) / 16.0
    for k in range(BUCKETS):
        m = b == k
        if not m.any():
            continue
        v, mu, ls = value[m], mean[m], log2_scale[m]
        if len(v) > 200_000:
            idx = torch.randperm(len(v), generator=torch.Generator().manual_seed(k))[:200_000]
            vs, mus, lss = v[idx], mu[idx], ls[idx]
        else:
            vs, mus, lss = v, mu, ls
        centre = (k - 4) / 3.0
        best, best_off = None, 0.0
        for off in grid:
            s = (lss + off) if per_pixel else torch.full_like(lss, centre + off)
            c = logistic_bits(vs, mus, s).sum().item()
            if best is None or c < best:
                best, best_off = c, off.item()
        s = (ls + best_off) if per_pixel else torch.full_like(ls, centre + best_off)
        total += logistic_bits(v, mu, s).sum().item()
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--classes", type=int, default=1, help="refit classes per channel (groups of scale buckets)")
    a = ap.parse_args()
    saved = torch.load(a.model)
    model = Conditioner(saved["hidden"])
    model.load_state_dict(saved["state"])
    model.eval()
    totals = np.zeros(5)
    print(f"{'image':40s} {'MP':>6s} {'v5 real':>8s} {'net':>8s} {'+scale':>8s} {'+sc/px':>8s} {'+refit':>8s}")
    for line in open(a.index):
        name, w, h, ch, depth, n, size = line.split()
        w, h, ch, n, size = int(w), int(h), int(ch), int(n), int(size)
        f = np.fromfile(os.path.join(a.dir, name + ".feat"), dtype="<i2").reshape(-1, FEATURES)
        v = np.fromfile(os.path.join(a.dir, name + ".val"), dtype="<i4").reshape(-1, 3)
        x = torch.from_numpy(f.astype(np.float32) * FEATURE_SCALE)
        value = torch.from_numpy(v[:, 0].astype(np.float32))
        base = torch.from_numpy(v[:, 1].astype(np.float32) / 256.0)
        chan = torch.from_numpy(v[:, 2].astype(np.int64))
        with torch.no_grad():
            hid = model.hidden(x)
            o = model.out(hid)
            d, ls = o[:, 0], o[:, 1]
            net = logistic_bits(value, base + d, ls).sum().item()
            scale = sum(fitted_scale_bits(value[chan == c], (base + d)[chan == c], ls[chan == c], False) for c in range(ch))
            scale_px = sum(fitted_scale_bits(value[chan == c], (base + d)[chan == c], ls[chan == c], True) for c in range(ch))
            # Least-squares refit of the mean per channel on [hidden, features, 1].
            refit = 0.0
            groups = torch.clamp(bucket_of(ls) * a.classes // BUCKETS, 0, a.classes - 1)
            for c in range(ch):
                mean_all = base + d
                for g in range(a.classes):
                    m = (chan == c) & (groups == g)
                    if int(m.sum()) < 1000:
                        continue
                    A = torch.cat([hid[m], x[m], torch.ones(int(m.sum()), 1)], 1).double()
                    r = (value[m] - base[m] - d[m]).double()
                    n = A.shape[0]
                    coef = torch.linalg.lstsq(A.T @ A + 1e-3 * n * torch.eye(A.shape[1], dtype=torch.float64), (A.T @ r).unsqueeze(1)).solution
                    mean_all[m] = base[m] + d[m] + (A @ coef).squeeze(1).float()
                    refit += A.shape[1] * 16
                m = chan == c
                refit += fitted_scale_bits(value[m], mean_all[m], ls[m], True)
        k = w * h * ch
        row = np.array([8 * size, net, scale, scale_px, refit])
        totals += row
        print(f"{name[:40]:40s} {k / 1e6:6.2f} " + " ".join(f"{b / k:8.4f}" for b in row), flush=True)
    print(f"{'total':40s} {'':6s} " + " ".join(f"{b / totals[0]:8.4f}" for b in totals) + "  (relative to v5 real)")


if __name__ == "__main__":
    main()
