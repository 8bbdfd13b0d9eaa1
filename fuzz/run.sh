#!/usr/bin/env bash
# Builds the libFuzzer targets (address sanitizer on) and runs each for RUNS executions (default 10^6)
# or SECONDS seconds, whichever ends first (default: no time limit), seeded with the golden streams.
# The library is built as the release is (`-c release`: -O, with bounds and overflow checks, since
# Package.swift has no unsafe flags), plus the fuzzer and address sanitizer instrumentation.
# Crashes land in fuzz/crashes/; fix each and pin its input in a test (as ImageFlowCodecTests does for
# the adaptive blend's division by zero).
# Usage: fuzz/run.sh [RUNS] [SECONDS] [TARGET...]   (targets: FuzzDecompress FuzzChunkPayload)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
seconds=${2:-0}
shift $(( $# < 2 ? $# : 2 ))
targets=${*:-FuzzChunkPayload FuzzDecompress}
build=.build-fuzz/release
swift build -c release --scratch-path .build-fuzz --target FlowZip -Xswiftc -sanitize=fuzzer,address >/dev/null
mkdir -p fuzz/crashes .build-fuzz/corpus-decompress .build-fuzz/corpus-payload
# Whole-stream seeds: the golden streams of both container versions (Golden/ holds version 1, Golden/v2/
# version 2 in both its forms), so the fuzzer starts from each version's header, records and trailer.
for f in Tests/FlowZipTests/Golden/*.fz Tests/FlowZipTests/Golden/v2/*.fz; do
  cp "$f" ".build-fuzz/corpus-decompress/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# Payload seeds: every chunk of the golden streams, prefixed with its method id and raw length - 1.
python3 - <<'PY'
import glob, struct, sys
sys.path.insert(0, 'bench/tools')
import fz_container
for path in glob.glob('Tests/FlowZipTests/Golden/*.fz') + glob.glob('Tests/FlowZipTests/Golden/v2/*.fz'):
    _, chunks = fz_container.chunks(open(path, 'rb').read())
    for index, (method, raw, payload) in enumerate(chunks):
        if raw <= 1 << 16:
            name = '.build-fuzz/corpus-payload/%s-%s-%d' % (path.split('/')[-2], path.split('/')[-1], index)
            open(name, 'wb').write(bytes([method]) + struct.pack('<H', raw - 1) + payload)
PY
# Flow payload seeds (same prefix; gray/RGB/RGBA, 8/16-bit, compacted, strips), written by an encoder.
cp fuzz/seeds-flow/*.seed .build-fuzz/corpus-payload/
# The modules' object files, named from each module's current source list (a glob over *.o would also
# pick up objects of files that have since been moved or deleted).
objects=()
for module in FlowZip EntropyCoding Flows; do
  while read -r source; do objects+=("$build/$module.build/$(basename "$source").o"); done < "$build/$module.build/sources"
done
# The C kernel target has no sources list: its one object.
objects+=("$build/CKernels.build/raster_network.c.o")
for target in $targets; do
  rm -f "$build/$target"
  swiftc -sanitize=fuzzer,address -O -parse-as-library "fuzz/$target.swift" -I $build/Modules \
    -Xcc -fmodule-map-file=Sources/CZstd/module.modulemap -Xcc -fmodule-map-file=Sources/CZlib/module.modulemap \
    -Xcc -fmodule-map-file=Sources/CPNG/module.modulemap -Xcc -fmodule-map-file=$build/CKernels.build/module.modulemap \
    "${objects[@]}" -lzstd -lz -lpng16 \
    -o "$build/$target" 2>&1 | { grep -v "Cannot export local symbol" || true; }
  [ -x "$build/$target" ] || { echo "fuzz/run.sh: could not build $target" >&2; exit 1; }
done
for target in $targets; do
  # Whole streams up to 2 KiB: the small golden streams reach every decoder, and the larger ones
  # (entering cut, so rejected by the container) would make each run decode thousands of samples.
  corpus=.build-fuzz/corpus-decompress maxlen=2048
  [ $target = FuzzChunkPayload ] && corpus=.build-fuzz/corpus-payload maxlen=8192
  echo "== $target: $runs runs, $(date -u +%H:%M:%S)"
  # The full log (progress lines with exec/s) goes to .build-fuzz/$target.log.
  "$build/$target" -runs="$runs" -max_total_time="$seconds" -print_final_stats=1 -max_len=$maxlen -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix=fuzz/crashes/ "$corpus" > ".build-fuzz/$target.log" 2>&1 || true
  grep -E '^Done|ERROR|SUMMARY|^stat::|Test unit written' ".build-fuzz/$target.log" || true
  echo "   ended $(date -u +%H:%M:%S)"
done
