#!/usr/bin/env python3
"""Writes 32-bit float WAV versions of 16-bit PCM WAVs, for bench/float-audio.sh.

    float_wavs.py OUT_DIR IN.wav...

For each input NAME.wav (16-bit PCM, any channel count) it writes three files:
- NAME-exact.wav: every sample k as float32(k / 32768), format tag 3 (WAVE_FORMAT_IEEE_FLOAT) with a
  `fact` chunk, as libsndfile and sox write float WAVs;
- NAME-gain.wav: float32(float32(k / 32768) * float32(0.7)), a gain applied in float, so the samples
  were never on an integer grid; WAVE_FORMAT_EXTENSIBLE with the IEEE float sub-format GUID;
- NAME-eq.wav: a low-shelf and a high-cut biquad (RBJ cookbook) run in float64 over the exact samples,
  then rounded to float32: DSP output with full mantissas, format tag 3.
Only numpy is needed. The files are deterministic (no randomness, IEEE arithmetic).
"""
import struct
import sys
from pathlib import Path

import numpy as np


def read_pcm16(path):
    data = Path(path).read_bytes()
    assert data[0:4] == b"RIFF" and data[8:12] == b"WAVE", path
    at, channels, samples = 12, None, None
    while at + 8 <= len(data):
        tag, size = data[at:at + 4], struct.unpack_from("<I", data, at + 4)[0]
        body = data[at + 8:at + 8 + size]
        if tag == b"fmt ":
            fmt, channels, rate, _, align, bits = struct.unpack_from("<HHIIHH", body)
            assert bits == 16 and fmt in (1, 0xFFFE), f"{path}: not 16-bit PCM"
        elif tag == b"data":
            frames = len(body) // (2 * channels)
            samples = np.frombuffer(body[:frames * 2 * channels], dtype="<i2").reshape(frames, channels)
        at += 8 + size + (size & 1)
    return rate, samples



def write_float(path, rate, x, extensible):
    x = np.ascontiguousarray(x, dtype="<f4")
    frames, channels = x.shape
    align = 4 * channels
    if extensible:
        # cbSize 22, valid bits 32, channel mask 0, KSDATAFORMAT_SUBTYPE_IEEE_FLOAT.
        guid = bytes.fromhex("0300000000001000800000aa00389b71")
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, channels, rate, rate * align, align, 32, 22, 32, 0) + guid
    else:
        fmt = struct.pack("<HHIIHHH", 3, channels, rate, rate * align, align, 32, 0)
    body = x.tobytes()
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    chunks += b"fact" + struct.pack("<II", 4, frames)
    chunks += b"data" + struct.pack("<I", len(body)) + body
    Path(path).write_bytes(b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks)


def biquad(x, b, a):
    """Direct form I over each column of x (float64)."""
    b = [v / a[0] for v in b]
    a = [v / a[0] for v in a]
    y = np.zeros_like(x)
    x1 = x2 = y1 = y2 = np.zeros(x.shape[1])
    for n in range(x.shape[0]):
        v = b[0] * x[n] + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
        x2, x1, y2, y1 = x1, x[n], y1, v
        y[n] = v
    return y


def eq(x, rate):
    # Low shelf +4 dB at 200 Hz, then a 2nd-order low-pass at 9 kHz (Q 0.707), gain 0.8.
    w = 2 * np.pi * 200 / rate
    A = 10 ** (4 / 40)
    alpha = np.sin(w) / 2 * np.sqrt(2)
    c = np.cos(w)
    sa = 2 * np.sqrt(A) * alpha
    shelf_b = [A * ((A + 1) - (A - 1) * c + sa), 2 * A * ((A - 1) - (A + 1) * c), A * ((A + 1) - (A - 1) * c - sa)]
    shelf_a = [(A + 1) + (A - 1) * c + sa, -2 * ((A - 1) + (A + 1) * c), (A + 1) + (A - 1) * c - sa]
    w = 2 * np.pi * min(9000, 0.45 * rate) / rate
    alpha = np.sin(w) / (2 * 0.7071)
    c = np.cos(w)
    lp_b = [(1 - c) / 2, 1 - c, (1 - c) / 2]
    lp_a = [1 + alpha, -2 * c, 1 - alpha]
    return 0.8 * biquad(biquad(x, shelf_b, shelf_a), lp_b, lp_a)


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name in sys.argv[2:]:
        rate, k = read_pcm16(name)
        stem = Path(name).stem
        exact = k.astype(np.float32) / np.float32(32768)
        write_float(out / f"{stem}-exact.wav", rate, exact, extensible=False)
        write_float(out / f"{stem}-gain.wav", rate, exact * np.float32(0.7), extensible=True)
        write_float(out / f"{stem}-eq.wav", rate, eq(k.astype(np.float64) / 32768, rate).astype(np.float32),
                    extensible=False)


if __name__ == "__main__":
    main()
