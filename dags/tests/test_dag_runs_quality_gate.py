"""A critical validation failure stops process_data before anything is trained or scored.

Runs after test_dag_runs.py (file order), on the data and champion decisions it left: it gives one
customer an impossible label at the source table, runs process_data, and restores the customer and
the snapshot afterwards.
"""

from __future__ import annotations

import pytest

from conftest import run_job
from test_dag_runs import run

DOWNSTREAM = ("drift", "train", "promote", "score")


@pytest.fixture()
def customer_with_label_2(companydata):
    with companydata.cursor() as cur:
        cur.execute("SELECT idx, label FROM labels ORDER BY idx LIMIT 1")
        idx, label = cur.fetchone()
        cur.execute("UPDATE labels SET label = 2 WHERE idx = %s", (idx,))
    yield idx
    with companydata.cursor() as cur:
        cur.execute("UPDATE labels SET label = %s WHERE idx = %s", (label, idx))
    run_job("build-features", "--as-of", "latest")


def test_when_the_snapshot_fails_a_critical_expectation_then_nothing_downstream_runs(
    dagbag, companydata, customer_with_label_2
):
    with companydata.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM promotion_log), (SELECT count(*) FROM model_versions)")
        decisions_before = cur.fetchone()

    states = run(dagbag.get_dag("process_data"))

    assert states["build_features"] == "success"
    assert states["validate_features"] == "failed"
    assert {task: states[task] for task in DOWNSTREAM} == {task: "upstream_failed" for task in DOWNSTREAM}
    with companydata.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM promotion_log), (SELECT count(*) FROM model_versions)")
        assert cur.fetchone() == decisions_before  # no model trained, no decision taken
        cur.execute(
            "SELECT r.status, e.expectation FROM validation_runs r JOIN validation_results e USING (run_id)"
            " WHERE r.dataset = 'features' AND NOT e.passed ORDER BY r.created_at DESC LIMIT 1"
        )
        assert cur.fetchone() == ("failed", "features: label in 0|1")
        cur.execute("SELECT severity FROM alerts WHERE kind = 'validation' ORDER BY last_seen DESC LIMIT 1")
        assert cur.fetchone() == ("critical",)
