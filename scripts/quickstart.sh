#!/usr/bin/env bash
# Set up a fresh Debian machine (as root, Swift already at /opt/swift or on PATH), build flowzip, install it
# in /usr/local (with unflowzip, flowcat, the man page and bash/zsh/fish completions: scripts/install.sh),
# and run it on real files: compress -> decompress -> byte-compare, like with like beside zstd and gzip:
# flowzip's default (level 3 for ordinary bytes) beside zstd's default (-3), flowzip --best (19) beside
# zstd -19.
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

bash scripts/install.sh "$flowzip" /usr/local

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=(corpora/sample/* "$flowzip")
[ -f /usr/share/dict/words ] && files+=(/usr/share/dict/words)

printf '\n| file | bytes | flowzip | zstd -3 | flowzip --best | zstd -19 | gzip -9 | round trip |\n|---|---:|---:|---:|---:|---:|---:|---|\n'
# zstd reads the file itself (so it knows the size, as flowzip does, and picks its parameters by it);
# gzip reads standard input, so its header holds no file name.
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  case "$f" in *.md) continue;; esac
  ok=exact
  for level in "" --best; do  # "" is the default level
    "$flowzip" -q -c $level "$f" > "$work/x$level.fz"
    "$flowzip" -d -c "$work/x$level.fz" > "$work/x.out"
    cmp -s "$f" "$work/x.out" || ok="FAILED${level:+ ($level)}"
  done
  printf '| %s | %d | %d | %d | %d | %d | %d | %s |\n' "$(basename "$f")" "$(stat -L -c %s "$f")" "$(stat -c %s "$work/x.fz")" \
    "$(zstd -3 -q -c "$f" | wc -c)" "$(stat -c %s "$work/x--best.fz")" "$(zstd -19 -q -c "$f" | wc -c)" \
    "$(gzip -9 -c < "$f" | wc -c)" "$ok"
  [ "$ok" = exact ] || { echo "round trip failed on $f" >&2; exit 1; }
done
echo
echo "flowzip is at $flowzip, installed as /usr/local/bin/flowzip (man flowzip; completions for bash, zsh and fish)"
