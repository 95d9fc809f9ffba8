#!/usr/bin/env bash
# make test-deploy: the container and deploy checks that can run without a Docker engine, EC2 or
# GitHub. Compose files are parsed by Debian's docker-compose, Dockerfiles linted by hadolint,
# workflows by actionlint, scripts by shellcheck; the postgres init script runs against a real
# PostgreSQL (embedded-postgres + psql); deploy.sh runs for real with only `ssh` replaced by a
# recorder (the EC2 host is not reachable from here) and the real smoke test against local HTTP
# servers that stand in for nginx on the host. Prints "N passed, N failed".
set -uo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root" || exit 1
tools="${PROPEL_TOOLS_DIR:-$root/.tools}"
export PATH="$tools/bin:$PATH"
# Debian's docker-compose 1.29 (install-tools.sh), whatever else is on PATH.
docker-compose() { /usr/bin/docker-compose "$@"; }
work="$(mktemp -d)"
servers=()
cleanup() {
  local pid
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
passed=0 failed=0

# t NAME CMD...: runs one check in a subshell (it may cd); its output is shown only when it fails.
t() {
  local name="$1"
  shift
  if ("$@") >"$work/out" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    sed 's/^/     | /' "$work/out" | tail -40
  fi
}

# --- compose files ------------------------------------------------------------------------------
compose_env() { # a throwaway project dir: the compose file and an .env made from .env_template
  rm -rf "$work/compose" && mkdir -p "$work/compose/deploy" &&
    cp docker-compose.yml "$work/compose/" && deploy/init-env.sh "$work/compose/.env" >/dev/null
}
compose_valid() {
  compose_env && cd "$work/compose" && docker-compose -f docker-compose.yml config -q &&
    docker-compose -f docker-compose.yml --profile scale-out config -q
}
compose_missing_secret_fails() {
  compose_env && sed -i 's/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=/' "$work/compose/.env" &&
    ! (cd "$work/compose" && docker-compose config -q) 2>"$work/err" && grep -q 'POSTGRES_PASSWORD\|init-env' "$work/err"
}
ec2_compose_valid() {
  mkdir -p "$work/ec2" && cp deploy/ec2/docker-compose.yml "$work/ec2/" && touch "$work/ec2/api.env" &&
    printf 'PROPEL_REGISTRY=ghcr.io/propel\nPROPEL_TAG=0123abc\n' >"$work/ec2/release.env" &&
    cd "$work/ec2" && PROPEL_HOME="$work/ec2" docker-compose --env-file release.env config >resolved.yml &&
    grep -q 'image: ghcr.io/propel/propel-api:0123abc' resolved.yml
}
policy() {
  compose_env && (cd "$work/compose" && docker-compose --profile scale-out config >resolved.yml) &&
    /usr/bin/python3 deploy/test/check_policy.py "$root" "$work/compose/resolved.yml"
}
policy_catches_exec() { # the policy check fails when the proxy would allow exec
  compose_env && sed -i 's/      EXEC: 0/      EXEC: 1/' "$work/compose/docker-compose.yml" &&
    (cd "$work/compose" && docker-compose --profile scale-out config >resolved.yml) &&
    ! /usr/bin/python3 deploy/test/check_policy.py "$root" "$work/compose/resolved.yml" >"$work/policy" &&
    grep -q '^FAIL socket proxy' "$work/policy"
}
t "docker-compose.yml parses (Debian docker-compose $(docker-compose version --short 2>/dev/null)), default and scale-out" compose_valid
t "a missing secret in .env stops compose with a message naming it" compose_missing_secret_fails
t "deploy/ec2/docker-compose.yml parses and pulls the SHA tag" ec2_compose_valid
t "compose/Dockerfile/workflow policy (pins, healthchecks, proxy, secrets, docs)" policy
t "the policy check fails when the socket proxy allows exec" policy_catches_exec
airflow_env() {
  local version
  version="$(sed -n 's/^ARG AIRFLOW_VERSION=//p' airflow/Dockerfile)"
  compose_env && (cd "$work/compose" && docker-compose --profile scale-out config >resolved.yml) &&
    /usr/bin/python3 deploy/test/check_airflow_env.py "$tools/airflow-wheels/$version" "$work/compose/resolved.yml"
}
airflow_env_catches_typo() {
  compose_env && sed -i 's/AIRFLOW__API_AUTH__JWT_SECRET:/AIRFLOW__API__JWT_SECRET:/' "$work/compose/docker-compose.yml" &&
    (cd "$work/compose" && docker-compose --profile scale-out config >resolved.yml) &&
    ! /usr/bin/python3 deploy/test/check_airflow_env.py "$tools/airflow-wheels/$(sed -n 's/^ARG AIRFLOW_VERSION=//p' airflow/Dockerfile)" \
      "$work/compose/resolved.yml" >"$work/af" && grep -q 'AIRFLOW__API__JWT_SECRET' "$work/af"
}
t "every AIRFLOW__ setting of compose is an option of the pinned Airflow 3 / providers" airflow_env
t "a misplaced Airflow setting is caught" airflow_env_catches_typo

# --- Dockerfiles, workflows, scripts --------------------------------------------------------------
t "hadolint: jobs, api and airflow Dockerfiles" hadolint --config .hadolint.yaml jobs/Dockerfile api/Dockerfile airflow/Dockerfile
t "actionlint: .github/workflows" actionlint .github/workflows/ci.yml .github/workflows/deploy.yml
mapfile -t scripts < <(git ls-files -co --exclude-standard 'deploy/*.sh' 'deploy/**/*.sh')
t "shellcheck: ${#scripts[@]} deploy scripts" shellcheck "${scripts[@]}"
t "deploy workflow runs only after CI succeeded on a push to main" \
  grep -qE "conclusion == 'success' && github.event.workflow_run.event == 'push'" .github/workflows/deploy.yml
workflow_calls_only_scripts() { # every run: step of deploy.yml calls a deploy/ script (or names the image)
  /usr/bin/python3 - <<'PY'
import re, sys, yaml
steps = [s for job in yaml.safe_load(open(".github/workflows/deploy.yml"))["jobs"].values() for s in job["steps"]]
runs = [s["run"].strip() for s in steps if "run" in s]
bad = [r for r in runs if not re.match(r"(deploy/[a-z-]+\.sh\b|echo \"registry=)", r)]
assert any(r.startswith("deploy/deploy.sh") for r in runs), "no step runs deploy/deploy.sh"
assert not bad, f"steps that are not deploy/ scripts: {bad}"
PY
}
t "deploy workflow steps only call scripts in deploy/" workflow_calls_only_scripts

# --- init-env -----------------------------------------------------------------------------------
init_env_idempotent() {
  deploy/init-env.sh "$work/idem.env" >/dev/null && cp "$work/idem.env" "$work/idem.first" &&
    deploy/init-env.sh "$work/idem.env" >/dev/null && cmp "$work/idem.env" "$work/idem.first" &&
    [[ "$(stat -c %a "$work/idem.env")" == 600 ]] &&
    grep -qE '^AIRFLOW_FERNET_KEY=[A-Za-z0-9_-]{43}=$' "$work/idem.env" &&
    ! grep -qE '^(POSTGRES_PASSWORD|AIRFLOW_JWT_SECRET|PROPEL_MLE_USER_PASSWORD)=$' "$work/idem.env"
}
t "init-env fills every empty secret once and keeps them on a second run" init_env_idempotent

# --- postgres init script against a real PostgreSQL ------------------------------------------------
pg_init() { node jobs/dist/db/with-postgres.js -- deploy/test/pg-init-check.sh; }
t "postgres init: roles and the airflow database on a real PostgreSQL, idempotent, passwords work" pg_init

# --- nginx start script with the repository's nginx/ config, real nginx, private namespaces ---------
nginx_start() {
  local as_root=()
  [[ "$(id -u)" == 0 ]] || as_root=(sudo -n -E env "PATH=$PATH")
  "${as_root[@]}" deploy/test/nginx-start-check.sh
}
t "nginx-start.sh renders nginx/ (HTTP + TLS with a mounted certificate); smoke test passes through it" nginx_start

# --- deploy.sh ----------------------------------------------------------------------------------
bootstrap_plan() {
  deploy/ec2/bootstrap.sh --dry-run deployer >"$work/boot" 2>&1 &&
    grep -qx 'host: env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io docker-compose-v2 curl' "$work/boot" &&
    grep -qx 'host: usermod -aG docker deployer' "$work/boot" &&
    grep -qx 'host: install -d -o deployer -m 755 /opt/propel /opt/propel/releases /opt/propel/certs' "$work/boot"
}
t "EC2 bootstrap --dry-run plans Docker + compose plugin, the docker group and /opt/propel" bootstrap_plan

mkdir -p "$work/model/20261122T000000Z-mlp" && echo '{"version":"20261122T000000Z-mlp"}' >"$work/model/20261122T000000Z-mlp/model.json"
model="$work/model/20261122T000000Z-mlp"
dry_run() {
  deploy/deploy.sh --dry-run --host ec2.example.test --tag 0123abcd --registry ghcr.io/Propel-Org \
    --model-dir "$model" --previous-tag fedcba98 >"$work/plan" 2>&1
}
plan_has() { grep -qF -- "$1" "$work/plan" || { echo "plan lacks: $1"; cat "$work/plan"; return 1; }; }
dry_run_plan() {
  dry_run &&
    plan_has "tar -xf - -C /opt/propel/releases/0123abcd" &&
    plan_has "export PROPEL_REGISTRY='ghcr.io/propel-org' PROPEL_TAG='0123abcd' && docker compose --project-name propel --env-file release.env pull && docker compose --project-name propel --env-file release.env up -d" &&
    plan_has "deploy/smoke-test.sh http://ec2.example.test" &&
    plan_has "on smoke test failure (rollback to fedcba98):" &&
    plan_has "cd '/opt/propel/releases/fedcba98' && export PROPEL_REGISTRY='ghcr.io/propel-org' PROPEL_TAG='fedcba98' && docker compose --project-name propel --env-file release.env pull" &&
    plan_has "ln -sfn '/opt/propel/releases/fedcba98' '/opt/propel/current'"
}
t "deploy --dry-run plans the SHA-tag pull, the smoke test and the rollback to the previous tag" dry_run_plan
dry_run_hides_token() {
  REGISTRY_USER=bot REGISTRY_TOKEN=tok-should-not-print dry_run && plan_has "--password-stdin <<< ***" &&
    ! grep -q tok-should-not-print "$work/plan"
}
t "deploy --dry-run logs in with the token on stdin and never prints it" dry_run_hides_token
usage_errors() {
  ! deploy/deploy.sh --host h --tag 'bad tag' --registry r --model-dir "$model" 2>"$work/err" &&
    grep -q -- '--tag must be an image tag' "$work/err" &&
    ! deploy/deploy.sh --host h --tag abc --registry r --model-dir /nonexistent 2>"$work/err" &&
    grep -q -- '--model-dir' "$work/err"
}
t "deploy rejects a bad tag and a missing model directory with a clear message" usage_errors

# A recorder for ssh: logs each remote command, swallows uploads, answers `readlink` with the
# current release; every other remote command succeeds, except one containing $FAIL_ON.
cat >"$work/ssh" <<'EOF'
#!/usr/bin/env bash
while [[ "$1" == -o ]]; do shift 2; done
target="$1"; shift
echo "$target: $*" >>"$RECORD"
if [[ -n "${FAIL_ON:-}" && "$*" == *"$FAIL_ON"* ]]; then exit 1; fi
case "$*" in
  *readlink*) echo "fedcba98" ;;
  tar\ -xf*|docker\ login*) cat >/dev/null ;;
esac
EOF
chmod +x "$work/ssh"
# start_api MODE: a local HTTP server standing in for nginx on the host, on a free port (written to
# $work/port.MODE). Modes: good, bad (/predict 503), notready (/ready 503), badbody (/predict
# without the fields). Started here, in the main shell, so that cleanup stops every one of them.
start_api() {
  node -e '
    const [mode, portFile] = process.argv.slice(1);
    const server = require("http").createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      if (req.url === "/ready" && mode === "notready") { res.statusCode = 503; return res.end("{}"); }
      if (req.url === "/health" || req.url === "/ready") return res.end("{\"status\":\"ok\"}");
      if (req.url === "/predict" && req.method === "POST") {
        if (mode === "bad") { res.statusCode = 503; return res.end("{\"error\":{\"code\":\"no_model\"}}"); }
        if (mode === "badbody") return res.end("{\"label\":3}");
        return res.end("{\"label\":0,\"probability\":0.07,\"model_version\":\"v1\",\"request_id\":\"r\"}");
      }
      res.statusCode = 404; res.end("{}");
    });
    server.listen(0, "127.0.0.1", () => require("fs").writeFileSync(portFile, String(server.address().port)));
  ' "$1" "$work/port.$1" &
  servers+=($!)
}
for mode in good bad notready badbody; do start_api "$mode"; done
for mode in good bad notready badbody; do
  for _ in $(seq 100); do [[ -s "$work/port.$mode" ]] && break; sleep 0.1; done
done
port_good="$(cat "$work/port.good")"
port_bad="$(cat "$work/port.bad")"
deploy_real() { # deploy_real PORT: runs deploy.sh with the ssh recorder against a local server
  : >"$work/record"
  RECORD="$work/record" DEPLOY_SSH="$work/ssh" SMOKE_RETRIES=1 SMOKE_DELAY=0 NGINX_DIR="$work/nginx" \
    deploy/deploy.sh --host ec2.example.test --tag 0123abcd --registry ghcr.io/propel \
    --model-dir "$model" --base-url "http://127.0.0.1:$1" >"$work/deploy.out" 2>&1
}
record_has() { grep -qF -- "$1" "$work/record" || { echo "remote commands lack: $1"; cat "$work/record" "$work/deploy.out"; return 1; }; }
deploy_success() {
  deploy_real "$port_good" &&
    record_has "PROPEL_TAG='0123abcd' && docker compose --project-name propel --env-file release.env pull" &&
    record_has "tar -xf - -C '/opt/propel/releases/0123abcd'" &&
    record_has "xargs -r rm -rf && docker image prune -f" &&
    ! grep -q "PROPEL_TAG='fedcba98'" "$work/record"
}
deploy_rollback() {
  ! deploy_real "$port_bad" &&
    record_has "PROPEL_TAG='0123abcd' && docker compose --project-name propel --env-file release.env pull" &&
    record_has "cd '/opt/propel/releases/fedcba98' && export PROPEL_REGISTRY='ghcr.io/propel' PROPEL_TAG='fedcba98'" &&
    record_has "ln -sfn '/opt/propel/releases/fedcba98' '/opt/propel/current'" &&
    grep -q "smoke-test: FAIL POST http://127.0.0.1:$port_bad/predict returned 503" "$work/deploy.out" &&
    grep -q "rolling back to fedcba98" "$work/deploy.out"
}
smoke() { # smoke MODE EXPECTED_RC MESSAGE: the real smoke test against that mode's local server
  local port
  port="$(cat "$work/port.$1")"
  SMOKE_RETRIES=2 SMOKE_DELAY=0 deploy/smoke-test.sh "http://127.0.0.1:$port" >"$work/smoke.out" 2>&1
  local rc=$?
  if [[ "$rc" != "$2" ]] || ! grep -qF -- "${3//PORT/$port}" "$work/smoke.out"; then
    echo "rc=$rc"
    cat "$work/smoke.out"
    return 1
  fi
}
t "smoke-test passes on /health, /ready and a valid /predict answer" \
  smoke good 0 "ok POST /predict 200 label=0 probability=0.07 model_version=v1"
t "smoke-test fails naming /ready when no model is loaded" \
  smoke notready 1 "FAIL GET http://127.0.0.1:PORT/ready returned 503"
t "smoke-test fails naming the fields when /predict answers without them" \
  smoke badbody 1 "label is not 0 or 1; probability is not a number in [0, 1]; model_version is missing"
unreachable() {
  ! SMOKE_RETRIES=1 deploy/smoke-test.sh http://127.0.0.1:9 >"$work/smoke.out" 2>&1 &&
    grep -q "returned 000" "$work/smoke.out" && grep -q "no HTTP response" "$work/smoke.out"
}
t "smoke-test fails with a clear message when nothing answers" unreachable
smoke_usage() {
  deploy/smoke-test.sh >/dev/null 2>&1
  [[ $? == 2 ]]
}
t "smoke-test without BASE_URL is a usage error (exit 2)" smoke_usage

# The release's nginx config is copied, not read: any file stands for the repo's nginx/ here.
mkdir -p "$work/nginx" && echo 'events {}' >"$work/nginx/nginx.conf"
t "deploy: smoke test passes -> release kept, old releases pruned, no rollback" deploy_success
t "deploy: smoke test fails on /predict -> rolled back to the previous tag, exit 1" deploy_rollback
deploy_start_fails() { # the new release never gets healthy (compose up --wait fails): roll back
  # shellcheck disable=SC2089,SC2090 # the quotes are part of the remote command text to match
  FAIL_ON="PROPEL_TAG='0123abcd'" && export FAIL_ON && ! deploy_real "$port_good" &&
    record_has "cd '/opt/propel/releases/fedcba98' && export PROPEL_REGISTRY='ghcr.io/propel' PROPEL_TAG='fedcba98'" &&
    grep -q "release 0123abcd failed its start or smoke test" "$work/deploy.out" &&
    grep -q "rolled back to fedcba98; its smoke test passed" "$work/deploy.out"
}
t "deploy: the new release fails to start -> rolled back to the previous tag, exit 1" deploy_start_fails

echo "test-deploy: $passed passed, $failed failed"
[[ "$failed" == 0 ]]
