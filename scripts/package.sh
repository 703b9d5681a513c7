#!/usr/bin/env bash
# Release packaging in the layout the Terraform registry (and a packed filesystem mirror) expects:
#
#   dist/terraform-provider-modelrouter_<ver>_<os>_<arch>.zip   holds terraform-provider-modelrouter_v<ver>
#   dist/terraform-provider-modelrouter_<ver>_manifest.json     {"version":1,"metadata":{"protocol_versions":["5.0"]}}
#   dist/terraform-provider-modelrouter_<ver>_SHA256SUMS        sha256 of the zip(s) and the manifest
#
#   scripts/package.sh                       build the release binary for this machine and package it into dist/
#   scripts/package.sh --binary PATH         package an already built binary (tests use cargo's debug build)
#   scripts/package.sh --out DIR             write the artifacts into DIR instead of dist/
#
# Prints the path of the zip. Its one entry has a fixed timestamp and mode 0755.
# Only the platform of this machine is built here; the release matrix for a hosted CI is docs/guides/releasing.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

binary=""
out="$root/dist"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

command -v python3 >/dev/null || { echo "error: python3 is needed to write the zip" >&2; exit 1; }
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)"
[[ -n "$version" ]] || { echo "error: no version in Cargo.toml" >&2; exit 1; }

if [[ -z "$binary" ]]; then
  (cd "$root" && cargo build --release --locked --bin terraform-provider-modelrouter >&2)
  binary="${CARGO_TARGET_DIR:-$root/target}/release/terraform-provider-modelrouter"
fi
[[ -x "$binary" ]] || { echo "error: $binary is not an executable" >&2; exit 1; }

os="$(uname -s | tr '[:upper:]' '[:lower:]')"
case "$(uname -m)" in x86_64|amd64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac

name="terraform-provider-modelrouter"
zip="$out/${name}_${version}_${os}_${arch}.zip"
manifest="$out/${name}_${version}_manifest.json"
sums="$out/${name}_${version}_SHA256SUMS"
mkdir -p "$out"
rm -f "$zip" "$manifest" "$sums"

python3 - "$binary" "$zip" "${name}_v${version}" <<'PY'
import sys, zipfile
binary, archive, entry = sys.argv[1:4]
info = zipfile.ZipInfo(entry, date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = (0o100755 << 16)  # a regular file, rwxr-xr-x
info.create_system = 3                  # Unix, so the mode is honoured on extraction
info.compress_type = zipfile.ZIP_DEFLATED
with open(binary, "rb") as f, zipfile.ZipFile(archive, "w") as z:
    z.writestr(info, f.read())
PY

printf '{"version":1,"metadata":{"protocol_versions":["5.0"]}}\n' > "$manifest"
(cd "$out" && sha256sum "$(basename "$zip")" "$(basename "$manifest")" > "$(basename "$sums")")

echo "packaged $name $version (${os}_${arch}) into $out" >&2
echo "$zip"
