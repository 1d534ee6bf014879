#!/usr/bin/env bash
# Rewrites the golden outputs of every example system, run from the project root as the tests run:
# expected/ holds what
#   xldt dom0less examples/dom0less/NAME/system.cfg -o .../expected/boot.dtb \
#        --domu-dir .../expected/domu --uboot-script .../expected/boot.source
# writes (with its stdout and stderr), plus the decompile of every DTB by dtc (dtc -I dtb -O dts).
# Tests compare the outputs with these files byte for byte.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./xldt --version >/dev/null   # build the jar first, so that its messages stay out of stderr.txt
for sys in examples/dom0less/*/system.cfg; do
  d="$(dirname "$sys")"
  rm -rf "$d/expected"
  mkdir -p "$d/expected"
  ./xldt dom0less "$sys" -o "$d/expected/boot.dtb" --domu-dir "$d/expected/domu" \
      --uboot-script "$d/expected/boot.source" --caret=never >"$d/expected/stdout.txt" 2>"$d/expected/stderr.txt"
  for dtb in $(find "$d/expected" -name '*.dtb' | sort); do
    dtc -q -I dtb -O dts -o "${dtb%.dtb}.dts" "$dtb"
  done
done
