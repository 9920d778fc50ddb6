#!/usr/bin/env bash
# =============================================================================
# identity-bench.sh — the gateway's two latency budgets, measured on real processes over loopback:
#   1. registry token issuance (GET /auth/token, basic auth with a robot's API token): p99 < 5 ms, twice: as
#      configured (identical requests within Identity:TokenSigning:ReuseWindow get the token minted first) and on a
#      second gateway (9219) with ReuseWindow 0, which signs a new token for every request
#   2. the gateway's added latency on a proxied API call: p50(via gateway) - p50(direct) < 2 ms,
#      the same call (GET /api/images on a real Ingest) in the same run.
# Starts Ingest (9211) and the Gateway (9210) from Release builds against a fresh PostgreSQL database and the
# `identity` RabbitMQ vhost, loads them with ApacheBench (one connection, keep-alive, sequential requests),
# prints the percentiles and stops what it started (by pid). Ports: the identity helper's range 9210-9219.
#
#   infra/bench/identity-bench.sh [REQUESTS]        (default 5000 per measurement)
# Needs: dotnet, ab (apache2-utils), openssl, psql; PostgreSQL and RabbitMQ as `infra/local/services.sh up` gives.
# =============================================================================
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../local/lib.sh"

N=${1:-5000}
GATEWAY_PORT=9210
INGEST_PORT=9211
MINT_GATEWAY_PORT=9219
PG_PORT=${SCM_POSTGRES_PORT:-5433}
PG_PASSWORD=${SCM_POSTGRES_PASSWORD:-postgres}
AMQP=${SCM_BENCH_RABBITMQ_URI:-amqp://guest:guest@127.0.0.1:5673/identity}
WORK=$(mktemp -d /tmp/scm-identity-bench.XXXXXX)
DB=scm_identity_bench_$(date +%s)
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAtX -c "drop database if exists \"$DB\"" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ensure_commands ab:apache2-utils openssl:openssl psql:postgresql-client
for port in $GATEWAY_PORT $INGEST_PORT $MINT_GATEWAY_PORT; do port_open "$port" && die "port $port is in use"; done

log "building Gateway and Ingest (Release)"
dotnet build -c Release -v q --nologo "$SCM_REPO/services/Gateway" >"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log" >&2; die "build failed"; }
dotnet build -c Release -v q --nologo "$SCM_REPO/services/Ingest" >>"$WORK/build.log" 2>&1 || { tail -20 "$WORK/build.log" >&2; die "build failed"; }

PGPASSWORD=$PG_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAtX -c "create database \"$DB\"" >/dev/null
CS="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=$DB"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj "/CN=scm-bench" \
  -keyout "$WORK/token.key" -out "$WORK/token.crt" >/dev/null 2>&1
TOKEN=scm_$(openssl rand 32 | basenc --base64url | tr -d '=\n')

start() { # NAME DIR DLL ENV...
  local name=$1 dir=$2 dll=$3; shift 3
  (cd "$dir" && exec env "$@" dotnet "$dll") >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
}
start ingest "$SCM_REPO/services/Ingest/bin/Release/net10.0" SupplyChainMesh.Ingest.dll \
  ASPNETCORE_URLS=http://127.0.0.1:$INGEST_PORT ConnectionStrings__Postgres="$CS" RabbitMq__Uri="$AMQP" \
  Logging__LogLevel__Default=Warning
start gateway "$SCM_REPO/services/Gateway/bin/Release/net10.0" SupplyChainMesh.Gateway.dll \
  ASPNETCORE_URLS=http://127.0.0.1:$GATEWAY_PORT ConnectionStrings__Postgres="$CS" Logging__LogLevel__Default=Warning \
  Identity__TokenSigning__KeyPath="$WORK/token.key" Identity__TokenSigning__CertificatePath="$WORK/token.crt" \
  Identity__Seed__Robots__0__Token="$TOKEN" \
  Gateway__RateLimit__PermitsPerSecond=100000 Gateway__RateLimit__Burst=100000 \
  ReverseProxy__Clusters__ingest__Destinations__d1__Address=http://127.0.0.1:$INGEST_PORT

wait_for 120 ingest curl -fsS "http://127.0.0.1:$INGEST_PORT/health/live" || { tail -20 "$WORK/ingest.log" >&2; die "Ingest did not start"; }
wait_for 120 gateway curl -fsS "http://127.0.0.1:$GATEWAY_PORT/health/ready" || { tail -20 "$WORK/gateway.log" >&2; die "Gateway did not start"; }
# The second gateway starts once the first has seeded the database (two seeders at once would race).
start gateway-mint "$SCM_REPO/services/Gateway/bin/Release/net10.0" SupplyChainMesh.Gateway.dll \
  ASPNETCORE_URLS=http://127.0.0.1:$MINT_GATEWAY_PORT ConnectionStrings__Postgres="$CS" Logging__LogLevel__Default=Warning \
  Identity__TokenSigning__KeyPath="$WORK/token.key" Identity__TokenSigning__CertificatePath="$WORK/token.crt" \
  Identity__TokenSigning__ReuseWindow=00:00:00 \
  Gateway__RateLimit__PermitsPerSecond=100000 Gateway__RateLimit__Burst=100000
wait_for 120 gateway-mint curl -fsS "http://127.0.0.1:$MINT_GATEWAY_PORT/health/ready" || { tail -20 "$WORK/gateway-mint.log" >&2; die "the second Gateway did not start"; }
curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$GATEWAY_PORT/api/images" >/dev/null || die "the proxied call fails"
curl -fsS -u "promoter:$TOKEN" "http://127.0.0.1:$GATEWAY_PORT/auth/token?service=scm-registry&scope=repository:qa/app:pull,push" \
  | grep -q '"token"' || die "the token service does not issue"

# ab -e: one CSV line per percentile, "P,milliseconds".
measure() { # NAME URL [ab options...]
  local name=$1 url=$2; shift 2
  ab -q -k -c 1 -n $((N / 5)) "$@" "$url" >/dev/null 2>&1   # warm-up: JIT, connection pools
  ab -q -k -c 1 -n "$N" -e "$WORK/$name.csv" "$@" "$url" >"$WORK/$name.txt" 2>&1 || { cat "$WORK/$name.txt" >&2; die "ab $name failed"; }
  grep -q "^Non-2xx responses" "$WORK/$name.txt" && die "$name: non-2xx responses ($(grep Non-2xx "$WORK/$name.txt"))"
  true
}
pct() { awk -F, -v p="$2" '$1 == p { print $2 }' "$WORK/$1.csv"; }

log "measuring, $N requests each"
measure direct "http://127.0.0.1:$INGEST_PORT/api/images"
measure gateway "http://127.0.0.1:$GATEWAY_PORT/api/images" -H "Authorization: Bearer $TOKEN"
measure token "http://127.0.0.1:$GATEWAY_PORT/auth/token?service=scm-registry&scope=repository:qa/app:pull,push" -A "promoter:$TOKEN"
measure mint "http://127.0.0.1:$MINT_GATEWAY_PORT/auth/token?service=scm-registry&scope=repository:qa/app:pull,push" -A "promoter:$TOKEN"

d50=$(pct direct 50) d99=$(pct direct 99) g50=$(pct gateway 50) g99=$(pct gateway 99) t50=$(pct token 50) t99=$(pct token 99)
m50=$(pct mint 50) m99=$(pct mint 99)
added=$(awk -v g="$g50" -v d="$d50" 'BEGIN { printf "%.3f", g - d }')
printf 'measurement\tp50_ms\tp99_ms\n'
printf 'direct GET /api/images (Ingest)\t%s\t%s\n' "$d50" "$d99"
printf 'via gateway GET /api/images\t%s\t%s\n' "$g50" "$g99"
printf 'gateway added latency (p50 diff)\t%s\t-\n' "$added"
printf 'GET /auth/token (robot API token)\t%s\t%s\n' "$t50" "$t99"
printf 'GET /auth/token, a new signature every time\t%s\t%s\n' "$m50" "$m99"
awk -v a="$added" -v t="$t99" -v m="$m99" 'BEGIN {
  printf "budget: added p50 %.3f ms < 2 ms: %s; token p99 %.3f ms < 5 ms: %s (minted every time: %.3f ms, %s)\n",
    a, (a < 2 ? "met" : "MISSED"), t, (t < 5 ? "met" : "MISSED"), m, (m < 5 ? "met" : "MISSED") }'
