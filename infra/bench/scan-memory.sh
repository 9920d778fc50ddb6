#!/usr/bin/env bash
# Peak RSS of `scm scan` on one-layer images of 250 MiB and 1 GiB of tar, built offline here.
#
#   infra/bench/scan-memory.sh [SIZES_MIB...]      (default: 250 1024)
#
# Each layer is a real Debian rootfs (the test images' rootfs-bookworm, with its dpkg database, so the detectors have
# real work) plus big files made of the rootfs's own shared libraries repeated (realistic compressibility), a third of
# them executable so the Go and Rust binary detectors look at them too (executables up to 48 MiB, under the 64 MiB the
# Rust detector reads whole). gzip -1, wrapped as an OCI layout in .local/bench/scan-memory/<size>. scm is the Release
# build of services/Cli, as shipped (workstation GC, no heap limit set). Prints peak RSS (/usr/bin/time) per size:
# it must stay under 150 MiB and not grow with the layer's size.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
IMAGES=${SCM_TEST_IMAGES:-$ROOT/.local/test-images}
ROOTFS=$IMAGES/rootfs-bookworm
OUT=$ROOT/.local/bench/scan-memory
(($#)) && SIZES=("$@") || SIZES=(250 1024)
[[ -d $ROOTFS/var/lib/dpkg ]] || { echo "no rootfs at $ROOTFS (build the test images first)" >&2; exit 2; }
mkdir -p "$OUT"


sha() { sha256sum "$1" | cut -d' ' -f1; }

build_image() {  # build_image SIZE_MIB -> OCI layout $OUT/SIZE
  local size=$1 dir=$OUT/$1 big=$OUT/big-$1
  [[ -f $dir/index.json ]] && return
  rm -rf "$dir" "$big"; mkdir -p "$dir/blobs/sha256" "$big/opt/data"
  local base_mib extra_mib i
  base_mib=$(( $(du -sm "$ROOTFS" | cut -f1) ))
  extra_mib=$(( size > base_mib ? size - base_mib : 16 ))
  # Big files of 48 MiB from real library bytes; every third one executable.
  local libs; libs=$(find "$ROOTFS/usr/lib/x86_64-linux-gnu" -maxdepth 1 -name '*.so*' -type f | head -200)
  for ((i = 0; extra_mib > 0; i++)); do
    local chunk=$(( extra_mib < 48 ? extra_mib : 48 ))
    # shellcheck disable=SC2086
    { while cat $libs; do :; done; } 2>/dev/null | head -c $((chunk << 20)) >"$big/opt/data/blob-$i.bin" || true
    ((i % 3 == 0)) && chmod 755 "$big/opt/data/blob-$i.bin"
    extra_mib=$((extra_mib - chunk))
  done
  tar -C "$ROOTFS" -cf - --numeric-owner . 2>/dev/null >"$OUT/layer-$size.tar" || true
  tar -C "$big" -rf "$OUT/layer-$size.tar" --numeric-owner ./opt
  local tar_bytes diff_id; tar_bytes=$(stat -c %s "$OUT/layer-$size.tar"); diff_id=$(sha "$OUT/layer-$size.tar")
  gzip -1 -c "$OUT/layer-$size.tar" >"$OUT/layer-$size.tar.gz"
  rm -rf "$big" "$OUT/layer-$size.tar"
  local layer; layer=$(sha "$OUT/layer-$size.tar.gz"); local layer_size; layer_size=$(stat -c %s "$OUT/layer-$size.tar.gz")
  mv "$OUT/layer-$size.tar.gz" "$dir/blobs/sha256/$layer"
  printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"config":{}}' "$diff_id" \
    >"$dir/config.json"
  local config; config=$(sha "$dir/config.json"); local config_size; config_size=$(stat -c %s "$dir/config.json")
  mv "$dir/config.json" "$dir/blobs/sha256/$config"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
    "$config" "$config_size" "$layer" "$layer_size" >"$dir/manifest.json"
  local manifest; manifest=$(sha "$dir/manifest.json"); local manifest_size; manifest_size=$(stat -c %s "$dir/manifest.json")
  mv "$dir/manifest.json" "$dir/blobs/sha256/$manifest"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"big"}}]}' \
    "$manifest" "$manifest_size" >"$dir/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
  echo "built $dir: layer of $((tar_bytes >> 20)) MiB tar, $((layer_size >> 20)) MiB gzip" >&2
}

# all_layers: one image holding every size's layer, which scm scans in parallel (MaxParallelLayers = cores, 2 here):
# the peak of a worker with two layers in flight, as LayerScanner with Scanner:MaxConcurrentLayers=2.
build_all_layers() {
  local dir=$OUT/all layers="" diffs="" size m config manifest
  rm -rf "$dir"; mkdir -p "$dir/blobs/sha256"
  for size in "${SIZES[@]}"; do
    m=$(jq -r '.manifests[0].digest' "$OUT/$size/index.json"); m=$OUT/$size/blobs/sha256/${m#sha256:}
    local layer; layer=$(jq -c '.layers[0]' "$m")
    ln -f "$OUT/$size/blobs/sha256/$(jq -r '.digest' <<<"$layer" | cut -d: -f2)" "$dir/blobs/sha256/"
    layers+=${layers:+,}$layer
    config=$OUT/$size/blobs/sha256/$(jq -r '.config.digest' "$m" | cut -d: -f2)
    diffs+=${diffs:+,}$(jq -c '.rootfs.diff_ids[0]' "$config")
  done
  printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[%s]},"config":{}}' "$diffs" >"$dir/c.json"
  config=$(sha "$dir/c.json"); mv "$dir/c.json" "$dir/blobs/sha256/$config"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' \
    "$config" "$(stat -c %s "$dir/blobs/sha256/$config")" "$layers" >"$dir/m.json"
  manifest=$(sha "$dir/m.json"); local msize; msize=$(stat -c %s "$dir/m.json"); mv "$dir/m.json" "$dir/blobs/sha256/$manifest"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"big"}}]}' \
    "$manifest" "$msize" >"$dir/index.json"
  echo '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
}

for size in "${SIZES[@]}"; do build_image "$size"; done
((${#SIZES[@]} > 1)) && build_all_layers && SIZES+=(all)
if [[ -z ${SCM:-} ]]; then  # SCM=/path/to/scm measures another build (e.g. a baseline) without publishing
  echo "building scm (Release)..." >&2
  dotnet publish "$ROOT/services/Cli" -c Release -r linux-x64 -p:PublishAot=true -o "$OUT/scm" --nologo -v q >&2
  SCM=$OUT/scm/scm
fi

printf '%-10s %10s %10s %10s %9s %s\n' size_MiB tar_MiB wall_s cpu_s peak_MiB packages
for size in "${SIZES[@]}"; do
  /usr/bin/time -f '%e %U %S %M' -o "$OUT/time.tmp" "$SCM" scan "oci:$OUT/$size:big" --format json --quiet >"$OUT/scan-$size.json"
  read -r wall user sys rss <"$OUT/time.tmp"
  tar_mib=$(python3 -c "import json,sys; d=json.load(open('$OUT/scan-$size.json')); print(sum(l['stats']['uncompressedBytes'] for l in d['images'][0]['inventory']['layers']) >> 20)" 2>/dev/null || echo '?')
  packages=$(grep -o '"purl"' "$OUT/scan-$size.json" | wc -l)
  printf '%-10s %10s %10s %10.2f %9d %s\n' "$size" "$tar_mib" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)) "$packages"
done
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"

