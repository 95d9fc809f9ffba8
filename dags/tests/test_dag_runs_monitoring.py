"""monitor_model in real Airflow: a degraded champion's open retraining request triggers process_data.

Runs after test_dag_runs.py (file order) on its database. It serves its own champion (a registry row
with a known holdout ROC-AUC) with logged predictions that are always wrong, and puts the registry and
the logs back as they were afterwards.
"""

from __future__ import annotations

import json

import pytest

from test_dag_runs import run

VERSION = "monitor-test-champion"


@pytest.fixture()
def degraded_champion(companydata):
    with companydata.cursor() as cur:
        cur.execute("SELECT version FROM model_aliases WHERE alias = 'champion'")
        previous = cur.fetchone()
        cur.execute(
            "INSERT INTO model_versions (version, kind, artifact, metrics, params, lineage)"
            " VALUES (%s, 'mlp', '{}', %s, '{}', '{}')",
            (VERSION, json.dumps({"holdout": {"roc_auc": 0.8}})),
        )
        cur.execute(
            "INSERT INTO model_aliases (alias, version) VALUES ('champion', %s)"
            " ON CONFLICT (alias) DO UPDATE SET version = EXCLUDED.version",
            (VERSION,),
        )
        # Every answer wrong: positives scored low, negatives high (ROC-AUC 0).
        cur.execute(
            "INSERT INTO predictions (request_id, idx, model_version, probability, label, features, created_at)"
            " SELECT 'monitor-' || idx, idx, %s, CASE WHEN label = 1 THEN 0.1 ELSE 0.6 END,"
            "        CASE WHEN label = 1 THEN 0 ELSE 1 END, '{}', now()"
            " FROM labels",
            (VERSION,),
        )
    yield
    with companydata.cursor() as cur:
        for table in ("predictions", "live_performance", "retraining_requests"):
            cur.execute(f"DELETE FROM {table} WHERE model_version = %s", (VERSION,))
        cur.execute("DELETE FROM alerts WHERE kind = 'live_performance'")
        if previous:
            cur.execute("UPDATE model_aliases SET version = %s WHERE alias = 'champion'", previous)
        else:
            cur.execute("DELETE FROM model_aliases WHERE alias = 'champion'")
        cur.execute("DELETE FROM model_versions WHERE version = %s", (VERSION,))


def test_when_the_champion_degraded_then_retraining_is_requested_and_process_data_triggered(
    dagbag, companydata, degraded_champion
):
    from airflow.models.dagrun import DagRun

    triggered_before = len(DagRun.find(dag_id="process_data"))

    states = run(dagbag.get_dag("monitor_model"))

    assert states == {
        "live_performance": "success",
        "retraining_needed": "success",
        "trigger_process_data": "success",
    }
    with companydata.cursor() as cur:
        cur.execute("SELECT status FROM live_performance WHERE model_version = %s", (VERSION,))
        assert cur.fetchall() == [("degraded",)]
        cur.execute("SELECT status FROM retraining_requests WHERE model_version = %s", (VERSION,))
        assert cur.fetchall() == [("open",)]
    runs = DagRun.find(dag_id="process_data")
    assert len(runs) == triggered_before + 1
    assert max(runs, key=lambda r: r.id).conf == {"reason": "retraining requested by live performance"}

    # Once answered (a promotion closes the request), the next run triggers nothing.
    with companydata.cursor() as cur:
        cur.execute("UPDATE retraining_requests SET status = 'done' WHERE model_version = %s", (VERSION,))
    states = run(dagbag.get_dag("monitor_model"))
    assert states["retraining_needed"] == "skipped"
    assert states["trigger_process_data"] == "skipped"
    assert len(DagRun.find(dag_id="process_data")) == triggered_before + 1
