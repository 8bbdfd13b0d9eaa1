#!/usr/bin/env bash
# Rebuilds corpora/sample/, the small redistributable sample committed with the project so unit
# tests never need the network. Needs corpora/data/ (run corpora/fetch.sh first) and netpbm + sox.
# Every input is public domain or CC0 (provenance: corpora/README.md); the cuts are deterministic.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$here/data
out=$here/sample
[ -f "$data/images/astronaut.ppm" ] || { echo "make-sample.sh: run corpora/fetch.sh first" >&2; exit 1; }
mkdir -p "$out"

# Two 128×128 crops of NASA's astronaut photo: the face in colour, a patch of the suit in grey; and the
# colour crop as PNG for the PNG path.
pnmcut -left 176 -top 48 -width 128 -height 128 "$data/images/astronaut.ppm" > "$out/astronaut-face.ppm"
pnmcut -left 0 -top 300 -width 128 -height 128 "$data/images/astronaut.ppm" | ppmtopgm > "$out/astronaut-suit.pgm"
pnmtopng -compression 9 "$out/astronaut-face.ppm" > "$out/astronaut-face.png"
# Half a second of a CC0 guitar recording (16-bit mono 44.1 kHz), and a stereo drum loop's first
# quarter second (16-bit stereo).
sox "$data/audio/guit_harmonics.wav" "$out/guit_harmonics-0.5s.wav" trim 0 0.5
sox "$data/audio/loop_amen.wav" "$out/loop_amen-0.25s.wav" trim 0 0.25
# Text and incompressible bytes.
cp "$data/general/alice29.txt" "$out/alice29.txt"
cp "$data/general/random_org_10k.bin" "$out/random_org_10k.bin"
ls -l "$out"
