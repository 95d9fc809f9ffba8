#!/bin/sh
# Starts nginx inside the nginx container (compose and EC2) with the repository's nginx/ config
# (mounted at /etc/propel/nginx): *.template files get ${API_UPSTREAM} and ${TLS_CERT_DIR}
# substituted; the TLS server block is enabled only when a certificate is mounted.
set -eu

src=/etc/propel/nginx
export API_UPSTREAM="${API_UPSTREAM:-api:5000}"
export TLS_CERT_DIR="${TLS_CERT_DIR:-/etc/nginx/certs}"

# shellcheck disable=SC2016 # envsubst takes the variable names literally
render() { envsubst '${API_UPSTREAM} ${TLS_CERT_DIR}' <"$1" >"$2"; }

if [ -f "$src/nginx.conf.template" ]; then
  render "$src/nginx.conf.template" /etc/nginx/nginx.conf
else
  cp "$src/nginx.conf" /etc/nginx/nginx.conf
fi
mkdir -p /etc/nginx/conf.d
rm -f /etc/nginx/conf.d/default.conf /etc/nginx/conf.d/propel-tls.conf
if [ -f "$TLS_CERT_DIR/fullchain.pem" ] && [ -f "$TLS_CERT_DIR/privkey.pem" ]; then
  for template in "$src"/tls*.template; do
    [ -f "$template" ] && render "$template" /etc/nginx/conf.d/propel-tls.conf
  done
  echo "nginx-start: TLS enabled with $TLS_CERT_DIR/fullchain.pem"
else
  echo "nginx-start: no certificate in $TLS_CERT_DIR, serving HTTP only"
fi
nginx -t
exec nginx -g 'daemon off;'
