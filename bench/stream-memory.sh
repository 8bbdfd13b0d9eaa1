#!/usr/bin/env bash
# Streams SIZE bytes (default 4G) of generated, partly compressible data through
# `flowzip -c | flowzip -d -c` in pipes and reports each process's peak memory and whether the output
# matched. Writes bench/results/stream-memory.md. Usage: bench/stream-memory.sh [SIZE] [extra compress flags]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-4G}
shift || true
flags=${*:--3 -T2}
swift build -c release --product flowzip >/dev/null
fz=$PWD/.build/release/flowzip
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
# base64 of random bytes: 75 % compressible, never repetitive; the same bytes go to the checksum.
head -c "$size" < <(base64 -w 100 /dev/urandom) | tee >(sha256sum > "$tmp/in.sha") \
  | /usr/bin/time -f %M -o "$tmp/c.rss" "$fz" $flags -c \
  | tee >(wc -c > "$tmp/fz.size") \
  | /usr/bin/time -f %M -o "$tmp/d.rss" "$fz" -d -c | sha256sum > "$tmp/out.sha"
sleep 1
seconds=$(( $(date +%s) - start ))
same=no; cmp -s "$tmp/in.sha" "$tmp/out.sha" && same=yes
report="| input | flags | compressed bytes | compress peak RSS | decompress peak RSS | round trip | seconds |
|---|---|---:|---:|---:|---|---:|
| $size generated (base64 of /dev/urandom), through pipes | \`$flags\` | $(cat "$tmp/fz.size") | $(( $(cat "$tmp/c.rss") / 1024 )) MiB | $(( $(cat "$tmp/d.rss") / 1024 )) MiB | $same | $seconds |"
mkdir -p bench/results
printf '# Streaming with bounded memory\n\nMeasured %s with `bench/stream-memory.sh %s %s`.\n\n%s\n' \
  "$(date -u +%Y-%m-%d)" "$size" "$flags" "$report" > bench/results/stream-memory.md
echo "$report"
[ "$same" = yes ]
