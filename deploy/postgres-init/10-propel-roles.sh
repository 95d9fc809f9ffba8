#!/usr/bin/env bash
# First start of the compose `operational-db` (docker-entrypoint-initdb.d): the roles of DESIGN §4
# with their passwords from .env, and the Airflow metadata database with its own owner. The jobs'
# `migrate` then grants on tables idempotently; this only makes the roles exist from the start.
# Env: POSTGRES_USER, POSTGRES_DB (companydata), PROPEL_{ADMIN,DS_USER,MLE_USER,ANALYST}_PASSWORD,
# AIRFLOW_DB_PASSWORD. A role whose password is empty exists but cannot log in with a password.
set -euo pipefail

psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}")

# ensure_role NAME PASSWORD: create the login role when missing, set its password when one is given.
ensure_role() {
  "${psql[@]}" --dbname postgres -v role="$1" -v password="$2" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'password')
 WHERE :'password' <> '' \gexec
SQL
}

ensure_role admin "${PROPEL_ADMIN_PASSWORD:-}"
ensure_role ds_user "${PROPEL_DS_USER_PASSWORD:-}"
ensure_role mle_user "${PROPEL_MLE_USER_PASSWORD:-}"
ensure_role analyst "${PROPEL_ANALYST_PASSWORD:-}"
ensure_role airflow "${AIRFLOW_DB_PASSWORD:-}"

"${psql[@]}" --dbname postgres -v db="${POSTGRES_DB:-companydata}" <<'SQL'
SELECT 'CREATE DATABASE airflow OWNER airflow'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'airflow') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO admin, ds_user, mle_user, analyst', :'db') \gexec
SELECT format('GRANT ALL PRIVILEGES ON DATABASE %I TO admin', :'db') \gexec
SQL
echo "propel: roles admin, ds_user, mle_user, analyst, airflow and database airflow are ready"
