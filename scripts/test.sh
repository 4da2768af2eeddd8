#!/usr/bin/env bash
# Lists the test files (node 20's runner does not expand globs) and runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find test -name '*.test.ts' | sort)
exec node --import tsx --test --test-concurrency=2 "$@" "${files[@]}"
