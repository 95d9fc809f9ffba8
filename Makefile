# Propel: every command a user or CI runs. The README's commands are these targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

NODE_MODULES := node_modules/.package-lock.json
JOBS := node jobs/dist/cli.js
WITH_PG := node jobs/dist/db/with-postgres.js

# Synthetic data knobs (make demo / make data): small by default, the real size is CUSTOMERS=150000.
CUSTOMERS ?= 3000
MONTHS ?= 6
SEED ?= 42
export CUSTOMERS MONTHS SEED
# The demo's embedded PostgreSQL keeps its data here between runs (under the temp dir so the
# `postgres` OS user it runs as can reach it whatever the checkout's permissions).
PG_DIR ?= $(or $(TMPDIR),/tmp)/propel-postgres-$(shell printf %s "$(CURDIR)" | md5sum | cut -c1-8)
export PG_DIR

.PHONY: help install build lint typecheck test test-node test-dags test-airflow-ui test-dashboard venv airflow test-deploy test-api test-e2e serve export-model demo simulate bench next-month show-data reset-data clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(NODE_MODULES): package.json package-lock.json jobs/package.json api/package.json
	npm ci --no-audit --no-fund
	@touch $@

install: $(NODE_MODULES) ## install the Node dependencies from the lockfile

build: install ## compile the TypeScript workspaces
	npx tsc -b jobs api

lint: install ## ESLint + Prettier
	npx eslint .
	npx prettier --check .

typecheck: build ## type-check sources and tests (the api type-checks against the built jobs package)
	npx tsc -p tsconfig.json

test: lint typecheck build test-node test-dags test-airflow-ui test-dashboard test-deploy test-e2e ## everything CI runs

test-node: build ## jest suites against a real (embedded) PostgreSQL
	npx jest --ci

venv: ## the Airflow venv (.venv) from dags/requirements.txt + dags/constraints.txt
	bash scripts/airflow-venv.sh

airflow: build venv ## a real Airflow on :8082 (airflow/airflow) without Docker, on the demo's PostgreSQL
	$(WITH_PG) --persistent "$(PG_DIR)" --database airflow -- bash scripts/airflow.sh

test-airflow-ui: build venv ## browser test: log in to the make-airflow UI, trigger load_client_data, see it succeed
	bash scripts/test-airflow-ui.sh

test-dashboard: build ## browser test: a small pipeline run, API traffic and live-performance, then /dashboard in headless Chromium
	bash scripts/test-dashboard.sh

test-dags: build venv ## pytest of the DAGs in real Airflow (dag.test with the local runner, real PostgreSQL)
	$(WITH_PG) --database airflow -- bash scripts/test-dags.sh

test-api: build ## the prediction API's component tests only (also part of test-node)
	npx jest --ci api/src

test-e2e: build ## the API through real nginx (HTTP, HTTPS, 413, 429, smoke test, hot reload under load, schemathesis)
	bash api/test/e2e-tools.sh
	npx jest --ci --testMatch '**/api/test/**/*.e2e.ts'

test-deploy: build ## compose config, Dockerfile/workflow/shell lint, postgres init, deploy dry run and rollback
	bash deploy/test/install-tools.sh
	bash deploy/test/run.sh

serve: build ## the prediction API on http://localhost:5000 serving the champion of make demo's PostgreSQL (Ctrl-C stops it)
	$(WITH_PG) --persistent "$(PG_DIR)" -- node api/dist/server.js

export-model: build ## export make demo's champion to MODEL_EXPORT_DIR/<version>/ (default models/), the directory MODEL_DIR serves
	$(WITH_PG) --persistent "$(PG_DIR)" -- $(JOBS) export-model

demo: build ## generate data, run the pipeline, print what it produced
	bash scripts/demo.sh

simulate: build ## the passing of time: release months one by one, train/promote/score, print the champion table
	bash scripts/simulate.sh

bench: build ## benchmarks: ratios measured side by side, written to bench/results and BENCHMARKS.md
	bash bench/run.sh

next-month: build ## release the next synthetic month into the data source (exit 99: none left)
	$(JOBS) synth release-month

show-data: build ## released vs pending synthetic months
	$(JOBS) synth status

reset-data: ## delete generated data and the demo database
	rm -rf data models .airflow "$(PG_DIR)"

clean: ## remove build output
	rm -rf jobs/dist api/dist
