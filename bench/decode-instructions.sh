#!/usr/bin/env bash
# Decode (and optionally encode) instruction counts of flowzip binaries on real streams, by callgrind.
#
#   bench/decode-instructions.sh [--encode] FLOWZIP_BINARY [MORE_BINARIES...]
#
# Inputs, rebuilt every run from corpora/data (fetch it with `corpora/fetch.sh`; needs netpbm's pamcut,
# which fetch.sh installs, python3 and valgrind):
#   raster      astronaut.ppm, whole (512x512 RGB): the encoder codes it in raster order (version 5)
#   interlaced  flower.ppm cropped to 512x512 at (878, 500): coded interlaced, hand-made prior (version 3)
#   learned     astronaut.ppm cropped to 256x256 at (0, 0): coded interlaced with the built-in learned prior
#   wav         loop_tabla.wav, whole (16-bit stereo 44.1 kHz, 10.7 s): flowAudio
# Each binary compresses each input with default options (one thread); the table shows the coding the
# first binary chose for the stream (read from the stream's flow header: version byte 1/3 interlaced,
# 4/5 raster, flag bit 3 learned prior), whether every binary wrote the same bytes, and the
# instructions of `flowzip -dc` (whole process, start-up included) under valgrind's callgrind; the
# decoded output is checked against the input. With --encode, the compression is counted too.
set -euo pipefail

encode=no
if [ "${1:-}" = --encode ]; then encode=yes; shift; fi
if [ $# -lt 1 ] || [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
  sed -n '2,16p' "$0"; exit 2
fi
binaries=()
for b in "$@"; do
  [ -x "$b" ] || { echo "decode-instructions.sh: $b is not an executable" >&2; exit 2; }
  binaries+=("$(cd "$(dirname "$b")" && pwd)/$(basename "$b")")
done

here=$(cd "$(dirname "$0")/.." && pwd)
data=$here/corpora/data
for f in images/astronaut.ppm images/flower.ppm audio/loop_tabla.wav; do
  [ -f "$data/$f" ] || { echo "decode-instructions.sh: missing corpora/data/$f (run corpora/fetch.sh)" >&2; exit 2; }
done
for t in pamcut valgrind python3; do
  command -v "$t" >/dev/null || { echo "decode-instructions.sh: needs $t" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$data/images/astronaut.ppm" "$work/raster.ppm"
pamcut -left 878 -top 500 -width 512 -height 512 "$data/images/flower.ppm" > "$work/interlaced.ppm"
pamcut -left 0 -top 0 -width 256 -height 256 "$data/images/astronaut.ppm" > "$work/learned.ppm"
cp "$data/audio/loop_tabla.wav" "$work/wav.wav"
streams=(raster:ppm interlaced:ppm learned:ppm wav:wav)

# coding FILE.fz: how the stream's flow chunks are coded (one word per single stream or strip).
coding() {
  python3 - "$1" "$here/bench/tools" <<'PY'
import struct, sys, zlib
sys.path.insert(0, sys.argv[2])
from fz_container import chunks, leb
def single(p):
    if p[0] == 16:  # packed header: inflate it back in front of the stack
        _, o = leb(p, 1); n, o = leb(p, o)
        p = zlib.decompress(bytes(p[o:o + n]), -15)
    kind = {1: 'interlaced', 3: 'interlaced', 4: 'raster', 5: 'raster'}.get(p[0], '?')
    return f"{kind}-v{p[0]}" + ('+learned' if p[3] & 8 else '')
out = []
for method, _, p in chunks(open(sys.argv[1], 'rb').read())[1]:
    if method == 4: out.append('flowAudio')
    elif method == 3 and p[0] == 2:
        n, o, strips = struct.unpack('<I', p[1:5])[0], 5, []
        for _ in range(n):
            length = struct.unpack('<I', p[o:o + 4])[0]; strips.append(single(p[o + 4:o + 4 + length])); o += 4 + length
        out.append('strips:' + ','.join(strips))
    elif method == 3: out.append(single(p))
print(' '.join(out) or 'no flow chunk')
PY
}

# instructions OUT CMD...: run CMD under callgrind with stdout to OUT; print the instruction count.
instructions() {
  local out=$1; shift
  valgrind --tool=callgrind --dump-instr=no --callgrind-out-file="$work/cg.out" "$@" > "$out" 2> "$work/vg.log"
  sed -n 's/^summary: *//p' "$work/cg.out"
}

printf '%-11s %-24s %-9s' stream coding same
for i in "${!binaries[@]}"; do printf ' %22s' "decode[$i]"; done
[ $encode = no ] || for i in "${!binaries[@]}"; do printf ' %22s' "encode[$i]"; done
echo
for s in "${streams[@]}"; do
  name=${s%%:*} ext=${s##*:}
  input=$work/$name.$ext
  dec=() enc=() same=yes first=
  for i in "${!binaries[@]}"; do
    b=${binaries[$i]}
    "$b" -c "$input" > "$work/$name.$i.fz"
    if [ -z "$first" ]; then first=$work/$name.$i.fz; elif ! cmp -s "$first" "$work/$name.$i.fz"; then same=NO; fi
    dec+=("$(instructions "$work/out" "$b" -dc "$work/$name.$i.fz")")
    cmp -s "$work/out" "$input" || { echo "decode-instructions.sh: $b did not restore $name" >&2; exit 1; }
    [ $encode = no ] || enc+=("$(instructions "$work/enc.fz" "$b" -c "$input")")
  done
  printf '%-11s %-24s %-9s' "$name" "$(coding "$first")" "$same"
  for i in "${!dec[@]}"; do
    if [ "$i" -eq 0 ]; then printf ' %22s' "${dec[0]}"
    else printf ' %22s' "${dec[$i]} ($(awk -v a="${dec[$i]}" -v b="${dec[0]}" 'BEGIN { printf "%+.1f%%", 100 * (a - b) / b }'))"; fi
  done
  for i in "${!enc[@]}"; do
    if [ "$i" -eq 0 ]; then printf ' %22s' "${enc[0]}"
    else printf ' %22s' "${enc[$i]} ($(awk -v a="${enc[$i]}" -v b="${enc[0]}" 'BEGIN { printf "%+.1f%%", 100 * (a - b) / b }'))"; fi
  done
  echo
done
echo "binaries:"
for i in "${!binaries[@]}"; do echo "  [$i] ${binaries[$i]}"; done
