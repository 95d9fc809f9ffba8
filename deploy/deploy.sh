#!/usr/bin/env bash
# Deploys api + nginx + the champion model to an EC2 host over SSH, smoke-tests through nginx and
# rolls back to the previous release when the smoke test fails. GitHub Actions (deploy.yml) calls it.
#
# usage: deploy/deploy.sh --host HOST --tag SHA --registry ghcr.io/OWNER --model-dir DIR
#                         [--user USER] [--base-url URL] [--previous-tag SHA] [--dry-run]
#
# Remote layout: /opt/propel/releases/<sha>/{docker-compose.yml, release.env, nginx/, model/},
# /opt/propel/current -> the running release, /opt/propel/api.env (operator settings, not touched).
# --dry-run prints every remote and local command instead of running it (nothing is contacted).
# env: REGISTRY_USER + REGISTRY_TOKEN (optional; `docker login` on the host, token sent on stdin),
#      DEPLOY_SSH (default ssh), DEPLOY_SMOKE_TEST (default deploy/smoke-test.sh), PROPEL_HOME
#      (default /opt/propel), KEEP_RELEASES (default 5), NGINX_DIR (default nginx/ of the repo).
# exit: 0 deployed and smoke-tested; 1 deploy or smoke test failed (rolled back when possible); 2 usage.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
HOST='' USER_NAME="${EC2_USER:-ubuntu}" TAG='' REGISTRY='' MODEL_DIR='' BASE_URL='' PREVIOUS='' DRY_RUN=0
SSH="${DEPLOY_SSH:-ssh}"
SMOKE_TEST="${DEPLOY_SMOKE_TEST:-$here/smoke-test.sh}"
PROPEL_HOME="${PROPEL_HOME:-/opt/propel}"
NGINX_DIR="${NGINX_DIR:-$root/nginx}"
KEEP_RELEASES="${KEEP_RELEASES:-5}"

usage() {
  sed -n '5,6p' "$0" | sed 's/^# \{0,1\}//' >&2
  [[ -n "${1:-}" ]] && echo "deploy: $1" >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --host) HOST="${2:-}"; shift 2 ;;
    --user) USER_NAME="${2:-}"; shift 2 ;;
    --tag) TAG="${2:-}"; shift 2 ;;
    --registry) REGISTRY="${2:-}"; shift 2 ;;
    --model-dir) MODEL_DIR="${2:-}"; shift 2 ;;
    --base-url) BASE_URL="${2:-}"; shift 2 ;;
    --previous-tag) PREVIOUS="${2:-}"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    -h | --help) usage ;;
    *) usage "unknown argument: $1" ;;
  esac
done
[[ -n "$HOST" ]] || usage "--host is required"
[[ "$TAG" =~ ^[0-9a-zA-Z._-]+$ ]] || usage "--tag must be an image tag (the commit SHA), got '${TAG}'"
[[ -n "$REGISTRY" ]] || usage "--registry is required (e.g. ghcr.io/owner)"
[[ -d "$MODEL_DIR" ]] || usage "--model-dir must be the champion model directory, got '${MODEL_DIR}'"
[[ -f "$NGINX_DIR/nginx.conf" || -f "$NGINX_DIR/nginx.conf.template" ]] || [[ "$DRY_RUN" == 1 ]] ||
  usage "$NGINX_DIR/nginx.conf (or nginx.conf.template) is missing"
REGISTRY="$(printf '%s' "$REGISTRY" | tr '[:upper:]' '[:lower:]')" # GHCR names are lower case
BASE_URL="${BASE_URL:-http://$HOST}"
TARGET="$USER_NAME@$HOST"
RELEASE="$PROPEL_HOME/releases/$TAG"
COMPOSE="docker compose --project-name propel --env-file release.env"

log() { echo "deploy: $*" >&2; }

# remote CMD: runs CMD on the host (printed, not run, in a dry run).
remote() {
  if [[ "$DRY_RUN" == 1 ]]; then
    echo "remote $TARGET: $1"
  else
    log "remote: $1"
    "$SSH" -o BatchMode=yes "$TARGET" "$1"
  fi
}

# local_run CMD...: runs a command here (printed, not run, in a dry run).
local_run() {
  if [[ "$DRY_RUN" == 1 ]]; then
    echo "local: $*"
  else
    log "local: $*"
    "$@"
  fi
}

# upload: the release files (compose file, nginx start script and config, model) into $RELEASE.
upload() {
  local staging
  staging="$(mktemp -d)"
  cp "$here/ec2/docker-compose.yml" "$here/nginx-start.sh" "$staging/"
  mkdir -p "$staging/nginx" "$staging/model"
  if [[ -d "$NGINX_DIR" ]]; then cp -R "$NGINX_DIR/." "$staging/nginx/"; fi
  cp -R "$MODEL_DIR/." "$staging/model/"
  printf 'PROPEL_REGISTRY=%s\nPROPEL_TAG=%s\n' "$REGISTRY" "$TAG" >"$staging/release.env"
  if [[ "$DRY_RUN" == 1 ]]; then
    echo "local: tar -C <staging: ec2/docker-compose.yml nginx-start.sh nginx/ model/ release.env> -cf - . | $SSH $TARGET 'tar -xf - -C $RELEASE'"
  else
    log "upload: release files to $TARGET:$RELEASE"
    tar -C "$staging" -cf - . | "$SSH" -o BatchMode=yes "$TARGET" "tar -xf - -C '$RELEASE'"
  fi
  rm -rf "$staging"
}

# start_release TAG: pulls that release's images (the tag named in the command, which wins over its
# release.env) and (re)creates the containers from its directory.
start_release() {
  local dir="$PROPEL_HOME/releases/$1"
  remote "cd '$dir' && export PROPEL_REGISTRY='$REGISTRY' PROPEL_TAG='$1' && $COMPOSE pull && $COMPOSE up -d --remove-orphans --wait && ln -sfn '$dir' '$PROPEL_HOME/current'"
}

log "deploying $REGISTRY/propel-api:$TAG to $TARGET (smoke test at $BASE_URL)"

# 1. The release running now is the rollback target.
if [[ -z "$PREVIOUS" ]]; then
  if [[ "$DRY_RUN" == 1 ]]; then
    remote "basename \"\$(readlink '$PROPEL_HOME/current')\""
    PREVIOUS='<previous tag read from current>'
  else
    PREVIOUS="$(remote "readlink '$PROPEL_HOME/current' 2>/dev/null | xargs -r basename" || true)"
  fi
fi
[[ "$PREVIOUS" == "$TAG" ]] && PREVIOUS=''
log "previous release: ${PREVIOUS:-none}"

# 2. Upload the release, log in to the registry when a token is given, pull and start.
remote "mkdir -p '$RELEASE' '$PROPEL_HOME/certs' && touch '$PROPEL_HOME/api.env'"
upload
if [[ -n "${REGISTRY_TOKEN:-}" ]]; then
  registry_host="${REGISTRY%%/*}"
  if [[ "$DRY_RUN" == 1 ]]; then
    echo "remote $TARGET: docker login $registry_host --username ${REGISTRY_USER:-} --password-stdin <<< ***"
  else
    log "remote: docker login $registry_host (token on stdin)"
    printf '%s' "$REGISTRY_TOKEN" | "$SSH" -o BatchMode=yes "$TARGET" \
      "docker login '$registry_host' --username '${REGISTRY_USER:-}' --password-stdin"
  fi
fi

deployed=1
start_release "$TAG" || deployed=0

# 3. Smoke test through nginx; 4. roll back to the previous release when it fails.
if [[ "$DRY_RUN" == 1 ]]; then
  local_run "$SMOKE_TEST" "$BASE_URL"
  echo "on smoke test failure (rollback to ${PREVIOUS:-none}):"
  if [[ -n "$PREVIOUS" ]]; then
    start_release "$PREVIOUS"
    local_run "$SMOKE_TEST" "$BASE_URL"
  fi
  echo "on success:"
  remote "ls -1dt '$PROPEL_HOME'/releases/* | tail -n +$((KEEP_RELEASES + 1)) | xargs -r rm -rf && docker image prune -f"
  exit 0
fi

if [[ "$deployed" == 1 ]] && "$SMOKE_TEST" "$BASE_URL"; then
  remote "ls -1dt '$PROPEL_HOME'/releases/* | tail -n +$((KEEP_RELEASES + 1)) | xargs -r rm -rf && docker image prune -f" ||
    log "warning: pruning old releases failed (the deploy itself succeeded)"
  log "deployed $TAG, smoke test passed"
  exit 0
fi

log "release $TAG failed its start or smoke test"
if [[ -z "$PREVIOUS" ]]; then
  log "no previous release to roll back to; the host runs the failed release $TAG"
  exit 1
fi
log "rolling back to $PREVIOUS"
if start_release "$PREVIOUS" && "$SMOKE_TEST" "$BASE_URL"; then
  log "rolled back to $PREVIOUS; its smoke test passed"
else
  log "rollback to $PREVIOUS did not pass its smoke test either: the host needs attention"
fi
exit 1
