#!/usr/bin/env python3
"""Which PNGs of a folder the png method takes, before and after a change, and what they cost.

Usage: scripts/png-deflaters.py BEFORE_FLOWZIP AFTER_FLOWZIP DIR...
Compresses every *.png under DIR with both flowzip binaries (default options) and with `zstd -19`,
checks that AFTER's stream decompresses to the original, and prints one line per file and totals
(markdown). The encoder guess comes from the zlib header's level hint and any Software text chunk.
"""
import os, struct, subprocess, sys, tempfile

def chunks(data):
    pos = 8
    while pos + 12 <= len(data):
        n, = struct.unpack('>I', data[pos:pos + 4])
        yield data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n

def describe(data):
    layout, software, zhead = '?', '', b''
    for t, d in chunks(data):
        if t == b'IHDR' and len(d) == 13:
            w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', d)
            ok = depth in (8, 16) and ctype in (0, 2, 4, 6) and interlace == 0
            layout = 'ok' if ok else f'depth {depth} type {ctype}{" interlaced" if interlace else ""}'
        elif t == b'IDAT' and not zhead:
            zhead = d[:2]
        elif t in (b'tEXt', b'iTXt') and d.lower().startswith(b'software\0'):
            software = d.split(b'\0')[-1].decode('latin-1')[:30]
    level = ['fastest', 'fast', 'default', 'max'][zhead[1] >> 6] if len(zhead) == 2 else '?'
    return layout, level, software

def flowzip(binary, path, work):
    out = os.path.join(work, 'out.fz')
    with open(out, 'wb') as f:
        subprocess.run([binary, '-c', path], stdout=f, check=True)
    info = subprocess.run([binary, 'info', out], capture_output=True, text=True, check=True).stdout
    methods = [line.split()[1] for line in info.splitlines() if line.strip()[:1].isdigit()]
    return os.path.getsize(out), ','.join(methods), out

def main():
    before, after, folders = sys.argv[1], sys.argv[2], sys.argv[3:]
    files = sorted(os.path.join(d, f) for d in folders for f in os.listdir(d) if f.endswith('.png'))
    rows, totals = [], {'n': 0, 'orig': 0, 'zstd': 0, 'before': 0, 'after': 0}
    groups = {}
    # Rows as they come (a long run can be read while it goes), the totals at the end.
    print('| file | bytes | layout | zlib level hint | Software | zstd -19 | flowzip before | after |')
    print('|---|---:|---|---|---|---:|---:|---:|', flush=True)
    with tempfile.TemporaryDirectory() as work:
        for number, path in enumerate(files):
            print(f'{number + 1}/{len(files)} {path}', file=sys.stderr, flush=True)
            data = open(path, 'rb').read()
            layout, level, software = describe(data)
            zstd = len(subprocess.run(['zstd', '-19', '-c', path], capture_output=True, check=True).stdout)
            b_size, b_methods, _ = flowzip(before, path, work)
            a_size, a_methods, a_out = flowzip(after, path, work)
            back = subprocess.run([after, '-dc', a_out], capture_output=True, check=True).stdout
            assert back == data, f'{path} did not round-trip'
            if layout != 'ok':
                group = 'layout the png method does not take'
            elif 'png' in b_methods:
                group = 'png method before (zlib settings or stored)'
            elif 'png' in a_methods:
                group = 'png method now (token recipe)'
            else:
                group = 'not the png method (not rebuildable, or zstd of the whole file is smaller)'
            r = (os.path.basename(path), len(data), layout, level, software, zstd, b_size, b_methods, a_size, a_methods, group)
            rows.append(r)
            print(f'| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]} | {r[6]} ({r[7]}) | {r[8]} ({r[9]}) |', flush=True)
            g = groups.setdefault(group, {'n': 0, 'orig': 0, 'zstd': 0, 'before': 0, 'after': 0})
            for t in (g, totals):
                t['n'] += 1; t['orig'] += len(data); t['zstd'] += zstd; t['before'] += b_size; t['after'] += a_size
    print()
    print('| group | files | share | original | zstd -19 | flowzip before | flowzip after |')
    print('|---|---:|---:|---:|---:|---:|---:|')
    for name, g in list(groups.items()) + [('all', totals)]:
        print(f"| {name} | {g['n']} | {100 * g['n'] / totals['n']:.0f} % | {g['orig']} | {g['zstd']} | {g['before']} | {g['after']} |")

main()
