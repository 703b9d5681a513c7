#!/usr/bin/env bash
# The provider binary's normal dependency graph (what ships) must not hold the ARM emulator (a test double, only a
# dev-dependency), a web framework, nor an HTTP server: the emulator's axum/hyper server stack stays in
# crates/emulator, and tf-provider serves gRPC over the h2 crate itself (crates/tf-provider/src/server/http2.rs)
# rather than through tonic's transport. hyper itself stays, as reqwest's HTTP client: only its server features
# (and hyper-util's) are refused.
#
#   scripts/check-dependency-graph.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

forbidden=(modelrouter-emulator axum axum-core matchit)
crates="$(cargo tree --locked -e normal -p terraform-provider-modelrouter --prefix none -f '{p}' | awk '{ print $1 }' | sort -u)"
[[ -n "$crates" ]] || { echo "check-dependency-graph.sh: cargo tree printed nothing" >&2; exit 1; }

found=()
for crate in "${forbidden[@]}"; do
    if grep -qx "$crate" <<<"$crates"; then found+=("$crate"); fi
done
if [[ ${#found[@]} -gt 0 ]]; then
    echo "check-dependency-graph.sh: the provider's normal dependencies include ${found[*]}:" >&2
    for crate in "${found[@]}"; do
        cargo tree --locked -e normal -p terraform-provider-modelrouter -i "$crate" >&2
    done
    exit 1
fi
# Features as cargo resolves them for the provider package alone (what `cargo build -p` ships).
servers="$(cargo tree --locked -e normal -e features -p terraform-provider-modelrouter --prefix none -f '{p} {f}' |
    awk '($1 == "hyper" || $1 == "hyper-util") && $2 ~ /^v/ && $3 ~ /(^|,)server/ { print $1 " " $3 }' | sort -u)"
if [[ -n "$servers" ]]; then
    echo "check-dependency-graph.sh: HTTP server features are enabled in the provider's normal graph:" >&2
    echo "$servers" >&2
    cargo tree --locked -e normal -e features -p terraform-provider-modelrouter -i hyper >&2
    exit 1
fi

echo "check-dependency-graph.sh: $(wc -l <<<"$crates") crates in the provider's normal graph, none of: ${forbidden[*]}; hyper and hyper-util without server features"
