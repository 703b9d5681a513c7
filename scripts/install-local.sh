#!/usr/bin/env bash
# Build the provider and install it into a local filesystem mirror, with a Terraform CLI config that points at it,
# so that a plain offline `terraform init` finds `modelrouter/modelrouter`.
#
#   scripts/install-local.sh [--release]
#
# Afterwards:  export TF_CLI_CONFIG_FILE="$PWD/.local/terraformrc"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

profile=debug
cargo_flags=()
if [[ "${1:-}" == "--release" ]]; then profile=release; cargo_flags+=(--release); fi

version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)"
target="${CARGO_TARGET_DIR:-$root/target}"

cargo build "${cargo_flags[@]}" --bin terraform-provider-modelrouter --bin modelrouter-emulator >&2

os="$(uname -s | tr '[:upper:]' '[:lower:]')"
case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac

mirror="$root/.local/mirror"
dest="$mirror/registry.terraform.io/modelrouter/modelrouter/$version/${os}_${arch}"
rm -rf "$mirror/registry.terraform.io/modelrouter/modelrouter"
mkdir -p "$dest"
cp "$target/$profile/terraform-provider-modelrouter" "$dest/terraform-provider-modelrouter_v$version"

cat > "$root/.local/terraformrc" <<RC
# Written by scripts/install-local.sh: use the locally built provider, never a registry.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/modelrouter/modelrouter"]
  }
  direct {
    exclude = ["registry.terraform.io/modelrouter/modelrouter"]
  }
}
RC
echo "installed terraform-provider-modelrouter $version (${profile}) into $dest" >&2
echo "$root/.local/terraformrc"
