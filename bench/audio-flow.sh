#!/usr/bin/env bash
# Compares FlowZip's flowAudio against flac -8, wavpack -hh -x3, zstd -19 and xz -9 on every WAV of a
# folder (default corpora/data/audio), in one run. Needs a release build:
#   swift build -c release --product flowzip && bench/audio-flow.sh [DIR] > bench/results/audio-flow.md
# Prints a Markdown table of compressed/original sizes (smaller is better), FlowZip's encode speed
# (default --method auto, which also tries zstd -19 and zlib -9 on every chunk, and --method flow alone)
# and decode speed (MB/s of WAV, wall clock including process start, one thread) beside flac -8's encode
# and flac's decode speed timed the same way in the same run, and checks every FlowZip round trip byte
# for byte. The total row's speeds are total bytes over total seconds. FZ=path picks another flowzip
# binary (to compare two builds side by side).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$here/corpora/data/audio}
fz=${FZ:-$here/.build/release/flowzip}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }
echo "flowzip $(git -C "$here" rev-parse --short HEAD), $(date -u +%Y-%m-%d), $(nproc) cores, $(flac --version), $(wavpack --version 2>&1 | head -1), zstd $(zstd -V | grep -o 'v[0-9.]*'), $(xz -V | head -1)"
echo
echo "| recording | bytes | flowzip | flac -8 | wavpack -hh -x3 | zstd -19 | xz -9 | fz/flac | enc MB/s auto | enc MB/s flow | dec MB/s | flac -8 enc MB/s | flac dec MB/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
tot=0; tfz=0; tfl=0; twv=0; tzs=0; txz=0; wins=0; n=0
sauto=0; sflow=0; sdec=0; sflac=0; sflacd=0
mbs() { awk -v s="$1" -v t="$2" 'BEGIN { printf "%.1f", s / t / 1e6 }'; }
add() { awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { printf "%.6f", c + b - a }'; }
for f in "$dir"/*.wav; do
  name=$(basename "$f" .wav); size=$(stat -c %s "$f")
  t0=$(now); "$fz" compress -q -c "$f" > "$tmp/a.fz"; t1=$(now)
  "$fz" decompress -c "$tmp/a.fz" > "$tmp/a.wav"; t2=$(now)
  "$fz" compress -q -c --method flow "$f" > "$tmp/b.fz"; t3=$(now)
  cmp -s "$f" "$tmp/a.wav" || { echo "ROUND TRIP FAILED: $f" >&2; exit 1; }
  fzs=$(stat -c %s "$tmp/a.fz")
  t4=$(now); flac -8 -s -f "$f" -o "$tmp/a.flac"; t5=$(now); fls=$(stat -c %s "$tmp/a.flac")
  flac -d -s -f -c "$tmp/a.flac" > /dev/null; t6=$(now)
  wavpack -q -hh -x3 -y "$f" -o "$tmp/a.wv"; wvs=$(stat -c %s "$tmp/a.wv")
  zss=$(zstd -19 -q -c < "$f" | wc -c); xzs=$(xz -9 -c "$f" | wc -c)
  sauto=$(add $t0 $t1 $sauto); sdec=$(add $t1 $t2 $sdec); sflow=$(add $t2 $t3 $sflow)
  sflac=$(add $t4 $t5 $sflac); sflacd=$(add $t5 $t6 $sflacd)
  echo "| $name | $size | $(ratio $fzs $size) | $(ratio $fls $size) | $(ratio $wvs $size) | $(ratio $zss $size) | $(ratio $xzs $size) | $(ratio $fzs $fls) | $(mbs $size $(add $t0 $t1 0)) | $(mbs $size $(add $t2 $t3 0)) | $(mbs $size $(add $t1 $t2 0)) | $(mbs $size $(add $t4 $t5 0)) | $(mbs $size $(add $t5 $t6 0)) |"
  tot=$((tot + size)); tfz=$((tfz + fzs)); tfl=$((tfl + fls)); twv=$((twv + wvs)); tzs=$((tzs + zss)); txz=$((txz + xzs))
  n=$((n + 1)); [ "$fzs" -lt "$fls" ] && wins=$((wins + 1))
done
echo "| **total** | $tot | $(ratio $tfz $tot) | $(ratio $tfl $tot) | $(ratio $twv $tot) | $(ratio $tzs $tot) | $(ratio $txz $tot) | $(ratio $tfz $tfl) | $(mbs $tot $sauto) | $(mbs $tot $sflow) | $(mbs $tot $sdec) | $(mbs $tot $sflac) | $(mbs $tot $sflacd) |"
echo
echo "flowzip smaller than flac -8 on $wins of $n recordings; sizes include FlowZip's container (28-byte"
echo "header, 19 bytes per chunk record, 21-byte trailer) and the WAV header and trailing chunks kept verbatim."
