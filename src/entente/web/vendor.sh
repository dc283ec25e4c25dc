#!/bin/sh
# Refresh the vendored npm assets listed in static/vendor/PACKAGES: `npm pack` each package at its pinned
# version and copy the listed files, licences included, into the tree. Only this needs npm; nothing else does.
set -eu
cd "$(dirname "$0")/../../.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grep -v '^#' src/entente/web/static/vendor/PACKAGES | while read -r spec rest; do
    [ -n "$spec" ] || continue
    files=${rest%% -> *}
    dest=${rest##* -> }
    tarball=$(cd "$work" && npm pack --silent "$spec")
    mkdir -p "$work/${spec%@*}" "$dest"
    tar -xzf "$work/$tarball" -C "$work/${spec%@*}"
    for f in $files; do cp "$work/${spec%@*}/package/$f" "$dest/"; done
    echo "$spec -> $dest"
done
