#!/usr/bin/env bash
# Release packaging in the layout the Terraform registry (and a packed filesystem mirror) expects:
#
#   dist/terraform-provider-modelrouter_<ver>_<os>_<arch>.zip   holds terraform-provider-modelrouter_v<ver>[.exe]
#   dist/terraform-provider-modelrouter_<ver>_manifest.json     terraform-registry-manifest.json (protocol 5.0)
#   dist/terraform-provider-modelrouter_<ver>_SHA256SUMS        sha256 of the zip(s) and the manifest
#
#   scripts/package.sh                       build the release binary for this machine and package it into dist/
#   scripts/package.sh --target TRIPLE       build for a Rust target (the release workflow's matrix) and package it
#   scripts/package.sh --binary PATH         package an already built binary (tests use cargo's debug build)
#   scripts/package.sh --out DIR             write the artifacts into DIR instead of dist/
#
# Prints the path of the zip. Its one entry has a fixed timestamp and mode 0755. The checksums (and, in a release,
# their signature) are written by scripts/release-sums.sh; the release matrix is .github/workflows/release.yml.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

binary=""
target=""
out="$root/dist"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --target) target="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

python="$(command -v python3 || command -v python || true)"
[[ -n "$python" ]] || { echo "error: python3 is needed to write the zip" >&2; exit 1; }
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)"
[[ -n "$version" ]] || { echo "error: no version in Cargo.toml" >&2; exit 1; }

# The registry's platform names: from the Rust target when one is given, else from this machine.
if [[ -n "$target" ]]; then
  case "$target" in
    *-linux-*) os=linux ;; *-apple-darwin) os=darwin ;; *-windows-*) os=windows ;;
    *) echo "error: no registry platform for target $target" >&2; exit 2 ;;
  esac
  arch="${target%%-*}"
else
  case "$(uname -s)" in
    Linux) os=linux ;; Darwin) os=darwin ;; MINGW*|MSYS*|CYGWIN*) os=windows ;; *) os="$(uname -s | tr '[:upper:]' '[:lower:]')" ;;
  esac
  arch="$(uname -m)"
fi
case "$arch" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; esac
exe=""
[[ "$os" == windows ]] && exe=".exe"

if [[ -z "$binary" ]]; then
  (cd "$root" && cargo build --release --locked ${target:+--target "$target"} -p terraform-provider-modelrouter --bin terraform-provider-modelrouter >&2)
  binary="${CARGO_TARGET_DIR:-$root/target}/${target:+$target/}release/terraform-provider-modelrouter$exe"
fi
[[ -f "$binary" ]] || { echo "error: $binary does not exist" >&2; exit 1; }
[[ "$os" == windows || -x "$binary" ]] || { echo "error: $binary is not an executable" >&2; exit 1; }

name="terraform-provider-modelrouter"
zip="$out/${name}_${version}_${os}_${arch}.zip"
mkdir -p "$out"
rm -f "$zip"

"$python" - "$binary" "$zip" "${name}_v${version}${exe}" <<'PY'
import sys, zipfile
binary, archive, entry = sys.argv[1:4]
info = zipfile.ZipInfo(entry, date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = (0o100755 << 16)  # a regular file, rwxr-xr-x
info.create_system = 3                  # Unix, so the mode is honoured on extraction
info.compress_type = zipfile.ZIP_DEFLATED
with open(binary, "rb") as f, zipfile.ZipFile(archive, "w") as z:
    z.writestr(info, f.read())
PY

"$root/scripts/release-sums.sh" "$out"

echo "packaged $name $version (${os}_${arch}) into $out" >&2
echo "$zip"
