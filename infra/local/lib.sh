# shellcheck shell=bash
# Helpers shared by the infra/local scripts (sourced, not run).

SCM_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SCM_LOCAL=${SCM_LOCAL_DIR:-$SCM_REPO/.local}
SCM_STATE_DIR=${SCM_STATE_DIR:-$SCM_LOCAL/state}
SCM_SHARED_DIR=${SCM_SHARED_DIR:-$(realpath -m "$SCM_REPO/../shared")}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Logs go to stderr so that stdout stays clean for `source <(services.sh up)`.
log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# now_ms: wall clock in milliseconds, for the timings the scripts print.
now_ms() { date +%s%3N; }
elapsed() { awk -v ms=$(($(now_ms) - $1)) 'BEGIN { printf "%.1fs", ms / 1000 }'; }

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_alive FILE: the pid in FILE names a live process.
pid_alive() { [[ -s $1 ]] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }

# wait_for SECONDS WHAT CMD...: poll CMD every 0.2 s until it succeeds (WHAT only names it for the reader).
wait_for() {
  local secs=$1; shift 2
  local deadline=$(($(date +%s) + secs))
  until "$@" >/dev/null 2>&1; do
    (($(date +%s) < deadline)) || return 1
    sleep 0.2
  done
}

# ensure_commands CMD:PACKAGE ...: apt-get install the packages whose command is missing.
# One `apt-get update` per machine run (stamp under /var/lib/apt/lists is not ours to keep, so
# we only update when something has to be installed); quick when everything is there.
ensure_commands() {
  local spec cmd pkg missing=()
  for spec in "$@"; do
    cmd=${spec%%:*} pkg=${spec#*:}
    if [[ $cmd == /* ]]; then [[ -x $cmd ]] && continue
    else command -v "$cmd" >/dev/null 2>&1 && continue
    fi
    [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  [[ $EUID -eq 0 ]] || die "missing packages (${missing[*]}): run as root so apt-get can install them"
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [[ -z ${SCM_APT_UPDATED:-} ]]; then
    apt-get update -q >&2 || die "apt-get update failed"
    export SCM_APT_UPDATED=1
  fi
  # Without systemd, a package's postinst may still try to start its daemon through invoke-rc.d (the
  # system PostgreSQL on 5432, a rabbitmq on 5672); a temporary policy-rc.d says no. Keep one that exists.
  local own_policy=
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1
  fi
  local rc=0
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || rc=$?
  [[ -z $own_policy ]] || rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || die "apt-get install ${missing[*]} failed"
}

# robot_token NAME: the API token (scm_...) of the robot account NAME, made once per state folder and kept in
# $SCM_STATE_DIR/robots/NAME.token (0600), so a restarted stack and its database keep agreeing. The gateway seeds the
# robot with it (Identity:Seed:Robots:N:Token; only the hash is stored) and the service using it sends it as the
# password of its registry credentials (Registry:Username/Password).
robot_token() {
  local dir=$SCM_STATE_DIR/robots file
  file=$dir/$1.token
  if [[ ! -s $file ]]; then
    mkdir -p "$dir" && chmod 700 "$dir"
    (umask 077 && printf 'scm_%s\n' "$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=\n')" >"$file")
  fi
  cat "$file"
}
