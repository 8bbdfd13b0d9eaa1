#!/usr/bin/env bash
# Start-up cost of one flowzip process (issue 7): what every run pays before it does any work.
# For each binary given (default .build/release/flowzip), on a 6-byte file and its 74-byte stream:
#   instructions of the whole process (valgrind --tool=callgrind; the same from run to run) for
#   `--version`, `-dc tiny.fz` and `-c tiny`, and CPU and wall milliseconds per process of `-dc tiny.fz`
#   (perf stat, N runs, default 50), beside `flac -d` on a FLAC file of the same 6 bytes (as 3 samples).
#   bench/startup.sh [BINARY...]        N=100 bench/startup.sh old/flowzip .build/release/flowzip
# With WAVS=DIR, also the many-small-files comparison: every WAV in DIR compressed once (first binary),
# then, ROUNDS times (default 3) interleaved, each binary decoding every .fz in its own process
# (`-dc`) against `flac -8` encoding every WAV, CPU seconds summed from perf stat's task-clock.
#   WAVS=corpora/data/audio setsid bench/tools/raised.sh bench/startup.sh old/flowzip .build/release/flowzip
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- "$here/.build/release/flowzip"
runs=${N:-50}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'hello\n' > "$tmp/tiny"
"$1" -c "$tmp/tiny" > "$tmp/tiny.fz"
flac -s --force-raw-format --endian=little --sign=signed --channels=1 --bps=16 --sample-rate=8000 \
    "$tmp/tiny" -o "$tmp/tiny.flac"
instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    awk '/refs:/ { gsub(",", "", $NF); printf "%.1f M", $NF / 1e6 }'
}
per_run() {  # CPU ms and wall ms per process, from perf stat's task-clock and elapsed time
  perf stat -r "$runs" -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ { printf "%.2f", $1 }'
}
wall() {
  perf stat -r "$runs" "$@" 2>&1 >/dev/null | awk '/elapsed/ { printf "%.2f", $1 * 1000 }'
}
echo "$(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $runs runs each"
echo
echo "| binary | libraries loaded | --version | -dc tiny.fz | -c tiny | -dc CPU ms/process | -dc wall ms/process |"
echo "|---|--:|--:|--:|--:|--:|--:|"
for fz in "$@"; do
  libs=$( { ldd "$fz" 2>/dev/null || true; } | wc -l)  # 0 for a static executable
  echo "| $fz | $libs | $(instructions "$fz" --version) | $(instructions "$fz" -dc "$tmp/tiny.fz") | $(instructions "$fz" -c "$tmp/tiny") | $(per_run "$fz" -dc "$tmp/tiny.fz") | $(wall "$fz" -dc "$tmp/tiny.fz") |"
done
echo "| flac -d (reference) | $(ldd "$(command -v flac)" | wc -l) | $(instructions flac --version) | $(instructions flac -d -s -c "$tmp/tiny.flac") | | $(per_run flac -d -s -c "$tmp/tiny.flac") | $(wall flac -d -s -c "$tmp/tiny.flac") |"

[ -n "${WAVS:-}" ] || exit 0
echo
echo "$(ls "$WAVS"/*.wav | wc -l) WAVs in $WAVS, one process each: CPU seconds summed (task-clock), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
mkdir "$tmp/wavs"
for wav in "$WAVS"/*.wav; do "$1" -c "$wav" > "$tmp/wavs/$(basename "$wav").fz"; done
cpu_ms() { perf stat -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ { print $1 }'; }
rounds=${ROUNDS:-3}
tools=("$@" "flac -8")
declare -A seconds
for round in $(seq "$rounds"); do  # rounds outside, tools inside: a drift in load hits every tool alike
  for tool in "${tools[@]}"; do
    total=0
    for wav in "$WAVS"/*.wav; do
      if [ "$tool" = "flac -8" ]; then ms=$(cpu_ms flac -8 -s -c "$wav")
      else ms=$(cpu_ms "$tool" -dc "$tmp/wavs/$(basename "$wav").fz"); fi
      total=$(awk -v a="$total" -v b="$ms" 'BEGIN { print a + b }')
    done
    seconds[$tool,$round]=$(awk -v t="$total" 'BEGIN { printf "%.3f s", t / 1000 }')
  done
done
echo "| | $(seq -s ' | ' -f 'round %g' "$rounds") |"
echo "|---$(printf '|--:%.0s' $(seq "$rounds"))|"
for tool in "${tools[@]}"; do
  row="| $tool |"
  for round in $(seq "$rounds"); do row+=" ${seconds[$tool,$round]} |"; done
  echo "$row"
done
