#!/usr/bin/env bash
# =============================================================================
# services.sh — the mesh's backing services as plain processes on loopback:
# RabbitMQ (with the management UI), PostgreSQL 15 and the CNCF Distribution
# registry (Debian's docker-registry), no systemd and no Docker. All state lives
# under $SCM_STATE_DIR (default <repo>/.local/state).
#
#   services.sh install              apt-get install what is missing (quick when nothing is)
#   services.sh up [SERVICE...]      start (or reuse) and wait until each answers; prints `export` lines
#   services.sh env                  print the `export` lines only
#   services.sh status               one line per service
#   services.sh down [SERVICE...]    stop what this script started (and its epmd)
#   services.sh rabbitmqctl ARGS...  rabbitmqctl against our node (tests stop/start the broker with it)
#   services.sh psql ARGS...         psql as the superuser
#   SERVICE: rabbitmq postgres registry (default all)
#
#   source <(infra/local/services.sh up)     # logs go to stderr, stdout is only the exports
#
# Ports (env-overridable): RabbitMQ 5673 (management 15673, Erlang distribution 25673, epmd 4373),
# PostgreSQL 5433, registry 5050. A port already served by something this script did not start is
# reused as it is and never stopped (e.g. the lead's own instance).
# The registry notifies Ingest (SCM_INGEST_EVENTS_URL, default http://127.0.0.1:8081/api/registry/events)
# with `Authorization: Bearer $SCM_WEBHOOK_SECRET`.
# Registry authentication: token auth by default (issue 7): the registry trusts only tokens of the gateway's token
# service (realm http://127.0.0.1:$SCM_PORT_BASE/auth/token, SCM_PORT_BASE default 8080, or SCM_REGISTRY_TOKEN_REALM):
# an RSA key and a self-signed certificate are made with openssl under $SCM_STATE_DIR/token-signing, the registry gets
# them as rootcertbundle, and `env` exports Identity__TokenSigning__* for the gateway and
# Identity__Forwarded__CertificatePath for the services, which then check every caller's forwarded identity (the
# services' calls to each other carry their robot's, see up.sh; SCM_FORWARDED_IDENTITY=0 opts out). Until the gateway answers, the registry accepts no push or
# pull at all (up.sh starts the gateway first). SCM_REGISTRY_AUTH=none runs it open (test.sh does: the tests push
# without credentials). A registry already running keeps its configuration: `services.sh down registry` first.
# =============================================================================
set -Eeuo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RABBITMQ_PORT=${SCM_RABBITMQ_PORT:-5673}
RABBITMQ_MGMT_PORT=${SCM_RABBITMQ_MGMT_PORT:-15673}
RABBITMQ_DIST_PORT=${SCM_RABBITMQ_DIST_PORT:-25673}
RABBITMQ_EPMD_PORT=${SCM_RABBITMQ_EPMD_PORT:-4373}
RABBITMQ_START_TIMEOUT=${SCM_RABBITMQ_START_TIMEOUT:-240}
POSTGRES_PORT=${SCM_POSTGRES_PORT:-5433}
POSTGRES_PASSWORD=${SCM_POSTGRES_PASSWORD:-postgres}
# The services' database (each service owns a schema in it); tests create their own databases.
APP_DATABASE=${SCM_APP_DATABASE:-supplychainmesh}
REGISTRY_PORT=${SCM_REGISTRY_PORT:-5050}
INGEST_EVENTS_URL=${SCM_INGEST_EVENTS_URL:-http://127.0.0.1:8081/api/registry/events}
# A fixed secret for local development only; docker-compose and k8s take theirs from config.
WEBHOOK_SECRET=${SCM_WEBHOOK_SECRET:-scm-local-dev-webhook-secret}

RMQ_DIR=$SCM_STATE_DIR/rabbitmq
REG_DIR=$SCM_STATE_DIR/registry
REGISTRY_AUTH=${SCM_REGISTRY_AUTH:-token}
[[ $REGISTRY_AUTH == token || $REGISTRY_AUTH == none ]] || die "SCM_REGISTRY_AUTH must be 'token' or 'none', not '$REGISTRY_AUTH'"
TOKEN_DIR=$SCM_STATE_DIR/token-signing
PG_BIN=/usr/lib/postgresql/15/bin
RMQ_BIN=/usr/lib/rabbitmq/bin
ALL_SERVICES=(rabbitmq postgres registry)

# ------------------------------------------------------------------ install --
cmd_install() {
  ensure_commands \
    "$RMQ_BIN/rabbitmq-server:rabbitmq-server" \
    "$PG_BIN/initdb:postgresql" psql:postgresql-client \
    docker-registry:docker-registry skopeo:skopeo umoci:umoci jq:jq curl:curl \
    rpm:rpm dpkg:dpkg htpasswd:apache2-utils
}

# ----------------------------------------------------------------- rabbitmq --
# Every rabbitmq call needs the same private environment (cookie in $HOME, our node name, our epmd),
# and the /usr/lib binaries directly: the /usr/sbin wrappers switch to the rabbitmq user and its cookie.
rmq_env() {
  export HOME=$RMQ_DIR/home \
    RABBITMQ_CONF_ENV_FILE=$RMQ_DIR/rabbitmq-env.conf \
    RABBITMQ_NODENAME=scm@localhost \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT=$RABBITMQ_PORT \
    RABBITMQ_DIST_PORT=$RABBITMQ_DIST_PORT \
    ERL_EPMD_PORT=$RABBITMQ_EPMD_PORT \
    ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_CONFIG_FILE=$RMQ_DIR/rabbitmq.conf \
    RABBITMQ_MNESIA_BASE=$RMQ_DIR/mnesia \
    RABBITMQ_LOG_BASE=$RMQ_DIR/log \
    RABBITMQ_PID_FILE=$RMQ_DIR/rabbitmq.pid \
    RABBITMQ_ENABLED_PLUGINS_FILE=$RMQ_DIR/enabled_plugins \
    RABBITMQ_PLUGINS_EXPAND_DIR=$RMQ_DIR/plugins-expand \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  # (the last one: Erlang distribution, like everything else here, listens on loopback only)
}
rmqctl() { (rmq_env && "$RMQ_BIN/rabbitmqctl" "$@"); }
rmq_ours() { pid_alive "$RMQ_DIR/rabbitmq.pid"; }

rabbitmq_up() {
  local t0; t0=$(now_ms)
  if rmq_ours; then
    rmqctl -q await_startup --timeout 60 >&2 || die "our RabbitMQ (pid $(cat "$RMQ_DIR/rabbitmq.pid")) does not finish starting"
    log "rabbitmq: already up (pid $(cat "$RMQ_DIR/rabbitmq.pid")), reused"; return
  fi
  if port_open "$RABBITMQ_PORT"; then
    log "rabbitmq: port $RABBITMQ_PORT is served by a process this script did not start: reusing it as it is"; return
  fi
  mkdir -p "$RMQ_DIR"/{home,mnesia,log,plugins-expand}
  : >"$RMQ_DIR/rabbitmq-env.conf"   # else /etc/rabbitmq/rabbitmq-env.conf is read
  if [[ ! -s $RMQ_DIR/home/.erlang.cookie ]]; then
    head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$RMQ_DIR/home/.erlang.cookie"
    chmod 400 "$RMQ_DIR/home/.erlang.cookie"
  fi
  cat >"$RMQ_DIR/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$RABBITMQ_PORT
# guest may connect over 127.0.0.1 as well as over the loopback-only listener it is on
loopback_users = none
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBITMQ_MGMT_PORT
log.console = false
log.file.level = info
EOF
  echo '[rabbitmq_management].' >"$RMQ_DIR/enabled_plugins"
  rm -f "$RMQ_DIR/rabbitmq.pid"
  (rmq_env && "$RMQ_BIN/rabbitmq-server" -detached) </dev/null >>"$RMQ_DIR/log/start.log" 2>&1 \
    || { tail -n 20 "$RMQ_DIR/log/start.log" >&2; die "rabbitmq-server failed to start"; }
  # `ping` answers before the broker is usable; await_startup waits for the boot to finish.
  # Seconds on an idle machine, but well over a minute on a saturated 2-core one: generous limits.
  wait_for "$RABBITMQ_START_TIMEOUT" "pid file" test -s "$RMQ_DIR/rabbitmq.pid" || true
  if ! rmqctl -q await_startup --timeout "$RABBITMQ_START_TIMEOUT" >&2; then
    tail -n 30 "$RMQ_DIR"/log/*.log >&2 || true
    die "RabbitMQ did not start (logs in $RMQ_DIR/log)"
  fi
  wait_for 30 "management" curl -fsS -u guest:guest "http://127.0.0.1:$RABBITMQ_MGMT_PORT/api/overview" \
    || die "RabbitMQ management UI does not answer on $RABBITMQ_MGMT_PORT"
  log "rabbitmq: up on 127.0.0.1:$RABBITMQ_PORT (management http://127.0.0.1:$RABBITMQ_MGMT_PORT) in $(elapsed "$t0")"
}

rabbitmq_down() {
  if ! rmq_ours; then
    if port_open "$RABBITMQ_PORT"; then log "rabbitmq: not ours (port $RABBITMQ_PORT), left running"; return; fi
    log "rabbitmq: not running"
    rmq_kill_epmd; return   # one left behind by a node of ours that died (epmd refuses while nodes are registered)
  fi
  local t0 pid; t0=$(now_ms); pid=$(cat "$RMQ_DIR/rabbitmq.pid")
  rmqctl -q shutdown --timeout 60 >&2 || { log "rabbitmq: shutdown failed, killing pid $pid"; kill "$pid" 2>/dev/null || true; }
  wait_for 30 "exit" bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
  rm -f "$RMQ_DIR/rabbitmq.pid"
  rmq_kill_epmd
  log "rabbitmq: stopped in $(elapsed "$t0")"
}

# The node starts its own epmd on our port; it outlives the node unless told to go.
rmq_kill_epmd() {
  if port_open "$RABBITMQ_EPMD_PORT"; then
    epmd -port "$RABBITMQ_EPMD_PORT" -kill >/dev/null 2>&1 || true
  fi
}

rabbitmq_status() {
  if rmq_ours; then echo "rabbitmq  up (pid $(cat "$RMQ_DIR/rabbitmq.pid"))  amqp://127.0.0.1:$RABBITMQ_PORT  http://127.0.0.1:$RABBITMQ_MGMT_PORT"
  elif port_open "$RABBITMQ_PORT"; then echo "rabbitmq  up (not started by this script)  amqp://127.0.0.1:$RABBITMQ_PORT"
  else echo "rabbitmq  down"; fi
}

# ----------------------------------------------------------------- postgres --
# initdb and pg_ctl refuse to run as root: they run as the postgres user, which must be able to reach
# the data folder. When the state folder is not reachable for it (a checkout under /root), the cluster
# lives in /var/tmp under a name derived from the state folder instead.
pg_dir() {
  if [[ -z ${PG_DIR:-} ]]; then
    mkdir -p "$SCM_STATE_DIR"
    if runuser -u postgres -- test -x "$SCM_STATE_DIR" 2>/dev/null; then PG_DIR=$SCM_STATE_DIR/postgres
    else PG_DIR=/var/tmp/scm-postgres-$(realpath "$SCM_STATE_DIR" | sha256sum | cut -c1-12)
    fi
  fi
  echo "$PG_DIR"
}
pg_ctl() { runuser -u postgres -- "$PG_BIN/pg_ctl" "$@"; }
pg_ours() { local d; d=$(pg_dir); [[ -f $d/data/postmaster.pid ]] && pg_ctl -D "$d/data" status >/dev/null 2>&1; }
pg_login() { PGPASSWORD=$POSTGRES_PASSWORD psql -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -qAtX "$@"; }

postgres_up() {
  local t0 d; t0=$(now_ms); PG_DIR=; d=$(pg_dir)
  if pg_ours; then
    pg_login -c 'select 1' >/dev/null || die "our PostgreSQL in $d does not accept the password login"
    ensure_app_database
    log "postgres: already up ($d), reused"; return
  fi
  if port_open "$POSTGRES_PORT"; then
    log "postgres: port $POSTGRES_PORT is served by a process this script did not start: reusing it as it is"; return
  fi
  mkdir -p "$d"/{data,run,log}
  chown postgres:postgres "$d" "$d"/{data,run,log}
  chmod 700 "$d/data"
  if [[ ! -s $d/data/PG_VERSION ]]; then
    local pw; pw=$(mktemp); printf '%s\n' "$POSTGRES_PASSWORD" >"$pw"; chown postgres "$pw"
    # scram-sha-256 over TCP so that a wrong password fails as it does in production.
    runuser -u postgres -- "$PG_BIN/initdb" -D "$d/data" -U postgres --auth-local=trust \
      --auth-host=scram-sha-256 --pwfile="$pw" --no-sync -E UTF8 --locale=C.UTF-8 >"$d/log/initdb.log" 2>&1 \
      || { rm -f "$pw"; tail -n 20 "$d/log/initdb.log" >&2; die "initdb failed"; }
    rm -f "$pw"
  fi
  # fsync off: a test database, thrown away at will; never for real data.
  pg_ctl -D "$d/data" -l "$d/log/postgres.log" -w -t 60 \
    -o "-p $POSTGRES_PORT -k $d/run -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start </dev/null >>"$d/log/pg_ctl.log" 2>&1 \
    || { tail -n 20 "$d/log/postgres.log" >&2; die "PostgreSQL did not start (log $d/log/postgres.log)"; }
  wait_for 30 "login" pg_login -c 'select 1' || die "PostgreSQL does not accept postgres/<password> on 127.0.0.1:$POSTGRES_PORT"
  ensure_app_database
  log "postgres: up on 127.0.0.1:$POSTGRES_PORT ($d) in $(elapsed "$t0")"
}

# Created here rather than by the first service's migration, so six services starting at once do not race.
ensure_app_database() {
  if [[ -z $(pg_login -c "select 1 from pg_database where datname = '$APP_DATABASE'") ]]; then
    pg_login -c "create database \"$APP_DATABASE\"" >/dev/null || die "could not create database $APP_DATABASE"
  fi
}

postgres_down() {
  local d; d=$(pg_dir)
  if ! pg_ours; then
    if port_open "$POSTGRES_PORT"; then log "postgres: not ours (port $POSTGRES_PORT), left running"; else log "postgres: not running"; fi
    return
  fi
  local t0; t0=$(now_ms)
  pg_ctl -D "$d/data" -m fast -w -t 60 stop </dev/null >>"$d/log/pg_ctl.log" 2>&1 || die "pg_ctl stop failed"
  log "postgres: stopped in $(elapsed "$t0")"
}

postgres_status() {
  if pg_ours; then echo "postgres  up ($(pg_dir)/data)  127.0.0.1:$POSTGRES_PORT"
  elif port_open "$POSTGRES_PORT"; then echo "postgres  up (not started by this script)  127.0.0.1:$POSTGRES_PORT"
  else echo "postgres  down"; fi
}

# ----------------------------------------------------------------- registry --
reg_ours() { pid_alive "$REG_DIR/registry.pid"; }
# The registry answers /v2/: 200 when open, 401 with a Bearer challenge under token auth (no gateway needed for that).
reg_answers() {
  local code; code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$REGISTRY_PORT/v2/") || return 1
  [[ $code == 200 || $code == 401 ]]
}

registry_config() {
  cat <<EOF
# Generated by infra/local/services.sh; edit the script, not this file.
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $REG_DIR/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$REGISTRY_PORT
  secret: scm-local-registry-http-secret
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
notifications:
  events:
    # a manifest event lists its config and layers, so Ingest needs no extra round trip
    includereferences: true
  endpoints:
    - name: ingest
      url: $INGEST_EVENTS_URL
      headers:
        Authorization: [Bearer $WEBHOOK_SECRET]
      # Delivery is asynchronous (an in-memory queue per endpoint): a slow or absent Ingest never
      # blocks a push; after 'threshold' failures the sink backs off and retries.
      timeout: 5s
      threshold: 3
      backoff: 2s
      # 2.8.2 applies ignore.actions only when ignoredmediatypes is non-empty: a media type no one sends.
      ignoredmediatypes:
        - application/x-scm-never-sent
      ignore:
        actions:
          - pull
EOF
  # Token authentication (issue 7): SCM_REGISTRY_AUTH=token, or SCM_REGISTRY_TOKEN_REALM and friends by hand.
  if [[ $REGISTRY_AUTH == token ]]; then
    SCM_REGISTRY_TOKEN_REALM=${SCM_REGISTRY_TOKEN_REALM:-http://127.0.0.1:${SCM_PORT_BASE:-8080}/auth/token}
    SCM_REGISTRY_TOKEN_CERTS=${SCM_REGISTRY_TOKEN_CERTS:-$TOKEN_DIR/token.crt}
  fi
  if [[ -n ${SCM_REGISTRY_TOKEN_REALM:-} ]]; then
    cat <<EOF
auth:
  token:
    realm: $SCM_REGISTRY_TOKEN_REALM
    service: ${SCM_REGISTRY_TOKEN_SERVICE:-scm-registry}
    issuer: ${SCM_REGISTRY_TOKEN_ISSUER:-scm-gateway}
    rootcertbundle: ${SCM_REGISTRY_TOKEN_CERTS:?SCM_REGISTRY_TOKEN_CERTS must name the token signer certificate bundle}
EOF
  fi
}

registry_up() {
  local t0; t0=$(now_ms)
  if reg_ours; then
    wait_for 10 "/v2/" reg_answers || die "our registry (pid $(cat "$REG_DIR/registry.pid")) does not answer /v2/"
    local running=none; grep -q '^auth:' "$REG_DIR/config.yml" 2>/dev/null && running=token
    [[ $running == "$REGISTRY_AUTH" ]] \
      || die "our registry runs with auth '$running', but SCM_REGISTRY_AUTH is '$REGISTRY_AUTH': \`services.sh down registry\` first"
    log "registry: already up (pid $(cat "$REG_DIR/registry.pid"), auth $running), reused"; return
  fi
  if port_open "$REGISTRY_PORT"; then
    log "registry: port $REGISTRY_PORT is served by a process this script did not start: reusing it as it is"; return
  fi
  mkdir -p "$REG_DIR"/{data,log}
  [[ $REGISTRY_AUTH == token ]] && ensure_token_signing
  registry_config >"$REG_DIR/config.yml"
  # setsid + closed stdio: the registry must not hold the pipe of `source <(services.sh up)` open.
  setsid docker-registry serve "$REG_DIR/config.yml" </dev/null >>"$REG_DIR/log/registry.log" 2>&1 &
  echo $! >"$REG_DIR/registry.pid"
  if ! wait_for 20 "/v2/" reg_answers; then
    tail -n 20 "$REG_DIR/log/registry.log" >&2
    die "the registry did not answer on 127.0.0.1:$REGISTRY_PORT (log $REG_DIR/log/registry.log)"
  fi
  log "registry: up on 127.0.0.1:$REGISTRY_PORT ($([[ $REGISTRY_AUTH == token ]] && echo "token auth, realm $SCM_REGISTRY_TOKEN_REALM" || echo open)), notifying $INGEST_EVENTS_URL, in $(elapsed "$t0")"
}

# The gateway's token signing key and its self-signed certificate (made once, kept across restarts so issued
# refresh tokens and the registry's trust survive).
ensure_token_signing() {
  [[ -s $TOKEN_DIR/token.key && -s $TOKEN_DIR/token.crt ]] && return 0
  ensure_commands openssl:openssl
  mkdir -p "$TOKEN_DIR" && chmod 700 "$TOKEN_DIR"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 -subj "/CN=scm-gateway token signer" \
    -keyout "$TOKEN_DIR/token.key" -out "$TOKEN_DIR/token.crt" >/dev/null 2>&1 || die "openssl could not make the token signing key"
  chmod 600 "$TOKEN_DIR/token.key"
  log "registry: token signing key made in $TOKEN_DIR"
}

registry_down() {
  if ! reg_ours; then
    if port_open "$REGISTRY_PORT"; then log "registry: not ours (port $REGISTRY_PORT), left running"; else log "registry: not running"; fi
    rm -f "$REG_DIR/registry.pid"; return
  fi
  local pid; pid=$(cat "$REG_DIR/registry.pid")
  kill "$pid" 2>/dev/null || true
  wait_for 10 "exit" bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
  rm -f "$REG_DIR/registry.pid"
  log "registry: stopped"
}

registry_status() {
  if reg_ours; then echo "registry  up (pid $(cat "$REG_DIR/registry.pid"))  http://127.0.0.1:$REGISTRY_PORT -> $INGEST_EVENTS_URL  auth: $(grep -q '^auth:' "$REG_DIR/config.yml" 2>/dev/null && echo token || echo none)"
  elif port_open "$REGISTRY_PORT"; then echo "registry  up (not started by this script)  http://127.0.0.1:$REGISTRY_PORT"
  else echo "registry  down"; fi
}

# ---------------------------------------------------------------------- env --
cmd_env() {
  local amqp="amqp://guest:guest@127.0.0.1:$RABBITMQ_PORT/"
  local pg="Host=127.0.0.1;Port=$POSTGRES_PORT;Username=postgres;Password=$POSTGRES_PASSWORD;Database=postgres"
  local app_pg="Host=127.0.0.1;Port=$POSTGRES_PORT;Username=postgres;Password=$POSTGRES_PASSWORD;Database=$APP_DATABASE"
  local reg="127.0.0.1:$REGISTRY_PORT"
  q() { printf "export %s=%q\n" "$1" "$2"; }
  q SCM_RABBITMQ_URI "$amqp"
  q SCM_RABBITMQ_MANAGEMENT "http://127.0.0.1:$RABBITMQ_MGMT_PORT"
  q SCM_POSTGRES "$pg"
  q SCM_REGISTRY "$reg"
  q SCM_WEBHOOK_SECRET "$WEBHOOK_SECRET"
  q SCM_SERVICES_SH "$SCM_REPO/infra/local/services.sh"
  q SCM_SHARED_DIR "$SCM_SHARED_DIR"
  q RabbitMq__Uri "$amqp"
  q ConnectionStrings__Postgres "$app_pg"
  q Registry__Url "http://$reg"
  q Ingest__WebhookSecret "$WEBHOOK_SECRET"
  q Ingest__DefaultRegistry "$reg"
  # A registry of ours that is running says how it runs (demo.sh sourcing `env` later must not guess).
  if reg_ours; then REGISTRY_AUTH=none; grep -q '^auth:' "$REG_DIR/config.yml" 2>/dev/null && REGISTRY_AUTH=token; fi
  q SCM_REGISTRY_AUTH "$REGISTRY_AUTH"
  if [[ $REGISTRY_AUTH == token ]]; then
    ensure_token_signing
    q Identity__TokenSigning__KeyPath "$TOKEN_DIR/token.key"
    q Identity__TokenSigning__CertificatePath "$TOKEN_DIR/token.crt"
    if [[ ${SCM_FORWARDED_IDENTITY:-1} != 0 ]]; then q Identity__Forwarded__CertificatePath "$TOKEN_DIR/token.crt"; fi
  fi
}

# ------------------------------------------------------------------- main --
services_from() { if (($# == 0)); then echo "${ALL_SERVICES[@]}"; else echo "$@"; fi; }
check_service() { [[ " ${ALL_SERVICES[*]} " == *" $1 "* ]] || die "unknown service '$1' (${ALL_SERVICES[*]})"; }

main() {
  local cmd=${1:-help}; shift || true
  local s
  case $cmd in
    install) cmd_install ;;
    up)
      cmd_install
      for s in $(services_from "$@"); do check_service "$s"; "${s}_up"; done
      cmd_env ;;
    down)
      for s in $(services_from "$@"); do check_service "$s"; "${s}_down"; done ;;
    env) cmd_env ;;
    status) for s in "${ALL_SERVICES[@]}"; do "${s}_status"; done ;;
    rabbitmqctl) rmqctl "$@" ;;
    psql) pg_login "$@" ;;
    help|-h|--help) sed -n '2,/^# ====/p' "$0" | sed 's/^# \{0,1\}//' | head -n -1 ;;
    *) die "unknown command '$cmd' (install up env status down rabbitmqctl psql)" ;;
  esac
}

main "$@"
