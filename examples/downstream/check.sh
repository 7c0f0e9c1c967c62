#!/usr/bin/env bash
# Checks nssgen from outside its workspace: the example's tests pass, and a misspelt field name
# fails to compile with the error on that field. Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-../../target/downstream}"
cargo test --quiet
# A crate that only derives links no grammar: pest is only in the proc-macro's build.
if cargo tree --edges no-proc-macro --prefix none | grep -E '^pest( |_)'; then
  echo "a derive-only crate links pest" >&2
  exit 1
fi
if out=$(cargo check --quiet --features typo 2>&1); then
  echo "expected the misspelt field to fail to compile" >&2
  exit 1
fi
echo "$out" | grep -q 'no field `eurll` in the format' || { echo "$out" >&2; echo "unexpected error" >&2; exit 1; }
echo "$out" | grep -q 'src/typo.rs:9:' || { echo "$out" >&2; echo "error is not on the field's line" >&2; exit 1; }
echo "downstream: tests pass; no pest linked; the misspelt field fails at src/typo.rs:9"
