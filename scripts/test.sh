#!/usr/bin/env bash
# Every test: unit, property, emulator, ARM client and acceptance tests (the latter drive the real `terraform`
# binary against the emulator). Requires terraform on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v terraform >/dev/null || { echo "error: terraform is not on PATH" >&2; exit 1; }
cargo fmt --all -- --check
cargo build --workspace --all-targets --locked
cargo nextest run --workspace --locked --no-fail-fast "$@"

# The tests that need Python SDKs are ignored by default; each runs when its package imports, and says so when it
# cannot run:
# - tests/examples.rs::litellm_sdk_sends_the_rendered_entry needs litellm ($LITELLM_PYTHON, default python3);
# - tests/openai_sdk.rs needs the official openai package ($OPENAI_PYTHON, default python3).
python="${LITELLM_PYTHON:-python3}"
if "$python" -c "import litellm" >/dev/null 2>&1; then
  LITELLM_PYTHON="$python" cargo nextest run --locked --test examples --run-ignored only -E 'test(litellm_sdk)'
else
  echo "SKIPPED examples::litellm_sdk_sends_the_rendered_entry: the litellm Python package is not importable by $python"
fi
openai_python="${OPENAI_PYTHON:-python3}"
if "$openai_python" -c "import openai" >/dev/null 2>&1; then
  OPENAI_PYTHON="$openai_python" cargo nextest run --locked --test openai_sdk --run-ignored only
else
  echo "SKIPPED openai_sdk::official_sdk_clients_answer_from_the_subset_terraform_sets: the openai Python package is not importable by $openai_python"
fi
