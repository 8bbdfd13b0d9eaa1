#!/usr/bin/env bash
# Sizes and CPU of the learned raster coding's test sets at the default level and at -20, one thread,
# every stream decoded and compared (bench/results/learned-raster-model5.md):
#   bench/learned-raster-levels.sh BIN OUT [LEVELS]     (LEVELS: "default 20" or "default")
# One line per file and level: path, level, compressed bytes, encode and decode user seconds.
# The files: the test split's photo2, photo and sci16 sets, every 4th flat and every 3rd tiled image.
set -euo pipefail
bin=$(realpath "$1"); out=$(realpath -m "$2"); levels=${3:-"default 20"}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
: > "$out"
set=corpora/data/imageset/test
for f in "$set"/photo2/* "$set"/photo/* "$set"/sci16/* $(ls "$set"/flat/* | awk 'NR%4==1') $(ls "$set"/tiled/* | awk 'NR%3==1'); do
  for level in $levels; do
    option=(); [ "$level" = default ] || option=("-$level")
    /usr/bin/time -f %U -o "$tmp/encode" "$bin" -c -T 1 "${option[@]}" "$f" > "$tmp/stream.fz"
    /usr/bin/time -f %U -o "$tmp/decode" "$bin" -dc -T 1 "$tmp/stream.fz" | cmp - "$f"
    echo "$f $level $(stat -c %s "$tmp/stream.fz") $(cat "$tmp/encode") $(cat "$tmp/decode")" >> "$out"
  done
done
