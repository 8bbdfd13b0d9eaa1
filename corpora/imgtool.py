#!/usr/bin/env python3
"""Deterministic image conversions for corpora/fetch-images.sh. Every output is a binary PNM
(P5 grey or P6 colour, maxval 255 or 65535, 16-bit samples big-endian as the format says) and
depends only on the input bytes: all arithmetic is integer (numpy integer arrays), so any numpy
version gives the same bytes.

  imgtool.py box F MAX IN.pnm OUT          area-average F x F blocks (F=1: copy), then centre-crop to MAX x MAX
  imgtool.py fits IN.fits HDU OUT.pgm       16-bit FITS image (BITPIX 16, BZERO 0 or 32768) to 16-bit PGM
  imgtool.py hdr8 IN.fits OUT.ppm          half-float RGB (OpenEXR via oiiotool) to 8-bit sRGB, exposure 0
  imgtool.py dicom IN.dcm FRAME OUT.pgm     uncompressed 16-bit DICOM (needs pydicom on PYTHONPATH)
  imgtool.py iraf IN.pix W H OUT.pgm        IRAF OIF pixel file of W x H 16-bit integers
  imgtool.py tile N IN.pnm OUT              repeat the image N x N times, exactly
"""
import sys

import numpy as np


def die(msg):
    sys.exit(f"imgtool: {msg}")


def read_pnm(path):
    """Returns an array of shape (H, W, C) (C = 1 or 3), dtype uint16, and the maxval."""
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:  # magic, width, height, maxval; skip whitespace and comments
        while pos < len(data) and data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            while pos < len(data) and data[pos] != 10:
                pos += 1
            continue
        start = pos
        while pos < len(data) and not data[pos:pos + 1].isspace():
            pos += 1
        if start == pos:
            die(f"{path}: truncated PNM header")
        fields.append(data[start:pos])
    pos += 1  # the single whitespace byte before the samples
    magic = fields[0]
    if magic not in (b"P5", b"P6"):
        die(f"{path}: not a binary PGM/PPM ({magic!r})")
    w, h, maxval = (int(x) for x in fields[1:])
    c = 3 if magic == b"P6" else 1
    dtype = ">u2" if maxval > 255 else "u1"
    n = w * h * c
    if len(data) - pos < n * np.dtype(dtype).itemsize:
        die(f"{path}: truncated samples")
    a = np.frombuffer(data, dtype, n, pos).reshape(h, w, c).astype(np.uint16)
    return a, maxval


def write_pnm(path, a, maxval):
    h, w, c = a.shape
    magic = b"P6" if c == 3 else b"P5"
    if c not in (1, 3):
        die(f"{path}: {c} channels")
    if int(a.max(initial=0)) > maxval:
        die(f"{path}: sample above maxval {maxval}")
    body = a.astype(">u2" if maxval > 255 else "u1").tobytes()
    with open(path, "wb") as f:
        f.write(b"%s\n%d %d\n%d\n" % (magic, w, h, maxval))
        f.write(body)


def centre_crop(a, limit):
    h, w = a.shape[:2]
    ch, cw = min(h, limit), min(w, limit)
    top, left = (h - ch) // 2, (w - cw) // 2
    return a[top:top + ch, left:left + cw]


def box(factor, limit, src, dst):
    """Area average over factor x factor blocks, rounding half up: (sum + n/2) // n. A partial
    last row or column of blocks is dropped, so every output sample averages exactly n inputs."""
    a, maxval = read_pnm(src)
    if factor > 1:
        h, w, c = a.shape
        h, w = h // factor * factor, w // factor * factor
        blocks = a[:h, :w].astype(np.int64).reshape(h // factor, factor, w // factor, factor, c)
        n = factor * factor
        a = ((blocks.sum(axis=(1, 3)) + n // 2) // n).astype(np.uint16)
    write_pnm(dst, centre_crop(a, limit), maxval)


def to_unsigned16(values, what):
    """Integer samples to 0..65535: kept as they are when they fit, else shifted by +32768 (the
    usual signed-to-unsigned offset, recorded in corpora/README.md)."""
    lo, hi = int(values.min()), int(values.max())
    if 0 <= lo and hi <= 65535:
        return values.astype(np.uint16)
    if -32768 <= lo and hi <= 32767:
        return (values.astype(np.int64) + 32768).astype(np.uint16)
    die(f"{what}: values {lo}..{hi} do not fit 16 bits")


def fits_hdu(src, hdu):
    """Walks a FITS file's header-data units up to number HDU; returns the file's bytes, that
    HDU's header cards, BITPIX, axis lengths and the offset of its data."""
    data = open(src, "rb").read()
    off, index = 0, 0
    while True:
        cards, end = {}, False
        while not end:  # header: 2880-byte blocks of 80-character cards, up to END
            if off + 2880 > len(data):
                die(f"{src}: HDU {hdu} not found")
            block = data[off:off + 2880]
            off += 2880
            for i in range(0, 2880, 80):
                card = block[i:i + 80].decode("ascii", "replace")
                key = card[:8].strip()
                if key == "END":
                    end = True
                    break
                if card[8:10] == "= ":
                    cards[key] = card[10:].split("/")[0].strip().strip("'").strip()
        bitpix, naxis = int(cards["BITPIX"]), int(cards.get("NAXIS", 0))
        dims = [int(cards[f"NAXIS{i + 1}"]) for i in range(naxis)]
        count = int(np.prod(dims)) if naxis else 0
        if index == hdu:
            return data, cards, bitpix, dims, off
        size = count * abs(bitpix) // 8 + int(cards.get("PCOUNT", 0) or 0)
        off += (size + 2879) // 2880 * 2880
        index += 1


def fits(src, hdu, dst):
    data, cards, bitpix, dims, off = fits_hdu(src, hdu)
    naxis = len(dims)
    if bitpix != 16 or naxis != 2:
        die(f"{src}: HDU {hdu} is BITPIX {bitpix}, NAXIS {naxis}; want a 16-bit 2-D image")
    if float(cards.get("BSCALE", "1")) != 1.0:
        die(f"{src}: BSCALE {cards['BSCALE']} is not 1")
    bzero = float(cards.get("BZERO", "0"))
    if bzero not in (0.0, 32768.0):
        die(f"{src}: BZERO {bzero} is neither 0 nor 32768")
    w, h = dims
    raw = np.frombuffer(data, ">i2", w * h, off).reshape(h, w).astype(np.int64) + int(bzero)
    # FITS stores the bottom row first; PNM stores the top row first.
    write_pnm(dst, to_unsigned16(raw[::-1], src)[:, :, None], 65535)


def dicom(src, frame, dst):
    import pydicom  # from the unpacked python3-pydicom package; pure Python

    ds = pydicom.dcmread(src)
    if ds.file_meta.TransferSyntaxUID.is_compressed:
        die(f"{src}: compressed transfer syntax {ds.file_meta.TransferSyntaxUID}")
    if int(ds.BitsAllocated) != 16 or int(ds.SamplesPerPixel) != 1:
        die(f"{src}: {ds.BitsAllocated}-bit, {ds.SamplesPerPixel} samples; want 16-bit grey")
    a = ds.pixel_array
    if a.ndim == 3:
        a = a[frame]
    write_pnm(dst, to_unsigned16(a.astype(np.int64), src)[:, :, None], 65535)


def iraf(src, w, h, dst):
    """An IRAF OIF pixel file: a header, then the rows of 16-bit integers at the file's end (rows
    are unpadded when a row fills whole 1024-byte blocks, as for dev$pix). dev$pix is big-endian:
    read so, its values span -1..19936 as its .imh header (IRAF-MIN, IRAF-MAX) says."""
    data = open(src, "rb").read()
    n = w * h * 2
    if len(data) < n:
        die(f"{src}: shorter than {w} x {h} 16-bit samples")
    raw = np.frombuffer(data, ">i2", w * h, len(data) - n).reshape(h, w).astype(np.int64)
    write_pnm(dst, to_unsigned16(raw[::-1], src)[:, :, None], 65535)  # bottom row first, as FITS


def srgb8_table():
    """Maps every 16-bit half-float bit pattern to an 8-bit sRGB sample: linear light clamped to
    0..1, the sRGB transfer curve (IEC 61966-2-1), rounded to nearest. Python's float64 arithmetic
    builds the table once; the pixels themselves are only looked up."""
    halves = np.arange(65536, dtype=np.uint16).view(np.float16).astype(np.float64)
    table = np.zeros(65536, np.uint8)
    for i, x in enumerate(halves.tolist()):
        if not x > 0:  # negative, zero or NaN
            continue
        x = min(x, 1.0)
        v = 12.92 * x if x <= 0.0031308 else 1.055 * x ** (1 / 2.4) - 0.055
        table[i] = int(v * 255 + 0.5)
    return table


def hdr8(src, dst):
    """A half-float RGB image (an OpenEXR file as oiiotool writes it to FITS: BITPIX -32,
    NAXIS1 = 3 channels, NAXIS2 = width, NAXIS3 = height) to an 8-bit sRGB PPM at exposure 0.
    The float32 samples are rounded back to half floats, which gives the EXR file's own values
    exactly, and then looked up in srgb8_table."""
    data, cards, bitpix, dims, off = fits_hdu(src, 0)
    if bitpix != -32 or len(dims) != 3 or dims[0] != 3:
        die(f"{src}: BITPIX {bitpix}, axes {dims}; want float RGB (-32, [3, W, H])")
    c, w, h = dims
    raw = np.frombuffer(data, ">f4", c * w * h, off).reshape(h, w, c)
    bits = raw[::-1].astype(np.float16).view(np.uint16)  # bottom row first, as FITS
    write_pnm(dst, srgb8_table()[bits].astype(np.uint16), 255)


def tile(n, src, dst):
    a, maxval = read_pnm(src)
    write_pnm(dst, np.tile(a, (n, n, 1)), maxval)


def main(argv):
    if len(argv) < 2:
        die(__doc__.strip())
    cmd, args = argv[1], argv[2:]
    try:
        if cmd == "box":
            box(int(args[0]), int(args[1]), args[2], args[3])
        elif cmd == "fits":
            fits(args[0], int(args[1]), args[2])
        elif cmd == "hdr8":
            hdr8(args[0], args[1])
        elif cmd == "dicom":
            dicom(args[0], int(args[1]), args[2])
        elif cmd == "iraf":
            iraf(args[0], int(args[1]), int(args[2]), args[3])
        elif cmd == "tile":
            tile(int(args[0]), args[1], args[2])
        else:
            die(f"unknown command {cmd!r}")
    except (IndexError, ValueError) as e:
        die(f"{cmd}: bad arguments ({e})")


if __name__ == "__main__":
    main(sys.argv)
