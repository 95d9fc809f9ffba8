"""Policy checks of the container and CI files that a config parser does not make (make test-deploy).

usage: python3 deploy/test/check_policy.py REPO_ROOT RESOLVED_COMPOSE_YAML
Prints one line per check ("ok ..." or "FAIL ...: why") and exits 1 when any check failed.
RESOLVED_COMPOSE_YAML is `docker-compose --profile scale-out config` output (anchors merged).
"""

import json
import pathlib
import re
import subprocess
import sys

import yaml

root = pathlib.Path(sys.argv[1])
compose = yaml.safe_load(pathlib.Path(sys.argv[2]).read_text())
services = compose["services"]
failures = 0


def check(name, problems):
    """Reports one check; `problems` is a list of strings, empty when the check passed."""
    global failures
    if problems:
        failures += 1
        print(f"FAIL {name}: {'; '.join(problems)}")
    else:
        print(f"ok {name}")


def image_pinned(image):
    tag = image.rsplit("/", 1)[-1].partition(":")[2]
    return tag not in ("", "latest") and re.search(r"\d", tag) is not None


# --- docker-compose.yml -------------------------------------------------------------------------
expected = {
    "operational-db", "docker-proxy", "jobs", "airflow-init", "airflow-api-server", "airflow-scheduler",
    "airflow-dag-processor", "airflow-triggerer", "redis", "airflow-worker", "api", "nginx",
}
check("compose has every service of DESIGN §10", sorted(f"missing {s}" for s in expected - services.keys()))
check(
    "every third-party image has a pinned version tag",
    [f"{n}: {s['image']}" for n, s in services.items() if "build" not in s and not image_pinned(s["image"])],
)
one_shot = {"jobs", "airflow-init"}
check(
    "every long-running service has a healthcheck",
    [n for n, s in services.items() if n not in one_shot and "healthcheck" not in s],
)
check(
    "every depends_on waits on a condition",
    [
        f"{n} -> {d}"
        for n, s in services.items()
        for d, c in (s.get("depends_on") or {}).items()
        if not isinstance(c, dict) or c.get("condition") not in ("service_healthy", "service_completed_successfully")
    ],
)
db = services["operational-db"]
check(
    "operational-db: companydata, init scripts for roles, named volume",
    [p for p, ok in [
        ("POSTGRES_DB is not companydata", db["environment"].get("POSTGRES_DB") == "companydata"),
        ("no docker-entrypoint-initdb.d mount", any("docker-entrypoint-initdb.d" in v for v in db["volumes"])),
        ("data not on a named volume", any(v.startswith("operational-db-data:") for v in db["volumes"])),
    ] if not ok],
)
proxy = services["docker-proxy"]
penv = {k: str(v) for k, v in proxy["environment"].items()}
must = {"CONTAINERS": "1", "IMAGES": "1", "POST": "1", "EXEC": "0", "VOLUMES": "0", "NETWORKS": "0", "BUILD": "0",
        "SWARM": "0", "SECRETS": "0", "AUTH": "0"}
check(
    "socket proxy allows containers/images only (no exec, volumes, networks, build)",
    [f"{k}={penv.get(k)} (want {v})" for k, v in must.items() if penv.get(k) != v],
)
socket_mounts = [(n, v) for n, s in services.items() for v in s.get("volumes") or [] if "docker.sock" in v]
check(
    "only the proxy mounts the Docker socket, read-only",
    [f"{n}: {v}" for n, v in socket_mounts if n != "docker-proxy" or not v.endswith(":ro")]
    + ([] if socket_mounts else ["no socket mount"]),
)
chmods = subprocess.run(
    ["git", "grep", "-nE", r"chmod[^\n]*docker\.sock", "--", ":!deploy/test/check_policy.py"],
    cwd=root, capture_output=True, text=True,
).stdout.strip()
check("nothing chmods the Docker socket", [chmods] if chmods else [])
check(
    "api is internal (port 5000 exposed, not published); Airflow UI on 8082; nginx on 80 and 443",
    [p for p, ok in [
        ("api publishes ports", "ports" not in services["api"]),
        ("api does not expose 5000", "5000" in [str(e) for e in services["api"].get("expose", [])]),
        ("airflow-api-server not on 8082", any(str(p.get("published") if isinstance(p, dict) else p).startswith("8082")
                                               for p in services["airflow-api-server"]["ports"])),
        ("nginx not on 80/443", {"80", "443"} <= {str(p.get("target") if isinstance(p, dict) else p).split(":")[-1]
                                                  for p in services["nginx"]["ports"]}),
    ] if not ok],
)
airflow_env = services["airflow-scheduler"]["environment"]
check(
    "Airflow: FAB auth manager, job runner env for the DAGs, scale-out profile",
    [p for p, ok in [
        ("not FabAuthManager", airflow_env.get("AIRFLOW__CORE__AUTH_MANAGER", "").endswith("FabAuthManager")),
        ("PROPEL_JOB_RUNNER != docker", airflow_env.get("PROPEL_JOB_RUNNER") == "docker"),
        ("PROPEL_DOCKER_URL not the proxy", "docker-proxy" in airflow_env.get("PROPEL_DOCKER_URL", "")),
        ("PROPEL_DOCKER_NETWORK not the compose network",
         airflow_env.get("PROPEL_DOCKER_NETWORK") == compose["networks"]["backend"].get("name")),
        ("PROPEL_JOBS_IMAGE is not the jobs service image", airflow_env.get("PROPEL_JOBS_IMAGE") == services["jobs"]["image"]),
        ("worker/redis not in scale-out", all("scale-out" in services[s].get("profiles", []) for s in ("redis", "airflow-worker"))),
        ("airflow-init does not create the user", services["airflow-init"]["environment"].get("_AIRFLOW_WWW_USER_CREATE") == "true"),
    ] if not ok],
)

airflow_services = [n for n in services if n.startswith("airflow-")]
check(
    "every Airflow service shares the task-log volume (the UI reads logs written by scheduler/workers)",
    [n for n in airflow_services if not any(str(v).startswith("airflow-logs:/opt/airflow/logs") for v in services[n].get("volumes", []))],
)

# The DAGs' runner helper and compose must agree on the env names (PROPEL_JOB_RUNNER, ...).
dag_env = set()
for py in (root / "dags").rglob("*.py") if (root / "dags").is_dir() else []:
    if "tests" not in py.parts:
        dag_env |= set(re.findall(r"""(?:getenv|environ\.get|environ\[)\(?\s*["'](PROPEL_[A-Z0-9_]+)""", py.read_text()))
check(
    f"every PROPEL_* variable the DAGs read ({len(dag_env)}) is set for Airflow by compose or documented",
    sorted(v for v in dag_env if v not in airflow_env and v not in set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (root / ".env_template").read_text(), re.M))),
)

# --- every variable compose and the workflows read is documented ----------------------------------
template = (root / ".env_template").read_text()
documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", template, re.M))
solution = (root / "SOLUTION.md").read_text() if (root / "SOLUTION.md").exists() else ""


def compose_variables(path):
    """${VAR} references outside comments; $${VAR} is an escaped shell variable of the container."""
    text = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("#"))
    return set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", text))


compose_vars = compose_variables(root / "docker-compose.yml")
check("every ${VAR} of docker-compose.yml is in .env_template", sorted(compose_vars - documented))
ec2_vars = compose_variables(root / "deploy/ec2/docker-compose.yml")
check("every ${VAR} of deploy/ec2/docker-compose.yml is in SOLUTION.md", sorted(v for v in ec2_vars if v not in solution))
workflow_refs = set()
for wf in (root / ".github/workflows").glob("*.yml"):
    workflow_refs |= set(re.findall(r"\$\{\{\s*(?:secrets|vars)\.([A-Z][A-Z0-9_]*)", wf.read_text()))
check(
    "every secret/variable the workflows read is in SOLUTION.md",
    sorted(v for v in workflow_refs - {"GITHUB_TOKEN"} if v not in solution),
)

# --- secrets never committed ------------------------------------------------------------------
secret_lines = [
    line for line in template.splitlines()
    if re.match(r"^[A-Z0-9_]*(PASSWORD|SECRET|TOKEN|FERNET_KEY|API_KEYS)[A-Z0-9_]*=\S", line)
]
check(".env_template leaves every secret empty", secret_lines)
patterns = [
    r"AKIA[0-9A-Z]{16}", r"-----BEGIN [A-Z ]*PRIVATE KEY-----", r"gh[pousr]_[A-Za-z0-9]{36}", r"xox[abpr]-[A-Za-z0-9-]+",
    r"github_pat_[A-Za-z0-9_]{20,}", r"(postgres(ql)?|redis)://[^:/\s$]+:[^@\s${]+@",
]
hits = subprocess.run(
    ["git", "grep", "-nIE", "|".join(patterns), "--", ":!deploy/test/check_policy.py", ":!package-lock.json"],
    cwd=root, capture_output=True, text=True,
).stdout.strip()
check("git grep finds no credential in tracked files", hits.splitlines()[:5] if hits else [])

# --- images ------------------------------------------------------------------------------------
def final_stage(dockerfile):
    text = (root / dockerfile).read_text()
    return text[text.rfind("\nFROM "):]


node_images = {d: final_stage(d) for d in ("jobs/Dockerfile", "api/Dockerfile")}
check(
    "jobs and api: multi-stage, npm ci from the lockfile, non-root runtime, small base",
    [p for d, stage in node_images.items() for p, ok in [
        (f"{d}: not multi-stage", (root / d).read_text().count("\nFROM ") >= 2),
        (f"{d}: no npm ci", "npm ci" in (root / d).read_text()),
        (f"{d}: runtime runs as root", re.search(r"^USER (?!root|0)\S+", stage, re.M) is not None),
        (f"{d}: base is not a slim image", re.search(r"NODE_IMAGE=node:[\d.]+-bookworm-slim", (root / d).read_text())),
        (f"{d}: tfjs-node not checked at build", "require('@tensorflow/tfjs-node')" in (root / d).read_text()),
    ] if not ok],
)
check("api image has a HEALTHCHECK on /health", [] if "/health" in final_stage("api/Dockerfile") else ["missing"])
allow = json.loads((root / "package.json").read_text()).get("allowScripts", {})
check("npm allowScripts lets @tensorflow/tfjs-node install (images)", [] if allow.get("@tensorflow/tfjs-node") is True else ["not allowed"])
airflow_df = (root / "airflow/Dockerfile").read_text()
airflow_version = re.search(r"ARG AIRFLOW_VERSION=(\S+)", airflow_df).group(1)
pins = {}
for req in ("dags/requirements.txt", "airflow/requirements.txt"):
    if (root / req).exists():
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)", (root / req).read_text(), re.M):
            pins.setdefault(m.group(1).lower(), set()).add(m.group(2))
if "apache-airflow" in pins:
    check("Airflow image version = dags/requirements.txt pin", [] if pins["apache-airflow"] == {airflow_version} else
          [f"image {airflow_version}, dags pin {sorted(pins['apache-airflow'])}"])
check("dags/ and airflow/ requirements agree on shared pins",
      [f"{k}: {sorted(v)}" for k, v in pins.items() if k != "apache-airflow" and len(v) > 1])
check("Airflow image bakes in the DAGs as a non-root user",
      [p for p, ok in [("no COPY dags/", "COPY --chown=airflow:0 dags/" in airflow_df),
                       ("root user", re.search(r"^USER (?!root|0\b)", airflow_df, re.M) is not None)] if not ok])

sys.exit(1 if failures else 0)
