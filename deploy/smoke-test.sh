#!/usr/bin/env bash
# Smoke test of a running Propel API (through nginx): /health, /ready and one POST /predict with the
# challenge body. Used by the deploy (rollback when it fails) and by the nginx e2e test locally.
#
# usage: deploy/smoke-test.sh BASE_URL        e.g. deploy/smoke-test.sh http://localhost:8080
# env:   SMOKE_RETRIES (default 10) attempts for /health while the stack starts, SMOKE_DELAY seconds
#        between them (default 3), SMOKE_TIMEOUT per request (default 10), SMOKE_API_KEY sent as
#        X-API-Key when the API requires a key (API_KEYS set).
# exit:  0 all checks passed; 1 a check failed (the message says which and what came back); 2 usage.
set -euo pipefail

BASE_URL="${1:-}"
if [[ -z "$BASE_URL" ]]; then
  echo "usage: $0 BASE_URL (e.g. http://localhost)" >&2
  exit 2
fi
BASE_URL="${BASE_URL%/}"
RETRIES="${SMOKE_RETRIES:-10}"
DELAY="${SMOKE_DELAY:-3}"
TIMEOUT="${SMOKE_TIMEOUT:-10}"
PREDICT_BODY='{"idx":150000,"features":{"attr_a":1,"attr_b":"c","scd_a":0.55,"scd_b":3}}'

body_file="$(mktemp)"
trap 'rm -f "$body_file"' EXIT

curl_args=(--silent --show-error --max-time "$TIMEOUT" --output "$body_file" --write-out '%{http_code}')
if [[ -n "${SMOKE_API_KEY:-}" ]]; then
  curl_args+=(--header "X-API-Key: ${SMOKE_API_KEY}")
fi

fail() {
  echo "smoke-test: FAIL $1" >&2
  [[ "$1" == *" returned 000,"* ]] && echo "smoke-test: (000 = no HTTP response: connection refused, DNS or timeout)" >&2
  if [[ -s "$body_file" ]]; then
    echo "smoke-test: response body: $(head -c 500 "$body_file")" >&2
  fi
  exit 1
}

# request METHOD PATH [BODY] -> prints the HTTP status ("000" when the connection failed)
request() {
  local method="$1" path="$2" data="${3:-}"
  : >"$body_file"
  if [[ -n "$data" ]]; then
    curl "${curl_args[@]}" -X "$method" --header 'Content-Type: application/json' --data "$data" \
      "$BASE_URL$path" 2>/dev/null || true
  else
    curl "${curl_args[@]}" -X "$method" "$BASE_URL$path" 2>/dev/null || true
  fi
}

# get_200 PATH HINT: GET PATH until it answers 200, RETRIES times DELAY seconds apart, or fail.
get_200() {
  local path="$1" hint="$2" status=000 attempt
  for ((attempt = 1; attempt <= RETRIES; attempt++)); do
    status="$(request GET "$path")"
    [[ "$status" == 200 || "$attempt" == "$RETRIES" ]] && break
    echo "smoke-test: GET $path -> $status (attempt $attempt/$RETRIES), retrying in ${DELAY}s" >&2
    sleep "$DELAY"
  done
  [[ "$status" == 200 ]] || fail "GET $BASE_URL$path returned $status, expected 200$hint"
  echo "smoke-test: ok GET $path 200"
}

# 1. /health: liveness, retried while the containers start.
get_200 /health ''
# 2. /ready: a model is loaded (and the DB reachable when configured), retried as well.
get_200 /ready ' (is a model deployed?)'

# 3. POST /predict with the challenge body: 200 and a JSON body with label, probability, model_version.
status="$(request POST /predict "$PREDICT_BODY")"
[[ "$status" == 200 ]] || fail "POST $BASE_URL/predict returned $status, expected 200"
# shellcheck disable=SC2016 # the single-quoted text is JavaScript, not shell
if ! summary="$(
  node -e '
    let body;
    try { body = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); }
    catch { console.error("the body is not JSON"); process.exit(1); }
    const problems = [];
    if (body.label !== 0 && body.label !== 1) problems.push("label is not 0 or 1");
    if (typeof body.probability !== "number" || !(body.probability >= 0 && body.probability <= 1))
      problems.push("probability is not a number in [0, 1]");
    if (typeof body.model_version !== "string" || body.model_version === "") problems.push("model_version is missing");
    if (problems.length) { console.error(problems.join("; ")); process.exit(1); }
    console.log(`label=${body.label} probability=${body.probability} model_version=${body.model_version}`);
  ' "$body_file" 2>&1
)"; then
  fail "POST $BASE_URL/predict: $summary"
fi
echo "smoke-test: ok POST /predict 200 $summary"
echo "smoke-test: PASS $BASE_URL"
