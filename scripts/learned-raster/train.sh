#!/usr/bin/env bash
# Reproduces a built-in raster conditioner (payload version 6) from the image corpus:
#   1. corpora/fetch-images.sh: the train/validation/test splits (Debian packages, IMAGES-MANIFEST);
#   2. raster-samples: the codec's own integer features of a subsample of the train and validation
#      images (every 20th sub-pixel of photos (Krank's 40th), 60th of art, 80th of flat images; every 4th
#      of validation);
#   3. train.py: maximum likelihood in PyTorch (CPU), seeded: model 4 (the default here; the encoder's
#      slower levels) is a mixture of two logistics over 34 features; model 5 (the encoder's default
#      levels) one logistic over the same 34; model 2 (which models 2 and 3 name) a mixture of two
#      over the first 24; model 1 (the first version 6 streams) one logistic over 24;
#   4. export.py: the integer network into Sources/Flows/Model/RasterNetworkModelN.swift and the
#      bit-exact reference vectors into Tests/FlowsTests/RasterNetworkReferenceN.swift.
# Needs python3 with torch and numpy (training only: building and testing FlowZip never do).
#
#   scripts/learned-raster/train.sh [WORK_DIR]      (default /tmp/flowzip-raster-training; ~1.5 GB)
#   MODEL=5 scripts/learned-raster/train.sh          (or 1, 2; 1 and 2 take minutes)
# Models 1 and 2 were trained before the corpus's second batch of training photos (the 35 plasma-,
# mate- and lomiri16- photos only), so today's corpus gives networks close to theirs, not the same.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/tmp/flowzip-raster-training}
epochs=${EPOCHS:-8}
model=${MODEL:-4}
# The thread count changes the float sums' order, so each model's default is the count it was trained
# with: 2 for models 1, 2 and 4, 1 for model 5 (beside other work, PyTorch's idle threads spin).
case $model in 1) components=1 inputs=24 trained=2 ;; 2) components=2 inputs=24 trained=2 ;;
  4) components=2 inputs=34 trained=2 ;; 5) components=1 inputs=34 trained=1 ;;
  *) echo "train.sh: MODEL is 1, 2, 4 or 5" >&2; exit 2 ;; esac
threads=${THREADS:-$trained}
cd "$root"
bash corpora/fetch-images.sh
swift build -c release --product raster-samples
bin=.build/release/raster-samples
set=corpora/data/imageset
rm -rf "$work"
mkdir -p "$work/train" "$work/val"
# Krank's 40 underwater photos are half of the area the corpus's second batch of photos added: every
# 40th of their sub-pixels keeps them from dominating the photos.
"$bin" "$work/train" 20 $(ls "$set"/train/photo/* | grep -v '/krank-') > "$work/train/photo.txt"
"$bin" "$work/train" 40 "$set"/train/photo/krank-* >> "$work/train/photo.txt"
"$bin" "$work/train" 60 "$set"/train/art/* > "$work/train/art.txt"
"$bin" "$work/train" 80 "$set"/train/flat/* > "$work/train/flat.txt"
"$bin" "$work/val" 4 "$set"/validation/photo/* "$set"/validation/art/* > "$work/val/index.txt"
cd scripts/learned-raster
python3 train.py --train "$work/train" --val "$work/val" --hidden 64 --k "$components" --inputs "$inputs" --epochs "$epochs" --seed 0 \
  --threads "$threads" --out "$work/model.pt"
python3 export.py --model "$work/model.pt" --val "$work/val" --number "$model" \
  --swift "$root/Sources/Flows/Model/RasterNetworkModel$model.swift" \
  --reference "$root/Tests/FlowsTests/RasterNetworkReference$model.swift"
echo "Wrote raster network model $model. Streams that name it decode only if its integers did not change:"
echo "a different network needs a new model byte (RasterNetwork.model, docs/DESIGN.md §5.8)."
