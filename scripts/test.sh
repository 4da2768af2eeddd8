#!/usr/bin/env bash
# Runs the given test files, or every test/**/*.test.ts (node 20's runner does not expand globs).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find test -name '*.test.ts' | sort)
fi
exec node --import tsx --test --test-concurrency=2 "${files[@]}"
