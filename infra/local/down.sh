#!/usr/bin/env bash
# =============================================================================
# down.sh — stop what up.sh started: the six services (SIGTERM to each process group, so in-flight
# messages finish; SIGKILL after SCM_STOP_TIMEOUT seconds, default 30), then the backing services.
#
#   infra/local/down.sh              # services and backing services
#   infra/local/down.sh --keep-backing   # only the six services
# =============================================================================
set -Eeuo pipefail
# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HERE=$SCM_REPO/infra/local
RUN=$SCM_LOCAL/run
STOP_TIMEOUT=${SCM_STOP_TIMEOUT:-30}

keep_backing=
case ${1:-} in
  --keep-backing) keep_backing=1 ;;
  "") ;;
  *) die "usage: $0 [--keep-backing]" ;;
esac

# The pid up.sh recorded leads its own process group (setsid): `dotnet run` and the service under it.
group_alive() { kill -0 -- "-$1" 2>/dev/null; }

pids=()
for name in Gateway Ingest LayerScanner FeedSync PolicyEngine Promoter; do
  pidfile=$RUN/$name.pid
  [[ -f $pidfile ]] || continue
  pid=$(cat "$pidfile")
  if group_alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    pids+=("$name:$pid")
  else
    log "$name: not running"
    rm -f "$pidfile"
  fi
done

# All were told at once; now wait for each (graceful shutdown drains consumers).
deadline=$(($(date +%s) + STOP_TIMEOUT))
for entry in "${pids[@]}"; do
  name=${entry%%:*} pid=${entry##*:}
  while group_alive "$pid" && (($(date +%s) < deadline)); do sleep 0.2; done
  if group_alive "$pid"; then
    log "$name: still running after ${STOP_TIMEOUT}s, killing"
    kill -KILL -- "-$pid" 2>/dev/null || true
  else
    log "$name: stopped"
  fi
  rm -f "$RUN/$name.pid"
done

[[ -n $keep_backing ]] || "$HERE/services.sh" down
