#!/usr/bin/env bash
# What the `flowzip` command's defaults cost on ordinary (non-media) files, beside zstd's and gzip's:
# size and CPU seconds (user + system, one thread, the smaller of two runs) of `flowzip` against `zstd` (its default, level 3)
# and `gzip` (level 6), and of `flowzip --best` against `zstd -19`, compressing and decompressing.
# Every stream is decoded and compared with its file.
#
# Files: the general corpus (corpora/fetch.sh: text, a dictionary, a shared library, a map, random
# bytes), a tar of /usr/include (C headers, ~120 MB) and 64 MiB of random bytes (incompressible).
# Writes bench/results/cli-defaults.md (or $OUT). Usage: bench/cli-defaults.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product flowzip >/dev/null
fz=$PWD/.build/release/flowzip
out=${OUT:-bench/results/cli-defaults.md}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar cf "$tmp/usr-include.tar" -C /usr include 2>/dev/null
head -c $((64 << 20)) /dev/urandom > "$tmp/random-64MiB.bin"
files=(corpora/data/general/* "$tmp/usr-include.tar" "$tmp/random-64MiB.bin")

# cpu CMD... : runs CMD twice with stdout to a new $tmp/out, prints the smaller user + system CPU seconds.
# (Writing a file after another was deleted can cost a run 0.3 s of system time reclaiming pages: a
# single run charged that to whichever command came first.)
cpu() {
  local best=""
  for run in 1 2; do
    rm -f "$tmp/out"
    /usr/bin/time -f "%U %S" -o "$tmp/time" "$@" > "$tmp/out"
    best=$(awk -v b="$best" '{ t = $1 + $2; if (b == "" || t < b) b = t; printf "%.2f", b }' "$tmp/time")
  done
  echo "$best"
}

declare -A size time
total=0
rows=""
pairs=("flowzip:$fz -c -T 1" "zstd:zstd -c -T1" "gzip:gzip -c" "flowzip --best:$fz -c -T 1 --best" "zstd -19:zstd -c -T1 -19")
for f in "${files[@]}"; do
  n=$(stat -c %s "$f"); total=$((total + n))
  row="| $(basename "$f") | $n"
  for p in "${pairs[@]}"; do
    name=${p%%:*}; cmd=${p#*:}
    t=$(cpu $cmd "$f")
    s=$(stat -c %s "$tmp/out")
    mv "$tmp/out" "$tmp/z"
    case $name in
      flowzip*) dt=$(cpu "$fz" -dc -T 1 "$tmp/z") ;;
      zstd*) dt=$(cpu zstd -dc -T1 "$tmp/z") ;;
      gzip) dt=$(cpu gzip -dc "$tmp/z") ;;
    esac
    cmp -s "$f" "$tmp/out" || { echo "round trip failed: $name on $f" >&2; exit 1; }
    size[$name]=$(( ${size[$name]:-0} + s ))
    time[$name]=$(awk -v a="${time[$name]:-0}" -v b="$t" 'BEGIN { printf "%.2f", a + b }')
    time[$name-d]=$(awk -v a="${time[$name-d]:-0}" -v b="$dt" 'BEGIN { printf "%.2f", a + b }')
    row="$row | $s | $t / $dt"
  done
  rows="$rows$row |"$'\n'
done
totals="| **total** | $total"
for p in "${pairs[@]}"; do name=${p%%:*}; totals="$totals | **${size[$name]}** | **${time[$name]} / ${time[$name-d]}**"; done

{
  echo "# The command's defaults on ordinary files, beside zstd and gzip"
  echo
  echo "\`bench/cli-defaults.sh\` at commit $(git rev-parse --short HEAD), release build, $(date -u +%Y-%m-%d), on this"
  echo "2-core machine (shared with other work: CPU seconds are indicative, sizes exact). Bytes, then CPU"
  echo "seconds (user + system, the smaller of two runs) to compress / to decompress, one thread each (\`-T 1\`, \`-T1\`). gzip is level 6,"
  echo "its default. The general corpus comes from \`corpora/fetch.sh\`; \`usr-include.tar\` is a tar of this"
  echo "machine's /usr/include, \`random-64MiB.bin\` bytes from /dev/urandom."
  echo
  echo "| file | bytes | flowzip | CPU s | zstd | CPU s | gzip | CPU s | flowzip --best | CPU s | zstd -19 | CPU s |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  printf "%s" "$rows"
  echo "$totals |"
} > "$out"
cat "$out"
