#!/usr/bin/env bash
# The image flow's encoder search by level (ImageSearch): bits per sub-pixel and encode speed of
# `flowzip --method flow` at the default level (fast), -20 (sampled learned prior) and -22 (every coding in
# full, the search of earlier builds), beside cjxl -d 0 -e 7, on the given PNM files.
# Usage: bench/image-search.sh NAME FILE.ppm... (run from the repo root; writes bench/results/image-search-NAME.csv)
# Speeds are CPU seconds (user, /usr/bin/time), one thread, one run: steadier than wall clock on a shared
# machine. Every flowzip stream is decoded and compared with its input.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
flowzip=${FLOWZIP:-$repo/.build/release/flowzip}
name=$1; shift
out=$repo/bench/results/image-search-$name.csv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$flowzip" ] || (cd "$repo" && swift build -c release --product flowzip)
echo "file,width,height,channels,coder,bytes,user_s,roundtrip" > "$out"
for f in "$@"; do
  read -r magic w h < <(head -c 64 "$f" | tr -s ' \n' ' ' | cut -d' ' -f1-3)
  ch=$([ "$magic" = P6 ] && echo 3 || echo 1)
  for level in default 20 22; do
    args=(); [ "$level" != default ] && args=(--level "$level")
    /usr/bin/time -f %U -o "$tmp/t" "$flowzip" -c --method flow "${args[@]}" "$f" > "$tmp/f.fz"
    rt=ok; "$flowzip" -d -c "$tmp/f.fz" | cmp -s "$f" - || rt=FAIL
    echo "$(basename "$f"),$w,$h,$ch,flowzip-$level,$(stat -c %s "$tmp/f.fz"),$(cat "$tmp/t"),$rt" | tee -a "$out"
  done
  /usr/bin/time -f %U -o "$tmp/t" cjxl -d 0 -e 7 --num_threads 0 --quiet "$f" "$tmp/o.jxl" 2>/dev/null
  echo "$(basename "$f"),$w,$h,$ch,cjxl-e7,$(stat -c %s "$tmp/o.jxl"),$(cat "$tmp/t"),-" | tee -a "$out"
done
python3 - "$out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
coders = ["flowzip-default", "flowzip-20", "flowzip-22", "cjxl-e7"]
sub = {}
for r in rows:
    n = int(r["width"]) * int(r["height"]) * int(r["channels"])
    px = int(r["width"]) * int(r["height"])
    t = sub.setdefault(r["coder"], [0, 0, 0.0, 0])
    t[0] += int(r["bytes"]); t[1] += n; t[2] += float(r["user_s"]); t[3] += px
ref = sub["flowzip-22"][0]
print("| coder | bpsp | bytes vs -22 | CPU s | MP/s per thread |")
print("|---|---|---|---|---|")
for c in coders:
    b, n, s, px = sub[c]
    print(f"| {c} | {8*b/n:.4f} | {100*(b/ref-1):+.3f} % | {s:.2f} | {px/1e6/max(s,1e-9):.2f} |")
fails = [r["file"] for r in rows if r["roundtrip"] == "FAIL"]
print("round trips:", "all ok" if not fails else "FAIL " + " ".join(fails))
PY
