#!/usr/bin/env bash
# =============================================================================
# pipeline.sh — end-to-end figures of the running mesh (bring it up first with infra/local/up.sh; the sample
# policy "dev/*, tag latest, no critical -> qa/" must be in place, which up.sh does).
#
#   infra/bench/pipeline.sh [latency|cold|burst|all]      (default all)
#
#   latency  N (SCM_BENCH_LATENCY_RUNS, default 30) pushes of an image whose layers are already analysed, each to a
#            new dev/ repository; time from the end of the push (the registry notifies Ingest as the push ends) to
#            the promoted tag in qa/ being readable: p50, p99, max.
#   cold     the 100 MB two-layer image (bookworm-apps) with the layer cache emptied first: push end -> verdict.
#   burst    SCM_BENCH_BURST (default 1000) distinct small images (one unique layer each, made with umoci) pushed
#            at once (SCM_BENCH_PUSHERS parallel skopeo, default 8); waits until every one is promoted; reports
#            images/s, promotions counted once each, and the peak depth of the busiest queue (management API).
#            `build-burst DIR` builds those images beforehand; SCM_BENCH_BURST_LAYOUT=DIR then uses them.
# Works on the stack up.sh starts as it is (registry token auth, identity checks on): pushes as the developer, reads the
# registry with the administrator's token and the API through the gateway (infra/local/client.sh). Prints a summary
# table and exits 1 when a target of issue 6 is missed (latency p50 < 1 s and p99 < 3 s, cold < 5 s, burst: every
# image promoted exactly once).
# =============================================================================
set -Eeuo pipefail
# shellcheck source=SCRIPTDIR/../local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../local/lib.sh"
# shellcheck disable=SC1090
source <("$SCM_REPO/infra/local/services.sh" env)
# shellcheck disable=SC1090
source <("$SCM_REPO/infra/local/test-images.sh")

# shellcheck source=SCRIPTDIR/../local/client.sh
source "$SCM_REPO/infra/local/client.sh"
RUN_ID=$(date +%s)
WORK=$SCM_LOCAL/bench/pipeline-$RUN_ID
mkdir -p "$WORK"
OUT=$WORK/summary.tsv
: >"$OUT"
MISSED=()

holds_digest() { [[ $(digest_of "$1" "$2") == "$3" ]]; } # repo tag digest
percentile() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int((NR*p+99)/100); if (i<1) i=1; printf "%.3f", a[i]/1000}'; }
psql_app() { "$SCM_REPO/infra/local/services.sh" psql -d "${SCM_APP_DATABASE:-supplychainmesh}" -At -F $'\t' "$@"; }
# target NAME VALUE LIMIT: records a missed target (VALUE >= LIMIT, in seconds).
target() { awk -v v="$2" -v l="$3" 'BEGIN{exit !(v < l)}' || MISSED+=("$1 = $2 s (target < $3 s)"); }

latency() {
  local runs=${SCM_BENCH_LATENCY_RUNS:-30} i t0 digest header times=$WORK/latency.ms bus=$WORK/latency-bus.ms
  # The first push analyses the base layer; it is not counted.
  push_layout "$SCM_TEST_IMAGES/oci:bookworm-minbase" "dev/warm-$RUN_ID:latest"
  digest=$(digest_of "dev/warm-$RUN_ID" latest)
  wait_for 300 promoted holds_digest "qa/warm-$RUN_ID" latest "$digest" || die "warm-up image not promoted"
  : >"$times"
  for ((i = 0; i < runs; i++)); do
    header=$(registry_auth "qa/lat$i-$RUN_ID") # fetched before the push, so polling costs one HEAD each
    push_layout "$SCM_TEST_IMAGES/oci:bookworm-minbase" "dev/lat$i-$RUN_ID:latest"
    t0=$(now_ms)
    until [[ $(digest_of "qa/lat$i-$RUN_ID" latest "$header") == "$digest" ]]; do
      (($(now_ms) - t0 < 60000)) || die "dev/lat$i-$RUN_ID was not promoted within 60 s"
      sleep 0.02
    done
    echo $(($(now_ms) - t0)) >>"$times"
  done
  printf 'latency (layers analysed), push end -> promoted tag readable\truns=%s\tp50=%ss\tp99=%ss\tmax=%ss\n' "$runs" \
    "$(percentile 50 <"$times")" "$(percentile 99 <"$times")" "$(percentile 100 <"$times")" | tee -a "$OUT" >&2
  # The issue's own measure, from the services' records: Ingest received the registry's notification -> the promoter
  # recorded the promotion (ImagePromoted is published with that record).
  psql_app -c "SELECT round(extract(epoch FROM (p.\"At\" - e.\"ReceivedAt\")) * 1000)
      FROM ingest.pushes u JOIN ingest.received_events e ON e.\"EventId\" = u.\"EventId\"
      JOIN promoter.promotions p ON p.\"SourceRepository\" = u.\"Repository\" AND p.\"Digest\" = u.\"Digest\" AND p.\"Outcome\" = 'promoted'
     WHERE u.\"Repository\" LIKE 'dev/lat%-$RUN_ID'" >"$bus"
  (($(wc -l <"$bus") == runs)) || die "latency: $(wc -l <"$bus") of $runs runs found in the services' records"
  local p50 p99
  p50=$(percentile 50 <"$bus") p99=$(percentile 99 <"$bus")
  printf 'latency (layers analysed), notification received -> ImagePromoted\truns=%s\tp50=%ss\tp99=%ss\tmax=%ss\n' "$runs" \
    "$p50" "$p99" "$(percentile 100 <"$bus")" | tee -a "$OUT" >&2
  target "latency p50" "$p50" 1
  target "latency p99" "$p99" 3
}

cold() {
  local repo=dev/cold-$RUN_ID t0 digest secs
  # Nothing cached: no layer analysis, and a repository never seen, so the image is matched from scratch too.
  psql_app -c 'DELETE FROM scanner.layer_findings' >/dev/null
  push_layout "$SCM_TEST_IMAGES/oci:bookworm-apps" "$repo:latest"
  t0=$(now_ms)
  digest=$(digest_of "$repo" latest)
  until api "$GW/api/verdicts?repository=$repo&digest=$digest" 2>/dev/null | jq -e 'length > 0' >/dev/null 2>&1; do
    (($(now_ms) - t0 < 120000)) || die "$repo got no verdict within 120 s"
    sleep 0.05
  done
  secs=$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN{printf "%.3f", ms/1000}')
  printf 'cold 100 MB two-layer image\tpush end -> verdict=%ss\t%s\n' "$secs" \
    "$(api "$GW/api/verdicts?repository=$repo&digest=$digest" | jq -r 'map("\(.policyName): \(.outcome)") | join(", ")')" | tee -a "$OUT" >&2
  target "cold scan" "$secs" 5
}

# promoted records, distinct digests promoted, failed records of this run's burst (the promoter's own table: its API
# pages at 500 records).
burst_counts() {
  psql_app -c \
    "SELECT count(*) FILTER (WHERE \"Outcome\" = 'promoted'), count(DISTINCT \"Digest\") FILTER (WHERE \"Outcome\" = 'promoted'),
            count(*) FILTER (WHERE \"Outcome\" = 'failed')
       FROM promoter.promotions WHERE \"SourceRepository\" LIKE 'dev/burst%-$RUN_ID'" 2>/dev/null || printf '0\t0\t0\n'
}

build_burst() { # layout n: n distinct one-layer images b0..b(n-1), each with a file of its own
  local layout=$1 n=$2 bundle i
  bundle=$(mktemp -d)
  log "building $n distinct one-layer images with umoci in $layout"
  umoci init --layout "$layout"
  for ((i = 0; i < n; i++)); do
    # unpack/add/repack: umoci 0.4.7's `insert` writes a tar without its end-of-archive blocks.
    umoci new --image "$layout:b$i"
    rm -rf "$bundle/b"
    umoci unpack --rootless --image "$layout:b$i" "$bundle/b" >/dev/null
    mkdir -p "$bundle/b/rootfs/etc"
    printf 'burst %s %s %s\n' "$RUN_ID" "$i" "$RANDOM$RANDOM" >"$bundle/b/rootfs/etc/burst.txt"
    umoci repack --image "$layout:b$i" "$bundle/b" >/dev/null
  done
  rm -rf "$bundle"
}

burst() {
  local n=${SCM_BENCH_BURST:-1000} pushers=${SCM_BENCH_PUSHERS:-8} layout=$WORK/burst t0 done_count peak=0 depth
  # SCM_BENCH_BURST_LAYOUT: a layout built beforehand by `pipeline.sh build-burst DIR` and never pushed yet, so the
  # build does not share the machine with the measurement.
  if [[ -n ${SCM_BENCH_BURST_LAYOUT:-} ]]; then
    layout=$SCM_BENCH_BURST_LAYOUT
  else
    build_burst "$layout" "$n"
  fi
  log "pushing $n images with $pushers parallel skopeo"
  t0=$(now_ms)
  seq 0 $((n - 1)) | xargs -P "$pushers" -I{} skopeo copy --quiet --dest-tls-verify=false "${DEVELOPER[@]}" "oci:$layout:b{}" "docker://$REG/dev/burst{}-$RUN_ID:latest" &
  local pusher=$!
  while :; do
    depth=$(curl -fs -u guest:guest "$SCM_RABBITMQ_MANAGEMENT/api/queues" | jq '[.[] | select(.consumers > 0) | .messages] | max // 0')
    ((depth > peak)) && peak=$depth
    done_count=$(burst_counts | cut -f1)
    ((done_count >= n)) && break
    (($(now_ms) - t0 < 1800000)) || die "only $done_count of $n promoted after 30 min"
    sleep 1
  done
  wait "$pusher" || true
  local secs; secs=$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN{printf "%.1f", ms/1000}')
  sleep 5 # a duplicate promotion would show up after the last one
  local counts distinct failed
  counts=$(burst_counts)
  done_count=$(cut -f1 <<<"$counts") distinct=$(cut -f2 <<<"$counts") failed=$(cut -f3 <<<"$counts")
  printf 'burst\timages=%s\tpromotions=%s\tdistinct digests promoted=%s\tfailed=%s\tseconds=%s\timages/s=%s\tpeak queue depth=%s\n' \
    "$n" "$done_count" "$distinct" "$failed" "$secs" "$(awk -v n="$n" -v s="$secs" 'BEGIN{printf "%.1f", n/s}')" "$peak" | tee -a "$OUT" >&2
  ((done_count == n && distinct == n && failed == 0)) || MISSED+=("burst: $n images pushed, $done_count promotions of $distinct distinct digests, $failed failed")
}

case ${1:-all} in
  latency) latency ;;
  cold) cold ;;
  burst) burst ;;
  build-burst) build_burst "${2:?usage: $0 build-burst DIR}" "${SCM_BENCH_BURST:-1000}" ;;
  all) latency; cold; burst ;;
  *) die "usage: $0 [latency|cold|burst|all|build-burst DIR]" ;;
esac
log "summary in $OUT"
if ((${#MISSED[@]})); then
  printf 'MISSED: %s\n' "${MISSED[@]}" | tee -a "$OUT" >&2
  exit 1
fi
