#!/usr/bin/env bash
# Builds the documentation of the FlowZip library (Sources/FlowZip/FlowZip.docc and the doc comments)
# with swift-docc-plugin and fails on any warning: a broken symbol link, an ambiguous overload, a
# missing article. Run from anywhere; CI runs it as is.
#   scripts/docs.sh                 # check; the archive lands in .build/plugins/Swift-DocC/outputs/
#   OUT=site scripts/docs.sh        # also write a static website to ./site (for GitHub Pages and the like)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
if [ -n "${OUT:-}" ]; then
  swift package --allow-writing-to-directory "$OUT" generate-documentation --target FlowZip \
    --warnings-as-errors --transform-for-static-hosting --output-path "$OUT"
else
  swift package generate-documentation --target FlowZip --warnings-as-errors
fi
