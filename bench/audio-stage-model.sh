#!/usr/bin/env bash
# Issue 6, audio: the two candidate learned models for flowAudio, measured in float before any codec
# path: (a) a learned warm start of the adaptive filter (its ceiling: the filter already run once over
# the same channel), (b) a learned stage-2 value predictor (a tiny network on causal features that
# corrects the cascade's prediction). Dumps every encoder stage of corpora/data/audio (whole recordings,
# and clips of their first 4096 and 16384 frames: the short-file dev set) with a debug test build, then
# fits and evaluates in numpy (and a learned prior on the block predictors' fields). Writes bench/results/audio-stage-model-run*.md; about 20 minutes.
# usage: bench/audio-stage-model.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dumps=$(mktemp -d)
trap 'rm -rf "$dumps"' EXIT
swift build --build-tests
FLOWZIP_AUDIO_STAGES="$PWD/corpora/data/audio:$dumps/whole" swift test --skip-build --filter AudioStageDump
for n in 4096 16384; do
  FLOWZIP_AUDIO_STAGES="$PWD/corpora/data/audio:$dumps/clip$n:$n" swift test --skip-build --filter AudioStageDump
done
model="python3 bench/tools/audio_stage_model.py $dumps/whole corpora/MANIFEST --eval $dumps/clip4096 --eval $dumps/clip16384"
out=bench/results/audio-stage-model-run
$model --rich --hidden 64 --epochs 8 --lr 2e-3 --seed 1 > $out-h64-seed1.md
$model --rich --hidden 64 --epochs 8 --lr 2e-3 --seed 2 > $out-h64-seed2.md
$model --rich --hidden 16 --epochs 8 --lr 2e-3 --seed 1 > $out-h16-seed1.md
$model --rich --hidden 64 --epochs 8 --lr 2e-3 --seed 1 --fit-split test > $out-h64-ceiling.md
$model --hidden 0 --epochs 3 --lr 3e-3 --seed 1 > $out-linear.md
(cd bench/tools && python3 audio_coefficient_prior.py "$dumps/whole" ../../corpora/MANIFEST \
    --eval "$dumps/clip4096" --eval "$dumps/clip16384") > $out-coefficients.md
(cd bench/tools && for split in validation test; do
  python3 audio_adaptive_stage.py "$dumps/whole" ../../corpora/MANIFEST --mu 3e-5 --splits $split; done) > $out-adaptive.md
