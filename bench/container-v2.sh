#!/usr/bin/env bash
# Container version 2 on small files: total bytes of four folders of real files of 100 B - 10 KiB, one
# file at a time, for FlowZip (container version 2, this build), FlowZip with container version 1, zstd -19
# and gzip -9. Also the container's own bytes per stream (header, records, trailer; from
# bench/tools/fz_container.py) in both versions. Every .fz file is checked to round-trip.
#
# Container version 1 streams come from a build that writes them ($V1: a flowzip built from commit c5a4c68
# or earlier); without it they are derived from the version 2 stream: the same payloads (GoldenStreamTests
# checks that today's encoder writes a version 1 golden's payloads) plus 28 + 19 per chunk + 21 bytes.
# With $V1, the script also checks that derivation on every file.
# Writes bench/results/container-v2.md (or $OUT). Usage: [V1=path/to/old/flowzip] bench/container-v2.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product flowzip >/dev/null
fz=$PWD/.build/release/flowzip
v1=${V1:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# World-readable regular files only (no private keys or password files, even when run as root).
small() { find "$@" -type f -perm -o=r -size +99c -size -10241c 2>/dev/null | LC_ALL=C sort; }

declare -A sets=(
  [1]="/usr/share/doc/*/copyright (Debian package licences)|$(small /usr/share/doc -mindepth 2 -maxdepth 2 -name copyright)"
  [2]="/etc (configuration files, depth ≤ 3)|$(small /etc -maxdepth 3)"
  [3]="/usr/include/*.h (C headers)|$(small /usr/include -maxdepth 1 -name '*.h')"
  [4]="/usr/lib/python3.11 (Python sources, depth ≤ 2)|$(small /usr/lib/python3.11 -maxdepth 2 -name '*.py')"
)
rows=""; overhead_rows=""
T_n=0; T_orig=0; T_v2=0; T_v1=0; T_zstd=0; T_gz=0; T_c2=0; T_c1=0
for k in 1 2 3 4; do
  label=${sets[$k]%%|*}
  mapfile -t files < <(printf '%s\n' "${sets[$k]#*|}" | grep -v '^$')
  n=0; orig=0; sv2=0; sv1=0; szstd=0; sgz=0; c2=0; c1=0; one=0
  for f in "${files[@]}"; do
    cp "$f" "$tmp/in" 2>/dev/null || continue
    "$fz" -c "$tmp/in" > "$tmp/a.fz"
    "$fz" -dc "$tmp/a.fz" | cmp -s - "$tmp/in" || { echo "round trip failed: $f" >&2; exit 1; }
    read -r cont chunks < <(python3 -c "import sys; sys.path.insert(0, 'bench/tools'); import fz_container as c; o, ch = c.chunks(open('$tmp/a.fz', 'rb').read()); print(o, len(ch))")
    size=$(stat -c %s "$tmp/a.fz")
    derived=$(( size - cont + 28 + 19 * chunks + 21 ))
    if [ -n "$v1" ]; then
      "$v1" -c "$tmp/in" > "$tmp/b.fz"
      old=$(stat -c %s "$tmp/b.fz")
      [ "$old" = "$derived" ] || { echo "version 1 stream of $f: $old bytes, derived $derived" >&2; exit 1; }
    fi
    n=$((n + 1)); orig=$((orig + $(stat -c %s "$tmp/in"))); sv2=$((sv2 + size)); sv1=$((sv1 + derived))
    c2=$((c2 + cont)); c1=$((c1 + 28 + 19 * chunks + 21)); [ "$chunks" = 1 ] && one=$((one + 1))
    szstd=$((szstd + $(zstd -q -19 -c "$tmp/in" | wc -c))); sgz=$((sgz + $(gzip -9 -n -c "$tmp/in" | wc -c)))
  done
  pct() { awk "BEGIN{printf \"%+.2f %%\", 100 * ($1 - $2) / $2}"; }
  rows+="| $label | $n | $orig | **$sv2** | $sv1 ($(pct $sv1 $sv2)) | $szstd ($(pct $szstd $sv2)) | $sgz ($(pct $sgz $sv2)) |
"
  overhead_rows+="| $label | $one of $n | $(awk "BEGIN{printf \"%.1f\", $c2 / $n}") | $(awk "BEGIN{printf \"%.1f\", $c1 / $n}") | $(awk "BEGIN{printf \"%.1f %%\", 100 * $c2 / $sv2}") | $(awk "BEGIN{printf \"%.1f %%\", 100 * $c1 / $sv1}") |
"
  T_n=$((T_n + n)); T_orig=$((T_orig + orig)); T_v2=$((T_v2 + sv2)); T_v1=$((T_v1 + sv1))
  T_zstd=$((T_zstd + szstd)); T_gz=$((T_gz + sgz)); T_c2=$((T_c2 + c2)); T_c1=$((T_c1 + c1))
done
pct() { awk "BEGIN{printf \"%+.2f %%\", 100 * ($1 - $2) / $2}"; }
rows+="| **all** | $T_n | $T_orig | **$T_v2** | $T_v1 ($(pct $T_v1 $T_v2)) | $T_zstd ($(pct $T_zstd $T_v2)) | $T_gz ($(pct $T_gz $T_v2)) |
"
overhead_rows+="| **all** | | $(awk "BEGIN{printf \"%.1f\", $T_c2 / $T_n}") | $(awk "BEGIN{printf \"%.1f\", $T_c1 / $T_n}") | $(awk "BEGIN{printf \"%.1f %%\", 100 * $T_c2 / $T_v2}") | $(awk "BEGIN{printf \"%.1f %%\", 100 * $T_c1 / $T_v1}") |
"
mkdir -p bench/results
{
  printf '# Container version 2 on small files\n\n'
  printf 'Measured %s with `%sbench/container-v2.sh` (FlowZip %s, default options: `auto`, level 19, one\n' \
    "$(date -u +%Y-%m-%d)" "${v1:+V1=$v1 }" "$(git rev-parse --short HEAD)"
  printf 'process per file). Files of 100 B - 10 KiB from four folders of this Debian 12 machine, none of\n'
  printf 'them seen while designing the format; each compressed on its own. Total bytes; in brackets, how\n'
  printf 'much larger (+) or smaller (-) than FlowZip with container version 2.\n'
  if [ -n "$v1" ]; then
    printf 'Version 1: streams written by `%s`, each checked to be the version 2 stream'"'"'s payloads + 28 + 19 per chunk + 21 bytes.\n' "$v1"
  else
    printf 'Version 1: derived from the version 2 streams (the same payloads + 28 + 19 per chunk + 21 bytes).\n'
  fi
  printf 'Peers: `zstd -19` (its CLI writes the content size and a 4-byte checksum), `gzip -9 -n` (no name or time).\n\n'
  printf '| files | count | original bytes | FlowZip, container v2 | FlowZip, container v1 | zstd -19 | gzip -9 -n |\n'
  printf '|---|--:|--:|--:|--:|--:|--:|\n%s\n' "$rows"
  printf 'Container bytes per stream (header, chunk records, trailer) and their share of the output:\n\n'
  printf '| files | one-chunk streams | v2 bytes per stream | v1 bytes per stream | v2 share | v1 share |\n'
  printf '|---|--:|--:|--:|--:|--:|\n%s' "$overhead_rows"
} > "${OUT:-bench/results/container-v2.md}"
cat "${OUT:-bench/results/container-v2.md}"
