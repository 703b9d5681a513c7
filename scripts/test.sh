#!/usr/bin/env bash
# Every test: unit, property, emulator, ARM client and acceptance tests (the latter drive the real `terraform`
# binary against the emulator). Requires terraform on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v terraform >/dev/null || { echo "error: terraform is not on PATH" >&2; exit 1; }
cargo fmt --all -- --check
cargo build --workspace --all-targets --locked
cargo nextest run --workspace --locked --no-fail-fast "$@"
