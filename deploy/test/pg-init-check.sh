#!/usr/bin/env bash
# Runs deploy/postgres-init/10-propel-roles.sh twice against the PostgreSQL of PROPEL_PG_ADMIN_URL
# (started by jobs/dist/db/with-postgres.js) and checks the roles, the airflow database and that
# the given passwords log in. Part of make test-deploy.
set -euo pipefail

url="${PROPEL_PG_ADMIN_URL:?run under jobs/dist/db/with-postgres.js}"
part() { node -p "decodeURIComponent(new URL(process.argv[1]).$1)" "$url"; }
PGHOST="$(part hostname)" PGPORT="$(part port)" PGUSER="$(part username)" PGPASSWORD="$(part password)"
export PGHOST PGPORT PGUSER PGPASSWORD
export POSTGRES_USER="$PGUSER" POSTGRES_DB=companydata
export PROPEL_MLE_USER_PASSWORD="mle pass'quote" AIRFLOW_DB_PASSWORD=af-pass
psql -v ON_ERROR_STOP=1 -q -d postgres -c 'CREATE DATABASE companydata' 2>/dev/null || true

init="$(dirname "$0")/../postgres-init/10-propel-roles.sh"
"$init"
"$init" # a second start of the script changes nothing and does not fail

roles="$(psql -At -d postgres -c "SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles
  WHERE rolname IN ('admin', 'ds_user', 'mle_user', 'analyst', 'airflow')")"
[[ "$roles" == "admin,airflow,analyst,ds_user,mle_user" ]] || { echo "roles: $roles" >&2; exit 1; }
PGUSER=mle_user PGPASSWORD="mle pass'quote" psql -At -d companydata -c 'SELECT current_user' | grep -qx mle_user
PGUSER=airflow PGPASSWORD=af-pass psql -At -d airflow -c 'SELECT current_user' | grep -qx airflow
owner="$(psql -At -d postgres -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'airflow'")"
[[ "$owner" == airflow ]] || { echo "airflow database owner: $owner" >&2; exit 1; }
if PGUSER=ds_user PGPASSWORD=wrong psql -At -d companydata -c 'SELECT 1' 2>/dev/null; then
  echo "ds_user logged in with a wrong password" >&2
  exit 1
fi
echo "pg-init-check: roles, airflow database and passwords are as expected"
