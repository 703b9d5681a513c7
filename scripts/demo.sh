#!/usr/bin/env bash
# The main job, end to end and offline: build the provider, install it into a local filesystem mirror, start the
# ARM emulator, `terraform init/plan/apply` examples/quickstart (a quality-mode router whose subset includes
# claude-sonnet-4-5, and the Claude deployment it needs), print its outputs, change the router out of band through the
# emulator's admin API, show `terraform plan -detailed-exitcode` catching the drift, then destroy and stop.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

command -v terraform >/dev/null || { echo "error: terraform is not on PATH" >&2; exit 1; }
command -v curl >/dev/null || { echo "error: curl is not on PATH" >&2; exit 1; }

# Bold step titles on a terminal only: piped or logged output (CI, `| tee`) stays free of escape codes; NO_COLOR
# (no-color.org) turns them off on a terminal too.
if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
  bold=$'\033[1m' green=$'\033[1;32m' plain=$'\033[0m'
else
  bold="" green="" plain=""
fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }

step "Build the provider and install it into a local filesystem mirror"
export TF_CLI_CONFIG_FILE="$(scripts/install-local.sh)"
target="${CARGO_TARGET_DIR:-$root/target}"

account="/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-modelrouter-demo/providers/Microsoft.CognitiveServices/accounts/foundry-demo"
token="demo-token-$$"
workdir="$root/.local/demo"
emulator_log="$root/.local/emulator.log"
rm -rf "$workdir" && mkdir -p "$workdir"
cp examples/quickstart/*.tf "$workdir/"

step "Start the ARM emulator"
coproc EMULATOR { exec "$target/debug/modelrouter-emulator" --account "$account" --token "$token" --operation-delay-ms 300 2>"$emulator_log"; }
emulator_pid=$EMULATOR_PID
cleanup() {
  if [[ -n "${emulator_pid:-}" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
read -r -t 30 base_url <&"${EMULATOR[0]}" || { echo "error: the emulator did not start; see $emulator_log" >&2; exit 1; }
echo "emulator listening on $base_url"

export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export TF_VAR_cognitive_account_id="$account" TF_VAR_resource_manager_endpoint="$base_url" TF_VAR_access_token="$token"
tf() { terraform -chdir="$workdir" "$@"; }

step "terraform init (offline, from the filesystem mirror)"
tf init -input=false -no-color | grep -E "Installing|Installed|initialized" || true

step "terraform plan (the warning about claude-sonnet-4-5 being in preview for model router is expected)"
tf plan -input=false -no-color -out=tfplan

step "terraform apply: the Claude deployment first (depends_on), then the router"
tf apply -input=false -no-color tfplan | sed '/^Outputs:$/,$d'

step "Outputs: deployment id, effective context window, routed models, endpoint"
tf output

step "terraform plan after apply: expect no changes"
tf plan -input=false -no-color -detailed-exitcode >/dev/null && echo "no changes: state matches Azure"

deployment_id="$(tf output -raw deployment_id)"
step "Someone changes the router in the portal: mode quality -> cost, capacity 50 -> 5 (emulator admin API)"
curl -fsS -X PATCH "$base_url/admin/deployments$deployment_id" -H 'content-type: application/json' \
  -d '{"sku":{"capacity":5},"properties":{"routing":{"mode":"cost"}}}' >/dev/null
echo "patched $deployment_id"

step "terraform plan -detailed-exitcode catches the drift"
set +e
tf plan -input=false -no-color -detailed-exitcode
code=$?
set -e
if [[ $code -ne 2 ]]; then echo "error: expected plan exit code 2 (changes), got $code" >&2; exit 1; fi
echo "drift detected (exit code 2)"

step "terraform apply restores the declared router"
tf apply -input=false -no-color -auto-approve >/dev/null
tf plan -input=false -no-color -detailed-exitcode >/dev/null && echo "restored: plan is empty again"

step "terraform destroy"
tf destroy -input=false -no-color -auto-approve | tail -n 1

cleanup
trap - EXIT
printf '\n%sDemo succeeded:%s router created, drift detected and repaired, everything destroyed, emulator stopped.\n' \
  "$green" "$plain"
