# Sourced: the environment of an Airflow run without Docker (tests, demo, make airflow). Needs
# AIRFLOW_DATABASE_URL (with-postgres --database airflow) and the checkout as the current directory.
export AIRFLOW_HOME=${AIRFLOW_HOME:-$(mktemp -d -t propel-airflow-XXXXXX)}
export AIRFLOW__CORE__DAGS_FOLDER=$PWD/dags
export AIRFLOW__CORE__LOAD_EXAMPLES=false
export AIRFLOW__CORE__EXECUTOR=LocalExecutor
: "${AIRFLOW_DATABASE_URL:?is not set: with DATABASE_URL given, also give AIRFLOW_DATABASE_URL (the Airflow metadata database)}"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=${AIRFLOW_DATABASE_URL/#postgres:/postgresql+psycopg2:}
# Since Airflow 3.0.2 the DAGs folder is not on sys.path by itself; the DAGs import propel_dags.
export PYTHONPATH=$PWD/dags${PYTHONPATH:+:$PYTHONPATH}
export PROPEL_JOB_RUNNER=local PROPEL_REPO_ROOT=$PWD
