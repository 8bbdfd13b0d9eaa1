#!/usr/bin/env python3
"""Trains the learned raster conditioner by maximum likelihood (PyTorch, CPU).

Reads the samples `raster-samples` wrote (the codec's own integer features), fits a small MLP
that maps them to a mean correction and a log-scale of a discretized logistic over the coded value,
and writes the float weights (`--out model.pt`). `export.py` turns them into the integer model the
Swift codec runs.

    python3 train.py --train DIR --val DIR --hidden 32 --epochs 6 --out model.pt
"""
import argparse
import glob
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn

FEATURES = 34               # per sample in the .feat files (RasterSampleSet.featureCount)
FEATURE_SCALE = 1.0 / 64.0   # features are Q4 of an 8-bit unit; /64 brings them to about ±1
HIDDEN_MAX = 4095.0 / 256.0  # the largest hidden activation the integer model represents (Q8)


def load(directory, limit=None):
    feats, vals = [], []
    for path in sorted(glob.glob(os.path.join(directory, "*.feat"))):
        f = np.fromfile(path, dtype="<i2").reshape(-1, FEATURES)
        v = np.fromfile(path[:-5] + ".val", dtype="<i4").reshape(-1, 3)
        assert len(f) == len(v), path
        feats.append(f)
        vals.append(v)
    f = np.concatenate(feats)
    v = np.concatenate(vals)
    if limit and len(f) > limit:
        keep = np.random.default_rng(1).choice(len(f), limit, replace=False)
        f, v = f[keep], v[keep]
    return f, v


class Conditioner(nn.Module):
    """features → hidden → hidden → (mean correction in pixels, log2 scale), or with k > 1 a mixture of k
    logistics (k mean corrections, k log2 scales, k weight logits). The codec runs k = 1 (model 1) and
    k = 2 (model 2, the default)."""

    def __init__(self, hidden, k=1, inputs=FEATURES):
        super().__init__()
        self.k = k
        self.l1 = nn.Linear(inputs, hidden)
        self.l2 = nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, 2 if k == 1 else 3 * k)

    def hidden(self, x):
        # Activations clipped to [0, 16): the integer model keeps them in Q8 below 2^12.
        return torch.clamp(self.l2(torch.clamp(self.l1(x), 0, HIDDEN_MAX)), 0, HIDDEN_MAX)

    def forward(self, x):
        o = self.out(self.hidden(x))
        if self.k == 1:
            return o[:, 0], o[:, 1]
        return o[:, :self.k], o[:, self.k:2 * self.k], o[:, 2 * self.k:]


def logistic_bits(value, mean, log2_scale):
    """−log2 of the mass of a discretized logistic on [value − ½, value + ½]."""
    s = torch.exp2(log2_scale)
    hi = torch.sigmoid((value + 0.5 - mean) / s)
    lo = torch.sigmoid((value - 0.5 - mean) / s)
    return -torch.log2(torch.clamp(hi - lo, min=1e-9))


def tensors(f, v, inputs):
    x = torch.from_numpy(f[:, :inputs].astype(np.float32) * FEATURE_SCALE)
    value = torch.from_numpy(v[:, 0].astype(np.float32))
    base = torch.from_numpy(v[:, 1].astype(np.float32) / 256.0)
    return x, value, base


def mixture_bits(value, base, out):
    d, ls, logits = out
    s = torch.exp2(ls)
    v = value.unsqueeze(1); m = base.unsqueeze(1) + d
    p = torch.sigmoid((v + 0.5 - m) / s) - torch.sigmoid((v - 0.5 - m) / s)
    w = torch.softmax(logits, 1)
    return -torch.log2(torch.clamp((w * p).sum(1), min=1e-9))


def bits(model, x, value, base):
    out = model(x)
    if len(out) == 2:
        return logistic_bits(value, base + out[0], out[1])
    return mixture_bits(value, base, out)


def evaluate(model, x, value, base, batch=1 << 16):
    total = 0.0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            total += bits(model, x[i:i + batch], value[i:i + batch], base[i:i + batch]).sum().item()
    return total / len(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--val", required=True)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--k", type=int, default=1, help="mixture components (the codec runs 1 or 2)")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--batch", type=int, default=4096)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--limit", type=int, default=None, help="at most this many training samples")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--inputs", type=int, default=FEATURES, help="the first N features (24: models 1-3, 34: model 4 on)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                    help="PyTorch threads (1 beside other work: idle threads spin and slow every step)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(max(1, a.threads))

    x, value, base = tensors(*load(a.train, a.limit), a.inputs)
    vx, vvalue, vbase = tensors(*load(a.val, 2_000_000), a.inputs)
    print(f"train {len(x)} samples, validation {len(vx)}", flush=True)
    model = Conditioner(a.hidden, a.k, a.inputs)
    with torch.no_grad():
        # Start at "no correction, scale from the data": the hand-made prediction is already good.
        ls0 = math.log2(max(1.0, (value - base).abs().mean().item() * 0.6))
        if a.k == 1:
            model.out.weight.zero_()
            model.out.bias.copy_(torch.tensor([0.0, ls0]))
        else:
            # Components spread around that scale; small random weights so they can differ.
            model.out.weight.mul_(0.1)
            model.out.bias.copy_(torch.tensor([0.0] * a.k + [ls0 + 0.5 * (j - (a.k - 1) / 2) for j in range(a.k)] + [0.0] * a.k))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps = a.epochs * (len(x) // a.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.1)
    print(f"start: validation {evaluate(model, vx, vvalue, vbase):.4f} bits/sub-pixel", flush=True)
    g = torch.Generator().manual_seed(a.seed)
    for epoch in range(a.epochs):
        order = torch.randperm(len(x), generator=g)
        running, n = 0.0, 0
        for k in range(len(x) // a.batch):
            idx = order[k * a.batch:(k + 1) * a.batch]
            loss = bits(model, x[idx], value[idx], base[idx]).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            running += loss.item()
            n += 1
        print(f"epoch {epoch + 1}: train {running / n:.4f}, validation {evaluate(model, vx, vvalue, vbase):.4f} bits/sub-pixel",
              flush=True)
    torch.save({"hidden": a.hidden, "k": a.k, "inputs": a.inputs, "state": model.state_dict()}, a.out)


if __name__ == "__main__":
    sys.exit(main())
