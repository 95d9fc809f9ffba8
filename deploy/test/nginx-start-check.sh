#!/usr/bin/env bash
# Runs deploy/nginx-start.sh for real, as the nginx container does: the repository's nginx/ at
# /etc/propel/nginx, a certificate (self-signed, made here) at /etc/nginx/certs, Debian's nginx.
# It runs inside private mount + network namespaces (unshare), so /etc/nginx and port 80/443 of the
# machine are untouched: a copy of /etc is bind-mounted over /etc, and only loopback exists.
# A stand-in API (node) answers on 127.0.0.1:5000; deploy/smoke-test.sh then goes through nginx over
# HTTP and HTTPS. usage: deploy/test/nginx-start-check.sh (as root; make test-deploy runs it)
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
if [[ "${1:-}" != --inside ]]; then
  exec unshare --mount --net --fork "$0" --inside
fi

work="$(mktemp -d)"
ip link set lo up
# /etc for this namespace: a copy with our nginx layout (the container's), mounted over the real one.
cp -a /etc "$work/etc"
rm -rf "$work/etc/nginx/conf.d" "$work/etc/nginx/sites-enabled"
mkdir -p "$work/etc/nginx/conf.d" "$work/etc/nginx/certs" "$work/etc/propel"
cp -R "$root/nginx" "$work/etc/propel/nginx"
cp "$root/deploy/nginx-start.sh" "$work/etc/propel/nginx-start.sh"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$work/etc/nginx/certs/privkey.pem" -out "$work/etc/nginx/certs/fullchain.pem" 2>/dev/null
mount --bind "$work/etc" /etc

node -e '
  require("http").createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/health" || req.url === "/ready") return res.end("{\"status\":\"ok\"}");
    if (req.url === "/predict" && req.method === "POST")
      return res.end("{\"label\":0,\"probability\":0.07,\"model_version\":\"v1\",\"request_id\":\"r\"}");
    res.statusCode = 404; res.end("{}");
  }).listen(5000, "127.0.0.1");
' &
api=$!
API_UPSTREAM=127.0.0.1:5000 sh /etc/propel/nginx-start.sh >"$work/nginx.out" 2>&1 &
nginx_pid=$!
trap 'kill "$api" "$nginx_pid" 2>/dev/null; wait 2>/dev/null; umount /etc; rm -rf "$work"' EXIT

for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1/health && break; sleep 0.1; done
cat "$work/nginx.out"
grep -q 'TLS enabled' "$work/nginx.out"
SMOKE_RETRIES=3 SMOKE_DELAY=1 "$root/deploy/smoke-test.sh" http://127.0.0.1
curl --fail --silent --show-error --insecure --output /dev/null https://127.0.0.1/health
echo "nginx-start-check: HTTP and HTTPS through nginx-start.sh work"
