#!/usr/bin/env bash
# Checks that FlowZip works as a dependency: a new package that depends on a tagged clone of this
# repository with `from:` builds and runs the README's library example (the first ```swift block under
# "## Library", read from README.md so the README and this check cannot drift apart). SwiftPM refuses a
# dependency whose Package.swift has unsafeFlags, and a README example that no longer compiles or whose
# assertions fail makes the check fail too, as does any warning in the build.
# The clone is of HEAD (commit first: uncommitted changes are not checked); its tag is the newest
# released version in CHANGELOG.md. Builds in debug, in a temporary folder it removes.
# Usage: scripts/check-dependency.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "check-dependency.sh: $*" >&2; exit 1; }

version=$(sed -n 's/^## \[\([0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*\)\].*/\1/p' "$repo/CHANGELOG.md" | head -n 1)
[ -n "$version" ] || fail "no released version (a '## [X.Y.Z]' heading) in CHANGELOG.md"

# The first swift block in the Library section: its lines between the fences.
example=$(awk '/^## / { library = ($0 ~ /^## Library([^[:alnum:]]|$)/) }
               library && !inside && /^```swift[[:space:]]*$/ { inside = 1; next }
               inside && /^```/ { found = 1; exit }
               inside { print }
               END { exit !found }' "$repo/README.md") || fail "no \`\`\`swift block under '## Library' in README.md"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git clone --quiet "$repo" "$tmp/flowzip"
git -C "$tmp/flowzip" tag -f "$version" >/dev/null

mkdir -p "$tmp/consumer/Sources/Consumer"
cat > "$tmp/consumer/Package.swift" <<EOF
// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v13)],
    dependencies: [.package(url: "file://$tmp/flowzip", from: "$version")],
    targets: [.executableTarget(name: "Consumer", dependencies: [.product(name: "FlowZip", package: "flowzip")])]
)
EOF
# The example asserts (debug build: assertions on); the last line says it ran to the end.
marker="README library example ran"
printf '%s\nprint("%s")\n' "$example" "$marker" > "$tmp/consumer/Sources/Consumer/main.swift"

# Its own SwiftPM cache, so the clone of a temporary URL is not kept in the user's cache.
swiftpm=(--package-path "$tmp/consumer" --cache-path "$tmp/swiftpm-cache" --manifest-cache local)
start=$(date +%s)
swift build "${swiftpm[@]}" > "$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; fail "the consumer package did not build"; }
if grep -i "warning:" "$tmp/build.log" >&2; then fail "warnings building the consumer package (above)"; fi
resolved=$(sed -n 's/.*"version" *: *"\([^"]*\)".*/\1/p' "$tmp/consumer/Package.resolved")
[ "$resolved" = "$version" ] || fail "the consumer resolved FlowZip to '$resolved', not $version"
output=$(swift run "${swiftpm[@]}" --skip-build Consumer) || fail "the README example failed"
[ "$(printf '%s\n' "$output" | tail -n 1)" = "$marker" ] || fail "the README example did not run to its end: $output"
echo "check-dependency.sh: a package depending on FlowZip from: \"$version\" built and ran the README example ($(( $(date +%s) - start )) s)"
