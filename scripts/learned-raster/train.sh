#!/usr/bin/env bash
# Reproduces the built-in raster conditioner (payload version 6) from the image corpus:
#   1. corpora/fetch-images.sh: the train/validation/test splits (Debian packages, IMAGES-MANIFEST);
#   2. raster-samples: the codec's own integer features of a subsample of the train and validation
#      images (every 20th sub-pixel of photos, 60th of art, 80th of flat images; every 4th of validation);
#   3. train.py: maximum likelihood in PyTorch (CPU), seeded;
#   4. export.py: the integer network into Sources/Flows/Model/DefaultRasterNetworkData.swift and the
#      bit-exact reference vectors into Tests/FlowsTests/RasterNetworkReference.swift.
# Needs python3 with torch and numpy (training only: building and testing FlowZip never do).
#
#   scripts/learned-raster/train.sh [WORK_DIR]      (default /tmp/flowzip-raster-training; ~1.5 GB)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/tmp/flowzip-raster-training}
epochs=${EPOCHS:-8}
cd "$root"
bash corpora/fetch-images.sh
swift build -c release --product raster-samples
bin=.build/release/raster-samples
set=corpora/data/imageset
rm -rf "$work"
mkdir -p "$work/train" "$work/val"
"$bin" "$work/train" 20 "$set"/train/photo/* > "$work/train/photo.txt"
"$bin" "$work/train" 60 "$set"/train/art/* > "$work/train/art.txt"
"$bin" "$work/train" 80 "$set"/train/flat/* > "$work/train/flat.txt"
"$bin" "$work/val" 4 "$set"/validation/photo/* "$set"/validation/art/* > "$work/val/index.txt"
cd scripts/learned-raster
python3 train.py --train "$work/train" --val "$work/val" --hidden 64 --epochs "$epochs" --seed 0 --out "$work/model.pt"
python3 export.py --model "$work/model.pt" --val "$work/val" \
  --swift "$root/Sources/Flows/Model/DefaultRasterNetworkData.swift" \
  --reference "$root/Tests/FlowsTests/RasterNetworkReference.swift"
echo "Wrote the built-in raster network. Streams of payload version 6 made with the old one no longer decode:"
echo "a new network needs a new model byte in LearnedRasterSide (docs/DESIGN.md §5.8)."
