#!/usr/bin/env bash
# Compares FlowZip's flowAudio against flac -8, wavpack -hh -x3, zstd -19 and xz -9 on every WAV of a
# folder (default corpora/data/audio), in one run. Needs a release build:
#   swift build -c release --product flowzip && bench/audio-flow.sh [DIR] > bench/results/audio-flow.md
# Prints a Markdown table of compressed/original sizes (smaller is better), FlowZip's encode speed
# (default --method auto, which also tries zstd -19 and zlib -9 on every chunk, and --method flow alone)
# and decode speed (MB/s of WAV, wall clock including process start, one thread), and checks every
# FlowZip round trip byte for byte.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$here/corpora/data/audio}
fz=$here/.build/release/flowzip
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }
echo "flowzip $(git -C "$here" rev-parse --short HEAD), $(date -u +%Y-%m-%d), $(nproc) cores, $(flac --version), $(wavpack --version 2>&1 | head -1), zstd $(zstd -V | grep -o 'v[0-9.]*'), $(xz -V | head -1)"
echo
echo "| recording | bytes | flowzip | flac -8 | wavpack -hh -x3 | zstd -19 | xz -9 | fz/flac | enc MB/s auto | enc MB/s flow | dec MB/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
tot=0; tfz=0; tfl=0; twv=0; tzs=0; txz=0; wins=0; n=0
for f in "$dir"/*.wav; do
  name=$(basename "$f" .wav); size=$(stat -c %s "$f")
  t0=$(now); "$fz" compress -q -c "$f" > "$tmp/a.fz"; t1=$(now)
  "$fz" decompress -c "$tmp/a.fz" > "$tmp/a.wav"; t2=$(now)
  "$fz" compress -q -c --method flow "$f" > "$tmp/b.fz"; t3=$(now)
  cmp -s "$f" "$tmp/a.wav" || { echo "ROUND TRIP FAILED: $f" >&2; exit 1; }
  fzs=$(stat -c %s "$tmp/a.fz")
  flac -8 -s -f "$f" -o "$tmp/a.flac"; fls=$(stat -c %s "$tmp/a.flac")
  wavpack -q -hh -x3 -y "$f" -o "$tmp/a.wv"; wvs=$(stat -c %s "$tmp/a.wv")
  zss=$(zstd -19 -q -c "$f" | wc -c); xzs=$(xz -9 -c "$f" | wc -c)
  enc=$(awk -v s="$size" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", s / (b - a) / 1e6 }')
  dec=$(awk -v s="$size" -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", s / (b - a) / 1e6 }')
  encflow=$(awk -v s="$size" -v a="$t2" -v b="$t3" 'BEGIN { printf "%.1f", s / (b - a) / 1e6 }')
  echo "| $name | $size | $(ratio $fzs $size) | $(ratio $fls $size) | $(ratio $wvs $size) | $(ratio $zss $size) | $(ratio $xzs $size) | $(ratio $fzs $fls) | $enc | $encflow | $dec |"
  tot=$((tot + size)); tfz=$((tfz + fzs)); tfl=$((tfl + fls)); twv=$((twv + wvs)); tzs=$((tzs + zss)); txz=$((txz + xzs))
  n=$((n + 1)); [ "$fzs" -lt "$fls" ] && wins=$((wins + 1))
done
echo "| **total** | $tot | $(ratio $tfz $tot) | $(ratio $tfl $tot) | $(ratio $twv $tot) | $(ratio $tzs $tot) | $(ratio $txz $tot) | $(ratio $tfz $tfl) | | | |"
echo
echo "flowzip smaller than flac -8 on $wins of $n recordings; sizes include FlowZip's container (28-byte"
echo "header, 19 bytes per chunk record, 21-byte trailer) and the WAV header and trailing chunks kept verbatim."
