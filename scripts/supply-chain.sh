#!/usr/bin/env bash
# Supply-chain checks of the provider's dependency graph with cargo-deny (policy: deny.toml):
# licenses (allow-list), bans (no OpenSSL/native-tls/ring, no wildcard versions; duplicates warn) and sources
# (crates.io only). Installs cargo-deny if missing.
#
#   scripts/supply-chain.sh            licenses, bans, sources (works offline once the crates are fetched)
#   scripts/supply-chain.sh --advisories   also the RustSec advisory check (needs network access to GitHub)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! cargo deny --version >/dev/null 2>&1; then
    echo "supply-chain.sh: installing cargo-deny" >&2
    cargo install cargo-deny --locked
fi

checks=(licenses bans sources)
if [[ "${1:-}" == "--advisories" ]]; then
    checks+=(advisories)
fi

# --locked: judge exactly the committed Cargo.lock. --hide-inclusion-graph keeps the log short.
cargo deny --locked check --hide-inclusion-graph "${checks[@]}"
