#!/usr/bin/env bash
# Smoke test of the compose deployment, on a machine with a Docker engine and no image registry:
#
#   1. prepares the base images from Debian's packages (deploy/images/build-local-bases.sh), unless --public-bases
#   2. builds kcidb-ng's images from this checkout (docker-compose-dev.yaml)
#   3. brings the stack up with the broker and self-hosted profiles, and waits for every health check
#   4. submits a document and follows it to 'processed', then finds its rows with psql in the postgres container
#   5. scales the ingest consumer to 2, sees both take partitions, and has both process submissions
#   6. tears everything down: containers, network, data (images are kept, as a cache for the next run)
#
#   deploy/compose/smoke-test.sh [--public-bases] [--keep]
#
# --public-bases builds on the Dockerfiles' default bases (maven:3.9-eclipse-temurin-21, eclipse-temurin:21-jre,
# postgres:17), for a machine that reaches Docker Hub. --keep leaves the stack running for a look (then
# 'docker compose -p kcidb-smoke down -v' and remove the data folder it prints).
# Each step prints its duration; a failure prints the state of the containers and the logs of those that failed.
# It refuses to run beside a kcidb-ng stack (the containers kcidb-rest, postgres, logspec-worker have fixed names).
set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PROJECT=kcidb-smoke
BASES=local
KEEP=no
for a in "$@"; do
  case "$a" in
    --public-bases) BASES=public ;;
    --keep) KEEP=yes ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $a" >&2; exit 2 ;;
  esac
done

T0=$SECONDS
STEP_T0=$SECONDS
STEP=""
log() { printf '[smoke %4ds] %s\n' "$((SECONDS - T0))" "$*"; }
step() {
  if [ -n "$STEP" ]; then log "ok: $STEP ($((SECONDS - STEP_T0))s)"; fi
  STEP=$1; STEP_T0=$SECONDS
  log "== $STEP"
}

# ---------------------------------------------------------------- compose, ports, data
if docker compose version >/dev/null 2>&1; then COMPOSE_BIN=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then COMPOSE_BIN=(docker-compose)
else echo "neither 'docker compose' nor 'docker-compose' is installed" >&2; exit 1; fi
docker info >/dev/null 2>&1 || { echo "no Docker engine answers ('docker info' fails)" >&2; exit 1; }

for c in kcidb-rest postgres logspec-worker dbinit; do
  if docker container inspect "$c" >/dev/null 2>&1; then
    echo "a container named $c exists (a kcidb-ng stack?): stop it first ('./self-hosted.sh down')" >&2; exit 1
  fi
done

free_port() { # a TCP port nothing listens on, from $1 up
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

DATA=$(mktemp -d /var/tmp/kcidb-smoke.XXXXXX)
ENV_FILE=$DATA/.env
JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
GATEWAY_PORT=$(free_port 18080)
PG_PORT=$(free_port 15432)
URL=http://127.0.0.1:$GATEWAY_PORT
cat >"$ENV_FILE" <<EOF
POSTGRES_PASSWORD=kcidb
PG_PASS=kcidb
PG_URI=postgresql:dbname=kcidb user=kcidb_editor password=kcidb host=db port=5432
KCIDB_VERBOSE=0
JWT_SECRET=$JWT_SECRET
EOF

export KCIDB_ENV_FILE=$ENV_FILE KCIDB_DATA_DIR=$DATA KCIDB_NETWORK=$PROJECT
export KCIDB_REST_BIND=127.0.0.1 KCIDB_REST_PORT=$GATEWAY_PORT KCIDB_PG_PORT=$PG_PORT
if [ "$BASES" = local ]; then
  export BUILD_IMAGE=kcidb-local/maven:21 RUNTIME_IMAGE=kcidb-local/jre:21 POSTGRES_IMAGE=kcidb-local/postgres:17
fi
COMPOSE=("${COMPOSE_BIN[@]}" -p "$PROJECT" --env-file "$ENV_FILE" -f "$HERE/docker-compose.yaml" -f "$HERE/docker-compose-dev.yaml"
  --profile broker --profile self-hosted)

containers() { docker ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '{{.Names}}' | sort; }

teardown() {
  log "tearing down (containers, network, data)"
  "${COMPOSE[@]}" down -v --remove-orphans --timeout 20 >/dev/null 2>&1 || true
  # The data belongs to the containers' users: delete it from a container, in case this shell is not root.
  rm -rf "$DATA" 2>/dev/null || docker run --rm -v "$DATA:/d" --entrypoint rm "${RUNTIME_IMAGE:-kcidb-ng/gateway}" -rf /d/. >/dev/null 2>&1 || true
  rm -rf "$DATA" 2>/dev/null || true
  local left; left=$(containers)
  if [ -n "$left" ]; then log "WARNING: containers left: $left"; fi
  if docker network inspect "$PROJECT" >/dev/null 2>&1; then log "WARNING: network $PROJECT left"; fi
}

on_exit() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    log "FAILED at step: $STEP (after $((SECONDS - STEP_T0))s); state of the containers:"
    docker ps -a --filter "label=com.docker.compose.project=$PROJECT" --format '  {{.Names}}\t{{.Status}}' || true
    local c state health bad=() lines=60
    for c in $(containers); do
      state=$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$c" 2>/dev/null || echo "?")
      health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$c" 2>/dev/null || echo "")
      if [ "$health" != healthy ] && [ "$state" != "exited 0" ]; then bad+=("$c"); fi
    done
    if [ ${#bad[@]} -eq 0 ]; then
      # Every container looks well: the logs of all of them, shorter.
      mapfile -t bad < <(containers)
      lines=25
    fi
    for c in "${bad[@]}"; do
      state=$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}} restarts={{.RestartCount}}' "$c" 2>/dev/null || echo "?")
      health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$c" 2>/dev/null || echo "")
      log "---- last lines of the logs of $c ($state${health:+, $health})"
      docker logs --tail "$lines" "$c" 2>&1 | sed 's/^/    /' || true
    done
  fi
  if [ "$KEEP" = yes ]; then
    log "--keep: the stack is still running (project $PROJECT, gateway $URL, data $DATA)"
  else
    teardown
  fi
  if [ $rc -eq 0 ]; then log "PASSED in $((SECONDS - T0))s"; else log "FAILED after $((SECONDS - T0))s"; fi
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT TERM

fail() { log "error: $*"; exit 1; }

wait_healthy() { # $1 = seconds; every container of the project healthy (dbinit: exited 0)
  local deadline=$((SECONDS + $1)) c state health pending
  while :; do
    pending=""
    for c in $(containers); do
      state=$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$c")
      health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$c")
      case "$c:$state:$health" in
        dbinit:"exited 0":*) ;;
        dbinit:exited*) fail "dbinit failed ($state)" ;;
        *:running*:healthy) ;;
        *:running*:none) ;;
        *) pending="$pending $c($state/$health)" ;;
      esac
    done
    [ -n "$pending" ] || return 0
    [ $SECONDS -lt $deadline ] || fail "not healthy after $1s:$pending"
    sleep 2
  done
}

# ---------------------------------------------------------------- the steps
log "compose: ${COMPOSE_BIN[*]} ($("${COMPOSE_BIN[@]}" version --short 2>/dev/null || true)), engine $(docker version -f '{{.Server.Version}}'), project $PROJECT"
log "data in $DATA, gateway on $URL, PostgreSQL on 127.0.0.1:$PG_PORT"

if [ "$BASES" = local ]; then
  step "1. base images from Debian's packages (debootstrap; kept between runs)"
  "$ROOT/deploy/images/build-local-bases.sh"
else
  step "1. base images: the Dockerfiles' defaults, pulled"
fi

step "2. build kcidb-ng's images from this checkout"
"${COMPOSE[@]}" build >"$DATA/build.log" 2>&1 || { tail -n 60 "$DATA/build.log"; fail "the image build failed"; }
docker images --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E '^kcidb-(ng|local)/' | sort | sed 's/^/  /' || true

step "3. up with the broker and self-hosted profiles"
"${COMPOSE[@]}" up -d >"$DATA/up.log" 2>&1 || { cat "$DATA/up.log"; fail "compose up failed"; }
wait_healthy 300
docker ps --filter "label=com.docker.compose.project=$PROJECT" --format '  {{.Names}}\t{{.Status}}'
# The services wait for Kafka and PostgreSQL by retrying (no depends_on across profiles): restarts show where they gave up.
log "restarts during start-up: $(for c in $(containers); do docker inspect -f '{{.Name}}={{.RestartCount}}' "$c"; done | sed 's|^/||' | paste -sd' ' -)"

step "4. submit a document and see it processed"
TOKEN=$(docker exec kcidb-rest kcidb-entrypoint token --secret "$JWT_SECRET" --origin smoke 2>/dev/null | tail -n 1)
[ -n "$TOKEN" ] || fail "no token from the gateway's token command"
curl -fsS -m 10 -o /dev/null "$URL/health" || fail "GET /health failed"
curl -fsS -m 10 -H "Authorization: Bearer $TOKEN" "$URL/authtest" >/dev/null || fail "GET /authtest refused the token"

submit() { # $1 = checkout number; prints the submission id
  local n=$1 doc answer
  doc=$(printf '{"version":{"major":5,"minor":3},"checkouts":[{"id":"smoke:c%s","origin":"smoke","tree_name":"mainline"}],"builds":[{"id":"smoke:b%s","checkout_id":"smoke:c%s","origin":"smoke","status":"PASS"}]}' "$n" "$n" "$n")
  answer=$(curl -fsS -m 30 -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary "$doc" "$URL/submit") \
    || fail "POST /submit failed"
  echo "$answer" | sed -n 's/.*"id":"\([A-Za-z0-9]*\)".*/\1/p'
}

wait_processed() { # $1 = id, $2 = seconds
  local deadline=$((SECONDS + $2)) answer
  while :; do
    answer=$(curl -sS -m 10 -H "Authorization: Bearer $TOKEN" "$URL/status?id=$1" || true)
    case "$answer" in
      *'"status":"processed"'*) return 0 ;;
      *'"status":"failed"'*) fail "submission $1 failed: $answer" ;;
    esac
    [ $SECONDS -lt $deadline ] || fail "submission $1 not processed after $2s: $answer"
    sleep 1
  done
}

ID=$(submit 1)
[ -n "$ID" ] || fail "no submission id in the gateway's answer"
log "submitted $ID"
wait_processed "$ID" 120
log "status of $ID: $(curl -sS -H "Authorization: Bearer $TOKEN" "$URL/status?id=$ID")"
ROWS=$(docker exec postgres psql -U kcidb_editor -d kcidb -tAc "SELECT count(*) FROM builds WHERE id = 'smoke:b1'")
[ "$ROWS" = 1 ] || fail "the build is not in the database (psql found '$ROWS' rows)"
log "docker exec postgres psql -U kcidb_editor -d kcidb: the build is there"
[ "$(docker logs kcidb-rest 2>&1 | wc -l)" -gt 0 ] || fail "docker logs kcidb-rest shows nothing"

step "5. scale the ingest consumer to 2"
"${COMPOSE[@]}" up -d --no-recreate --scale ingest-consumer=2 >"$DATA/scale.log" 2>&1 || { cat "$DATA/scale.log"; fail "scaling failed"; }
wait_healthy 180
INGEST=$(docker ps --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=ingest-consumer" --format '{{.Names}}' | sort)
[ "$(echo "$INGEST" | wc -l)" = 2 ] || fail "expected 2 ingest consumers, found: $INGEST"
last_assignment() { docker logs "$1" 2>&1 | grep 'Partitions assigned' | tail -n 1 | grep -o 'kcidb\.submissions-[0-9]*' | sort -u; }
deadline=$((SECONDS + 90))
TOTAL=0
for c in $INGEST; do
  # The group rebalanced (eager): each member's latest assignment names its share of kcidb.submissions.
  until [ -n "$(last_assignment "$c")" ]; do
    [ $SECONDS -lt $deadline ] || fail "$c holds no partition of kcidb.submissions"
    sleep 2
  done
done
sleep 3 # a second rebalance can follow the first when both members joined at different times
for c in $INGEST; do
  n=$(last_assignment "$c" | wc -l)
  TOTAL=$((TOTAL + n))
  log "$c holds $n partitions of kcidb.submissions"
done
PARTITIONS=$(docker logs "$(echo "$INGEST" | head -n 1)" 2>&1 | grep -o 'kcidb\.submissions-[0-9]*' | sort -u | wc -l)
log "the group shares $TOTAL of the topic's $PARTITIONS partitions"
IDS=()
for n in 2 3 4 5 6 7 8 9; do IDS+=("$(submit "$n")"); done
for id in "${IDS[@]}"; do wait_processed "$id" 120; done
ROWS=$(docker exec postgres psql -U kcidb_editor -d kcidb -tAc "SELECT count(*) FROM builds WHERE origin = 'smoke'")
[ "$ROWS" = 9 ] || fail "expected 9 builds in the database, psql found '$ROWS'"
log "8 more submissions processed by the group of 2; 9 builds in the database"

step "6. tear down"
STEP_DONE=$STEP
trap - EXIT
if [ "$KEEP" = yes ]; then
  log "--keep: the stack is still running (project $PROJECT, gateway $URL, data $DATA)"
else
  teardown
  [ -z "$(containers)" ] || fail "containers are left"
fi
log "ok: $STEP_DONE ($((SECONDS - STEP_T0))s)"
log "PASSED in $((SECONDS - T0))s"
