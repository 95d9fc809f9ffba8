"""Checks that every AIRFLOW__SECTION__KEY the compose file sets is a real option of the pinned
Airflow (apache-airflow-core's config.yml) or of a provider we install (its get_provider_info()),
and that the auth manager and Celery app paths exist in those packages. Reads the wheels only.

usage: python3 deploy/test/check_airflow_env.py WHEEL_DIR RESOLVED_COMPOSE_YAML
"""

import pathlib
import sys
import zipfile

import yaml

wheels = pathlib.Path(sys.argv[1])
compose = yaml.safe_load(pathlib.Path(sys.argv[2]).read_text())
options = {}  # section -> set of option names
files = set()
for wheel in sorted(wheels.glob("*.whl")):
    with zipfile.ZipFile(wheel) as zf:
        files |= set(zf.namelist())
        for name in zf.namelist():
            if name == "airflow/config_templates/config.yml":
                for section, body in yaml.safe_load(zf.read(name)).items():
                    options.setdefault(section, set()).update((body or {}).get("options", {}))
            elif name.startswith("airflow/providers/") and name.endswith("/get_provider_info.py"):
                scope = {}
                exec(compile(zf.read(name), name, "exec"), scope)  # a generated function returning a dict literal
                for section, body in scope["get_provider_info"]().get("config", {}).items():
                    options.setdefault(section, set()).update((body or {}).get("options", {}))
if "core" not in options:
    sys.exit(f"no apache-airflow-core wheel in {wheels}")

problems = []
seen = {}
for name, service in compose["services"].items():
    for key, value in (service.get("environment") or {}).items():
        if key.startswith("AIRFLOW__"):
            seen[key] = value
for key, value in sorted(seen.items()):
    section, _, option = key[len("AIRFLOW__"):].lower().partition("__")
    if option not in options.get(section, set()):
        problems.append(f"{key}: [{section}] {option} is not an option of the pinned Airflow or providers")
    if key == "AIRFLOW__CORE__AUTH_MANAGER":
        module = value.rsplit(".", 1)[0].replace(".", "/") + ".py"
        if module not in files:
            problems.append(f"{key}: {module} is in no installed wheel")
celery_app = "airflow/providers/celery/executors/celery_executor.py"
if celery_app not in files:
    problems.append(f"the worker healthcheck's Celery app {celery_app} is in no installed wheel")
for p in problems:
    print(f"FAIL {p}")
print(f"checked {len(seen)} AIRFLOW__ settings against {len(options)} config sections")
sys.exit(1 if problems else 0)
