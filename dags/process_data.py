"""
### process_data

Runs whenever client or sales data changes (asset-triggered, no polling) or by hand: builds the
point-in-time feature snapshot of the latest loaded month, validates it, measures drift against the
champion's training data, trains a challenger, promotes it if it wins on the same holdout, and
batch-scores every customer with the champion. A step with nothing new to do ends as skipped.
"""

import pendulum
from airflow.sdk import DAG

from propel_dags.assets import CLIENTS, SALES
from propel_dags.runner import default_args, job_task

AS_OF = ["--as-of", "latest"]

with DAG(
    dag_id="process_data",
    schedule=(CLIENTS | SALES),
    start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    doc_md=__doc__,
    tags=["propel", "model"],
):
    build_features = job_task("build_features", ["build-features", *AS_OF])
    validate_features = job_task("validate_features", ["validate", "--dataset", "features", *AS_OF])
    drift = job_task("drift", ["drift", *AS_OF])
    # Drift is skipped until a champion exists; the first model must still be trained.
    train = job_task("train", ["train", *AS_OF], trigger_rule="none_failed")
    promote = job_task("promote", ["promote", *AS_OF])
    score = job_task("score", ["score", *AS_OF])

    build_features >> validate_features >> drift >> train >> promote >> score
