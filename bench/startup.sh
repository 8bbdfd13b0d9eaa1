#!/usr/bin/env bash
# Start-up cost of one flowzip process (issue 7): what every run pays before it does any work.
# For each binary given (default .build/release/flowzip), on a 6-byte file and its 74-byte stream:
#   instructions of the whole process (valgrind --tool=callgrind; the same from run to run) for
#   `--version`, `-dc tiny.fz` and `-c tiny`, and CPU and wall milliseconds per process of `-dc tiny.fz`
#   (perf stat, N runs, default 50), beside `flac -d` on a FLAC file of the same 6 bytes (as 3 samples).
#   bench/startup.sh [BINARY...]        N=100 bench/startup.sh old/flowzip .build/release/flowzip
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
  libs=$(ldd "$fz" | wc -l)
  echo "| $fz | $libs | $(instructions "$fz" --version) | $(instructions "$fz" -dc "$tmp/tiny.fz") | $(instructions "$fz" -c "$tmp/tiny") | $(per_run "$fz" -dc "$tmp/tiny.fz") | $(wall "$fz" -dc "$tmp/tiny.fz") |"
done
echo "| flac -d (reference) | $(ldd "$(command -v flac)" | wc -l) | $(instructions flac --version) | $(instructions flac -d -s -c "$tmp/tiny.flac") | | $(per_run flac -d -s -c "$tmp/tiny.flac") | $(wall flac -d -s -c "$tmp/tiny.flac") |"
