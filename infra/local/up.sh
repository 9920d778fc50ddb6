#!/usr/bin/env bash
# =============================================================================
# up.sh — bring the whole mesh up locally and leave it running:
# RabbitMQ, PostgreSQL and the registry (services.sh), then the six services built from this checkout
# (dotnet run --no-build), each on its loopback port, logs in .local/logs/<Service>.log, pids in .local/run.
#
#   infra/local/up.sh          # then: infra/local/down.sh
#
# Services already running from an earlier up.sh are kept. Waits for every /health/ready (SCM_READY_TIMEOUT
# seconds, default 180) and fails with the tail of the service's log when one does not get there.
# Then runs the main job (infra/local/demo.sh): the sample promotion policy, the feeds imported, a clean image pushed
# to dev/app and promoted to qa/app, a vulnerable one pushed to dev/shop and blocked with its CVEs.
# Env: SCM_CONFIGURATION (Release), SCM_SKIP_BUILD=1 to reuse the last build, SCM_DEMO=0 to skip the main job.
# The registry runs with token auth against the gateway (services.sh; SCM_REGISTRY_AUTH=none for an open one): the
# gateway seeds robot accounts (promoter: pull dev/*, push qa/* and prod/*; scanner, ingest, policyengine: pull) with
# tokens kept in $SCM_STATE_DIR/robots/, each service gets its robot's as Registry:Username/Password and as
# Identity:Service:Robot/Token (its calls to other services carry the robot's forwarded identity, which every service
# checks: Identity:Forwarded:CertificatePath from services.sh; SCM_FORWARDED_IDENTITY=0 turns the checks off), and a user
# `developer` (team developers: dev/* read-write; password SCM_DEVELOPER_PASSWORD) pushes in the main job. The gateway
# is started and ready before the others: until it answers, the registry grants nothing.
# =============================================================================
set -Eeuo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE=$SCM_REPO/infra/local
cd "$SCM_REPO"

CONFIGURATION=${SCM_CONFIGURATION:-Release}
READY_TIMEOUT=${SCM_READY_TIMEOUT:-180}
LOGS=$SCM_LOCAL/logs
RUN=$SCM_LOCAL/run
# Service name and port (conventions: Gateway 8080, Ingest 8081, ... Promoter 8085). SCM_PORT_BASE moves all six
# (Gateway BASE, Ingest BASE+1, ... Promoter BASE+5), e.g. to run a second stack beside the first.
PORT_BASE=${SCM_PORT_BASE:-8080}
SERVICES=(Gateway:$PORT_BASE Ingest:$((PORT_BASE + 1)) LayerScanner:$((PORT_BASE + 2)) FeedSync:$((PORT_BASE + 3))
  PolicyEngine:$((PORT_BASE + 4)) Promoter:$((PORT_BASE + 5)))
# The registry notifies this stack's Ingest; demo.sh talks to this stack's gateway.
export SCM_PORT_BASE=$PORT_BASE   # services.sh points the registry's token realm at this stack's gateway
export SCM_INGEST_EVENTS_URL=${SCM_INGEST_EVENTS_URL:-http://127.0.0.1:$((PORT_BASE + 1))/api/registry/events}
export SCM_SERVER=${SCM_SERVER:-http://127.0.0.1:$PORT_BASE}

t_all=$(now_ms)
for s in "${SERVICES[@]}"; do
  [[ -d services/${s%%:*} ]] || die "no services/${s%%:*} in this checkout"
done
mkdir -p "$LOGS" "$RUN"
"$HERE/services.sh" install
"$HERE/services.sh" up >"$RUN/services.env"
# shellcheck disable=SC1091
source "$RUN/services.env"

if [[ -z ${SCM_SKIP_BUILD:-} ]]; then
  t0=$(now_ms)
  dotnet build SupplyChainMesh.sln -c "$CONFIGURATION" -nologo -v quiet >"$LOGS/build.log" 2>&1 \
    || { grep -E 'error|Error' "$LOGS/build.log" | tail -n 30 >&2; die "the build failed (log $LOGS/build.log)"; }
  log "built the solution ($CONFIGURATION) in $(elapsed "$t0")"
fi

ready() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$1/health/ready"; }

# The robot account each service talks to the registry and to other services as (the gateway seeds them: appsettings
# Identity:Seed:Robots, index 0 promoter, 1 scanner, 2 ingest, 3 policyengine, 4 feedsync).
ROBOTS=(promoter scanner ingest policyengine feedsync)
robot_of() {
  case $1 in
    Promoter) echo promoter ;; LayerScanner) echo scanner ;; Ingest) echo ingest ;; PolicyEngine) echo policyengine ;;
    FeedSync) echo feedsync ;;
  esac
}

start_service() {
  local name=$1 port=$2 pidfile=$RUN/$1.pid robot credentials=()
  robot=$(robot_of "$name")
  if [[ $SCM_REGISTRY_AUTH == token && -n $robot ]]; then
    credentials=("Registry__Username=$robot" "Registry__Password=$(robot_token "$robot")"
      "Identity__Service__Robot=$robot" "Identity__Service__Token=$(robot_token "$robot")")
  fi
  if pid_alive "$pidfile"; then
    log "$name: already running (pid $(cat "$pidfile")) on $port"; return
  fi
  port_open "$port" && die "$name: port $port is taken by another process; stop it or run infra/local/down.sh"
  # setsid: a process group of its own, so down.sh stops `dotnet run` and the service it runs together.
  # --no-launch-profile: launchSettings.json would override the address and environment given here.
  env "${credentials[@]}" ASPNETCORE_URLS=http://127.0.0.1:$port ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development} \
    setsid dotnet run --no-build --no-launch-profile -c "$CONFIGURATION" --project "services/$name" \
    </dev/null >"$LOGS/$name.log" 2>&1 &
  echo $! >"$pidfile"
  log "$name: starting on http://127.0.0.1:$port (pid $!, log $LOGS/$name.log)"
}

wait_ready() {
  local name=$1 port=$2 pidfile=$RUN/$1.pid t0; t0=$(now_ms)
  local deadline=$(($(date +%s) + READY_TIMEOUT))
  until ready "$port"; do
    if ! pid_alive "$pidfile"; then
      tail -n 40 "$LOGS/$name.log" >&2
      die "$name exited before it was ready (log $LOGS/$name.log)"
    fi
    if (($(date +%s) >= deadline)); then
      tail -n 40 "$LOGS/$name.log" >&2
      die "$name was not ready on http://127.0.0.1:$port/health/ready after ${READY_TIMEOUT}s (log $LOGS/$name.log; infra/local/down.sh stops everything)"
    fi
    sleep 0.5
  done
  log "$name: ready (waited $(elapsed "$t0"))"
}

# FeedSync imports the shared corpus as an air-gapped mirror; services find each other on their loopback ports.
export FeedSync__MirrorRoot=${FeedSync__MirrorRoot:-$SCM_SHARED_DIR/feeds}
# The gateway's first administrator (a local-development default; set SCM_ADMIN_PASSWORD for anything else).
export Identity__BootstrapAdmin__Password=${SCM_ADMIN_PASSWORD:-scm-local-dev-admin}
# The registry's token realm is this stack's gateway: registry clients fetch their tokens there, and outbound
# connections to loopback are refused unless the host is listed exactly (Outbound:AllowedHosts, the SSRF guard).
export Outbound__AllowedHosts__0=${Outbound__AllowedHosts__0:-127.0.0.1:$PORT_BASE}
# Promotion notifications may go to subscribers on this machine only.
export Notifications__AllowedHosts__0=${Notifications__AllowedHosts__0:-127.0.0.1}
for s in "${SERVICES[@]}"; do
  name=${s%%:*}
  export "Services__$name=http://127.0.0.1:${s##*:}"
  # The gateway routes to the same ports (its cluster ids are the lower-case service names).
  [[ $name == Gateway ]] || export "ReverseProxy__Clusters__${name,,}__Destinations__d1__Address=http://127.0.0.1:${s##*:}"
done

# The local developer who pushes in the main job (team developers: dev/* read-write, nothing on qa/*).
export Identity__Seed__Users__0__Username=developer \
  Identity__Seed__Users__0__Password=${SCM_DEVELOPER_PASSWORD:-scm-local-dev-developer} \
  Identity__Seed__Users__0__Teams__0=developers
if [[ $SCM_REGISTRY_AUTH == token ]]; then
  for i in "${!ROBOTS[@]}"; do export "Identity__Seed__Robots__${i}__Token=$(robot_token "${ROBOTS[$i]}")"; done
fi

# The chicken and the egg: the registry (up already) grants nothing until its token service answers, so the gateway
# comes first; the other services may then talk to the registry from their first message on.
start_service "${SERVICES[0]%%:*}" "${SERVICES[0]##*:}"
wait_ready "${SERVICES[0]%%:*}" "${SERVICES[0]##*:}"
for s in "${SERVICES[@]:1}"; do start_service "${s%%:*}" "${s##*:}"; done
for s in "${SERVICES[@]:1}"; do wait_ready "${s%%:*}" "${s##*:}"; done

if [[ ${SCM_DEMO:-1} != 0 ]]; then
  "$HERE/demo.sh" || die "the main job did not complete (logs in $LOGS); the mesh stays up"
fi

cat >&2 <<EOF

The mesh is up ($(elapsed "$t_all")):
  gateway      $SCM_SERVER
  registry     127.0.0.1:${SCM_REGISTRY##*:}, auth: $SCM_REGISTRY_AUTH   (push: skopeo copy --dest-tls-verify=false$([[ $SCM_REGISTRY_AUTH == token ]] && echo " --dest-creds developer:PASSWORD") oci:DIR:TAG docker://$SCM_REGISTRY/dev/app:TAG)
  rabbitmq UI  $SCM_RABBITMQ_MANAGEMENT   (guest/guest)
  services     ${SERVICES[*]:1}
  logs         $LOGS
  environment  source <(infra/local/services.sh env)
  stop         infra/local/down.sh
EOF
echo "gateway: $SCM_SERVER"
echo "registry: $SCM_REGISTRY"
