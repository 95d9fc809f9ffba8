"""
### monitor_model

Daily: measures the served models on what really happened: logged predictions joined with feedback
and labels, per model version and month, against each version's holdout ROC-AUC. When the champion
has degraded, live_performance alerts and opens a retraining request; retraining_needed then
succeeds and process_data is triggered (train → promote on the latest data; a promotion closes the
request). With no open request, retraining_needed is skipped and nothing is triggered.
"""

import pendulum
from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import DAG

from propel_dags.runner import default_args, job_task

with DAG(
    dag_id="monitor_model",
    schedule="@daily",
    start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    doc_md=__doc__,
    tags=["propel", "model", "monitoring"],
):
    live_performance = job_task("live_performance", ["live-performance"])
    # Also asked when live_performance had nothing new to measure (skipped): a request may be open.
    retraining_needed = job_task("retraining_needed", ["retraining-needed"], trigger_rule="none_failed")
    trigger_process_data = TriggerDagRunOperator(
        task_id="trigger_process_data",
        trigger_dag_id="process_data",
        conf={"reason": "retraining requested by live performance"},
    )

    live_performance >> retraining_needed >> trigger_process_data
