#!/usr/bin/env python3
"""Tables of bench/results/learned-raster-model5.md from two runs of bench/learned-raster-levels.sh
(BEFORE with "default" only, AFTER with "default 20") and the peers' bits per sub-pixel in
learned-raster-model4.md (libjxl 0.11 e9; a peer's size does not depend on flowzip):

    python3 bench/tools/learned_raster_levels_table.py BEFORE AFTER bench/results/learned-raster-model4.md
"""
import collections, re, sys
main = {l.split()[0]: l.split() for l in open(sys.argv[1])}
new = collections.defaultdict(dict)
for l in open(sys.argv[2]):
    f, lv, s, e, d = l.split()
    new[f][lv] = (int(s), float(e), float(d))
peer, subpx = {}, {}
for l in open(sys.argv[3]):
    m = re.match(r"\| ([\w.+-]+\.p[gp]m) \| (\d+) \| [\d.]+ \| [\d.]+ \| [+-][\d.]+ % \| ([\d.]+) \|", l)
    if m: subpx[m.group(1)] = int(m.group(2)); peer[m.group(1)] = float(m.group(3))
sets = collections.OrderedDict()
print("| file | sub-pixels | model 4 (before, default) | model 5 (default) | change | -20 | libjxl 0.11 e9 | default / libjxl |")
print("|---|--:|--:|--:|--:|--:|--:|--:|")
for f in new:
    name, g = f.split('/')[-1], f.split('/')[-2]
    n = subpx[name]; b = 8 * int(main[f][2]) / n; a = 8 * new[f]['default'][0] / n; x = 8 * new[f]['20'][0] / n
    print(f"| {name} | {n} | {b:.4f} | {a:.4f} | {100 * (a / b - 1):+.2f} % | {x:.4f} | {peer[name]:.4f} | {a / peer[name]:.4f} |")
    t = sets.setdefault(g, [0, 0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    t[0] += n; t[1] += int(main[f][2]); t[2] += new[f]['default'][0]; t[3] += new[f]['20'][0]; t[4] += peer[name] * n / 8
    t[5] += float(main[f][3]); t[6] += new[f]['default'][1]; t[7] += new[f]['20'][1]
    t[8] += float(main[f][4]); t[9] += new[f]['default'][2]
print()
print("| set | model 4 (before, default) | model 5 (default) | change | -20 | libjxl 0.11 e9 | default / libjxl | -20 / libjxl |")
print("|---|--:|--:|--:|--:|--:|--:|--:|")
for g, t in sets.items():
    n = t[0]
    print(f"| {g} | {8 * t[1] / n:.4f} | {8 * t[2] / n:.4f} | {100 * (t[2] / t[1] - 1):+.2f} % | {8 * t[3] / n:.4f} | {8 * t[4] / n:.4f} | {t[2] / t[4]:.4f} | {t[3] / t[4]:.4f} |")
nine = [f for f in new if '/photo2/' in f or any(k in f for k in ('keong', 'tmshre', 'bliznaca'))]
def tot(fs, k):
    return sum(k(f) for f in fs)
n9 = tot(nine, lambda f: subpx[f.split('/')[-1]])
p9 = tot(nine, lambda f: peer[f.split('/')[-1]] * subpx[f.split('/')[-1]] / 8)
for label, k in [("model 4 (before, default)", lambda f: int(main[f][2])), ("model 5 (default)", lambda f: new[f]['default'][0]),
                 ("-20", lambda f: new[f]['20'][0])]:
    s = tot(nine, k)
    print(f"nine never-JPEG photos, {label}: {8 * s / n9:.4f} bits/sub-pixel, {s / p9:.4f}x libjxl 0.11 e9")
print()
print("| set | encode before | encode default | encode -20 | decode before | decode default |")
print("|---|--:|--:|--:|--:|--:|")
for g, t in sets.items():
    print(f"| {g} | {t[5]:.1f} s | {t[6]:.1f} s | {t[7]:.1f} s | {t[8]:.2f} s | {t[9]:.2f} s |")
