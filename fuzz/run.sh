#!/usr/bin/env bash
# Builds the libFuzzer targets (address sanitizer on) and runs each for RUNS executions (default 10^6)
# or SECONDS seconds, whichever ends first (default: no time limit), seeded with the golden streams.
# Crashes land in fuzz/crashes/; add each as a regression test.
# Usage: fuzz/run.sh [RUNS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
seconds=${2:-0}
build=.build-fuzz/debug
swift build --scratch-path .build-fuzz --target FlowZip -Xswiftc -sanitize=fuzzer,address >/dev/null
mkdir -p fuzz/crashes .build-fuzz/corpus-decompress .build-fuzz/corpus-payload
cp Tests/FlowZipTests/Golden/*.fz .build-fuzz/corpus-decompress/
# Payload seeds: the golden streams' first chunk, prefixed with its method id and raw length.
python3 - <<'PY'
import glob, struct
for path in glob.glob('Tests/FlowZipTests/Golden/*.fz'):
    s = open(path, 'rb').read()
    if len(s) < 28 + 19: continue
    method, kind, sb, raw, coded = struct.unpack_from('<BBBII', s, 28)
    if method == 0xFF: continue
    payload = s[47:47 + coded]
    open('.build-fuzz/corpus-payload/' + path.split('/')[-1], 'wb').write(
        bytes([method]) + struct.pack('<H', (raw - 1) & 0xFFFF) + payload)
PY
# Flow payload seeds (same prefix; gray/RGB/RGBA, 8/16-bit, compacted, strips), written by an encoder.
cp fuzz/seeds-flow/*.seed .build-fuzz/corpus-payload/
for target in FuzzDecompress FuzzChunkPayload; do
  swiftc -sanitize=fuzzer,address -parse-as-library "fuzz/$target.swift" -I $build/Modules \
    -Xcc -fmodule-map-file=Sources/CZstd/module.modulemap -Xcc -fmodule-map-file=Sources/CZlib/module.modulemap \
    -Xcc -fmodule-map-file=Sources/CPNG/module.modulemap \
    $build/FlowZip.build/*.o $build/EntropyCoding.build/*.o $build/Flows.build/*.o -lzstd -lz -lpng16 \
    -o "$build/$target" 2>&1 | grep -v "Cannot export local symbol" || true
done
for target in FuzzDecompress FuzzChunkPayload; do
  corpus=.build-fuzz/corpus-decompress
  [ $target = FuzzChunkPayload ] && corpus=.build-fuzz/corpus-payload
  echo "== $target: $runs runs"
  "$build/$target" -runs="$runs" -max_total_time="$seconds" -print_final_stats=1 -max_len=8192 -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix=fuzz/crashes/ "$corpus" 2>&1 | grep -E '^Done|ERROR|SUMMARY|stat::number_of_executed_units|stat::new_units' || true
done
