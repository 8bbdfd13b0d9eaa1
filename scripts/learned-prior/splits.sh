#!/usr/bin/env bash
# Makes corpora/data/splits/{train,validation,test}/ : symbolic links to the images of each split of
# corpora/MANIFEST (run corpora/fetch.sh first), so `flowzip train` sees the train split only.
set -euo pipefail
cd "$(dirname "$0")/../.."
for split in train validation test; do
    rm -rf "corpora/data/splits/$split"
    mkdir -p "corpora/data/splits/$split"
    awk -v s="$split" '$3 == s && $4 ~ /^images\// { print $4 }' corpora/MANIFEST | while read -r f; do
        [[ -f corpora/data/$f ]] || { echo "missing corpora/data/$f: run corpora/fetch.sh" >&2; exit 1; }
        ln -s "../../$f" "corpora/data/splits/$split/"
    done
done
ls corpora/data/splits/*
