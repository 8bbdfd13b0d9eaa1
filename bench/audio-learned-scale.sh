#!/usr/bin/env bash
# Issue 6, audio: does a learned prior scale (tiny MLP on causal features) beat flowAudio's hand-made
# ScaleContext? Dumps the current encoder's latents for corpora/data/audio (debug test build), then
# fits and evaluates the MLP in float (numpy, scipy). Writes bench/results/audio-learned-scale-run.md.
# usage: bench/audio-learned-scale.sh [extra audio_scale_model.py options, e.g. --fit-split test]
set -euo pipefail
cd "$(dirname "$0")/.."
latents=$(mktemp -d)
trap 'rm -rf "$latents"' EXIT
FLOWZIP_AUDIO_LATENTS="$PWD/corpora/data/audio:$latents" swift test --filter AudioLatentDump
python3 bench/tools/audio_scale_model.py "$latents" corpora/MANIFEST --epochs 10 --hidden 32 --lr 1e-3 \
    --fz-table bench/results/audio-flow.md --out bench/results/audio-learned-scale-run.md "$@"
