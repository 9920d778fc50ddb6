#!/usr/bin/env bash
# =============================================================================
# demo.sh — the mesh's main job, on the stack up.sh started: the sample promotion policy ("dev/*", tag latest, no
# critical vulnerability -> copy to qa/<name> under the same tag) and the sample exception (zlib1g's CVE-2023-45853,
# a MiniZip flaw Debian does not ship) are put in place, the feeds are imported, then a
# developer pushes two real images with skopeo: a clean Debian 12 base (dev/app:latest) that the mesh promotes to
# qa/app:latest with the same digest, and an application image with a critical npm vulnerability (dev/shop:latest)
# that stays where it is, with the CVEs that block it.
# With the registry's token auth (services.sh's default) the developer pushes as the seeded user `developer`
# (skopeo --dest-creds, SCM_DEVELOPER_PASSWORD), and the job then shows the access rule held by the registry itself:
# the developer's push to qa/app is refused (skopeo's exit code, the registry's 401), the promoter robot's copy to qa/app
# is accepted.
#
#   infra/local/demo.sh        (up.sh runs it; it can be run again; SCM_DEMO_TIMEOUT seconds per wait, default 600)
# =============================================================================
set -Eeuo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck disable=SC1090
source <("$SCM_REPO/infra/local/services.sh" env)
# shellcheck disable=SC1090
source <("$SCM_REPO/infra/local/test-images.sh")

# shellcheck source=SCRIPTDIR/client.sh
source "$SCM_REPO/infra/local/client.sh"
TIMEOUT=${SCM_DEMO_TIMEOUT:-600}

t0=$(now_ms)
if api "$GW/api/policies" | jq -e 'any(.[]; .name == "dev to qa")' >/dev/null; then
  log "sample policy 'dev to qa' already in place"
else
  api -H 'Content-Type: application/json' --data-binary "@$SCM_REPO/infra/local/sample-policy.json" "$GW/api/policies" >/dev/null
  log "sample policy 'dev to qa' created ($SCM_REPO/infra/local/sample-policy.json)"
fi

# Debian 12's zlib1g carries CVE-2023-45853 (NVD 9.8 for MiniZip, which Debian does not build into zlib1g): without a
# reasoned exception no Debian image would pass "no critical". The exception is the sample's, in the open, with its reason.
if api "$GW/api/exceptions" | jq -e 'any(.[]; .vulnerabilityId == "CVE-2023-45853")' >/dev/null; then
  log "sample exception for CVE-2023-45853 (zlib1g, MiniZip not built) already in place"
else
  api -H 'Content-Type: application/json' --data-binary "@$SCM_REPO/infra/local/sample-exception.json" "$GW/api/exceptions" >/dev/null
  log "sample exception created: CVE-2023-45853 in zlib1g is accepted for dev/* ($SCM_REPO/infra/local/sample-exception.json)"
fi

log "waiting for the first import of every feed (FeedSync reads $SCM_SHARED_DIR/feeds)"
feeds_imported() { api "$GW/api/feeds" | jq -e 'length > 0 and all(.[]; .lastSuccessAt != null)'; }
wait_for "$TIMEOUT" feeds feeds_imported || die "the feeds were not imported within ${TIMEOUT}s (see .local/logs/FeedSync.log)"
log "feeds imported: $(api "$GW/api/feeds" | jq -r 'map("\(.name) \(.records)") | join(", ")')"

log "pushing the clean image: skopeo copy oci:$SCM_TEST_IMAGES/oci:bookworm-minbase docker://$REG/dev/app:latest"
skopeo copy --quiet --dest-tls-verify=false "${DEVELOPER[@]}" "oci:$SCM_TEST_IMAGES/oci:bookworm-minbase" "docker://$REG/dev/app:latest"
log "pushing the vulnerable image: skopeo copy oci:$SCM_TEST_IMAGES/oci:app-mixed docker://$REG/dev/shop:latest"
skopeo copy --quiet --dest-tls-verify=false "${DEVELOPER[@]}" "oci:$SCM_TEST_IMAGES/oci:app-mixed" "docker://$REG/dev/shop:latest"
app=$(digest_of dev/app latest)
shop=$(digest_of dev/shop latest)

promoted() { [[ $(digest_of qa/app latest) == "$app" ]]; }
wait_for "$TIMEOUT" promotion promoted \
  || die "dev/app:latest was not promoted within ${TIMEOUT}s: curl -s '$GW/api/images/status?repository=dev/app&digest=$app'"
log "dev/app:latest ($app) was scanned, matched and promoted: $REG/qa/app:latest has the same digest"

has_verdict() { api "$GW/api/verdicts?repository=dev/shop&digest=$shop" | jq -e 'length > 0'; }
wait_for "$TIMEOUT" verdict has_verdict || die "dev/shop:latest got no verdict within ${TIMEOUT}s"
log "dev/shop:latest ($shop) was not promoted; the verdict:"
api "$GW/api/verdicts?repository=dev/shop&digest=$shop" | jq -r '.[] | "  policy \(.policyName): \(.outcome): \([.verdict.criteria[] | select(.passed == false) | .reason] | join("; "))"' >&2

if [[ -n $TOKEN_AUTH ]]; then
  # The access rule, held by the registry itself: the developer may not write qa/app, the promoter's robot may.
  rc=0
  skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "${DEVELOPER[@]}" \
    --src-creds "$DEVELOPER_CREDS" \
    "docker://$REG/dev/app:latest" "docker://$REG/qa/app:by-developer" 2>"$SCM_LOCAL/logs/demo-developer-push.log" || rc=$?
  ((rc != 0)) || die "the developer could push to qa/app: the registry does not enforce the access rule"
  granted=$(curl -fsS -u "$DEVELOPER_CREDS" \
    "$GW/auth/token?service=scm-registry&scope=repository:qa/app:pull,push" | jq -r '.scope')
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $(registry_token repository:qa/app:pull,push \
    -u "$DEVELOPER_CREDS")" "http://$REG/v2/qa/app/blobs/uploads/")
  log "developer -> qa/app refused: skopeo exit code $rc (skopeo: $(tail -n1 "$SCM_LOCAL/logs/demo-developer-push.log" | cut -c1-300)); token service granted '${granted}' for repository:qa/app:pull,push; the registry answered $status to an upload with that token"
  [[ $status == 401 || $status == 403 ]] || die "the registry answered $status (not 401/403) to the developer's upload to qa/app"
  skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false --src-creds "promoter:$(robot_token promoter)" \
    --dest-creds "promoter:$(robot_token promoter)" "docker://$REG/dev/app:latest" "docker://$REG/qa/app:by-promoter-robot"
  [[ $(digest_of qa/app by-promoter-robot) == "$app" ]] || die "the promoter robot's copy to qa/app did not arrive"
  log "promoter robot -> qa/app:by-promoter-robot accepted (skopeo exit code 0, same digest $app)"
fi
log "the main job took $(elapsed "$t0")"
