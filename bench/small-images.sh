#!/usr/bin/env bash
# Per-file overhead of FlowZip on small images beside PNG, WebP and JPEG XL: 16×16, 32×32 and 64×64
# crops of the test split's photos (4 per photo, byte-exact mode on the PNM crop) and the Adwaita
# icon theme's "legacy" icons at those sizes (held-out RGBA PNGs, pixel mode: `--image`). Mean bytes
# per file, and where FlowZip's bytes go (bench/tools/fz_breakdown.py: container records, other chunks,
# the flow's side information, the rANS words). Every FlowZip file is checked to round-trip.
# Writes bench/results/small-images.md (or $OUT). Usage: bench/small-images.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product flowzip >/dev/null
fz=$PWD/.build/release/flowzip
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
icons=/usr/share/icons/Adwaita
mean() { awk "BEGIN{printf \"%.0f\", $1 / $2}"; }

rows=""
for s in 16 32 64; do
  mkdir -p "$tmp/$s"
  # Crops at 1/5 ... 4/5 along the diagonal of each test photo.
  for f in astronaut.ppm camera.pgm coffee.ppm flower.ppm u76c0g_bliznaca.ppm; do
    src=corpora/data/images/$f
    read -r w h < <(head -c 40 "$src" | sed -n 2p)
    for k in 1 2 3 4; do
      convert "$src" -crop "${s}x${s}+$(( (w - s) * k / 5 ))+$(( (h - s) * k / 5 ))" +repage "$tmp/$s/${f%.*}-$k.${f##*.}"
    done
  done
  for set in crops icons; do
    if [ $set = crops ]; then inputs=("$tmp/$s"/*.p?m); mode=""; label="photo crops"
    else inputs=($(ls "$icons/${s}x${s}/legacy/"*.png | sort)); mode="--image"; label="Adwaita icons (RGBA)"; fi
    n=0; sfz=0; spng=0; swebp=0; sjxl=0; scont=0; sother=0; sside=0; srans=0
    for f in "${inputs[@]}"; do
      "$fz" $mode -c "$f" > "$tmp/a.fz"
      "$fz" -d -c "$tmp/a.fz" > "$tmp/back"
      if [ -z "$mode" ]; then cmp -s "$tmp/back" "$f"; else [ "$(compare -metric AE "$f" "png:$tmp/back" null: 2>&1)" = 0 ]; fi
      read -r cont other side rans < <(python3 bench/tools/fz_breakdown.py "$tmp/a.fz")
      optipng -quiet -o2 -strip all -out "$tmp/a.png" "$f" >/dev/null 2>&1 || cp "$f" "$tmp/a.png"
      cwebp -quiet -lossless -z 9 -exact -metadata none "$f" -o "$tmp/a.webp"
      cjxl "$f" "$tmp/a.jxl" -d 0 -e 7 --quiet 2>/dev/null
      n=$((n + 1)); sfz=$((sfz + $(stat -c %s "$tmp/a.fz"))); spng=$((spng + $(stat -c %s "$tmp/a.png")))
      swebp=$((swebp + $(stat -c %s "$tmp/a.webp"))); sjxl=$((sjxl + $(stat -c %s "$tmp/a.jxl")))
      scont=$((scont + cont)); sother=$((sother + other)); sside=$((sside + side)); srans=$((srans + rans))
    done
    rows+="| ${s}×${s} $label ($n) | **$(mean $sfz $n)** | $(mean $scont $n) | $(mean $sother $n) | $(mean $sside $n) | $(mean $srans $n) | $(mean $spng $n) | $(mean $swebp $n) | $(mean $sjxl $n) |
"
  done
done
report="| files | FlowZip | its container (header, trailer, records) | its other chunks (PNM header, pixel descriptor) | its flow side information | its rANS words | PNG (optipng -o2) | WebP lossless | JPEG XL e7 |
|---|--:|--:|--:|--:|--:|--:|--:|--:|
$rows"
mkdir -p bench/results
{
  printf '# Small images: bytes per file\n\nMeasured %s with `bench/small-images.sh` (FlowZip %s). Mean bytes per file; every FlowZip\n' \
    "$(date -u +%Y-%m-%d)" "$(git rev-parse --short HEAD)"
  printf 'file round-tripped (crops byte for byte, icons pixel for pixel). Peers: `optipng -o2 -strip all`,\n'
  printf '`cwebp -lossless -z 9 -exact -metadata none`, `cjxl -d 0 -e 7`.\n\n%s' "$report"
} > "${OUT:-bench/results/small-images.md}"
cat "${OUT:-bench/results/small-images.md}"
