#!/usr/bin/env bash
# What `--method auto` costs on pixels and samples: its size and CPU time beside the smallest of
# --method flow, --method zstd -19 and --method zlib run one by one (what auto did before the zstd probe,
# ChunkCoder.modelFirst). Sizes must be equal; CPU = user + sys of one run each.
# Usage: bench/auto-probe.sh FILE...   (release build of flowzip; writes a Markdown table to stdout)
set -euo pipefail
fz=$(cd "$(dirname "$0")/.." && pwd)/.build/release/flowzip
[ -x "$fz" ] || { echo "build first: swift build -c release --product flowzip" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cpu() { /usr/bin/time -f "%U %S" -o "$tmp/t" "$@" > "$tmp/out"; awk '{printf "%.2f", $1+$2}' "$tmp/t"; }
printf "| file | bytes | auto | auto CPU s | smallest of flow/zstd/zlib | their CPU s summed |\n|---|--:|--:|--:|--:|--:|\n"
for f in "$@"; do
  ta=$(cpu "$fz" -c "$f"); a=$(stat -c %s "$tmp/out")
  tf=$(cpu "$fz" -c --method flow "$f"); fl=$(stat -c %s "$tmp/out")
  tz=$(cpu "$fz" -c --method zstd -19 "$f"); zs=$(stat -c %s "$tmp/out")
  tl=$(cpu "$fz" -c --method zlib "$f"); zl=$(stat -c %s "$tmp/out")
  m=$(printf "%s\n%s\n%s\n" "$fl" "$zs" "$zl" | sort -n | head -1)
  echo "| $(basename "$f") | $(stat -c %s "$f") | $a | $ta | $m | $(echo "$tf $tz $tl" | awk '{printf "%.2f", $1+$2+$3}') |"
done
