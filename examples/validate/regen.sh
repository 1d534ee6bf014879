#!/usr/bin/env bash
# Regenerates the report and graph README.md shows (ValidateExamplesTest compares them), from the
# repository root so that the paths in the report are the ones the README's command line uses.
set -euo pipefail
cd "$(dirname "$0")/../.."
./xldt validate --system examples/dom0less/smmu-passthrough/system.cfg \
  --graph examples/validate/smmu-passthrough.dot > examples/validate/smmu-passthrough.txt 2>/dev/null
