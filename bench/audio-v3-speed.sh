#!/usr/bin/env bash
# Decoding CPU of flowAudio against flac -8's encoding CPU on the largest WAV the corpus makes (the 20
# stereo 44.1 kHz recordings joined by sox, 21.6 MB), for two flowzip builds side by side, e.g. the
# previous payload version and this one:
#   OLD=/tmp/flowzip-v2 bench/audio-v3-speed.sh [RUNS] > /tmp/speed.txt
# Prints CPU seconds (user + sys, /usr/bin/time) of RUNS interleaved rounds (default 7) as min / median:
# decode of each build's own `--method flow` stream, `flac -8` encode and `flac -d`; then 3 rounds of
# `--method flow` encode; sizes; the CPU of decoding every corpus recording, one process each, against
# `flac -8` encoding them (3 interleaved rounds); and whole-process instructions of each decode of
# loop_tabla (valgrind --tool=callgrind). Run it under `setsid bench/tools/raised.sh` on a shared machine.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
new=${NEW:-$here/.build/release/flowzip}
old=${OLD:?set OLD to the other flowzip binary}
runs=${1:-7}
audio=$here/corpora/data/audio
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
stereo=$(for f in "$audio"/*.wav; do [ "$(soxi -c "$f")" = 2 ] && echo "$f"; done)
sox $stereo "$tmp/joined.wav"
cpu() { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{ printf "%.2f", $1 + $2 }'; }
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f / %.2f", v[1], v[int((NR + 1) / 2)] }'; }
"$old" compress -q -c --method flow "$tmp/joined.wav" > "$tmp/old.fz"
"$new" compress -q -c --method flow "$tmp/joined.wav" > "$tmp/new.fz"
flac -8 -s -f "$tmp/joined.wav" -o "$tmp/j.flac"
"$new" decompress -c "$tmp/new.fz" | cmp - "$tmp/joined.wav"
"$new" decompress -c "$tmp/old.fz" | cmp - "$tmp/joined.wav"
: > "$tmp/dold"; : > "$tmp/dnew"; : > "$tmp/flac"; : > "$tmp/flacd"
for _ in $(seq "$runs"); do
  cpu "$old" decompress -c "$tmp/old.fz" >> "$tmp/dold"; echo >> "$tmp/dold"
  cpu "$new" decompress -c "$tmp/new.fz" >> "$tmp/dnew"; echo >> "$tmp/dnew"
  cpu flac -8 -s -f "$tmp/joined.wav" -o "$tmp/k.flac" >> "$tmp/flac"; echo >> "$tmp/flac"
  cpu flac -d -s -f -c "$tmp/j.flac" >> "$tmp/flacd"; echo >> "$tmp/flacd"
done
: > "$tmp/eold"; : > "$tmp/enew"
for _ in 1 2 3; do
  cpu "$old" compress -q -c --method flow "$tmp/joined.wav" >> "$tmp/eold"; echo >> "$tmp/eold"
  cpu "$new" compress -q -c --method flow "$tmp/joined.wav" >> "$tmp/enew"; echo >> "$tmp/enew"
done
echo "joined WAV: $(stat -c %s "$tmp/joined.wav") bytes; CPU seconds min / median of $runs rounds (encode: 3)"
echo "| | old: $old | new: $new | flac |"
echo "|---|---:|---:|---:|"
echo "| decode | $(stats < "$tmp/dold") | $(stats < "$tmp/dnew") | \`flac -d\` $(stats < "$tmp/flacd") |"
echo "| encode (\`--method flow\`; flac -8) | $(stats < "$tmp/eold") | $(stats < "$tmp/enew") | $(stats < "$tmp/flac") |"
echo "| size | $(stat -c %s "$tmp/old.fz") | $(stat -c %s "$tmp/new.fz") | $(stat -c %s "$tmp/j.flac") |"
# Every recording, one process each: summed CPU per round.
n=0
for f in "$audio"/*.wav; do
  n=$((n + 1))
  "$old" compress -q -c --method flow "$f" > "$tmp/o$n.fz"
  "$new" compress -q -c --method flow "$f" > "$tmp/n$n.fz"
done
# One shell per round and tool, so that the children's CPU is summed exactly (not 33 rounded times).
: > "$tmp/sold"; : > "$tmp/snew"; : > "$tmp/sflac"
export tmp audio
for _ in 1 2 3; do
  cpu bash -c 'for k in $(seq '"$n"'); do "$0" decompress -c "$tmp/o$k.fz" > /dev/null; done' "$old" >> "$tmp/sold"; echo >> "$tmp/sold"
  cpu bash -c 'for k in $(seq '"$n"'); do "$0" decompress -c "$tmp/n$k.fz" > /dev/null; done' "$new" >> "$tmp/snew"; echo >> "$tmp/snew"
  cpu bash -c 'for f in "$audio"/*.wav; do flac -8 -s -f "$f" -o "$tmp/k.flac"; done' >> "$tmp/sflac"; echo >> "$tmp/sflac"
done
echo "| $n recordings, one process each: decode (flac -8: encode), 3 rounds | $(stats < "$tmp/sold") | $(stats < "$tmp/snew") | $(stats < "$tmp/sflac") |"
"$old" compress -q -c --method flow "$audio/loop_tabla.wav" > "$tmp/t-old.fz"
"$new" compress -q -c --method flow "$audio/loop_tabla.wav" > "$tmp/t-new.fz"
for b in old new; do
  bin=$([ $b = old ] && echo "$old" || echo "$new")
  n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" decompress -c "$tmp/t-$b.fz" 2>&1 >/dev/null | awk '/refs:/ { gsub(",", "", $NF); print $NF }')
  echo "loop_tabla decode instructions, $b: $n"
done
