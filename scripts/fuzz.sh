#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for a bounded time and prints the executions per target.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: 20 s, every target)
#
# With a nightly toolchain the targets run under AddressSanitizer; without one they run on stable with
# `-s none` (coverage-guided, no sanitizer). cargo-fuzz is installed if missing. The seed corpora in
# fuzz/corpus/<target>/ are read, never written: new inputs go to a scratch directory. A crash leaves its input in
# fuzz/artifacts/<target>/ and makes the script exit 1.
# Environment: FUZZ_TARGET_DIR (build directory, default fuzz/target: the instrumented build must not share a
# directory with the normal one), FUZZ_TOOLCHAIN (force `nightly` or `stable`).
set -euo pipefail

seconds="${1:-20}"
shift || true
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/fuzz"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$root/fuzz/target}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

toolchain="${FUZZ_TOOLCHAIN:-}"
if [[ -z "$toolchain" ]]; then
    if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then toolchain=nightly; else toolchain=stable; fi
fi
if [[ "$toolchain" == nightly ]]; then
    fuzz=(cargo +nightly fuzz)
    sanitizer=(-s address)
else
    fuzz=(cargo +stable fuzz)
    sanitizer=(-s none)
fi

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    mapfile -t targets < <("${fuzz[@]}" list)
fi

echo "fuzz.sh: toolchain $toolchain (${sanitizer[*]}), ${seconds}s per target: ${targets[*]}" >&2
# Build every target first, so the time budget below is spent fuzzing, not compiling.
"${fuzz[@]}" build "${sanitizer[@]}"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
summary=()
failed=0
for target in "${targets[@]}"; do
    mkdir -p "$scratch/$target" "corpus/$target"
    log="$scratch/$target.log"
    # Scratch directory first: libFuzzer writes new inputs to the first corpus directory only.
    if "${fuzz[@]}" run "${sanitizer[@]}" "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        >"$log" 2>&1; then
        status=ok
    else
        status=CRASH
        failed=1
        tail -n 40 "$log" >&2
    fi
    execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)"
    summary+=("$(printf '%-16s %-6s %12s execs in %ss' "$target" "$status" "${execs:-?}" "$seconds")")
done

printf '%s\n' "${summary[@]}"
exit "$failed"
