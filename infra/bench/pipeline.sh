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
# Talks to the services' own ports (Ingest 8081 ... Promoter 8085) and the registry; prints a summary table.
# =============================================================================
set -Eeuo pipefail
# shellcheck source=SCRIPTDIR/../local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../local/lib.sh"
# shellcheck disable=SC1090
source <("$SCM_REPO/infra/local/services.sh" env)
source <("$SCM_REPO/infra/local/test-images.sh")

REG=$SCM_REGISTRY
PROMOTER=http://127.0.0.1:8085
POLICY=http://127.0.0.1:8084
RUN_ID=$(date +%s)
WORK=$SCM_LOCAL/bench/pipeline-$RUN_ID
mkdir -p "$WORK"
OUT=$WORK/summary.tsv
: >"$OUT"

digest_of() { # repo tag -> manifest digest or empty
  curl -fsI -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REG/v2/$1/manifests/$2" 2>/dev/null | tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}'
}
holds_digest() { [[ $(digest_of "$1" "$2") == "$3" ]]; } # repo tag digest
push_layout() { skopeo copy --quiet --dest-tls-verify=false "oci:$1" "docker://$REG/$2" >/dev/null; }
percentile() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int((NR*p+99)/100); if (i<1) i=1; printf "%.3f", a[i]/1000}'; }

latency() {
  local runs=${SCM_BENCH_LATENCY_RUNS:-30} i t0 digest times=$WORK/latency.ms
  # The first push analyses the base layer; it is not counted.
  push_layout "$SCM_TEST_IMAGES/oci:bookworm-minbase" "dev/warm-$RUN_ID:latest"
  digest=$(digest_of "dev/warm-$RUN_ID" latest)
  wait_for 300 promoted holds_digest "qa/warm-$RUN_ID" latest "$digest" || die "warm-up image not promoted"
  : >"$times"
  for ((i = 0; i < runs; i++)); do
    push_layout "$SCM_TEST_IMAGES/oci:bookworm-minbase" "dev/lat$i-$RUN_ID:latest"
    t0=$(now_ms)
    until [[ $(digest_of "qa/lat$i-$RUN_ID" latest) == "$digest" ]]; do
      (($(now_ms) - t0 < 60000)) || die "dev/lat$i-$RUN_ID was not promoted within 60 s"
      sleep 0.02
    done
    echo $(($(now_ms) - t0)) >>"$times"
  done
  printf 'latency (layers analysed)\truns=%s\tp50=%ss\tp99=%ss\tmax=%ss\n' "$runs" \
    "$(percentile 50 <"$times")" "$(percentile 99 <"$times")" "$(percentile 100 <"$times")" | tee -a "$OUT" >&2
}

cold() {
  local repo=dev/cold-$RUN_ID t0 digest
  "$SCM_REPO/infra/local/services.sh" psql -d "${SCM_APP_DATABASE:-supplychainmesh}" -c 'DELETE FROM scanner.layer_findings' >/dev/null
  push_layout "$SCM_TEST_IMAGES/oci:bookworm-apps" "$repo:latest"
  t0=$(now_ms)
  digest=$(digest_of "$repo" latest)
  until curl -fs "$POLICY/api/verdicts?repository=$repo&digest=$digest" | jq -e 'length > 0' >/dev/null 2>&1; do
    (($(now_ms) - t0 < 120000)) || die "$repo got no verdict within 120 s"
    sleep 0.05
  done
  printf 'cold 100 MB two-layer image\tpush end -> verdict=%ss\n' "$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN{printf "%.3f", ms/1000}')" | tee -a "$OUT" >&2
}

# promoted records, distinct digests promoted, failed records of this run's burst (the promoter's own table: its API
# pages at 500 records).
burst_counts() {
  "$SCM_REPO/infra/local/services.sh" psql -d "${SCM_APP_DATABASE:-supplychainmesh}" -At -F $'\t' -c \
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
  seq 0 $((n - 1)) | xargs -P "$pushers" -I{} skopeo copy --quiet --dest-tls-verify=false "oci:$layout:b{}" "docker://$REG/dev/burst{}-$RUN_ID:latest" &
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
  ((done_count == n && distinct == n)) || die "burst: $n images pushed, $done_count promotions of $distinct distinct digests"
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
