# shellcheck shell=bash
# =============================================================================
# client.sh — sourced by the scripts that drive a running mesh as its users do (demo.sh, infra/bench/pipeline.sh):
# the gateway's API as the bootstrap administrator (or SCM_TOKEN), the developer's push credentials, and registry
# reads with a token from the gateway's token service when the registry runs with token auth (services.sh's default).
# Needs lib.sh and `services.sh env` sourced first.
# =============================================================================
GW=${SCM_SERVER:-http://127.0.0.1:${SCM_PORT_BASE:-8080}}
REG=$SCM_REGISTRY
api() { curl -fsS --max-time 30 "${SCM_API_AUTH[@]}" "$@"; }
# Through the gateway as its bootstrap administrator (up.sh sets the password), or with an API token.
SCM_API_AUTH=(-u "admin:${SCM_ADMIN_PASSWORD:-scm-local-dev-admin}")
[[ -n ${SCM_TOKEN:-} ]] && SCM_API_AUTH=(-H "Authorization: Bearer $SCM_TOKEN")

TOKEN_AUTH=
[[ ${SCM_REGISTRY_AUTH:-none} == token ]] && TOKEN_AUTH=1
DEVELOPER_CREDS="developer:${SCM_DEVELOPER_PASSWORD:-scm-local-dev-developer}"
DEVELOPER=(--dest-creds "$DEVELOPER_CREDS")
[[ -n $TOKEN_AUTH ]] || DEVELOPER=()
# An API token of the administrator for the registry reads below (polled: a password would be hashed on every poll).
if [[ -n $TOKEN_AUTH && -z ${SCM_TOKEN:-} ]]; then
  SCM_TOKEN=$(api -H 'Content-Type: application/json' -d '{"name":"scripts","expiresInDays":1}' "$GW/api/tokens" | jq -r .token)
  SCM_API_AUTH=(-H "Authorization: Bearer $SCM_TOKEN")
fi

# registry_token SCOPE [CURL_AUTH...]: a registry JWT from the gateway's token service (the administrator's by default).
registry_token() {
  local scope=$1; shift
  (($# > 0)) || set -- -H "Authorization: Bearer $SCM_TOKEN"
  curl -fsS --max-time 10 "$@" "$GW/auth/token?service=scm-registry&scope=$scope" | jq -r .token
}
# registry_auth REPOSITORY: the header for a read of it; when the registry is open, a harmless X- header instead of
# nothing, so that digest_of's optional HEADER argument is never empty (an empty one would make it fetch a token).
registry_auth() {
  if [[ -n $TOKEN_AUTH ]]; then printf 'Authorization: Bearer %s' "$(registry_token "repository:$1:pull")"; else printf 'X-Scm-Open: 1'; fi
}
# digest_of REPOSITORY TAG [HEADER]: the manifest digest the tag points to, or nothing. Pass HEADER (registry_auth's
# output) when polling, so a token is not fetched on every poll.
digest_of() {
  local header=${3:-$(registry_auth "$1")}
  curl -fsI -H "$header" -H 'Accept: application/vnd.oci.image.manifest.v1+json' -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REG/v2/$1/manifests/$2" 2>/dev/null | tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest"{print $2}'
}
# push_layout OCI_LAYOUT:TAG REPOSITORY:TAG — a developer's push with skopeo.
push_layout() { skopeo copy --quiet --dest-tls-verify=false "${DEVELOPER[@]}" "oci:$1" "docker://$REG/$2" >/dev/null; }
