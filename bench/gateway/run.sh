#!/usr/bin/env bash
# Benchmarks the gateway's POST /submit: 2 KB and 1 MB bodies at concurrency 1 and 16, with everything it does in
# production: JWT check, streaming JSON check, fsync of file and directories, and publication to a real Kafka broker
# (a single-node KRaft broker from local-stack, on this machine). Prints a Markdown table.
#
#   bench/gateway/run.sh [SECONDS_PER_RUN] [--no-broker]   (default 10 s; needs JAVA_HOME >= 21 and Maven)
#
# --no-broker measures the conditions of the Rust service's figures (no Kafka at all): the gateway still does
# everything else, fsyncs included, and keeps every submission owed in its outbox.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-10}"
NO_BROKER="${2:-}"
JAVA="${JAVA_HOME:?set JAVA_HOME to a JDK 21+}/bin/java"
if [[ ! -f gateway/target/gateway.jar || ! -f local-stack/target/local-stack.jar || "${BENCH_REBUILD:-0}" == 1 ]]; then
  mvn -B -q -pl gateway,local-stack -am package -DskipTests
fi
WORK="$(mktemp -d /tmp/kcidb-gateway-bench.XXXXXX)"
free_port() { python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\",0)); print(s.getsockname()[1])"; }
KAFKA_PORT=$(free_port); CONTROLLER_PORT=$(free_port); HTTP_PORT=$(free_port)
SECRET="bench-secret-of-a-reasonable-length-0123456789"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
mkdir -p "$WORK/spool"
if [[ "$NO_BROKER" == "--no-broker" ]]; then
  sleep 1000000 & # a placeholder, so that PIDS[1] is the gateway either way; nothing listens on KAFKA_PORT
else
  "$JAVA" -jar local-stack/target/local-stack.jar kafka --data-dir "$WORK/kafka" --port "$KAFKA_PORT" \
    --controller-port "$CONTROLLER_PORT" --partitions 12 >"$WORK/kafka.log" 2>&1 &
fi
PIDS+=($!)
JWT_SECRET="$SECRET" KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" "$JAVA" -Xmx1g -jar gateway/target/gateway.jar \
  -p "$HTTP_PORT" -b 127.0.0.1 -d "$WORK/spool" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -sf "http://127.0.0.1:$HTTP_PORT/health" >/dev/null || { tail -50 "$WORK/gateway.log"; exit 1; }
TOKEN=$("$JAVA" -jar gateway/target/gateway.jar token --secret "$SECRET" --origin bench)
GATEWAY_PID=${PIDS[1]}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CPU_BEFORE=$(cpu_ticks "$GATEWAY_PID")
echo "machine: $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$JAVA" bench/gateway/GatewayBench.java "http://127.0.0.1:$HTTP_PORT" "$TOKEN" "$WORK/spool" "$SECONDS_PER_RUN"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
CPU_AFTER=$(cpu_ticks "$GATEWAY_PID")
metrics=$(curl -s "http://127.0.0.1:$HTTP_PORT/metrics")
submissions=$(grep '^kcidb_submissions_total' <<<"$metrics" | awk '{print $2}')
published=$(grep '^kcidb_gateway_published_total' <<<"$metrics" | awk '{print $2}')
echo "gateway: $submissions submissions (warm-ups included), $published events acknowledged by Kafka," \
  "$(( (CPU_AFTER - CPU_BEFORE) * 1000 / $(getconf CLK_TCK) )) ms of gateway CPU" >&2
