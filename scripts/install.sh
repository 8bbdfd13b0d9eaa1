#!/usr/bin/env bash
# Install a built flowzip with its man page, shell completions and the unflowzip/flowcat names.
#   scripts/install.sh BINARY [PREFIX]     (PREFIX defaults to /usr/local)
# The man page and completions are written by the binary itself (`flowzip --generate-man`,
# `--generate-completions SHELL`), so they describe exactly the options it has.
set -euo pipefail
binary=${1:?usage: scripts/install.sh BINARY [PREFIX]}
prefix=${2:-/usr/local}
share=$prefix/share

install -D -m 755 "$binary" "$prefix/bin/flowzip"
ln -sf flowzip "$prefix/bin/unflowzip"
ln -sf flowzip "$prefix/bin/flowcat"
flowzip=$prefix/bin/flowzip

mkdir -p "$share/man/man1"
"$flowzip" --generate-man > "$share/man/man1/flowzip.1"
for name in unflowzip flowcat; do echo '.so man1/flowzip.1' > "$share/man/man1/$name.1"; done

# bash-completion and fish load a command's completions by its name; zsh reads #compdef.
mkdir -p "$share/bash-completion/completions" "$share/zsh/site-functions" "$share/fish/vendor_completions.d"
"$flowzip" --generate-completions bash > "$share/bash-completion/completions/flowzip"
"$flowzip" --generate-completions zsh > "$share/zsh/site-functions/_flowzip"
"$flowzip" --generate-completions fish > "$share/fish/vendor_completions.d/flowzip.fish"
for name in unflowzip flowcat; do
  ln -sf flowzip "$share/bash-completion/completions/$name"
  ln -sf flowzip.fish "$share/fish/vendor_completions.d/$name.fish"
done
echo "installed flowzip, unflowzip, flowcat in $prefix/bin, the man page in $share/man/man1, completions for bash, zsh and fish"
