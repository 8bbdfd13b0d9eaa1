#!/usr/bin/env python3
"""Walks a FlowZip stream of container version 1 or 2 (FORMAT.md): `chunks(b)` returns the container's
own byte count and a list of (method, raw length, payload) per chunk. No checks beyond what walking needs:
for measurements and fuzzer seeds, not for decoding untrusted streams."""
import struct

def leb(b, o):
    v = s = 0
    while True:
        x = b[o]; o += 1; v |= (x & 127) << s; s += 7
        if x < 128: return v, o

def _fields(b, o):
    """A version 2 record's fields from offset o: method, raw, coded, offset after the raw CRC."""
    d = b[o]; raw, o = leb(b, o + 1)
    coded, o = (raw, o) if d & 7 == 0 else leb(b, o)
    return d & 7, raw, coded, o + 4

def chunks(b):
    out = []
    if b[4] == 1:
        o = 28
        while b[o] != 0xFF:
            m = b[o]; raw, coded = struct.unpack('<II', b[o+3:o+11])
            out.append((m, raw, b[o+19:o+19+coded])); o += 19 + coded
        return len(b) - sum(len(p) for _, _, p in out), out
    flags, o = b[5], 7
    if flags & 1: _, o = leb(b, o)
    if flags & 8: o += 8
    if flags & 16:  # one chunk: its record in the header, no trailer
        m, raw, coded, o = _fields(b, o); o += 4
        out.append((m, raw, b[o:o+coded]))
    else:
        o += 4
        while b[o] != 0xFF:
            m, raw, coded, o = _fields(b, o); o += 4
            out.append((m, raw, b[o:o+coded])); o += coded
    return len(b) - sum(len(p) for _, _, p in out), out
