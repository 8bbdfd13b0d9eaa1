#!/usr/bin/env bash
# Set up a fresh Debian machine (as root, Swift already at /opt/swift or on PATH), build flowzip, and run it
# on real files: compress -> decompress -> byte-compare, beside zstd -19 and gzip -9.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH" DEBIAN_FRONTEND=noninteractive

apt-get update -q
apt-get install -y -q --no-install-recommends libzstd-dev zlib1g-dev libpng-dev pkg-config zstd gzip
# A static executable on Linux: a process starts in 0.6 M instructions instead of 6.5 M (bench/results/startup.md).
if [ "$(uname -s)" = Linux ]; then
  swift build -c release --product flowzip -Xswiftc -static-executable --scratch-path .build-static
  flowzip=$PWD/.build-static/release/flowzip
else
  swift build -c release --product flowzip
  flowzip=$PWD/.build/release/flowzip
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=(corpora/sample/* "$flowzip")
[ -f /usr/share/dict/words ] && files+=(/usr/share/dict/words)

printf '\n| file | bytes | flowzip | zstd -19 | gzip -9 | round trip |\n|---|---:|---:|---:|---:|---|\n'
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  case "$f" in *.md) continue;; esac
  "$flowzip" -q -c "$f" > "$work/x.fz"
  "$flowzip" -d -c "$work/x.fz" > "$work/x.out"
  if cmp -s "$f" "$work/x.out"; then ok=exact; else ok=FAILED; fi
  printf '| %s | %d | %d | %d | %d | %s |\n' "$(basename "$f")" "$(stat -L -c %s "$f")" "$(stat -c %s "$work/x.fz")" \
    "$(zstd -19 -q -c < "$f" | wc -c)" "$(gzip -9 -c < "$f" | wc -c)" "$ok"
  [ "$ok" = exact ] || { echo "round trip failed on $f" >&2; exit 1; }
done
echo
echo "flowzip is at $flowzip"
