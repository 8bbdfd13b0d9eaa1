#!/usr/bin/env python3
"""Bits per sub-pixel of flowzip beside the image codecs people use, on PNM files (P5/P6, 8 or
16 bit), in one run: JPEG XL (Debian's cjxl -e 7 and -e 9, and libjxl 0.11 effort 9 from the
imagecodecs wheel), JPEG 2000 reversible (OpenJPEG, imagecodecs), WebP lossless (cwebp -z 9,
8-bit only) and PNG (optipng -o2). With --base, also an older flowzip build (the hand-made model),
so the learned model's gain is measured side by side. Every flowzip stream is decoded and compared.

    python3 bench/learned-images.py --flowzip .build/release/flowzip [--base OLD_FLOWZIP] FILE_OR_DIR...

Prints a markdown table (per file and the total) and the CPU seconds (user + system of the child
processes) of flowzip's encode and decode and of cjxl -e 9. Peers that are missing are left out.
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile

import numpy as np


def read_pnm(path):
    with open(path, "rb") as f:
        data = f.read()
    parts, pos = [], 0
    while len(parts) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        parts.append(data[start:pos])
    pos += 1
    magic, w, h, maxval = parts[0], int(parts[1]), int(parts[2]), int(parts[3])
    c = 3 if magic == b"P6" else 1
    dtype = ">u2" if maxval > 255 else "u1"
    pixels = np.frombuffer(data[pos:], dtype=dtype, count=w * h * c).reshape(h, w, c) if c == 3 else \
        np.frombuffer(data[pos:], dtype=dtype, count=w * h).reshape(h, w)
    return pixels.astype(np.uint16 if maxval > 255 else np.uint8), w * h * c, maxval > 255


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_size(cmd, out):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return os.path.getsize(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flowzip", required=True)
    ap.add_argument("--base")
    ap.add_argument("--no-png", action="store_true", help="skip optipng (slow on large images)")
    ap.add_argument("paths", nargs="+")
    a = ap.parse_args()
    files = []
    for p in a.paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, n) for n in os.listdir(p) if n.endswith((".ppm", ".pgm", ".pnm")))
        else:
            files.append(p)
    try:
        import imagecodecs
    except ImportError:
        imagecodecs = None
    have = {"cjxl": shutil.which("cjxl"), "cwebp": shutil.which("cwebp"), "optipng": shutil.which("optipng") and not a.no_png}
    cols = ["flowzip"] + (["base"] if a.base else []) + \
        (["cjxl-e7", "cjxl-e9"] if have["cjxl"] else []) + \
        (["jxl0.11-e9", "j2k-rev"] if imagecodecs else []) + (["webp"] if have["cwebp"] else []) + (["png"] if have["optipng"] else [])
    totals = {c: 0 for c in cols}
    total_samples = 0
    cpu = {"flowzip-enc": 0.0, "flowzip-dec": 0.0, "base-enc": 0.0, "cjxl-e9": 0.0}
    print("| file | sub-pixels | " + " | ".join(cols) + " |")
    print("|---|--:|" + "--:|" * len(cols))
    tmp = tempfile.mkdtemp()
    try:
        for f in files:
            pixels, samples, deep = read_pnm(f)
            sizes = {}
            fz = os.path.join(tmp, "x.fz")
            t = child_cpu()
            with open(fz, "wb") as out:
                subprocess.run([a.flowzip, "-c", "-T", "1", f], check=True, stdout=out)
            cpu["flowzip-enc"] += child_cpu() - t
            sizes["flowzip"] = os.path.getsize(fz)
            t = child_cpu()
            back = subprocess.run([a.flowzip, "-dc", "-T", "1", fz], check=True, stdout=subprocess.PIPE).stdout
            cpu["flowzip-dec"] += child_cpu() - t
            with open(f, "rb") as g:
                if back != g.read():
                    sys.exit(f"flowzip does not round-trip {f}")
            if a.base:
                t = child_cpu()
                with open(fz, "wb") as out:
                    subprocess.run([a.base, "-c", "-T", "1", f], check=True, stdout=out)
                cpu["base-enc"] += child_cpu() - t
                sizes["base"] = os.path.getsize(fz)
            if have["cjxl"]:
                jx = os.path.join(tmp, "x.jxl")
                sizes["cjxl-e7"] = run_size(["cjxl", f, jx, "-d", "0", "-e", "7"], jx)
                t = child_cpu()
                sizes["cjxl-e9"] = run_size(["cjxl", f, jx, "-d", "0", "-e", "9"], jx)
                cpu["cjxl-e9"] += child_cpu() - t
            if imagecodecs:
                sizes["jxl0.11-e9"] = len(imagecodecs.jpegxl_encode(pixels, lossless=True, effort=9))
                sizes["j2k-rev"] = len(imagecodecs.jpeg2k_encode(pixels, level=0, reversible=True))
            if have["cwebp"] and not deep:
                wp = os.path.join(tmp, "x.webp")
                sizes["webp"] = run_size(["cwebp", "-quiet", "-lossless", "-z", "9", "-metadata", "none", f, "-o", wp], wp)
            if have["optipng"]:
                pn = os.path.join(tmp, "x.png")
                sizes["png"] = run_size(["optipng", "-quiet", "-o2", "-strip", "all", "-clobber", "-out", pn, f], pn)
            total_samples += samples
            row = []
            for c in cols:
                # A column's total only counts when every file has it (WebP has no 16-bit).
                if c in sizes:
                    totals[c] = None if totals[c] is None else totals[c] + sizes[c]
                    row.append(f"{8 * sizes[c] / samples:.4f}")
                else:
                    totals[c] = None
                    row.append("—")
            print(f"| {os.path.basename(f)} | {samples} | " + " | ".join(row) + " |", flush=True)
        print("| **total** | " + str(total_samples) + " | " +
              " | ".join(f"**{8 * totals[c] / total_samples:.4f}**" if totals[c] else "—" for c in cols) + " |")
        ref = totals.get("jxl0.11-e9") or totals.get("cjxl-e9")
        if ref:
            print("\nflowzip / JPEG XL e9 (libjxl 0.11 where available): " + f"{totals['flowzip'] / ref:.4f}")
        if a.base:
            print(f"flowzip / base flowzip: {totals['flowzip'] / totals['base']:.4f}")
        print("\nCPU seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items() if v > 0))
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
