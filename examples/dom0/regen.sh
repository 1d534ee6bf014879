#!/usr/bin/env bash
# Regenerates the golden dom0 trees from cases.tsv with the xldt launcher.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
grep -v '^#' "$here/cases.tsv" | while IFS=$'\t' read -r name host cmdline; do
  "$here/../../xldt" dom0 --host "$here/../hosts/$host" --xen-cmdline "$cmdline" \
    -o "$here/$name.dtb" --dts "$here/$name.dts"
done
