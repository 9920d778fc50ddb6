#!/usr/bin/env bash
# =============================================================================
# selftest.sh — checks services.sh end to end on this machine, on its own ports and a throw-away
# state folder (a running local stack is not touched): up, real logins, a real push whose registry
# notification reaches a listener with the bearer secret and the references, no event for a pull,
# delete by digest, down, up again (state kept), down. Prints 'N passed, N failed'.
#   infra/local/selftest.sh      (needs python3 for the notification listener; ~2 min on an idle machine)
# =============================================================================
set -Eeuo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SERVICES_SH=$SCM_REPO/infra/local/services.sh

WORK=$(mktemp -d /var/tmp/scm-selftest.XXXXXX)
chmod 755 "$WORK"   # the postgres user must reach the cluster below it
HOOK_PORT=18097
export SCM_STATE_DIR=$WORK/state SCM_RABBITMQ_PORT=5697 SCM_RABBITMQ_MGMT_PORT=15697 SCM_RABBITMQ_DIST_PORT=25697 \
  SCM_RABBITMQ_EPMD_PORT=4397 SCM_POSTGRES_PORT=5447 SCM_REGISTRY_PORT=5067 \
  SCM_INGEST_EVENTS_URL=http://127.0.0.1:$HOOK_PORT/events SCM_WEBHOOK_SECRET=selftest-secret \
  SCM_REGISTRY_AUTH=none   # the self-test pushes without credentials; token auth needs a gateway (up.sh)
# services.sh would reuse a foreign server on a port (by design); here that would test the wrong thing.
for port in $SCM_RABBITMQ_PORT $SCM_RABBITMQ_MGMT_PORT $SCM_RABBITMQ_DIST_PORT $SCM_RABBITMQ_EPMD_PORT \
            $SCM_POSTGRES_PORT $SCM_REGISTRY_PORT $HOOK_PORT; do
  port_open "$port" && { rm -rf "$WORK"; die "port $port is in use: the self-test needs its ports free"; }
done

passed=0 failed=0
check() {  # check DESCRIPTION CMD...
  local what=$1; shift
  if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); log "ok   $what"
  else failed=$((failed + 1)); log "FAIL $what"; fi
}
hook_pid=
cleanup() {
  [[ -z $hook_pid ]] || kill "$hook_pid" 2>/dev/null || true
  "$SERVICES_SH" down >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A stand-in for Ingest: records each event with the Authorization header it came with.
python3 - "$HOOK_PORT" "$WORK/events.jsonl" <<'EOF' &
import http.server, json, sys
port, out = int(sys.argv[1]), sys.argv[2]
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get('Content-Length', 0))))
        with open(out, 'a') as f:
            for e in body['events']:
                f.write(json.dumps({'auth': self.headers.get('Authorization'), 'action': e['action'],
                                    'mediaType': e['target'].get('mediaType'),
                                    'references': len(e['target'].get('references') or [])}) + '\n')
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', port), Hook).serve_forever()
EOF
hook_pid=$!

"$SERVICES_SH" up >"$WORK/env"
# shellcheck disable=SC1091
source "$WORK/env"
pgpass() { PGPASSWORD=$1 psql -h 127.0.0.1 -p "$SCM_POSTGRES_PORT" -U postgres -d postgres -qAtX -c "$2"; }
check "postgres: password login, fsync off" test "$(pgpass postgres 'show fsync')" = off
check "postgres: a wrong password is refused" bash -c "! PGPASSWORD=wrong psql -h 127.0.0.1 -p $SCM_POSTGRES_PORT -U postgres -c 'select 1'"
check "postgres: the services' database exists" test "$(pgpass postgres "select 1 from pg_database where datname = 'supplychainmesh'")" = 1
check "rabbitmq: rabbitmqctl reaches the node" "$SERVICES_SH" rabbitmqctl -q status
check "rabbitmq: management API with guest" curl -fsS -u guest:guest "$SCM_RABBITMQ_MANAGEMENT/api/overview"
check "rabbitmq: listens on loopback only" bash -c "! ss -ltn | grep -E ':($SCM_RABBITMQ_PORT|$SCM_RABBITMQ_DIST_PORT)\b' | grep -v '127.0.0.1'"
check "registry: /v2/ answers" curl -fsS "http://$SCM_REGISTRY/v2/"

images=${SCM_TEST_IMAGES:-$SCM_LOCAL/test-images}/oci
if [[ -d $images ]]; then
  check "registry: push app-mixed with skopeo" skopeo copy --quiet --dest-tls-verify=false "oci:$images:app-mixed" "docker://$SCM_REGISTRY/dev/app:1"
  check "registry: pull it back" skopeo copy --quiet --src-tls-verify=false "docker://$SCM_REGISTRY/dev/app:1" "oci:$WORK/pulled:x"
  sleep 3
  check "notification: manifest push with references and the bearer secret" \
    grep -q '"auth": "Bearer selftest-secret", "action": "push", "mediaType": "application/vnd.oci.image.manifest.v1+json", "references": 4' "$WORK/events.jsonl"
  check "notification: no pull events" bash -c "! grep -q '\"action\": \"pull\"' $WORK/events.jsonl"
  digest=$(curl -fsSI -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$SCM_REGISTRY/v2/dev/app/manifests/1" \
    | tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }')
  check "registry: delete by digest" test "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "http://$SCM_REGISTRY/v2/dev/app/manifests/$digest")" = 202
else
  log "no test images at $images: push checks left out (infra/local/test-images.sh builds them)"
fi

"$SERVICES_SH" down >/dev/null 2>&1
check "down: every service stopped" bash -c "\"$SERVICES_SH\" status | grep -c down | grep -qx 3"
check "down: no epmd left on our port" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$SCM_RABBITMQ_EPMD_PORT)"
"$SERVICES_SH" up >/dev/null
check "up again: PostgreSQL kept its database" test "$(pgpass postgres "select 1 from pg_database where datname = 'supplychainmesh'")" = 1
check "up again: the registry kept its repository" bash -c "curl -fsS http://$SCM_REGISTRY/v2/_catalog | grep -q dev/app || ! test -d $images"
check "up twice: reuses what runs" "$SERVICES_SH" up

echo "$passed passed, $failed failed"
((failed == 0))
