#!/usr/bin/env bash
# Compares FlowZip on 32-bit float WAVs against wavpack -hh -x3 and zstd -19. The float files are made
# from 16-bit PCM WAVs by bench/tools/float_wavs.py (three per recording: exact conversion, a float gain
# of 0.7, a float EQ; see that file). Needs a release build, numpy and wavpack:
#   swift build -c release --product flowzip && bench/float-audio.sh IN.wav... > bench/results/float-audio.md
# Prints a Markdown table of compressed sizes in bytes and flowzip's over wavpack's, and checks every
# FlowZip and WavPack round trip byte for byte. FZ=path picks another flowzip binary.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
fz=${FZ:-$here/.build/release/flowzip}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 "$here/bench/tools/float_wavs.py" "$tmp/in" "$@"
echo "flowzip $(git -C "$here" rev-parse --short HEAD), $(date -u +%Y-%m-%d), $(wavpack --version 2>&1 | head -1), zstd $(zstd -V | grep -o 'v[0-9.]*')"
echo
echo "| file | bytes | flowzip | wavpack -hh -x3 | zstd -19 | flowzip / wavpack | flowzip enc s | flowzip dec s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
now() { date +%s.%N; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }
declare -A tot
for kind in exact gain eq; do
  for k in raw fz wv zs; do tot[$kind.$k]=0; done
  for f in "$tmp"/in/*-$kind.wav; do
    name=$(basename "$f" .wav); size=$(stat -c %s "$f")
    t0=$(now); "$fz" compress -q -c "$f" > "$tmp/a.fz"; t1=$(now)
    "$fz" decompress -c "$tmp/a.fz" > "$tmp/a.wav"; t2=$(now)
    cmp -s "$f" "$tmp/a.wav" || { echo "FLOWZIP ROUND TRIP FAILED: $name" >&2; exit 1; }
    wavpack -q -hh -x3 -y "$f" -o "$tmp/a.wv"
    wvunpack -q -y "$tmp/a.wv" -o "$tmp/b.wav"
    cmp -s "$f" "$tmp/b.wav" || { echo "WAVPACK ROUND TRIP FAILED: $name" >&2; exit 1; }
    fzs=$(stat -c %s "$tmp/a.fz"); wvs=$(stat -c %s "$tmp/a.wv"); zss=$(zstd -19 -q -c < "$f" | wc -c)
    echo "| $name | $size | $fzs | $wvs | $zss | $(ratio $fzs $wvs) | $(sub $t0 $t1) | $(sub $t1 $t2) |"
    tot[$kind.raw]=$((tot[$kind.raw] + size)); tot[$kind.fz]=$((tot[$kind.fz] + fzs))
    tot[$kind.wv]=$((tot[$kind.wv] + wvs)); tot[$kind.zs]=$((tot[$kind.zs] + zss))
  done
done
all_raw=0; all_fz=0; all_wv=0; all_zs=0
for kind in exact gain eq; do
  echo "| **total $kind** | ${tot[$kind.raw]} | ${tot[$kind.fz]} | ${tot[$kind.wv]} | ${tot[$kind.zs]} | $(ratio ${tot[$kind.fz]} ${tot[$kind.wv]}) | | |"
  all_raw=$((all_raw + tot[$kind.raw])); all_fz=$((all_fz + tot[$kind.fz]))
  all_wv=$((all_wv + tot[$kind.wv])); all_zs=$((all_zs + tot[$kind.zs]))
done
echo "| **total** | $all_raw | $all_fz | $all_wv | $all_zs | $(ratio $all_fz $all_wv) | | |"
