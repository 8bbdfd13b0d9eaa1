#!/usr/bin/env python3
"""Where the bytes of a FlowZip stream go: prints `container other side rans` for one .fz file.

container: stream header, trailer and chunk records; other: payloads of chunks that are not `flow`
(PNM headers, pixel descriptors, zstd/zlib/store chunks); side: the flow payloads' headers (geometry,
compaction, prior scales, band corrections: FORMAT.md, Flow payload; packed ones as packed) and strip
tables; rans: the flow payloads' rANS words."""
import os, struct, sys, zlib
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fz_container
def leb(b, o):
    v = s = 0
    while True:
        x = b[o]; o += 1; v |= (x & 127) << s; s += 7
        if x < 128: return v, o
def levels(w, h):
    n = 0
    while (w > 8 or h > 8) and n < 8:
        w = (w + 1) // 2; h = (h + 1) // 2; n += 1
    return n
def flow_header_len(p):
    if p[0] == 16:  # packed header: marker, LEB128 H, LEB128 P, P bytes
        _, o = leb(p, 1); n, o = leb(p, o)
        return o + n
    if p[0] == 2:
        n, = struct.unpack('<I', p[1:5]); o = 5; tot = 5 + 4 * n
        for _ in range(n):
            l, = struct.unpack('<I', p[o:o+4]); tot += flow_header_len(p[o+4:o+4+l]); o += 4 + l
        return tot
    c, bd, fl = p[1], p[2], p[3]; w, h = struct.unpack('<II', p[4:12]); o = 12
    if fl & 4:
        marks = p[o:o+c]; o += c
        for m in marks:
            if m:
                cnt, o = leb(p, o); o0 = o
                for _ in range(cnt): _, o = leb(p, o)
    o += c * 140 + c * levels(w, h) * 15
    return o
def parse(fz):
    container, chunks = fz_container.chunks(open(fz, 'rb').read())
    out = {'container': container, 'other': 0, 'side': 0, 'rans': 0, 'headers': []}
    for m, _, p in chunks:
        if m == 3:
            hl = flow_header_len(p); out['side'] += hl; out['rans'] += len(p) - hl; out['headers'].append(p[:hl])
        else:
            out['other'] += len(p)  # png payloads are not split
    return out
if __name__ == '__main__':
    r = parse(sys.argv[1])
    print(r['container'], r['other'], r['side'], r['rans'])
