#!/bin/bash
# Encode CPU (user seconds, one thread) of flowzip beside cjxl -d 0 -e 9, and optionally an older flowzip,
# on the files given; every flowzip stream is decoded back and compared. Prints a markdown table.
#   bench/encode-cpu.sh NEW_FLOWZIP [--old OLD_FLOWZIP] FILE...
set -euo pipefail
new=$1; shift
old=""
if [ "${1:-}" = "--old" ]; then old=$2; shift 2; fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cpu() { /usr/bin/time -f %U -o "$tmp/t" "$@" > "$tmp/out" && cat "$tmp/t"; }
echo "| file | MB | flowzip s | flowzip bytes |${old:+ old s | old bytes |} cjxl -e 9 s | cjxl bytes |"
echo "|---|--:|--:|--:|${old:+--:|--:|}--:|--:|"
tn=0; to=0; tc=0; bn=0; bo=0; bc=0
for f in "$@"; do
  mb=$(awk -v s="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", s / 1e6 }')
  sn=$(cpu "$new" -c -T 1 "$f"); zn=$(stat -c %s "$tmp/out"); "$new" -dc -T 1 "$tmp/out" | cmp - "$f"
  row="| $(basename "$f") | $mb | $sn | $zn |"
  if [ -n "$old" ]; then so=$(cpu "$old" -c -T 1 "$f"); zo=$(stat -c %s "$tmp/out"); row="$row $so | $zo |"; to=$(echo "$to + $so" | bc); bo=$((bo + zo)); fi
  cp "$f" "$tmp/in.ppm"
  sc=$( /usr/bin/time -f %U -o "$tmp/t" cjxl -d 0 -e 9 "$tmp/in.ppm" "$tmp/out.jxl" > /dev/null 2>&1 && cat "$tmp/t" ); zc=$(stat -c %s "$tmp/out.jxl")
  echo "$row $sc | $zc |"
  tn=$(echo "$tn + $sn" | bc); tc=$(echo "$tc + $sc" | bc); bn=$((bn + zn)); bc=$((bc + zc))
done
echo "| **total** | | **$tn** | **$bn** |${old:+ **$to** | **$bo** |} **$tc** | **$bc** |"
