#!/usr/bin/env bash
# Bits per sub-pixel of the flow codec beside PNG (optipng -o2), WebP (cwebp -lossless -z 9) and
# JPEG XL (cjxl -d 0 -e 7), measured in the same run on every .ppm/.pgm in DIR, plus the flow
# codec's encode/decode speed (release build, thread CPU time).
#
#   scripts/flow-measure/measure.sh DIR
#
# Photos: corpora/fetch.sh writes them to corpora/data/images (from libjxl-testdata and the
# scikit-image wheel, converted to PPM/PGM).
set -euo pipefail
dir=$(cd "${1:?usage: measure.sh DIR}" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "== peers"
for f in "$dir"/*.ppm "$dir"/*.pgm; do
  [ -e "$f" ] || continue
  n=$(basename "$f")
  read -r magic w h < <(head -c 64 "$f" | tr -s ' \n' ' ' | cut -d' ' -f1-3)
  c=$([ "$magic" = P6 ] && echo 3 || echo 1)
  optipng -quiet -o2 -strip all -clobber -out "$out/$n.png" "$f"
  cwebp -quiet -lossless -z 9 -metadata none "$f" -o "$out/$n.webp"
  cjxl "$f" "$out/$n.jxl" -d 0 -e 7 >/dev/null 2>&1
  awk -v n="$n" -v s=$((w * h * c)) -v p=$(stat -c%s "$out/$n.png") -v wb=$(stat -c%s "$out/$n.webp") \
      -v j=$(stat -c%s "$out/$n.jxl") \
      'BEGIN { printf "peers %s png %.4f webp %.4f jxl %.4f\n", n, p*8/s, wb*8/s, j*8/s }'
done

echo "== flow (release)"
FLOWZIP_PHOTOS="$dir" swift test -c release -Xswiftc -enable-testing --filter PhotoMeasurement 2>&1 \
  | grep -E "flow-measure|✘|error" | sed 's/^.*flow-measure/flow/'
