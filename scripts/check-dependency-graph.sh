#!/usr/bin/env bash
# The provider binary's normal dependency graph (what ships) must not hold the ARM emulator (a test double, only a
# dev-dependency) nor a web framework: the emulator's axum server stack stays in crates/emulator, and tf-provider
# dispatches its gRPC services itself instead of through tonic's axum-based router. hyper's HTTP/2 server remains:
# the plugin is a gRPC server (tonic).
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
echo "check-dependency-graph.sh: $(wc -l <<<"$crates") crates in the provider's normal graph, none of: ${forbidden[*]}"
