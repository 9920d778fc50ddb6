#!/usr/bin/env bash
# =============================================================================
# test.sh — the one test command: everything the whole test suite needs, then the suite.
#
#   infra/local/test.sh [extra `dotnet test` arguments, e.g. --filter FullyQualifiedName~Saga]
#
# 1. installs the backing services' packages (quick when present)
# 2. starts RabbitMQ, PostgreSQL and the registry (services.sh up; ones already up are reused)
# 3. builds the real test images once (test-images.sh; a stamp skips it afterwards)
# 4. dotnet tool restore; dotnet build SupplyChainMesh.sln -c Release; the native (AOT) scm the Cli tests compare
# 5. dotnet test SupplyChainMesh.sln -c Release --no-build, TRX files under .local/test-results/<time>/
# 6. stops the backing services it started (not ones that were already running), whatever happened
# Ends with a line 'N passed, N failed' and the exit code of `dotnet test`.
# =============================================================================
set -Eeuo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE=$SCM_REPO/infra/local
cd "$SCM_REPO"

t_all=$(now_ms)
RESULTS=$SCM_LOCAL/test-results/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"

# Stop on exit only what this run started: a developer's running stack (up.sh) stays up.
started=()
# shellcheck disable=SC2317  # called by the EXIT trap
stop_started() {
  ((${#started[@]} == 0)) && return 0
  log "stopping ${started[*]}"
  "$HERE/services.sh" down "${started[@]}" >/dev/null || log "could not stop ${started[*]} cleanly"
}
trap stop_started EXIT
trap 'exit 130' INT TERM

# The suite's registry stays OPEN (services.sh defaults to token auth against a gateway): the tests push and pull with
# skopeo and the registry client without credentials, and the token tests (Gateway.Tests) start a token-auth registry
# of their own, configured against their own token service.
export SCM_REGISTRY_AUTH=none
# No forwarded-identity checks either: the test hosts read the exported environment, and most of them are called
# without a gateway in front (the identity tests configure the checks and the robots themselves).
export SCM_FORWARDED_IDENTITY=0

"$HERE/services.sh" install
status=$("$HERE/services.sh" status)   # (not piped into grep -q: SIGPIPE under pipefail)
for s in rabbitmq postgres registry; do
  [[ $status == *"$s  down"* ]] && started+=("$s")
done
env_file=$RESULTS/services.env
"$HERE/services.sh" up >"$env_file"
# shellcheck disable=SC1090
source "$env_file"

t0=$(now_ms)
"$HERE/test-images.sh" >"$RESULTS/test-images.env"
# shellcheck disable=SC1090,SC1091
source "$RESULTS/test-images.env"
log "test images ready in $(elapsed "$t0"): $SCM_TEST_IMAGES"

t0=$(now_ms)
dotnet tool restore
dotnet build SupplyChainMesh.sln -c Release -nologo
log "build took $(elapsed "$t0")"

# The code style the .editorconfig sets holds (warnings are already errors in the build).
t0=$(now_ms)
dotnet format SupplyChainMesh.sln --verify-no-changes --no-restore -v quiet
log "format check took $(elapsed "$t0")"

# scm ships native (AOT-compiled, trimmed); the Cli tests check that build against the JIT one (NativeScmTests).
t0=$(now_ms)
ensure_commands gcc:gcc   # native AOT links with the C toolchain
dotnet publish services/Cli -c Release -r linux-x64 -p:PublishAot=true -o "$SCM_LOCAL/scm-native" -nologo -v q
export SCM_NATIVE_SCM=$SCM_LOCAL/scm-native/scm
log "native scm published in $(elapsed "$t0")"

t0=$(now_ms)
rc=0
# A hung test fails the run (with a dump) instead of eating CI's time.
dotnet test SupplyChainMesh.sln -c Release --no-build -nologo \
  --logger trx --results-directory "$RESULTS" --blame-hang-timeout "${SCM_TEST_HANG_TIMEOUT:-10m}" "$@" || rc=$?
log "tests took $(elapsed "$t0") (exit code $rc); results in $RESULTS"

# Sum the counters of every TRX file (one per test project).
sum_counter() {
  local name=$1 total=0 n f
  for f in "$RESULTS"/*.trx; do
    [[ -f $f ]] || continue
    n=$(grep -o "<Counters [^>]*" "$f" | grep -o " $name=\"[0-9]*\"" | grep -o '[0-9]\+' || echo 0)
    total=$((total + ${n:-0}))
  done
  echo "$total"
}
passed=$(sum_counter passed)
failed=$(($(sum_counter failed) + $(sum_counter error) + $(sum_counter timeout) + $(sum_counter aborted)))
not_run=$(sum_counter notExecuted)
trx_count=$(find "$RESULTS" -maxdepth 1 -name '*.trx' | wc -l)
if ((rc != 0 && failed == 0)); then
  failed=1   # the run failed without a failed test (a crashed or hung test host): count it, never report green
  log "dotnet test failed (exit $rc) without a failed test in the TRX files ($trx_count found)"
fi
log "whole run took $(elapsed "$t_all")"
summary="$passed passed, $failed failed"
((not_run > 0)) && summary+=", $not_run skipped"
echo "$summary"
exit "$rc"
