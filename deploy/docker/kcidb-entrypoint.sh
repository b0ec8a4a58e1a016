#!/bin/bash
# Entry point of kcidb-ng's service images: runs /app/$KCIDB_SERVICE.jar as the kcidb user.
#
#   (no arguments) or options     the service:  java $JAVA_OPTS -jar /app/$KCIDB_SERVICE.jar [OPTIONS]
#   a subcommand (db-init, token, analyze, kafka, ...)   the same, with the subcommand
#   a program on PATH (bash, ls ...)   that program
#
# Started as root, it first hands the mounted data folders (/app/spool, /app/state, /app/cache) to the kcidb user, so
# bind mounts work whoever created them, then drops root. KCIDB_RUN_AS_ROOT=1 keeps root.
set -Eeuo pipefail

SERVICE=${KCIDB_SERVICE:?KCIDB_SERVICE names the service jar}

if [ $# -gt 0 ] && [[ "$1" != -* ]] && command -v "$1" >/dev/null 2>&1; then
  exec "$@"
fi

if [ "$(id -u)" = 0 ] && [ "${KCIDB_RUN_AS_ROOT:-0}" != 1 ]; then
  for d in /app/spool /app/state /app/cache; do
    [ -d "$d" ] || continue
    # Once, when the folder is not ours yet (a fresh bind mount, or a spool taken over from the Rust gateway).
    if [ "$(stat -c %u "$d")" != "$(id -u kcidb)" ]; then chown -R kcidb:kcidb "$d"; fi
  done
  exec setpriv --reuid=kcidb --regid=kcidb --init-groups "$0" "$@"
fi

# Configuration files dropped into /app/config are used when no variable says otherwise.
if [ -z "${KCIDB_LOGSPEC_FILTER_FILE:-}" ] && [ -f /app/config/logspec_worker.yaml ]; then
  export KCIDB_LOGSPEC_FILTER_FILE=/app/config/logspec_worker.yaml
fi

# The broker image: defaults for the compose network (data in /app/state/kafka, reached as kafka:9092).
if [ "$SERVICE" = local-stack ] && [ "${1:-}" = kafka ] && [ $# -eq 1 ]; then
  set -- kafka --data-dir /app/state/kafka --host "${KCIDB_KAFKA_HOST:-kafka}" --port "${KCIDB_KAFKA_PORT:-9092}" \
    --controller-port "${KCIDB_KAFKA_CONTROLLER_PORT:-9093}" --partitions "${KCIDB_TOPIC_PARTITIONS:-12}"
fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
exec java ${JAVA_OPTS:-} -jar "/app/$SERVICE.jar" "$@"
