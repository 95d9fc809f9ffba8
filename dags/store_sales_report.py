"""
### store_sales_report

On demand: average sale value and number of sales per store and month, from the loaded sales.
"""

import pendulum
from airflow.sdk import DAG

from propel_dags.runner import default_args, job_task

with DAG(
    dag_id="store_sales_report",
    schedule=None,
    start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
    catchup=False,
    default_args=default_args(),
    doc_md=__doc__,
    tags=["propel", "report"],
):
    job_task("store_report", ["store-report"])
