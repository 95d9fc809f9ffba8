#!/usr/bin/env bash
# Makes the compose stack's .env: copies .env_template when .env is missing, then gives every empty
# secret a random value (existing values are kept, so running it again changes nothing).
# usage: deploy/init-env.sh [ENV_FILE]   (default: .env next to docker-compose.yml)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
env_file="${1:-$root/.env}"
SECRETS=(POSTGRES_PASSWORD AIRFLOW_DB_PASSWORD AIRFLOW_JWT_SECRET AIRFLOW_API_SECRET_KEY
  PROPEL_ADMIN_PASSWORD PROPEL_DS_USER_PASSWORD PROPEL_MLE_USER_PASSWORD PROPEL_ANALYST_PASSWORD)

random_hex() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
# A Fernet key is 32 random bytes in URL-safe base64.
random_fernet() { head -c 32 /dev/urandom | base64 | tr '+/' '-_'; }

# set_if_empty KEY VALUE: writes KEY=VALUE when KEY is missing or empty in the env file.
set_if_empty() {
  local key="$1" value="$2" tmp
  if grep -qE "^${key}=.+" "$env_file"; then
    return 0
  fi
  tmp="$(mktemp)"
  if grep -qE "^${key}=" "$env_file"; then
    awk -v k="$key" -v v="$value" 'index($0, k "=") == 1 { print k "=" v; next } { print }' "$env_file" >"$tmp"
  else
    cat "$env_file" >"$tmp"
    printf '%s=%s\n' "$key" "$value" >>"$tmp"
  fi
  cat "$tmp" >"$env_file"
  rm -f "$tmp"
  echo "init-env: generated $key"
}

if [[ ! -f "$env_file" ]]; then
  cp "$root/.env_template" "$env_file"
  chmod 600 "$env_file"
  echo "init-env: created $env_file from .env_template"
fi
for key in "${SECRETS[@]}"; do
  set_if_empty "$key" "$(random_hex)"
done
set_if_empty AIRFLOW_FERNET_KEY "$(random_fernet)"
echo "init-env: $env_file is ready (keep it out of git)"
