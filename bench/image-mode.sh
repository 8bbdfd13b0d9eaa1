#!/usr/bin/env bash
# `flowzip compress --image` (pixel mode) on PNG files beside JPEG XL and WebP lossless: bits per
# sub-pixel, whether the byte-exact `png` method could take the file, and a pixel-identity check of
# every decoded file against its original (ImageMagick `compare -metric AE`: 0 differing pixels).
# Writes bench/results/image-mode.md. Usage: bench/image-mode.sh [PNG...] (default corpora/data/png/*.png)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product flowzip >/dev/null
fz=$PWD/.build/release/flowzip
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(corpora/data/png/*.png)

# Sub-pixels of a PNG: width × height × channels of its colours (a palette counts 3, or 4 with tRNS).
subpixels() {
  python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
w, h, bd, ct = struct.unpack('>IIBB', d[16:26])
trns = b'tRNS' in d[:d.find(b'IDAT')]
print(w * h * {0: 1, 2: 3, 3: 4 if trns else 3, 4: 2, 6: 4}[ct], f"{w}×{h}", f"type {ct}, {bd}-bit" + (", tRNS" if trns else "") + (", Adam7" if d[28] else ""))
PY
}
bpsp() { awk "BEGIN{printf \"%.3f\", 8 * $1 / $2}"; }

rows=""
declare -A total=([fz]=0 [jxl]=0 [webp]=0 [png]=0 [n]=0)
for f in "${files[@]}"; do
  name=$(basename "$f")
  read -r n size kind < <(subpixels "$f")
  exact=$("$fz" -c "$f" | "$fz" info - | awk '$1 ~ /^[0-9]+$/ && $2 != "->" {print $2}' | head -1)
  "$fz" compress --image -c "$f" > "$tmp/a.fz"
  "$fz" -d -c "$tmp/a.fz" > "$tmp/a.png"
  same=$(compare -metric AE "$f" "$tmp/a.png" null: 2>&1 || true)
  [ "$same" = 0 ] || { echo "$name: pixels differ ($same)"; exit 1; }
  cjxl "$f" "$tmp/a.jxl" -d 0 -e 7 --quiet 2>/dev/null
  cwebp -quiet -lossless -z 9 -exact -metadata none "$f" -o "$tmp/a.webp"
  a=$(stat -c %s "$tmp/a.fz"); j=$(stat -c %s "$tmp/a.jxl"); w=$(stat -c %s "$tmp/a.webp"); p=$(stat -c %s "$f")
  webp=$(bpsp $w $n)
  if [[ $kind == *16-bit* ]]; then
    webp="n/a (8-bit only)"  # cwebp keeps 8 bits of a 16-bit PNG: not lossless
  else
    for k in fz:$a jxl:$j webp:$w png:$p n:$n; do total[${k%%:*}]=$(( total[${k%%:*}] + ${k#*:} )); done
  fi
  rows+="| $name | $size, $kind | $exact | **$(bpsp $a $n)** | $(bpsp $j $n) | $webp | $(bpsp $p $n) |
"
done
rows+="| **total of the 8-bit files** | $(( total[n] )) sub-pixels | | **$(bpsp ${total[fz]} ${total[n]})** | $(bpsp ${total[jxl]} ${total[n]}) | $(bpsp ${total[webp]} ${total[n]}) | $(bpsp ${total[png]} ${total[n]}) |
"
report="| file | image | byte-exact mode's method | FlowZip \`--image\` | JPEG XL \`-d 0 -e 7\` | WebP \`-lossless -z 9 -exact\` | the PNG file |
|---|---|---|--:|--:|--:|--:|
$rows"
mkdir -p bench/results
{
  printf '# Pixel mode (`--image`) on PNG files\n\nMeasured %s with `bench/image-mode.sh %s`. Bits per sub-pixel (a palette\n' "$(date -u +%Y-%m-%d)" "$*"
  printf 'image counts 3 sub-pixels per pixel, 4 with tRNS); whole files, FlowZip with its default options and\n'
  printf 'built-in model. Every file decoded from `--image` had the same pixels as the original (ImageMagick\n'
  printf '`compare -metric AE` = 0). "byte-exact mode'"'"'s method" is what `flowzip FILE` used for the first chunk:\n'
  printf '`png` where it can rebuild the file byte for byte, else a generic method.\n\n%s' "$report"
} > "${OUT:-bench/results/image-mode.md}"
cat "${OUT:-bench/results/image-mode.md}"
