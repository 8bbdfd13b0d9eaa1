#!/usr/bin/env bash
# Fetches FlowZip's image corpus for training and held-out evaluation: photographs, 16-bit
# instrument frames, flat images and textures from pinned Debian packages, converted
# deterministically to binary PNM and checked against corpora/IMAGES-MANIFEST
# (sha256 size split class path). Writes corpora/data/imageset/SPLIT/CLASS/ (ignored by git).
#
#   corpora/fetch-images.sh                   install tools (as root), download, convert, verify
#   corpora/fetch-images.sh --verify          only check corpora/data/ against the manifest
#   corpora/fetch-images.sh --no-install      skip apt-get install (tools already present)
#   corpora/fetch-images.sh --write-manifest  (maintainers) rewrite IMAGES-MANIFEST from the files
#
# Downloads are cached in corpora/data/.cache/images; an output whose sha256 already matches the
# manifest is not rebuilt. Sources, licences and the split: corpora/README.md, "Image corpus".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
data=$here/data
cache=$data/.cache/images
manifest=$here/IMAGES-MANIFEST
tool=$here/imgtool.py
export DEBIAN_FRONTEND=noninteractive LC_ALL=C

mode=fetch
install=yes
for arg in "$@"; do
  case $arg in
    --verify) mode="verify" ;;
    --write-manifest) mode="write" ;;
    --no-install) install=no ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "fetch-images.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

die() { echo "fetch-images.sh: $*" >&2; exit 1; }
say() { echo "fetch-images.sh: $*" >&2; }

# verify: every manifest entry exists with its size and sha256, and no other file is in imageset/.
verify() {
  [ -f "$manifest" ] || die "no manifest at $manifest"
  local bad=0 n=0 sum size _split _class path actual
  while read -r sum size _split _class path; do
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
  if [ -d "$data/imageset" ]; then
    while read -r path; do
      awk -v p="$path" '$5 == p { found = 1 } END { exit !found }' "$manifest" ||
        { echo "EXTRA     $path (not in the manifest)" >&2; bad=$((bad + 1)); }
    done < <(cd "$data" && find imageset -type f ! -name '*.tmp' | sort)
  fi
  [ "$bad" -eq 0 ] || die "$bad problems against $manifest ($n files listed)"
  say "all $n files match $manifest"
}

if [ "$mode" = verify ]; then verify; exit 0; fi

# ---------------------------------------------------------------------------------------------
# Tools: netpbm decodes PNG and JPEG (libjpeg-turbo's default integer IDCT) and writes PNM;
# dcraw develops camera raw files; oiiotool (openimageio-tools) decodes OpenEXR; imgtool.py does
# the rest with numpy (Debian's python3-numpy, run by Debian's own /usr/bin/python3 so a pyenv or
# venv python3 earlier in PATH does not matter).

tools="netpbm dcraw openimageio-tools python3 python3-numpy ca-certificates curl"
if [ "$install" = yes ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $tools
  else
    say "not root: skipping apt-get install (needs: $tools)"
  fi
fi
py=
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c 'import numpy' 2>/dev/null; then py=$candidate; break; fi
done
[ -n "$py" ] || die "no python3 with numpy (run as root, or install: $tools)"
for t in dpkg-deb pngtopnm jpegtopnm pamfile dcraw oiiotool sha256sum; do
  command -v "$t" >/dev/null || die "missing tool '$t' (run as root, or install: $tools)"
done

# ---------------------------------------------------------------------------------------------
# Downloads: Debian 12 (bookworm) packages, pinned by version and sha256.

mkdir -p "$cache"

# deb NAME VERSION POOL_PATH SHA256: fetch a package into the cache and unpack it to
# $cache/NAME. Tries apt (the machine's own mirror; it writes an epoch's ':' as '%3a' in the
# file name), then the Debian pool, then snapshot.debian.org.
deb() {
  local name=$1 version=$2 pool=$3 sha=$4 file got
  file=$cache/$(basename "$pool")
  ok() { [ -f "$file" ] && echo "$sha  $file" | sha256sum -c --status; }
  if ! ok; then
    say "downloading $name $version"
    rm -f "$file"
    (cd "$cache" && apt-get download -q "$name=$version" >/dev/null 2>&1) || true
    for got in "$cache/${name}_"*.deb; do
      [ -f "$got" ] && [ "$got" != "$file" ] && echo "$sha  $got" | sha256sum -c --status && mv "$got" "$file"
    done
    ok || curl -fsSL -o "$file" "http://deb.debian.org/debian/$pool" || true
    ok || curl -fsSL -o "$file" "https://snapshot.debian.org/archive/debian/20250520T000000Z/$pool" || true
    ok || die "cannot download $name $version with sha256 $sha"
  fi
  if [ ! -d "$cache/$name" ]; then
    dpkg-deb -x "$file" "$cache/$name.tmp" && mv "$cache/$name.tmp" "$cache/$name"
  fi
}

deb plasma-workspace-wallpapers 4:5.27.5-2 \
  pool/main/p/plasma-workspace-wallpapers/plasma-workspace-wallpapers_5.27.5-2_all.deb \
  32cd18b71c8c938a18b3b351f217c02ac590e323caa3cf322fbb875ce8892f8b
deb mate-backgrounds 1.26.0-1 \
  pool/main/m/mate-backgrounds/mate-backgrounds_1.26.0-1_all.deb \
  7bf4c2209f34b4f61ba6d24c8b58c28b361e82e4b943aae6d42c030169af9e04
deb lomiri-wallpapers-16.04 20.04.0-2 \
  pool/main/l/lomiri-wallpapers/lomiri-wallpapers-16.04_20.04.0-2_all.deb \
  a99ff6a3bfe451e4cc0682ecb3cc82e71740626d59e4845ae34a0a0e45421eab
deb ukui-wallpapers 20.04.3-1.1 \
  pool/main/u/ukui-wallpapers/ukui-wallpapers_20.04.3-1.1_all.deb \
  6d49be70152e6d603163458e177e501deb0be8f2916389ccbfcf59b0d7fc0262
deb gimp-help-en 2.10.34-2 \
  pool/main/g/gimp-help/gimp-help-en_2.10.34-2_all.deb \
  a2deec76763aaf2fcdd197bac0736cdcb0770ba993d48d233329e1c92b0bfe36
deb eso-midas-testdata 22.02pl1.0-2 \
  pool/main/e/eso-midas/eso-midas-testdata_22.02pl1.0-2_all.deb \
  2b08295ebbed2a3fa97ec4031d50db8b5be4fd893aa2c7582705e481e6d340f3
# More training photographs (added later, train only).
deb krank 0.7+dfsg2-4 \
  pool/main/k/krank/krank_0.7+dfsg2-4_all.deb \
  9a3d16fe30cef98d18a4ed9049f879339d8840f8cc729136ce2e0c7dbee33042
deb tuxpaint-data 1:0.9.28-sdl2-1 \
  pool/main/t/tuxpaint/tuxpaint-data_0.9.28-sdl2-1_all.deb \
  f5d0de8f9a70d2efc1241d19f26168cb8bf279f1b77abd3631e7a1a55c40e5e5
deb palapeli-data 4:22.12.3-1 \
  pool/main/p/palapeli/palapeli-data_22.12.3-1_all.deb \
  69a15dce2ac25ed8708ac518cd0cee5f4eb0c70ed15da2fdb8899a19ac0ee058
deb lxqt-themes 1.2.0-1 \
  pool/main/l/lxqt-themes/lxqt-themes_1.2.0-1_all.deb \
  d518df36b515b09d36cb00b12645dd8ce170bb82bb0966297741905ce3edc8e1
deb kphotoalbum 5.9.1-1 \
  pool/main/k/kphotoalbum/kphotoalbum_5.9.1-1_amd64.deb \
  00f8b26b5db1beb30a822d15f464b3c68ffa556d267870aa98a59aaaaf81ec43
deb libdlib19.1 19.24+dfsg-1 \
  pool/main/d/dlib/libdlib19.1_19.24+dfsg-1_amd64.deb \
  f03f46681d43701914ddd38eee42f1d34dc1d12e2f125bd1e3b562f23572b4da
deb labelme-examples 5.1.1-1 \
  pool/main/l/labelme/labelme-examples_5.1.1-1_all.deb \
  acf0f5be435c8899098397eb9f0e46b4c1be080e0c1202f128609d6391179e23
deb scratch 1.4.0.6~dfsg1-6.1 \
  pool/main/s/scratch/scratch_1.4.0.6~dfsg1-6.1_all.deb \
  36c582eb93110f64f06c4e685c41e933ccba2fa68db12f79b10bfe840b21fc10
deb lomiri-wallpapers-20.04 20.04.0-2 \
  pool/main/l/lomiri-wallpapers/lomiri-wallpapers-20.04_20.04.0-2_all.deb \
  d44e89b8473aafe64a5b678f014862dc31335aaaf18665c544d985d854f1a709
deb sway-backgrounds 1.7-6 \
  pool/main/s/sway/sway-backgrounds_1.7-6_all.deb \
  bbd637e4a27eb305beb88f2a5ba34ab53f86b2027066ffe3ed814d6b221220b5
deb python3-pydicom 2.3.1-1 \
  pool/main/p/pydicom/python3-pydicom_2.3.1-1_all.deb \
  fc00b7d2a85c136fddc4430d451d069f6d8b93138ed2523011646756208b0287
deb libjxl-testdata 0.0~git20230110.d6168ff-1 \
  pool/main/libj/libjxl-testdata/libjxl-testdata_0.0~git20230110.d6168ff-1_all.deb \
  a58523413f486760a0f3cbc931142a27e3aa25f77315b862046f089ed34aa2c7
deb iraf 2.17-4 \
  pool/main/i/iraf/iraf_2.17-4_amd64.deb \
  444810c998db14dffc9da5629c1432e16e5e0f46cddc911c25cd3cd7d24a57d0
deb marble-data 4:22.12.3-1 \
  pool/main/m/marble/marble-data_22.12.3-1_all.deb \
  d2367e5a5e9aca9724d5d0aed8d987bc026894ebb20f69a50ec19770c3069555
deb desktop-base 12.0.6+nmu1~deb12u1 \
  pool/main/d/desktop-base/desktop-base_12.0.6+nmu1~deb12u1_all.deb \
  0d0e36a9853f778cf44c31311c5f97adeadf762ae00589ef221b8328d3409c6e
deb mypaint-data-extras 2.0.1-9 \
  pool/main/m/mypaint/mypaint-data-extras_2.0.1-9_all.deb \
  9d5971baa5eb411309940ea2cfe11aa7f6ec2c39e7f9ecd2bbef81fc6404b1d1
deb rawtran-doc 1.1-1 \
  pool/main/r/rawtran/rawtran-doc_1.1-1_all.deb \
  1d9bac19a077ff9e7bae15ff381b36689d6458b0607fccbd2d9b910cb9fdf1ab
deb psychtoolbox-3-common 3.0.18.12.dfsg1-1.1 \
  pool/main/p/psychtoolbox-3/psychtoolbox-3-common_3.0.18.12.dfsg1-1.1_all.deb \
  8c3271ff5dbc685db95fd279a658eb386ed336e60f60436a20dd0a2a3cb512a7

# ---------------------------------------------------------------------------------------------
# Conversions. Each output is built in a temporary file and moved into place; one whose sha256
# already matches the manifest is skipped.

# Longest side kept: larger images are centre-cropped to at most 2048 x 2048 (4.2 MP).
max=2048

expected() { if [ -f "$manifest" ]; then awk -v p="$1" '$5 == p { print $1 }' "$manifest"; fi; }

# make SPLIT CLASS NAME COMMAND...: run COMMAND with $out set to a temporary file, then move it to
# imageset/SPLIT/CLASS/NAME.pgm or NAME.ppm, as the converter wrote a grey or a colour image.
make_file() {
  local base=imageset/$1/$2/$3 ext path want; shift 3
  for ext in pgm ppm; do
    path=$base.$ext
    want=$(expected "$path")
    if [ -f "$data/$path" ] && [ -n "$want" ] && [ "$(sha256sum "$data/$path" | cut -d' ' -f1)" = "$want" ]; then
      return 0
    fi
  done
  mkdir -p "$(dirname "$data/$base")"
  out=$data/$base.tmp
  "$@"
  case $(head -c 2 "$out") in
    P5) ext=pgm ;;
    P6) ext=ppm ;;
    *) die "$base: the converter wrote no binary PGM/PPM" ;;
  esac
  rm -f "$data/$base.pgm" "$data/$base.ppm"
  mv "$out" "$data/$base.$ext"
  produced=$((produced + 1))
}
produced=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# JPEG-origin images: decode, then area-average 2 x 2 blocks so JPEG's 8 x 8 block structure and
# quantisation noise are averaged away, then crop.
jpeg_box2() { jpegtopnm -quiet "$1" > "$tmp/d.pnm"; "$py" "$tool" box 2 "$max" "$tmp/d.pnm" "$out"; }
# Lossless images: decode (alpha composited on white, so transparent areas show as a viewer shows
# them; opaque images are unchanged), then crop only.
png_decode() { pngtopnm -mix -background=white "$1" 2> "$tmp/err" > "$tmp/d.pnm" || { cat "$tmp/err" >&2; return 1; }; }
png_crop() { png_decode "$1"; "$py" "$tool" box 1 "$max" "$tmp/d.pnm" "$out"; }
# PNG files that were JPEGs before (their 8 x 8 block edges still show): decode, then box 2 as for
# a JPEG.
png_box2() { png_decode "$1"; "$py" "$tool" box 2 "$max" "$tmp/d.pnm" "$out"; }
pnm_crop() { "$py" "$tool" box 1 "$max" "$1" "$out"; }
fits_crop() { "$py" "$tool" fits "$1" 0 "$tmp/d.pnm"; "$py" "$tool" box 1 "$max" "$tmp/d.pnm" "$out"; }
dicom16() { PYTHONPATH=$cache/python3-pydicom/usr/lib/python3/dist-packages "$py" "$tool" dicom "$1" 0 "$out"; }
iraf16() { "$py" "$tool" iraf "$1" "$2" "$3" "$out"; }
# Camera raw: dcraw's half-size development (each 2 x 2 Bayer cell gives one RGB pixel, so no
# demosaicing interpolation), camera white balance, sRGB primaries, 8-bit BT.709 gamma and dcraw's
# own auto-brightness; then crop.
raw_half() { dcraw -c -h -w "$1" > "$tmp/d.pnm"; "$py" "$tool" box 1 "$max" "$tmp/d.pnm" "$out"; }
# OpenEXR half-float RGB: oiiotool writes the R, G, B channels as float FITS, imgtool maps them
# to 8-bit sRGB at exposure 0 (linear 0..1, brighter values clipped), then crop.
exr_srgb8() {
  oiiotool "$1" --ch R,G,B -d float -o "$tmp/d.fits"
  "$py" "$tool" hdr8 "$tmp/d.fits" "$tmp/d.pnm"
  "$py" "$tool" box 1 "$max" "$tmp/d.pnm" "$out"
}
# A seamless texture repeated n x n times exactly: n = 4, 3 or 2, the largest that keeps the side
# within 1024 (n = 2 for textures wider than 512).
tiled() {
  png_decode "$1"
  local w h n
  read -r w h < <(pamfile -size "$tmp/d.pnm")
  n=4
  while [ "$n" -gt 2 ] && [ $((n * (w > h ? w : h))) -gt 1024 ]; do n=$((n - 1)); done
  "$py" "$tool" tile "$n" "$tmp/d.pnm" "$out"
}

plasma=$cache/plasma-workspace-wallpapers/usr/share/wallpapers
mate=$cache/mate-backgrounds/usr/share/backgrounds/mate
lomiri16=$cache/lomiri-wallpapers-16.04/usr/share/backgrounds
lomiri20=$cache/lomiri-wallpapers-20.04/usr/share/backgrounds
ukui=$cache/ukui-wallpapers/usr/share/backgrounds
gimphelp=$cache/gimp-help-en/usr/share/gimp/2.0/help/en/images
eso=$cache/eso-midas-testdata/usr/lib/eso-midas/22FEB/test/prim
dcm=$cache/python3-pydicom/usr/lib/python3/dist-packages/pydicom/data/test_files
jxl=$cache/libjxl-testdata/usr/share/libjxl-testdata
marble=$cache/marble-data/usr/share/doc/HTML/en/marble
mypaint=$cache/mypaint-data-extras/usr/share/mypaint/backgrounds

# ---- train: photographs (all JPEG-origin: box 2) ----
for n in BytheWater ColdRipple ColorfulCups EveningGlow FallenLeaf Grey Kite OneStandsOut Path; do
  f=$plasma/$n/contents/images/2560x1600.jpg
  make_file train photo "plasma-$n" jpeg_box2 "$f"
done
for n in Aqua Blinds Dune FreshFlower Garden GreenMeadow LadyBird RainDrops Storm TwoWings Wood \
  YellowFlower; do
  make_file train photo "mate-$n" jpeg_box2 "$mate/nature/$n.jpg"
done
for n in Bridge_by_Sander_Klootwijk Dragonfly_by_Bolly Picture_0B_by_freespace Picture_1A_by_freespace \
  Wine_by_Jakkub_Mede aitzgorri_by_Aitzol_Berasategi analogpattern_by_Peter_Nerlich \
  free_by_Peter_Nerlich friends_by_Aitzol_Berasategi greentock_by_Peter_Nerlich \
  life_by_Aitzol_Berasategi picosdeeuropa_by_Aitzol_Berasategi seeding_by_Clements_Engelhardt \
  sunset_by_Aitzol_Berasategi; do
  make_file train photo "lomiri16-$n" jpeg_box2 "$lomiri16/$n.jpg"
done

# More photographs from eight more packages (selection in corpora/README.md, "More training
# photographs"): Krank's underwater photos (menu-scores1 is a byte copy of bonus-01), Tux Paint's
# photo templates, Palapeli's puzzle photos, LXQt's photo wallpapers, KPhotoAlbum's demo album,
# dlib's and labelme's example photos (PASCAL VOC and others), and Scratch 1.4's photo backdrops.
krank=$cache/krank/usr/share/games/krank/levels/unera-backgrounds
for n in bonus-01 level-01 level-02 level-03 level-04 level-05 level-06 level-07 level-08 level-09 \
  level-10 level-11 level-12 level-13 level-14 level-15 level-16 level-17 level-18 level-19 level-20 \
  level-21 level-22 level-23 level-24 level-25 level-26 level-27 level-28 level-29 level-30 \
  menu menu-credits menu-levels menu-play menu-scores menu-scores2 menu-scores3 menu-screen \
  menu-sounds; do
  make_file train photo "krank-$n" jpeg_box2 "$krank/$n.jpg"
done
for n in burnt_bark cliff corn_maze jellyfish lighthouse mossy_bark mossy_log mudstone ocean_splash \
  ocean_waves redwoods_above rocks sheep spiders_web sun_behind_clouds sun_behind_leaves trees_above \
  trees_at_dusk wool_mill_machine; do
  make_file train photo "tuxpaint-$n" jpeg_box2 "$cache/tuxpaint-data/usr/share/tuxpaint/templates/$n.jpg"
done
for n in castle-maintenon cincinnati-bridge citrus-fruits european-honey-bee panther-chameleon-female; do
  make_file train photo "palapeli-$n" jpeg_box2 "$cache/palapeli-data/usr/share/palapeli/collection/$n.jpg"
done
lxqt=$cache/lxqt-themes/usr/share/lxqt/wallpapers
for n in after-the-rain Butterfly-Kenneth-Wimer fog this-is-not-windows; do
  make_file train photo "lxqt-$n" jpeg_box2 "$lxqt/$n.jpg"
done
# These PNGs show JPEG's 8 x 8 block edges (gradient at block boundaries 1.08-3.0 x the other
# phases), so they are boxed like JPEGs; flowers and Valendas show none (1.00-1.03): crop only.
for n in appleflower beam butterfly cloud drop; do
  make_file train photo "lxqt-$n" png_box2 "$lxqt/$n.png"
done
for n in flowers Valendas; do
  make_file train photo "lxqt-$n" png_crop "$lxqt/$n.png"
done
for n in anne_helene bar55 bar55_2 blackie cold_water donna donna_2 grand_canyon_1 grand_canyon_2 \
  grand_canyon_3 jesper jesper_2 new_wave_1 new_wave_2 pool pool_2 qt-logo skagen skagen_2 snow spiff \
  spiff_2 sunset wayne; do
  make_file train photo "kphotoalbum-$n" jpeg_box2 "$cache/kphotoalbum/usr/share/kphotoalbum/demo/$n.jpg"
done
dlib=$cache/libdlib19.1/usr/share/doc/libdlib19.1/examples
for n in faces/2007_007763 faces/2008_001009 faces/2008_001322 faces/2008_002079 faces/2008_002470 \
  faces/2008_002506 faces/2008_004176 faces/2008_007676 faces/2009_004587 mmod_cars_test_image \
  mmod_cars_test_image2; do
  make_file train photo "dlib-${n#faces/}" jpeg_box2 "$dlib/$n.jpg"
done
labelme=$cache/labelme-examples/usr/share/doc/labelme-examples/examples
for n in bbox_detection/data_annotated/2011_000003 bbox_detection/data_annotated/2011_000006 \
  bbox_detection/data_annotated/2011_000025 classification/data_annotated/0001 \
  classification/data_annotated/0002 tutorial/apc2016_obj3 video_annotation/data_annotated/00000100; do
  make_file train photo "labelme-${n##*/}" jpeg_box2 "$labelme/$n.jpg"
done
for n in Indoors/chalkboard Indoors/clothing-store Indoors/hall Indoors/kitchen Indoors/the-movies-inside \
  Nature/beach-malibu Nature/canyon Nature/flower-bed Nature/forest Nature/garden-rock \
  Nature/grand-canyon Nature/gravel-desert Nature/hill Nature/lake Nature/moon Nature/pathway Nature/tree \
  Nature/water-and-rocks Nature/wave Outdoors/all-sports-mural Outdoors/atom-playground \
  Outdoors/bench-with-view Outdoors/berkeley-mural Outdoors/brick-wall-and-stairs Outdoors/brick-wall2 \
  Outdoors/building-at-mit Outdoors/building-fireproof Outdoors/castle Outdoors/city-with-water \
  Outdoors/city-with-water2 Outdoors/driveway Outdoors/hallway_outdoors Outdoors/hay_field \
  Outdoors/houses Outdoors/mansion Outdoors/mural-faro Outdoors/parking-ramp Outdoors/pool \
  Outdoors/route66 Outdoors/silos Outdoors/the-movies Outdoors/train-tracks1 Outdoors/train-tracks2 \
  Outdoors/village Outdoors/wooden-house Sports/baseball-field Sports/basketball-court1-b \
  Sports/football-field Sports/playing-field Sports/tennis-backboard; do
  make_file train photo "scratch-${n#*/}" jpeg_box2 "$cache/scratch/usr/share/scratch/Media/Backgrounds/$n.jpg"
done

# ---- train: digital art (rendered wallpapers; JPEG ones box 2, PNG ones cropped) ----
for n in Autumn:2560x1600 DarkestHour:2560x1600 Flow:5120x2880 Honeywave:5120x2880 \
  PastelHills:3200x2000 SafeLanding:5120x2880 Shell:5120x2880 Volna:5120x2880 summer_1am:2560x1600; do
  make_file train art "plasma-${n%%:*}" jpeg_box2 "$plasma/${n%%:*}/contents/images/${n#*:}.jpg"
done
for n in Altai:5120x2880 Canopee:3840x2160 Cascade:3840x2160 Cluster:3840x2160 Elarun:2560x1600 \
  FlyingKonqui:2560x1600 IceCold:5120x2880 Kay:5120x2880 Kokkini:3840x2160 MilkyWay:5120x2880 \
  Opal:3840x2160 Patak:5120x2880; do
  make_file train art "plasma-${n%%:*}" png_crop "$plasma/${n%%:*}/contents/images/${n#*:}.png"
done
make_file train art mate-Elephants jpeg_box2 "$mate/abstract/Elephants_5640x3172.jpg"
make_file train art lomiri16-umang_by_Abhishek_Mudgal jpeg_box2 "$lomiri16/umang_by_Abhishek_Mudgal.jpg"
for n in 2004default firstgeneration rhythm string the-mouse; do
  make_file train art "ukui-$n" jpeg_box2 "$ukui/$n.jpg"
done

# ---- train: flat images (illustrations, stripes, logos; GIMP manual screenshots) ----
for n in abstract/Arc-Colors-Transparent-Wallpaper abstract/Flow abstract/Gulp abstract/Silk \
  abstract/Spring abstract/Waves desktop/Float-into-MATE desktop/MATE-Stripes-Dark \
  desktop/MATE-Stripes-Light desktop/Stripes desktop/Ubuntu-Mate-Cold-no-logo \
  desktop/Ubuntu-Mate-Dark-no-logo desktop/Ubuntu-Mate-Radioactive-no-logo \
  desktop/Ubuntu-Mate-Warm-no-logo; do
  make_file train flat "mate-${n#*/}" png_crop "$mate/$n.png"
done
for n in calla city desert fluent-color focal-ubuntukylin goldfish rollpaper; do
  make_file train flat "ukui-$n" png_crop "$ukui/$n.png"
done
# Every PNG of the GIMP manual over 40 KB (screenshots of dialogs, menus and edited images).
while read -r f; do
  rel=${f#"$gimphelp"/}
  make_file train flat "gimphelp-$(echo "${rel%.png}" | tr '/' '_')" png_crop "$f"
done < <(find "$gimphelp" -name '*.png' -size +40k | sort)

# ---- train: 16-bit instrument frames (ESO-MIDAS test data: CCD frames, photographic plates) ----
for n in thar5s.fit badfitskeys.mt nttexample.mt wcstest.mt dss_test1.fits dss_test2.fits; do
  make_file train sci16 "eso-${n%.*}" fits_crop "$eso/$n"
done

# ---- validation ----
for n in Infinite-Sea_by_Aury88 Kleiber_by_Lukas_Baubkus; do
  make_file validation photo "lomiri20-$n" jpeg_box2 "$lomiri20/$n.jpg"
done
for n in Fossa_by_Jasper_Roks Painting-Colors_by__herobrine7gamer; do
  make_file validation art "lomiri20-$n" jpeg_box2 "$lomiri20/$n.jpg"
done
for f in "$cache"/sway-backgrounds/usr/share/backgrounds/sway/*.png; do
  make_file validation flat "sway-$(basename "$f" .png)" png_crop "$f"
done
# No 16-bit validation set: the only other candidates found (nibabel's DICOM test files) hold
# synthetic ramps, not instrument data.

# ---- test: held-out packages only ----
# Never-JPEG photographs (JPEG XL test images; the wesaturate photos are developed from raw files).
make_file test photo jxl-flower pnm_crop "$jxl/jxl/flower/flower.pnm"
for n in cvo9xd_keong_macan tmshre_riaphotographs u76c0g_bliznaca; do
  make_file test photo "jxl-$n" png_crop "$jxl/external/wesaturate/500px/${n}_srgb8.png"
done
make_file test photo jxl-hdr_room16 png_crop "$jxl/jxl/hdr_room.png"   # 16-bit
# Never-JPEG photographs from two more held-out packages (class photo2; selection rule in
# corpora/README.md): the one camera raw file found in Debian 12 (rawtran's sample, Canon EOS 30D
# CR2), and every photograph among the OpenEXR sample images that Psychtoolbox ships (ILM's
# multi-exposure HDR photos; WideColorGamut.exr, a synthetic chart, is left out).
make_file test photo2 rawtran-IMG_5952 raw_half "$cache/rawtran-doc/usr/share/doc/rawtran/IMG_5952.CR2"
for n in CandleGlass Desk GoldenGate Ocean StillLife; do
  make_file test photo2 "ptb-exr-$n" exr_srgb8 "$cache/psychtoolbox-3-common/usr/share/psychtoolbox-3/PsychDemos/OpenEXRImages/$n.exr"
done
# 16-bit medical (pydicom's CT and MR samples) and astronomical (IRAF's M51 CCD frame) images.
make_file test sci16 pydicom-CT_small dicom16 "$dcm/CT_small.dcm"
make_file test sci16 pydicom-MR_small dicom16 "$dcm/MR_small.dcm"
make_file test sci16 iraf-m51 iraf16 "$cache/iraf/usr/lib/iraf/dev/pix.pix" 512 512
# Flat / overlay: Marble's manual screenshots (maps under UI), Debian's boot and login artwork.
for f in "$marble"/*.png; do
  make_file test flat "marble-$(basename "$f" .png)" png_crop "$f"
done
while read -r f; do
  rel=${f#"$cache"/desktop-base/usr/share/}
  make_file test flat "debian-$(echo "${rel%.png}" | tr '/' '_')" png_crop "$f"
done < <(find "$cache/desktop-base/usr/share" -name '*.png' -size +50k | sort)
# Tiled textures: MyPaint's seamless paper textures repeated exactly.
while read -r f; do
  name=$(basename "$f" .png | tr ' ' '-')
  make_file test tiled "mypaint-$name" tiled "$f"
done < <(find "$mypaint" -name '*.png' | sort)

[ "$produced" -eq 0 ] || say "built $produced files"

if [ "$mode" = write ]; then
  {
    echo "# FlowZip image corpus: sha256 size split class path (relative to corpora/data). Written by"
    echo "# 'corpora/fetch-images.sh --write-manifest'; checked by every run of corpora/fetch-images.sh."
    (cd "$data" && find imageset -type f ! -name '*.tmp' | sort) | while read -r p; do
      split=$(echo "$p" | cut -d/ -f2); class=$(echo "$p" | cut -d/ -f3)
      printf '%s %s %s %s %s\n' "$(sha256sum "$data/$p" | cut -d' ' -f1)" "$(stat -c %s "$data/$p")" \
        "$split" "$class" "$p"
    done
  } > "$manifest"
  say "wrote $manifest"
fi

verify
