"""The DAG files are wiring only: they parse without errors, into the task graphs of DESIGN §6."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

EXPECTED_GRAPHS = {
    "load_client_data": {"migrate": ["ingest_clients"], "ingest_clients": ["validate_clients"], "validate_clients": []},
    "load_sales_data": {"ingest_sales": ["validate_sales"], "validate_sales": []},
    "process_data": {
        "build_features": ["validate_features"],
        "validate_features": ["drift"],
        "drift": ["train"],
        "train": ["promote"],
        "promote": ["score"],
        "score": [],
    },
    "store_sales_report": {"store_report": []},
    "monitor_model": {
        "live_performance": ["retraining_needed"],
        "retraining_needed": ["trigger_process_data"],
        "trigger_process_data": [],
    },
}
# Tasks that are Airflow's own operators, not jobs: they run in Airflow in both runner modes.
AIRFLOW_TASKS = {("monitor_model", "trigger_process_data")}


def graph(dag) -> dict[str, list[str]]:
    return {t.task_id: sorted(t.downstream_task_ids) for t in dag.tasks}


def test_when_the_dag_folder_is_parsed_then_there_are_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert sorted(dagbag.dag_ids) == sorted(EXPECTED_GRAPHS)


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_GRAPHS))
def test_when_a_dag_is_parsed_then_its_task_graph_is_the_designed_one(dagbag, dag_id):
    dag = dagbag.get_dag(dag_id)
    assert graph(dag) == EXPECTED_GRAPHS[dag_id]
    assert dag.doc_md and dag.doc_md.strip().startswith("###")
    for task in dag.tasks:
        assert task.retries >= 0 and task.retry_delay and task.execution_timeout


def test_when_sales_load_monthly_then_runs_catch_up_one_at_a_time_from_the_first_month(dagbag):
    dag = dagbag.get_dag("load_sales_data")
    assert dag.catchup is True
    assert dag.max_active_runs == 1
    assert dag.start_date.strftime("%Y-%m-%d") == "2020-01-01"
    assert "data_interval_start" in dag.get_task("ingest_sales").bash_command


def test_when_data_changes_then_process_data_is_triggered_by_either_asset(dagbag):
    from airflow.sdk import AssetAny

    dag = dagbag.get_dag("process_data")
    assert isinstance(dag.timetable.asset_condition, AssetAny)
    uris = sorted(a.uri for a in dag.timetable.asset_condition.objects)
    assert uris == [
        "postgres://operational-db:5432/companydata/public/customer_profiles",
        "postgres://operational-db:5432/companydata/public/sales",
    ]
    outlets = {
        t.task_id: [a.uri for a in t.outlets]
        for d in ("load_client_data", "load_sales_data")
        for t in dagbag.get_dag(d).tasks
        if t.outlets
    }
    assert outlets == {"ingest_clients": [uris[0]], "ingest_sales": [uris[1]]}


def test_when_the_dag_files_are_imported_then_it_takes_well_under_a_second(dagbag):
    from airflow.dag_processing.dagbag import DagBag

    started = time.perf_counter()
    DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    # Not a timing test of the machine: a DAG file doing real work at import (DB, network) takes seconds.
    assert time.perf_counter() - started < 5


def test_when_running_in_docker_mode_then_docker_operator_arguments_are_exact_and_secrets_private(
    dagbag, monkeypatch
):
    from airflow.dag_processing.dagbag import DagBag
    from airflow.providers.docker.operators.docker import DockerOperator

    secret = "s3cr3t-pw-4711"
    monkeypatch.setenv("PROPEL_JOB_RUNNER", "docker")
    monkeypatch.setenv("PROPEL_JOBS_IMAGE", "ghcr.io/propel/jobs:abc123")
    monkeypatch.setenv("PROPEL_DOCKER_URL", "tcp://docker-proxy:2375")
    monkeypatch.setenv("PROPEL_DOCKER_NETWORK", "propel-backend")
    monkeypatch.setenv("DATABASE_URL", f"postgresql://mle_user:{secret}@operational-db:5432/companydata")
    monkeypatch.setenv("DRIFT_PSI_WARN", "0.2")  # a job setting from .env
    docker_bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    assert docker_bag.import_errors == {}
    for dag_id, expected in EXPECTED_GRAPHS.items():
        dag = docker_bag.get_dag(dag_id)
        assert graph(dag) == expected
        for task in dag.tasks:
            if (dag_id, task.task_id) in AIRFLOW_TASKS:
                continue
            assert isinstance(task, DockerOperator)
            assert task.image == "ghcr.io/propel/jobs:abc123"
            assert task.docker_url == "tcp://docker-proxy:2375"
            assert task.network_mode == "propel-backend"
            assert task.auto_remove == "success"
            assert task.mount_tmp_dir is False
            assert 99 in task.skip_on_exit_code
            assert [(m["Target"], m["Source"]) for m in task.mounts] == [
                ("/app/data", "propel-data"),
                ("/app/models", "propel-models"),
            ]
            assert task._private_environment["DATABASE_URL"].endswith("@operational-db:5432/companydata")
            # Paths are the container's volumes, not the Airflow host's; job settings come along.
            assert {k: task.environment[k] for k in ("DATA_SOURCE", "DATA_POOL", "MODEL_EXPORT_DIR")} == {
                "DATA_SOURCE": "/app/data/source",
                "DATA_POOL": "/app/data/pool",
                "MODEL_EXPORT_DIR": "/app/models",
            }
            assert task.environment["DRIFT_PSI_WARN"] == "0.2"
            local = dagbag.get_dag(dag_id).get_task(task.task_id).bash_command
            assert local.split("cli.js ", 1)[1] == " ".join(task.command), "same job arguments in both modes"
            for field in task.template_fields:
                assert secret not in str(getattr(task, field, "")), f"{dag_id}.{task.task_id}.{field}"


def test_when_the_source_is_s3_then_a_docker_task_reads_it_there(monkeypatch):
    from propel_dags.runner import job_task

    monkeypatch.setenv("PROPEL_JOB_RUNNER", "docker")
    monkeypatch.setenv("DATA_SOURCE", "s3://daredata-technical-challenge-data")
    assert job_task("ingest_clients", ["ingest-clients"]).environment["DATA_SOURCE"] == "s3://daredata-technical-challenge-data"


def test_when_the_jobs_config_has_a_setting_then_the_runner_passes_it_keeps_it_secret_or_says_why_not():
    from propel_dags import runner

    names = subprocess.run(
        ["node", "-e", "console.log(JSON.stringify(Object.values(require('./jobs/dist/config').settings).map((s) => s.env)))"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    covered = set(runner._PASS_THROUGH) | set(runner._SECRETS) | set(runner._NOT_FOR_DAG_JOBS)
    assert sorted(set(json.loads(names)) - covered) == []
    assert set(runner._PASS_THROUGH).isdisjoint(runner._SECRETS)
