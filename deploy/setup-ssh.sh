#!/usr/bin/env bash
# Writes the deploy SSH key and the host's pinned key for deploy.sh (GitHub Actions runner).
# env: EC2_SSH_KEY (private key, from a secret), EC2_KNOWN_HOSTS (the host's `ssh-keyscan` line,
# from a secret or variable; pinning it avoids trusting whatever answers on first use).
set -euo pipefail

: "${EC2_SSH_KEY:?EC2_SSH_KEY (secret) is not set}"
: "${EC2_KNOWN_HOSTS:?EC2_KNOWN_HOSTS (the host key line from ssh-keyscan) is not set}"
install -d -m 700 "$HOME/.ssh"
umask 077
printf '%s\n' "$EC2_SSH_KEY" >"$HOME/.ssh/id_deploy"
printf '%s\n' "$EC2_KNOWN_HOSTS" >>"$HOME/.ssh/known_hosts"
cat >>"$HOME/.ssh/config" <<'CONFIG'
Host *
  IdentityFile ~/.ssh/id_deploy
  IdentitiesOnly yes
  StrictHostKeyChecking yes
CONFIG
echo "setup-ssh: deploy key and pinned host key written"
