#!/usr/bin/env bash
# Runs a command with a PATH on which the named executable cannot be found, as on a machine without it:
#
#   scripts/without-command.sh cargo-nextest scripts/test.sh --test docs_sync
#
# Each PATH directory holding it is replaced by a directory of links to everything else it holds.
set -euo pipefail
hide="$1"
shift
shadow_root="$(mktemp -d)"
trap 'rm -rf "$shadow_root"' EXIT
new_path=""
n=0
IFS=: read -ra dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  if [[ -e "$dir/$hide" ]]; then
    n=$((n + 1))
    shadow="$shadow_root/$n"
    mkdir -p "$shadow"
    for entry in "$dir"/*; do
      [[ "$(basename "$entry")" == "$hide" ]] || ln -s "$entry" "$shadow/"
    done
    dir="$shadow"
  fi
  new_path="${new_path:+$new_path:}$dir"
done
if PATH="$new_path" command -v "$hide" >/dev/null 2>&1; then
  echo "error: $hide is still on PATH" >&2
  exit 1
fi
PATH="$new_path" "$@"
