"""
### load_sales_data

Monthly load of `sales/YYYY-MM-01/sales.csv` for the month of the run's data interval (never "now"):
replaces that month's sales and monthly_sales, then validates the month. Catch-up runs every month
from the first data month (`PROPEL_FIRST_MONTH`, default 2020-01) to the last (`PROPEL_LAST_MONTH`,
unset = open-ended), one run at a time.
"""

import os

import pendulum
from airflow.sdk import DAG

from propel_dags.assets import SALES
from propel_dags.runner import default_args, job_task

MONTH = "{{ data_interval_start.strftime('%Y-%m') }}"
LAST_MONTH = os.environ.get("PROPEL_LAST_MONTH")

with DAG(
    dag_id="load_sales_data",
    schedule="@monthly",
    start_date=pendulum.parse(f"{os.environ.get('PROPEL_FIRST_MONTH') or '2020-01'}-01", tz="UTC"),
    # The last month of data, when known: catch-up stops there instead of failing every later month.
    end_date=pendulum.parse(f"{LAST_MONTH}-01", tz="UTC") if LAST_MONTH else None,
    catchup=True,
    max_active_runs=1,
    default_args=default_args(),
    doc_md=__doc__,
    tags=["propel", "ingest"],
):
    ingest_sales = job_task("ingest_sales", ["ingest-sales", "--month", MONTH], outlets=[SALES])
    validate_sales = job_task("validate_sales", ["validate", "--dataset", "sales", "--month", MONTH])

    ingest_sales >> validate_sales
