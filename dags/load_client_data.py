"""
### load_client_data

One-off load of the client files (customer_profiles, customer_activity, labels, stores) into
companydata: schema and roles first, then the files as-is plus `customer_activity_ranked`, then the
clients validation suite. Trigger it by hand; re-running replaces the tables atomically.
"""

import pendulum
from airflow.sdk import DAG

from propel_dags.assets import CLIENTS
from propel_dags.runner import default_args, job_task

with DAG(
    dag_id="load_client_data",
    schedule=None,
    start_date=pendulum.datetime(2020, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    default_args=default_args(),
    doc_md=__doc__,
    tags=["propel", "ingest"],
):
    migrate = job_task("migrate", ["migrate"])
    ingest_clients = job_task("ingest_clients", ["ingest-clients"], outlets=[CLIENTS])
    validate_clients = job_task("validate_clients", ["validate", "--dataset", "clients"])

    migrate >> ingest_clients >> validate_clients
