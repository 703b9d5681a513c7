#!/usr/bin/env bash
# The registry's checksum file (and its signature) for a directory of release zips:
#
#   DIR/terraform-provider-modelrouter_<ver>_manifest.json    copied from terraform-registry-manifest.json
#   DIR/terraform-provider-modelrouter_<ver>_SHA256SUMS       sha256 of every DIR/terraform-provider-modelrouter_<ver>_*.zip
#                                                             and of the manifest
#   DIR/terraform-provider-modelrouter_<ver>_SHA256SUMS.sig   with --sign KEY: a binary detached GPG signature
#
#   scripts/release-sums.sh DIR [--sign KEY]
#
# KEY is a key id or fingerprint in gpg's keyring (GNUPGHOME); GPG_PASSPHRASE, when set, unlocks it. Called by
# scripts/package.sh for one platform and by the release workflow over the six platforms' zips.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

dir=""
key=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sign) key="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "error: unknown argument $1 (see --help)" >&2; exit 2 ;;
    *) dir="$1"; shift ;;
  esac
done
[[ -n "$dir" && -d "$dir" ]] || { echo "error: give the directory holding the zips (see --help)" >&2; exit 2; }

name="terraform-provider-modelrouter"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n1)"
[[ -n "$version" ]] || { echo "error: no version in Cargo.toml" >&2; exit 1; }

if command -v sha256sum >/dev/null; then sha256=(sha256sum); else sha256=(shasum -a 256); fi

cd "$dir"
shopt -s nullglob
zips=("${name}_${version}"_*.zip)
[[ ${#zips[@]} -gt 0 ]] || { echo "error: no ${name}_${version}_*.zip in $dir" >&2; exit 1; }
manifest="${name}_${version}_manifest.json"
sums="${name}_${version}_SHA256SUMS"
cp "$root/terraform-registry-manifest.json" "$manifest"
"${sha256[@]}" "${zips[@]}" "$manifest" > "$sums"

if [[ -n "$key" ]]; then
  command -v gpg >/dev/null || { echo "error: gpg is needed to sign $sums" >&2; exit 1; }
  rm -f "$sums.sig"
  if [[ -n "${GPG_PASSPHRASE:-}" ]]; then
    gpg --batch --yes --pinentry-mode loopback --passphrase-fd 3 --local-user "$key" --output "$sums.sig" \
      --detach-sign "$sums" 3<<<"$GPG_PASSPHRASE"
  else
    gpg --batch --yes --local-user "$key" --output "$sums.sig" --detach-sign "$sums"
  fi
fi
echo "wrote $dir/$sums (${#zips[@]} zip(s) and the manifest)${key:+, signed by $key}" >&2
