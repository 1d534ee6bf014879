#!/bin/sh
# Regenerate the golden JSON of every example with Xen's own libxlutil (the oracle).
# NAME.args (one KEY=VALUE per line) are appended as "xl create NAME.cfg KEY=VALUE..." does:
# file + "\n" + "KEY=VALUE\n"... + "\n".
# usage: examples/xlcfg/regen-goldens.sh   (needs libxen-dev and cc)
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
oracle="$root/target/xlcfg-oracle"
mkdir -p "$root/target"
cc -O2 -o "$oracle" "$root/src/test/c/xlcfg-oracle.c" -lxlutil -lxenlight
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for cfg in "$here"/*.cfg; do
  base=${cfg%.cfg}
  name=$(basename "$cfg")
  input="$cfg"
  if [ -f "$base.args" ]; then
    input="$tmp/$name"
    { cat "$cfg"; printf '\n'; cat "$base.args"; printf '\n'; } > "$input"
  fi
  "$oracle" "$input" > "$base.json" 2>/dev/null || true
done
echo "goldens written: $(ls "$here"/*.json | wc -l)"
