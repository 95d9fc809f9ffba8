"""How a Propel DAG task runs a jobs CLI command (DESIGN §6).

``PROPEL_JOB_RUNNER=docker`` (the compose stack): a DockerOperator on the jobs image, on the compose
network, through the Docker socket proxy; secrets reach the container only through
``private_environment``. ``local`` (make demo, make test, make airflow): a BashOperator running the
identical ``propel-jobs`` command with node from the checkout. Either way exit 99 ("nothing to do")
ends the task as skipped.
"""

from __future__ import annotations

import os
import shlex
from datetime import timedelta
from pathlib import Path

from airflow.sdk import BaseOperator

# Job settings (jobs/src/config.ts) passed through to the job process when Airflow's environment
# sets them, so `.env` tunes the jobs whichever runner runs them. A test keeps this list, _SECRETS and
# _NOT_FOR_DAG_JOBS covering every setting of the jobs' config.
_PASS_THROUGH = (
    "DATA_SOURCE",
    "DATA_POOL",
    "S3_ENDPOINT",
    "AWS_REGION",
    "S3_ANONYMOUS",
    "LOG_LEVEL",
    "PROGRESS_INTERVAL_SECONDS",
    "ALERT_WEBHOOK_TIMEOUT_MS",
    "ALERT_WEBHOOK_RETRIES",
    "MODEL_BACKEND",
    "MODEL_EXPORT_DIR",
    "HOLDOUT_PERCENT",
    "PROMOTION_MARGIN",
    "PROMOTION_MIN_AUC_LIFT",
    "DRIFT_PSI_WARN",
    "DRIFT_PSI_CRITICAL",
    "LIVE_PERF_MAX_AUC_DROP",
    "LIVE_PERF_MIN_LABELLED",
)
# Settings that are secrets: DockerOperator private_environment only, never a templated field.
_SECRETS = (
    "DATABASE_URL",
    "ALERT_WEBHOOK_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "PROPEL_ADMIN_PASSWORD",
    "PROPEL_DS_USER_PASSWORD",
    "PROPEL_MLE_USER_PASSWORD",
    "PROPEL_ANALYST_PASSWORD",
)
# Set by the runner itself (PROPEL_RUN_ID) or used by no DAG task (the synthetic data's manifest).
_NOT_FOR_DAG_JOBS = ("PROPEL_RUN_ID", "SYNTH_MANIFEST")
SKIP_EXIT_CODE = 99
# Where the jobs image keeps data and models (owned by its user; the compose `jobs` service mounts the
# same named volumes there, so a fresh volume takes that ownership).
CONTAINER_DATA = "/app/data"
CONTAINER_MODELS = "/app/models"


def default_args() -> dict:
    """Retries, retry delay and execution timeout shared by every Propel DAG."""
    return {
        "owner": "propel",
        "retries": int(os.environ.get("PROPEL_TASK_RETRIES") or 2),
        "retry_delay": timedelta(minutes=2),
        "execution_timeout": timedelta(hours=2),
    }


def _job_environment() -> dict[str, str]:
    env = {name: os.environ[name] for name in _PASS_THROUGH if os.environ.get(name)}
    env["PROPEL_RUN_ID"] = "{{ dag.dag_id }}__{{ run_id }}"
    return env


def job_task(task_id: str, job_args: list[str], **kwargs) -> BaseOperator:
    """An operator running ``propel-jobs <job_args>``; job_args may hold Jinja templates."""
    runner = os.environ.get("PROPEL_JOB_RUNNER") or "local"
    if runner == "docker":
        return _docker_task(task_id, job_args, **kwargs)
    if runner == "local":
        return _local_task(task_id, job_args, **kwargs)
    raise ValueError(f"PROPEL_JOB_RUNNER must be 'docker' or 'local', got {runner!r}")


def _docker_task(task_id: str, job_args: list[str], **kwargs) -> BaseOperator:
    from airflow.providers.docker.operators.docker import DockerOperator
    from docker.types import Mount

    mounts = [
        Mount(target=CONTAINER_DATA, source=os.environ.get("PROPEL_DATA_VOLUME", "propel-data"), type="volume"),
        Mount(target=CONTAINER_MODELS, source=os.environ.get("PROPEL_MODELS_VOLUME", "propel-models"), type="volume"),
    ]
    # Inside the job container the data and model paths are the volumes mounted here, whatever they
    # are on the Airflow host; an s3:// source is a location, not a path, and is kept.
    source = os.environ.get("DATA_SOURCE", "")
    environment = {
        **_job_environment(),
        "DATA_SOURCE": source if source.startswith("s3://") else f"{CONTAINER_DATA}/source",
        "DATA_POOL": f"{CONTAINER_DATA}/pool",
        "MODEL_EXPORT_DIR": CONTAINER_MODELS,
    }
    return DockerOperator(
        task_id=task_id,
        image=os.environ.get("PROPEL_JOBS_IMAGE", "propel-jobs:local"),
        command=list(job_args),
        docker_url=os.environ.get("PROPEL_DOCKER_URL", "tcp://docker-proxy:2375"),
        network_mode=os.environ.get("PROPEL_DOCKER_NETWORK", "propel-backend"),
        auto_remove="success",
        mount_tmp_dir=False,
        mounts=mounts,
        environment=environment,
        private_environment={name: os.environ[name] for name in _SECRETS if os.environ.get(name)},
        skip_on_exit_code=SKIP_EXIT_CODE,
        **kwargs,
    )


def _local_task(task_id: str, job_args: list[str], **kwargs) -> BaseOperator:
    from airflow.providers.standard.operators.bash import BashOperator

    root = Path(os.environ.get("PROPEL_REPO_ROOT") or Path(__file__).resolve().parents[2])
    command = " ".join(["node", shlex.quote(str(root / "jobs" / "dist" / "cli.js")), *job_args])
    return BashOperator(
        task_id=task_id,
        bash_command=command,
        cwd=str(root),
        env=_job_environment(),
        append_env=True,
        skip_on_exit_code=SKIP_EXIT_CODE,
        **kwargs,
    )
