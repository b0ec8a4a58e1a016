#!/bin/bash
# Health check of kcidb-ng's service images, with nothing but bash (no curl in the runtime image):
#
#   kcidb-healthcheck            GET http://127.0.0.1:$KCIDB_HTTP_PORT/health (the gateway: $KCIDB_PORT) answers 200
#   kcidb-healthcheck PORT       the same on PORT
#   kcidb-healthcheck tcp        the broker's port ($KCIDB_KAFKA_HOST:$KCIDB_KAFKA_PORT) accepts connections
#
# With CERTBOT_DOMAIN set the gateway speaks TLS, which bash cannot: the check is then that its port accepts.
set -uo pipefail

if [ "${1:-}" = tcp ]; then
  exec 3<>"/dev/tcp/${KCIDB_KAFKA_HOST:-127.0.0.1}/${KCIDB_KAFKA_PORT:-9092}" || exit 1
  exit 0
fi

if [ "${KCIDB_SERVICE:-}" = gateway ]; then port=${1:-${KCIDB_PORT:-8080}}; else port=${1:-${KCIDB_HTTP_PORT:-8080}}; fi
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
if [ "${KCIDB_SERVICE:-}" = gateway ] && [ -n "${CERTBOT_DOMAIN:-}" ]; then exit 0; fi
printf 'GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status <&3 || { echo "no answer on port $port"; exit 1; }
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "GET /health on port $port: ${status%$'\r'}"; exit 1 ;;
esac
