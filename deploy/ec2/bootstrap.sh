#!/usr/bin/env bash
# One-time (idempotent) setup of an Ubuntu 24.04 EC2 host for deploy/deploy.sh: Docker Engine and
# the compose plugin from Ubuntu's archive, the deploy user in the docker group, /opt/propel.
# usage (from your machine): ssh ubuntu@HOST 'sudo bash -s' < deploy/ec2/bootstrap.sh [--dry-run]
#        or on the host:      sudo deploy/ec2/bootstrap.sh [--dry-run] [DEPLOY_USER]
set -euo pipefail

DRY_RUN=0
if [[ "${1:-}" == --dry-run ]]; then
  DRY_RUN=1
  shift
fi
DEPLOY_USER="${1:-${SUDO_USER:-ubuntu}}"
PROPEL_HOME="${PROPEL_HOME:-/opt/propel}"

run() {
  if [[ "$DRY_RUN" == 1 ]]; then
    echo "host: $*"
  else
    echo "bootstrap: $*" >&2
    "$@"
  fi
}

[[ "$DRY_RUN" == 1 || "$(id -u)" == 0 ]] || { echo "bootstrap: run as root (sudo)" >&2; exit 2; }
if [[ "$DRY_RUN" == 1 ]] || ! docker compose version >/dev/null 2>&1; then
  run apt-get update -qq
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io docker-compose-v2 curl
  run systemctl enable --now docker
fi
run usermod -aG docker "$DEPLOY_USER"
run install -d -o "$DEPLOY_USER" -m 755 "$PROPEL_HOME" "$PROPEL_HOME/releases" "$PROPEL_HOME/certs"
if [[ "$DRY_RUN" == 1 || ! -f "$PROPEL_HOME/api.env" ]]; then
  run install -o "$DEPLOY_USER" -m 600 /dev/null "$PROPEL_HOME/api.env"
fi
echo "bootstrap: $PROPEL_HOME is ready for $DEPLOY_USER; put API_KEYS etc. in $PROPEL_HOME/api.env and," \
  "for HTTPS, fullchain.pem + privkey.pem in $PROPEL_HOME/certs" >&2
