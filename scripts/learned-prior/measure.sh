#!/usr/bin/env bash
# Bits per sub-pixel and speed of the flow method with and without the learned prior, per file and
# in total, through the release CLI (one thread; wall-clock time, so other load on the machine
# shows up). Usage: scripts/learned-prior/measure.sh [--model FILE] IMAGE.ppm|pgm...
set -euo pipefail
flowzip=${FLOWZIP:-.build/release/flowzip}
model=()
if [[ ${1:-} == --model ]]; then model=(--model "$2"); shift 2; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
printf '%-28s %10s %10s %8s %8s %8s %8s\n' file hand-made learned "enc s" "enc s" "dec s" "dec s"
tp=0; tl=0; ts=0; tep=0; tel=0; tdp=0; tdl=0
for f in "$@"; do
    # sub-pixels: width × height × channels from the PNM header
    read -r magic w h < <(head -c 64 "$f" | tr -s ' \n' ' ' | cut -d' ' -f1-3)
    ch=$([[ $magic == P6 ]] && echo 3 || echo 1)
    s=$((w * h * ch))
    t0=$(now); "$flowzip" -T1 --method flow --no-model -c "$f" > "$tmp/p.fz"; t1=$(now)
    "$flowzip" -T1 --method flow "${model[@]}" -c "$f" > "$tmp/l.fz"; t2=$(now)
    "$flowzip" -d -T1 -c "$tmp/p.fz" | cmp - "$f"; t3=$(now)
    "$flowzip" -d -T1 "${model[@]}" -c "$tmp/l.fz" | cmp - "$f"; t4=$(now)
    p=$(stat -c %s "$tmp/p.fz"); l=$(stat -c %s "$tmp/l.fz")
    printf '%-28s %10.4f %10.4f %8.2f %8.2f %8.2f %8.2f\n' "$(basename "$f")" \
        "$(echo "8*$p/$s" | bc -l)" "$(echo "8*$l/$s" | bc -l)" \
        "$(echo "$t1-$t0" | bc)" "$(echo "$t2-$t1" | bc)" "$(echo "$t3-$t2" | bc)" "$(echo "$t4-$t3" | bc)"
    tp=$((tp + p)); tl=$((tl + l)); ts=$((ts + s))
    tep=$(echo "$tep+$t1-$t0" | bc); tel=$(echo "$tel+$t2-$t1" | bc)
    tdp=$(echo "$tdp+$t3-$t2" | bc); tdl=$(echo "$tdl+$t4-$t3" | bc)
done
printf '%-28s %10.4f %10.4f %8.2f %8.2f %8.2f %8.2f\n' TOTAL "$(echo "8*$tp/$ts" | bc -l)" "$(echo "8*$tl/$ts" | bc -l)" "$tep" "$tel" "$tdp" "$tdl"
echo "columns: bits/sub-pixel (hand-made prior, learned prior), encode seconds (hand-made, learned: codes three ways and keeps the smallest), decode seconds (hand-made, learned)"
