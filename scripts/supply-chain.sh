#!/usr/bin/env bash
# Supply-chain checks with cargo-deny (policy: deny.toml), offline:
#   - the root workspace (what ships): licenses (allow-list), bans (no OpenSSL/native-tls/ring, no wildcard
#     versions; duplicates warn), sources (crates.io only) and RustSec advisories;
#   - the fuzz workspace (fuzz/Cargo.lock, a development tool): RustSec advisories.
# Installs cargo-deny if missing.
#
#   scripts/supply-chain.sh
#
# Advisories come from a snapshot of the RustSec database (a copy of its crates/ folder plus a SNAPSHOT file naming
# its commit and date), by default ../shared/advisory-db next to the repository; MODELROUTER_ADVISORY_DB points
# elsewhere. cargo-deny reads a git checkout named after the database URL's hash under the db-path of deny.toml, so
# this script builds one from the snapshot under target/advisory-dbs, dated with the snapshot's date, and runs
# cargo-deny with --offline. How old the snapshot may be is `maximum-db-staleness` in deny.toml.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

snapshot="${MODELROUTER_ADVISORY_DB:-$root/../shared/advisory-db}"
if [[ ! -f "$snapshot/SNAPSHOT" || ! -d "$snapshot/crates" ]]; then
    echo "supply-chain.sh: no RustSec advisory database snapshot at $snapshot (expected SNAPSHOT and crates/)." >&2
    echo "  Set MODELROUTER_ADVISORY_DB to a directory holding one (see docs/supply-chain.md)." >&2
    exit 1
fi
commit="$(awk '$1 == "commit" { print $2 }' "$snapshot/SNAPSHOT")"
date="$(awk '$1 == "date" { print $2 }' "$snapshot/SNAPSHOT")"
if [[ -z "$commit" || -z "$date" ]] || ! date -d "$date" +%s >/dev/null 2>&1; then
    echo "supply-chain.sh: $snapshot/SNAPSHOT does not name a commit and an ISO-8601 date" >&2
    exit 1
fi

if ! cargo deny --version >/dev/null 2>&1; then
    echo "supply-chain.sh: installing cargo-deny" >&2
    cargo install cargo-deny --locked
fi

# The checkout cargo-deny opens for db-urls = ["https://github.com/rustsec/advisory-db"]: "<last path segment>-<xxh64
# of the lower-cased URL, seed 0xca80de71, as 16 hex digits>" (cargo-deny's url_to_db_path).
dbs="${CARGO_TARGET_DIR:-$root/target}/advisory-dbs"
checkout="$dbs/advisory-db-3157b0e258782691"
rm -rf "$checkout"
mkdir -p "$checkout"
cp -R "$snapshot/crates" "$checkout/crates"
chmod -R u+w "$checkout"
(
    cd "$checkout"
    export GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date"
    git="git -c user.name=advisory-db-snapshot -c user.email=snapshot@invalid -c commit.gpgsign=false"
    $git init -q
    $git add crates
    $git commit -q -m "RustSec advisory-db $commit (snapshot)"
)
# cargo-deny dates a checkout without FETCH_HEAD by the later of its HEAD commit and the mtime of .git/HEAD: give
# HEAD the snapshot's date too, or the staleness allowance would measure when this script ran.
touch -d "$date" "$checkout/.git/HEAD"

age_days=$(( ($(date +%s) - $(date -d "$date" +%s)) / 86400 ))
allowance="$(sed -n 's/^maximum-db-staleness *= *"\(.*\)".*/\1/p' deny.toml)"
echo "supply-chain.sh: RustSec advisory database snapshot $commit of $date ($age_days days old; deny.toml allows ${allowance:-P90D, the default})" >&2

export MODELROUTER_ADVISORY_DBS="$dbs"
# The crates must be in cargo's cache before an --offline run (a fresh CI machine has not built fuzz/ yet).
cargo fetch --locked >/dev/null
cargo fetch --locked --manifest-path fuzz/Cargo.toml >/dev/null

# --locked: judge exactly the committed lock files. --hide-inclusion-graph keeps the log short.
echo "supply-chain.sh: root workspace (Cargo.lock)" >&2
cargo deny --locked --offline check --hide-inclusion-graph licenses bans sources advisories
echo "supply-chain.sh: fuzz workspace (fuzz/Cargo.lock)" >&2
cargo deny --locked --offline --manifest-path fuzz/Cargo.toml check --hide-inclusion-graph advisories
