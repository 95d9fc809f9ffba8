"""Runs the Propel DAGs in real Airflow, in-process (dag.test) with the local runner, and prints
every DAG run with its task states: load_client_data, load_sales_data for each month given on the
command line (YYYY-MM), then process_data (features, validation, drift, train, promote, score of
the latest month) and store_sales_report. Exit 1 when a run failed.
"""

from __future__ import annotations

import os
import sys

import pendulum
from airflow.dag_processing.dagbag import DagBag


def main(months: list[str]) -> int:
    bag = DagBag(dag_folder=os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    if bag.import_errors:
        print(f"DAG import errors: {bag.import_errors}", file=sys.stderr)
        return 1
    plan = [("load_client_data", None)]
    plan += [("load_sales_data", pendulum.parse(f"{m}-01", tz="UTC")) for m in months]
    plan += [("process_data", None), ("store_sales_report", None)]
    rows = []
    for dag_id, logical_date in plan:
        dag = bag.get_dag(dag_id)
        dag_run = dag.test(logical_date=logical_date) if logical_date else dag.test()
        states = {ti.task_id: str(ti.state) for ti in dag_run.get_task_instances()}
        rows.append((dag_id, logical_date.strftime("%Y-%m") if logical_date else "-", str(dag_run.state), states))
    print("\nDAG runs (real Airflow, local runner)")
    print(f"{'dag':20} {'month':8} {'state':8} tasks")
    for dag_id, month, state, states in rows:
        tasks = "  ".join(f"{task}={s}" for task, s in states.items())
        print(f"{dag_id:20} {month:8} {state:8} {tasks}")
    return 1 if any(state == "failed" for _, _, state, _ in rows) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
