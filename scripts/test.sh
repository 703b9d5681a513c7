#!/usr/bin/env bash
# Every test: unit, property, emulator, ARM client and acceptance tests (the latter drive the real `terraform`
# binary against the emulator). Needs a Rust toolchain and terraform on PATH, nothing else:
#
#   scripts/test.sh [CARGO TARGET SELECTION...]     e.g. scripts/test.sh --test docs_sync --test examples
#
# The tests run with cargo-nextest when it is on PATH (one process per test, faster), else with `cargo test` (the
# same tests: every lib, bin and integration-test target; doctests are not part of either run). Arguments select
# targets and are passed to either runner, so they must be ones both understand (`--lib`, `--test NAME`, `-p PKG`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v terraform >/dev/null || { echo "error: terraform is not on PATH" >&2; exit 1; }
cargo fmt --all -- --check
cargo build --workspace --all-targets --locked

if command -v cargo-nextest >/dev/null 2>&1; then
  runner=nextest
  cargo nextest run --workspace --locked --no-fail-fast "$@"
else
  runner="cargo test"
  echo "cargo-nextest is not on PATH: running the same tests with cargo test" \
    "(install it for a faster run: cargo install --locked cargo-nextest)"
  if (($#)); then selection=("$@"); else selection=(--lib --bins --tests); fi
  cargo test --workspace --locked --no-fail-fast "${selection[@]}"
fi

# The tests that need Python SDKs are ignored by default; each runs when its package imports, and says so when it
# cannot run. The runner's summary above counts them as skipped (nextest) or ignored (cargo test), never as passed:
# - tests/examples.rs::litellm_sdk_sends_the_rendered_entry needs litellm ($LITELLM_PYTHON, default python3);
# - tests/openai_sdk.rs needs the official openai package ($OPENAI_PYTHON, default python3).
python="${LITELLM_PYTHON:-python3}"
if "$python" -c "import litellm" >/dev/null 2>&1; then
  if [[ "$runner" == nextest ]]; then
    LITELLM_PYTHON="$python" cargo nextest run --locked --test examples --run-ignored only -E 'test(litellm_sdk)'
  else
    LITELLM_PYTHON="$python" cargo test --locked --test examples -- --ignored litellm_sdk
  fi
else
  echo "SKIPPED examples::litellm_sdk_sends_the_rendered_entry: the litellm Python package is not importable by" \
    "$python (install it, e.g. python3 -m pip install litellm, or point LITELLM_PYTHON at a Python that has it)"
fi
openai_python="${OPENAI_PYTHON:-python3}"
if "$openai_python" -c "import openai" >/dev/null 2>&1; then
  if [[ "$runner" == nextest ]]; then
    OPENAI_PYTHON="$openai_python" cargo nextest run --locked --test openai_sdk --run-ignored only
  else
    OPENAI_PYTHON="$openai_python" cargo test --locked --test openai_sdk -- --ignored
  fi
else
  echo "SKIPPED openai_sdk::official_sdk_clients_answer_from_the_subset_terraform_sets: the openai Python package is" \
    "not importable by $openai_python (install it, or point OPENAI_PYTHON at a Python that has it)"
fi
