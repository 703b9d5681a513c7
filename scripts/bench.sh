#!/usr/bin/env bash
# The benchmark of docs/performance.md: what terraform-provider-modelrouter costs on top of Terraform itself.
# Builds the provider, the emulator and the bench in release mode, then measures side by side in one run:
# (a) plugin start, (b) apply/plan of N routers vs N terraform_data, (c) provider peak RSS, (d) ARM requests per
# resource, (e) 20 routers in one account with 1 s operations, (f) Azure's template validation at plan with 50 ms per
# request. Prints a Markdown table; also writes
# .local/bench/bench.md and bench.json. Extra arguments go to the bench (`scripts/bench.sh --help`).
#
#   scripts/bench.sh                      # the full run (about 10 minutes on 2 cores)
#   scripts/bench.sh --sizes 1,50 --only a,b
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v terraform >/dev/null || { echo "error: terraform is not on PATH" >&2; exit 1; }

target="${CARGO_TARGET_DIR:-$root/target}"
cargo build --release --bin terraform-provider-modelrouter --bin modelrouter-emulator >&2
cargo build --release -p modelrouter-bench >&2

# The hashicorp/aws provider of the machine image, if present: the "what users run today" reference for (a).
aws="$(find / -name 'terraform-provider-aws_*' -type f 2>/dev/null | head -n1 || true)"
aws_args=()
if [[ -n "$aws" ]]; then aws_args=(--aws "$aws"); fi

exec "$target/release/modelrouter-bench" \
  --provider "$target/release/terraform-provider-modelrouter" \
  "${aws_args[@]}" --out "$root/.local/bench" "$@"
