#!/usr/bin/env bash
# Checks the GitHub Actions workflows against GitHub's workflow schema with action-validator (offline): this
# repository's own (.github/workflows/*.yml) and the pipeline example users copy (examples/pipelines/github-actions.yml).
#
#   scripts/validate-workflows.sh [FILE...]       (default: the files above)
#
# action-validator is installed from npm, at the version pinned in .ci/npm/package-lock.json, into .local/npm (never
# globally). examples/pipelines/azure-pipelines.yml is an Azure DevOps pipeline, a different schema that
# action-validator does not know, so it is not passed to it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

command -v npm >/dev/null || { echo "validate-workflows.sh: npm (Node.js) is needed to install action-validator" >&2; exit 1; }

prefix="$root/.local/npm"
validator="$prefix/node_modules/.bin/action-validator"
# Reinstall when the pinned versions change (npm ci installs exactly the lock file, with its integrity hashes).
if [[ ! -x "$validator" ]] || ! cmp -s .ci/npm/package-lock.json "$prefix/package-lock.json"; then
    mkdir -p "$prefix"
    cp .ci/npm/package.json .ci/npm/package-lock.json "$prefix/"
    (cd "$prefix" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

if [[ $# -gt 0 ]]; then
    files=("$@")
else
    files=(.github/workflows/*.yml examples/pipelines/github-actions.yml)
fi

failed=0
for file in "${files[@]}"; do
    # action-validator warns that it cannot check `paths` globs; that is expected, not a finding.
    if output="$("$validator" "$file" 2>&1)"; then
        echo "valid: $file"
    else
        echo "INVALID: $file" >&2
        echo "$output" >&2
        failed=1
    fi
done
exit "$failed"
