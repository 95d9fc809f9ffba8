"""Shared fixtures: the DAGs parsed in real Airflow, a synthetic data source, the real companydata.

Run through `make test-dags` (scripts/test-dags.sh): DATABASE_URL points at the run's PostgreSQL
and Airflow's metadata lives in its `airflow` database.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import psycopg2
import pytest

REPO = Path(__file__).resolve().parents[2]
CLI = REPO / "jobs" / "dist" / "cli.js"


def run_job(*args: str, env: dict[str, str] | None = None) -> dict:
    """Runs a jobs CLI command and returns its JSON summary (the last stdout line)."""
    result = subprocess.run(
        ["node", str(CLI), *args], env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    assert result.returncode in (0, 99), result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def data_dirs(tmp_path_factory) -> dict[str, str]:
    """A small synthetic source (3 released months) used by the DAG runs."""
    root = tmp_path_factory.mktemp("data")
    dirs = {"DATA_SOURCE": str(root / "source"), "DATA_POOL": str(root / "pool")}
    summary = run_job(
        "synth", "generate", "--customers", "500", "--months", "4", "--released", "3", "--seed", "7",
        env={**dirs, "SYNTH_MANIFEST": str(root / "manifest.json")},
    )
    assert summary["released"] == ["2020-01", "2020-02", "2020-03"]
    return dirs


@pytest.fixture(scope="session")
def dagbag(data_dirs):
    """The DAG folder parsed the way the dag-processor does, with the local runner."""
    os.environ.update(data_dirs)
    os.environ["PROPEL_JOB_RUNNER"] = "local"
    os.environ["PROPEL_TASK_RETRIES"] = "0"
    os.environ["LOG_LEVEL"] = "warn"
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(REPO / "dags"))


@pytest.fixture()
def companydata():
    """A psycopg2 connection to the companydata database the jobs write."""
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    conn.autocommit = True
    yield conn
    conn.close()


def fingerprint(conn, table: str) -> tuple[int, str | None]:
    """Row count and an order-independent checksum of a table."""
    with conn.cursor() as cur:
        cur.execute(f"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {table} t")
        return cur.fetchone()
