#!/usr/bin/env bash
# Build the provider and install it into a local filesystem mirror, with a Terraform CLI config that points at it,
# so that a plain offline `terraform init` finds `modelrouter/modelrouter`.
#
#   scripts/install-local.sh [--release] [DIR...]
#
# Afterwards:  export TF_CLI_CONFIG_FILE="$PWD/.local/terraformrc"
#
# A rebuild changes the package's checksum, which an initialised directory's .terraform.lock.hcl has recorded, so
# its next `terraform init` would refuse the new build. This script therefore adds the new build's checksum to the
# lock file of every DIR given and of every directory under examples/ and .local/ whose lock file names
# modelrouter/modelrouter (`terraform providers lock` against the mirror; other providers are left alone). Run
# `terraform init` there again afterwards (no -upgrade needed).
#
# MODELROUTER_PROVIDER_BINARY installs that binary instead of building one; MODELROUTER_LOCAL_DIR replaces .local
# (both for tests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

profile=debug
cargo_flags=()
lock_dirs=()
for arg in "$@"; do
  case "$arg" in
    --release) profile=release; cargo_flags+=(--release) ;;
    *) lock_dirs+=("$arg") ;;
  esac
done

version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)"
target="${CARGO_TARGET_DIR:-$root/target}"
local_dir="${MODELROUTER_LOCAL_DIR:-$root/.local}"

if [[ -n "${MODELROUTER_PROVIDER_BINARY:-}" ]]; then
  binary="$MODELROUTER_PROVIDER_BINARY"
else
  cargo build "${cargo_flags[@]}" --bin terraform-provider-modelrouter --bin modelrouter-emulator >&2
  binary="$target/$profile/terraform-provider-modelrouter"
fi

os="$(uname -s | tr '[:upper:]' '[:lower:]')"
case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac

mirror="$local_dir/mirror"
dest="$mirror/registry.terraform.io/modelrouter/modelrouter/$version/${os}_${arch}"
rm -rf "$mirror/registry.terraform.io/modelrouter/modelrouter"
mkdir -p "$dest"
cp "$binary" "$dest/terraform-provider-modelrouter_v$version"

cat > "$local_dir/terraformrc" <<RC
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

# Lock files that recorded an earlier build: add this build's checksum.
while IFS= read -r -d '' lock; do
  lock_dirs+=("$(dirname "$lock")")
done < <(find "$root/examples" "$local_dir" -maxdepth 3 -name .terraform.lock.hcl -not -path '*/.terraform/*' -print0 2>/dev/null)
for dir in ${lock_dirs[@]+"${lock_dirs[@]}"}; do
  grep -qs 'registry.terraform.io/modelrouter/modelrouter' "$dir/.terraform.lock.hcl" || continue
  if TF_CLI_CONFIG_FILE="$local_dir/terraformrc" terraform -chdir="$dir" providers lock -no-color \
    -fs-mirror="$mirror" -platform="${os}_${arch}" registry.terraform.io/modelrouter/modelrouter >/dev/null; then
    echo "lock file of $dir: this build's checksum added (run terraform init there again)" >&2
  else
    echo "warning: could not update the lock file of $dir; run terraform init -upgrade there" >&2
  fi
done
echo "$local_dir/terraformrc"
