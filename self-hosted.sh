#!/usr/bin/env bash
# kcidb-ng (Java): run, test and operate the pipeline.
#
#   ./self-hosted.sh run      start everything (compose when a Docker engine answers, else the embedded local mode)
#   ./self-hosted.sh test     run every test
#
# See ./self-hosted.sh help for the other commands.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"

LOCAL_DIR=${KCIDB_LOCAL_DIR:-$ROOT/.local}
ENV_FILE=$ROOT/.env
SERVICES=(gateway ingest-consumer db-watcher logspec-consumer)

# Ports of the local mode; override in the environment if they clash with something.
GATEWAY_PORT=${KCIDB_LOCAL_GATEWAY_PORT:-8080}
PG_PORT=${KCIDB_LOCAL_PG_PORT:-55432}
KAFKA_PORT=${KCIDB_LOCAL_KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${KCIDB_LOCAL_KAFKA_CONTROLLER_PORT:-19093}
INGEST_HTTP_PORT=${KCIDB_LOCAL_INGEST_PORT:-8002}
WATCHER_HTTP_PORT=${KCIDB_LOCAL_WATCHER_PORT:-8003}
LOGSPEC_HTTP_PORT=${KCIDB_LOCAL_LOGSPEC_PORT:-8004}

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

usage() {
  cat <<EOF
Usage: $0 COMMAND [OPTIONS]

Commands:
  run | up [--dev|--local]  Start the whole pipeline; returns when every service is healthy, printing the gateway's
                       URL, a token and a curl example. With a Docker engine answering: the compose deployment
                       (deploy/compose/), the four services plus a Kafka broker and PostgreSQL unless .env points
                       KAFKA_BOOTSTRAP_SERVERS and PG_URI elsewhere; images are built from this checkout when missing,
                       and --dev rebuilds them. --local (or no Docker): the embedded local mode, PostgreSQL, a
                       single-node Kafka broker and the four services as processes, data under ${LOCAL_DIR#"$ROOT"/}/.
  status               Print the state as KEY=VALUE lines (URLs, bootstrap servers, each service's state).
  token --origin NAME  Print a submitter token for the configured JWT_SECRET (more: token --help).
  logs [SERVICE]       Follow the logs (all, or one of: ${SERVICES[*]} postgres kafka).
  down                 Stop everything (data is kept).
  clean [--yes]        Stop everything, delete the data (compose: data/; local: ${LOCAL_DIR#"$ROOT"/}/) and .env (asks first).
  compose ARGS...      Run docker compose on this deployment (project, .env, profiles set), e.g.
                       '$0 compose up -d --scale ingest-consumer=3' or '$0 compose ps'.
  update               Pull this checkout (git pull --ff-only), rebuild, and restart what runs.
  test                 Run every test (unit, integration with a real broker and PostgreSQL, conformance).
  build [--images]     Build the service jars (skipping tests); with --images, the Docker images instead.
  help                 Show this help.

Environment (or .env):
  JAVA_HOME            A JDK 21 or newer (otherwise one is searched for under /usr/lib/jvm and on PATH).
  KCIDB_REST_PORT      Compose: the gateway's port on this host (default 80); KCIDB_PG_PORT: PostgreSQL's (5432).
  KCIDB_DATA_DIR       Compose: where spool/, state/, cache/, config/, db/ and certs/ live (default: data/).
  KCIDB_LOCAL_DIR      Where the local mode keeps its data (default: .local/).
  KCIDB_LOCAL_*_PORT   Ports of the local mode (GATEWAY 8080, PG 55432, KAFKA 19092, INGEST 8002, ...).
  KCIDB_LOG_URL_ALLOW  Hosts and ranges beyond public addresses that log URLs may lead to (local mode default:
                       127.0.0.0/8,::1, loopback; compose: none).
EOF
}

# ---------------------------------------------------------------- Java and Maven

java_major() { # prints the feature version of the java binary $1, or nothing
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}') || return 0
  case "$v" in 1.*) echo "${v#1.}" | cut -d. -f1 ;; *) echo "${v%%.*}" ;; esac
}

find_jdk() { # sets JAVA_HOME to a JDK >= 21 (with javac), or dies explaining what was found
  local candidates=() seen=() c home major best="" best_major=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    major=$(java_major "$home/bin/java")
    [ -n "$major" ] || continue
    seen+=("$home (Java $major)")
    if [ "$major" -ge 21 ] && [ -x "$home/bin/javac" ] && [ "$major" -gt "$best_major" ]; then
      best=$home; best_major=$major
    fi
    # An explicit JAVA_HOME that is good enough wins.
    if [ "$home" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ] && [ -x "$home/bin/javac" ]; then
      best=$home; best_major=$major; break
    fi
  done
  if [ -z "$best" ]; then
    say "kcidb-ng needs a JDK 21 or newer (Helidon 4), with javac."
    if [ ${#seen[@]} -gt 0 ]; then say "Found only:"; printf '  %s\n' "${seen[@]}" >&2; else say "Found no Java at all."; fi
    die "install a JDK 21+ (e.g. 'apt install openjdk-21-jdk-headless') or set JAVA_HOME to one"
  fi
  export JAVA_HOME=$best
  export PATH=$JAVA_HOME/bin:$PATH
  JAVA=$JAVA_HOME/bin/java
  # Maven's bundled Guava (and Kafka's Scala code) call sun.misc.Unsafe, which Java 24+ warns about on every run.
  JAVA_OPTS=()
  if [ "$best_major" -ge 24 ]; then
    JAVA_OPTS=(--sun-misc-unsafe-memory-access=allow)
    case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
  fi
}

find_maven() {
  command -v mvn >/dev/null 2>&1 || die "Maven 3.8.7+ is needed to build and test ('apt install maven'), and 'mvn' is not on PATH"
  MVN=(mvn -B)
}

jar_of() { echo "$ROOT/$1/target/$1.jar"; }

needs_build() { # true when a service jar is missing or older than any source or pom
  local m newest
  for m in "${SERVICES[@]}" local-stack; do
    [ -f "$(jar_of "$m")" ] || return 0
  done
  newest=$(find "$ROOT" -path "$ROOT/.local" -prune -o -path '*/target' -prune -o \
    \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$(jar_of gateway)" -print -quit)
  [ -n "$newest" ]
}

build() {
  find_maven
  say "Building the service jars (mvn package, tests skipped; './self-hosted.sh test' runs them)..."
  "${MVN[@]}" -q clean package -DskipTests || die "the build failed; see the Maven output above"
}

# ---------------------------------------------------------------- configuration

random_hex() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

ensure_env() {
  if [ ! -f "$ENV_FILE" ]; then
    say "Creating .env with a random JWT_SECRET..."
    umask 077
    cat >"$ENV_FILE" <<EOF
# PostgreSQL configuration
POSTGRES_PASSWORD=kcidb
PG_PASS=kcidb
PG_URI=postgresql:dbname=kcidb user=kcidb_editor password=kcidb host=db port=5432
# Programs will be more talkative if this is set, in production might want to set to 0
KCIDB_VERBOSE=0
# JWT authentication
JWT_SECRET=$(random_hex)
# logspec submits issues and incidents; KCIDB_DRY_RUN=1 would only print them
#KCIDB_DRY_RUN=1
# An existing Kafka cluster instead of the broker profile's (compose)
#KAFKA_BOOTSTRAP_SERVERS=kafka1.example.com:9092
# The gateway's port on this host (compose; default 80)
#KCIDB_REST_PORT=8080
# Compose (deploy/compose/, which relative paths start from): project, this file, the data
COMPOSE_PROJECT_NAME=kcidb
KCIDB_ENV_FILE=../../.env
KCIDB_DATA_DIR=../../data
EOF
    umask 022
  fi
  load_env
}

load_env() {
  [ -f "$ENV_FILE" ] || return 0
  local line key value
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    key=${line%%=*}; value=${line#*=}
    key=$(echo "$key" | tr -d '[:space:]')
    [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    # The environment wins over .env, as with docker compose.
    if [ -z "${!key+x}" ]; then export "$key=$value"; fi
  done <"$ENV_FILE"
}

local_pg_uri() { echo "postgresql:dbname=kcidb user=kcidb_editor password=${PG_PASS:-kcidb} host=127.0.0.1 port=$PG_PORT"; }

# ---------------------------------------------------------------- processes of the local mode

pid_file() { echo "$LOCAL_DIR/run/$1.pid"; }
log_file() { echo "$LOCAL_DIR/logs/$1.log"; }

is_running() { # $1 = component
  local pf; pf=$(pid_file "$1")
  [ -f "$pf" ] && kill -0 "$(cat "$pf")" 2>/dev/null
}

start_bg() { # $1 = component, rest = command; runs it detached with its log and pid file
  local name=$1; shift
  if is_running "$name"; then say "  $name already running (pid $(cat "$(pid_file "$name")"))"; return 0; fi
  mkdir -p "$LOCAL_DIR/run" "$LOCAL_DIR/logs"
  nohup setsid "$@" >>"$(log_file "$name")" 2>&1 </dev/null &
  echo $! >"$(pid_file "$name")"
  say "  $name started (pid $!, log ${LOCAL_DIR#"$ROOT"/}/logs/$name.log)"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_ok() { # $1 = url
  if command -v curl >/dev/null 2>&1; then curl -fsS -m 2 -o /dev/null "$1" 2>/dev/null; else port_open "$(echo "$1" | sed -E 's#.*:([0-9]+)/.*#\1#')"; fi
}

wait_for() { # $1 = component, $2 = seconds, rest = check command
  local name=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    if ! is_running "$name"; then
      say "$name exited during start-up; last lines of its log:"; tail -n 30 "$(log_file "$name")" >&2 || true
      die "$name did not start"
    fi
    [ $SECONDS -lt $deadline ] || { tail -n 30 "$(log_file "$name")" >&2 || true; die "$name did not become ready in ${secs}s"; }
    sleep 0.5
  done
}

stop_component() { # $1 = component; TERM, then KILL after 30 s
  local name=$1 pf pid i
  pf=$(pid_file "$name")
  [ -f "$pf" ] || return 0
  pid=$(cat "$pf")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then say "  $name did not stop in 30s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
    say "  $name stopped"
  fi
  rm -f "$pf"
}

set_service_env() { # SVC_ENV: environment shared by the four services in the local mode
  SVC_ENV=("KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT" "PG_URI=$(local_pg_uri)" "KCIDB_SPOOL_DIR=$LOCAL_DIR/spool"
    "KCIDB_URL=http://127.0.0.1:$GATEWAY_PORT" "JWT_SECRET=${JWT_SECRET:-}" "UNIFIED_SECRET=${UNIFIED_SECRET:-}"
    "KCIDB_VERBOSE=${KCIDB_VERBOSE:-0}")
}

print_ready() { # $1 = mode, $2 = gateway URL, $3 = token, $4 = an extra line
  cat <<EOF

kcidb-ng is running ($1).
  Gateway:  $2   (/health, /metrics)
  A token for origin 'local_test' ('$0 token --origin NAME' makes others):
    TOKEN=$3
  Submit and follow:
    curl -X POST -H "Authorization: Bearer \$TOKEN" --data-binary @submission.json $2/submit
    curl -H "Authorization: Bearer \$TOKEN" "$2/status?id=<the id it answered>"
${4:+$4
}  State:    $0 status      Logs: $0 logs      Stop: $0 down
EOF
}

run_local() {
  find_jdk
  ensure_env
  if is_running gateway || is_running ingest-consumer || is_running kafka || is_running postgres; then
    say "kcidb-ng is already running here (see '$0 status'); '$0 down' first to restart it."
    exit 0
  fi
  if needs_build; then build; fi
  mkdir -p "$LOCAL_DIR/spool" "$LOCAL_DIR/logs" "$LOCAL_DIR/run"
  set_service_env
  say "Starting the embedded local mode (data in ${LOCAL_DIR#"$ROOT"/}/)..."
  start_bg postgres "$JAVA" "${JAVA_OPTS[@]}" -jar "$(jar_of local-stack)" postgres --data-dir "$LOCAL_DIR/postgres" --port "$PG_PORT"
  start_bg kafka "$JAVA" "${JAVA_OPTS[@]}" -jar "$(jar_of local-stack)" kafka --data-dir "$LOCAL_DIR/kafka" --port "$KAFKA_PORT" \
    --controller-port "$KAFKA_CONTROLLER_PORT"
  wait_for postgres 120 grep -q "PostgreSQL ready" "$(log_file postgres)"
  wait_for kafka 120 port_open "$KAFKA_PORT"
  say "  initialising the database (migrations, roles)..."
  env "${SVC_ENV[@]}" "$JAVA" -jar "$(jar_of ingest-consumer)" db-init \
    >>"$(log_file db-init)" 2>&1 || { tail -n 20 "$(log_file db-init)" >&2; die "db-init failed"; }
  start_bg ingest-consumer env "${SVC_ENV[@]}" KCIDB_HTTP_PORT="$INGEST_HTTP_PORT" "$JAVA" -XX:-DontCompileHugeMethods -jar "$(jar_of ingest-consumer)"
  start_bg db-watcher env "${SVC_ENV[@]}" KCIDB_HTTP_PORT="$WATCHER_HTTP_PORT" "$JAVA" -jar "$(jar_of db-watcher)"
  # Log URLs may name this machine's loopback addresses here (logs served locally); compose allows public ones only.
  start_bg logspec-consumer env "${SVC_ENV[@]}" KCIDB_HTTP_PORT="$LOGSPEC_HTTP_PORT" \
    KCIDB_LOG_URL_ALLOW="${KCIDB_LOG_URL_ALLOW-127.0.0.0/8,::1}" "$JAVA" -jar "$(jar_of logspec-consumer)"
  start_bg gateway env "${SVC_ENV[@]}" "$JAVA" -jar "$(jar_of gateway)" -p "$GATEWAY_PORT" -b 127.0.0.1 -d "$LOCAL_DIR/spool"
  wait_for ingest-consumer 90 http_ok "http://127.0.0.1:$INGEST_HTTP_PORT/health"
  wait_for db-watcher 90 http_ok "http://127.0.0.1:$WATCHER_HTTP_PORT/health"
  wait_for logspec-consumer 90 http_ok "http://127.0.0.1:$LOGSPEC_HTTP_PORT/health"
  wait_for gateway 90 http_ok "http://127.0.0.1:$GATEWAY_PORT/health"
  echo local >"$LOCAL_DIR/run/mode"
  local token
  token=$("$JAVA" -jar "$(jar_of gateway)" token --secret "$JWT_SECRET" --origin local_test 2>/dev/null) || token="(see: $0 token --origin NAME)"
  print_ready "embedded local mode" "http://127.0.0.1:$GATEWAY_PORT" "$token" ""
}

cmd_run() {
  local mode=auto
  while [ $# -gt 0 ]; do
    case "$1" in
      --local) mode=local ;;
      --dev) mode=dev ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option for run: $1" ;;
    esac
    shift
  done
  case "$mode" in
    local) run_local ;;
    dev) compose_available || die "--dev needs a Docker engine and docker compose (or docker-compose)"; run_compose yes ;;
    auto)
      if compose_available; then
        if is_running gateway; then say "The embedded local mode is running ('$0 down' first to switch to compose)."; exit 0; fi
        run_compose no
      else
        run_local
      fi ;;
  esac
}

docker_engine_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }

# ---------------------------------------------------------------- the compose mode

COMPOSE_DIR=$ROOT/deploy/compose
PROJECT=${KCIDB_COMPOSE_PROJECT:-kcidb}
IMAGE_PREFIX=${KCIDB_IMAGE_PREFIX:-kcidb-ng}
LOCAL_BASES=${KCIDB_LOCAL_PREFIX:-kcidb-local}

compose_available() { # a Docker engine answers, a compose is installed, and the compose files are here
  [ -f "$COMPOSE_DIR/docker-compose.yaml" ] && docker_engine_answers || return 1
  if docker compose version >/dev/null 2>&1; then COMPOSE_BIN=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then COMPOSE_BIN=(docker-compose)
  else return 1; fi
}

data_dir() { # KCIDB_DATA_DIR made absolute (default: data/ here); relative paths are compose's: from deploy/compose/
  local d=${KCIDB_DATA_DIR:-$ROOT/data}
  case "$d" in /*) ;; *) d=$COMPOSE_DIR/$d ;; esac
  realpath -m "$d" 2>/dev/null || echo "$d"
}

compose_setup() { # COMPOSE: the compose command of this deployment, with the profiles .env calls for
  load_env
  export KCIDB_ENV_FILE=$ENV_FILE
  KCIDB_DATA_DIR=$(data_dir); export KCIDB_DATA_DIR
  REST_PORT=${KCIDB_REST_PORT:-80}
  PG_HOST_PORT=${KCIDB_PG_PORT:-5432}
  PROFILES=()
  # A broker and PostgreSQL of their own unless .env points at existing servers (KCIDB_PROFILES overrides).
  if [ -n "${KCIDB_PROFILES+x}" ]; then
    local p; for p in ${KCIDB_PROFILES//,/ }; do PROFILES+=(--profile "$p"); done
  else
    case "${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}" in kafka:9092) PROFILES+=(--profile broker) ;; esac
    case "${PG_URI:-host=db}" in *host=db\ *|*host=db|*@db:*|*@db/*|*//db:*|*//db/*) PROFILES+=(--profile self-hosted) ;; esac
  fi
  COMPOSE=("${COMPOSE_BIN[@]}" -p "$PROJECT" --env-file "$ENV_FILE" -f "$COMPOSE_DIR/docker-compose.yaml" "${PROFILES[@]}")
  # Building adds docker-compose-dev.yaml; running does not, so a plain 'docker compose' later sees the same project.
  COMPOSE_BUILD=("${COMPOSE_BIN[@]}" -p "$PROJECT" --env-file "$ENV_FILE" -f "$COMPOSE_DIR/docker-compose.yaml"
    -f "$COMPOSE_DIR/docker-compose-dev.yaml" "${PROFILES[@]}")
}

compose_all() { # compose with every profile, so that down and logs reach the broker and PostgreSQL whatever .env says now
  local env=()
  [ -f "$ENV_FILE" ] && env=(--env-file "$ENV_FILE")
  export KCIDB_ENV_FILE=$ENV_FILE
  KCIDB_DATA_DIR=$(data_dir); export KCIDB_DATA_DIR
  "${COMPOSE_BIN[@]}" -p "$PROJECT" "${env[@]}" -f "$COMPOSE_DIR/docker-compose.yaml" --profile broker --profile self-hosted "$@"
}

compose_containers() { docker ps -aq --filter "label=com.docker.compose.project=$PROJECT"; }

compose_running() { compose_available && [ -n "$(docker ps -q --filter "label=com.docker.compose.project=$PROJECT")" ]; }

image_present() { docker image inspect "$1" >/dev/null 2>&1; }

pull_or_local() { # $1 = public image, $2 = local base; prints which one to use, building the local bases if need be
  if image_present "$1"; then echo "$1"; return 0; fi
  if image_present "$2"; then echo "$2"; return 0; fi
  if docker pull -q "$1" >/dev/null 2>&1; then echo "$1"; return 0; fi
  say "$1 cannot be pulled (no registry?): building base images from Debian's packages (a few minutes, once)..."
  "$ROOT/deploy/images/build-local-bases.sh" >&2 || die "could not build the local base images"
  echo "$2"
}

build_images() {
  # BUILD_IMAGE and RUNTIME_IMAGE: the environment's, else the public ones, else ones made from Debian's packages.
  if [ -z "${BUILD_IMAGE:-}" ]; then BUILD_IMAGE=$(pull_or_local maven:3.9-eclipse-temurin-21 "$LOCAL_BASES/maven:21"); fi
  if [ -z "${RUNTIME_IMAGE:-}" ]; then RUNTIME_IMAGE=$(pull_or_local eclipse-temurin:21-jre "$LOCAL_BASES/jre:21"); fi
  export BUILD_IMAGE RUNTIME_IMAGE
  say "Building the images from this checkout (on $BUILD_IMAGE and $RUNTIME_IMAGE)..."
  "${COMPOSE_BUILD[@]}" build || die "the image build failed; see above"
}

choose_postgres() {
  case " ${PROFILES[*]} " in *" self-hosted "*) ;; *) return 0 ;; esac
  if [ -z "${POSTGRES_IMAGE:-}" ]; then POSTGRES_IMAGE=$(pull_or_local postgres:17 "$LOCAL_BASES/postgres:17"); fi
  export POSTGRES_IMAGE
}

wait_compose_healthy() { # $1 = seconds: every container healthy (dbinit: exited 0)
  local deadline=$((SECONDS + $1)) c name state health pending last=""
  while :; do
    pending=""
    for c in $(compose_containers); do
      name=$(docker inspect -f '{{.Name}}' "$c" 2>/dev/null) || continue
      name=${name#/}
      state=$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$c" 2>/dev/null) || continue
      health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$c" 2>/dev/null)
      case "$name:$state:$health" in
        dbinit:"exited 0":*|*:running*:healthy|*:running*:none) ;;
        dbinit:exited*) docker logs --tail 30 dbinit >&2; die "dbinit (the database set-up) failed; its log is above" ;;
        *) pending="$pending $name" ;;
      esac
    done
    [ -n "$pending" ] || return 0
    if [ "$pending" != "$last" ]; then say "  waiting for:$pending"; last=$pending; fi
    if [ $SECONDS -ge $deadline ]; then
      for c in $pending; do say "---- last lines of $c"; docker logs --tail 30 "$c" >&2 || true; done
      die "not healthy after $1s:$pending ('$0 logs' follows them)"
    fi
    sleep 2
  done
}

run_compose() { # $1 = yes to rebuild the images
  local rebuild=$1 s missing=no token
  ensure_env
  compose_setup
  mkdir -p "$KCIDB_DATA_DIR"/{spool,state,cache,config,db,certs,acme-challenge}
  if [ -z "$(docker ps -q --filter name='^kcidb-rest$')" ] && port_open "$REST_PORT"; then
    die "port $REST_PORT is taken on this machine: set KCIDB_REST_PORT=<a free port> in .env (or the environment)"
  fi
  for s in gateway ingest-consumer db-watcher logspec-consumer kafka; do
    image_present "$IMAGE_PREFIX/$s:${KCIDB_IMAGE_TAG:-latest}" || missing=yes
  done
  if [ "$rebuild" = yes ] || [ "$missing" = yes ]; then build_images; fi
  choose_postgres
  say "Starting kcidb-ng with ${COMPOSE_BIN[*]} (project $PROJECT, ${PROFILES[*]:-no profile}, data in ${KCIDB_DATA_DIR#"$ROOT"/}/)..."
  "${COMPOSE[@]}" up -d --remove-orphans || die "compose up failed; see above"
  wait_compose_healthy 300
  token=$(docker exec kcidb-rest kcidb-entrypoint token --secret "${JWT_SECRET:-}" --origin local_test 2>/dev/null | tail -n 1) \
    || token="(see: $0 token --origin NAME)"
  print_ready "compose project $PROJECT" "http://127.0.0.1:$REST_PORT" "$token" \
    "  Database: docker exec -it postgres psql -U kcidb_editor -d kcidb      Gateway log: docker logs -f kcidb-rest"
}

compose_service() { # the compose service of a name users may type
  case "$1" in
    gateway|kcidb-rest) echo kcidb-rest ;;
    logspec-consumer|logspec-worker|logspec) echo logspec-worker ;;
    postgres|db) echo db ;;
    ingest|ingester|ingest-consumer) echo ingest-consumer ;;
    *) echo "$1" ;;
  esac
}

compose_status() {
  compose_setup
  local c key svc n states health
  if [ -n "$(docker ps -q --filter "label=com.docker.compose.project=$PROJECT")" ]; then echo "MODE=compose"; else echo "MODE=stopped"; fi
  echo "COMPOSE_PROJECT=$PROJECT"
  echo "KCIDB_URL=http://127.0.0.1:$REST_PORT"
  case " ${PROFILES[*]} " in
    *" self-hosted "*)
      echo "PG_URI=postgresql:dbname=kcidb user=kcidb_editor password=${PG_PASS:-kcidb} host=127.0.0.1 port=$PG_HOST_PORT"
      echo "PG_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_HOST_PORT/kcidb" ;;
    *) echo "PG_URI=${PG_URI:-}" ;;
  esac
  echo "KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
  echo "DATA_DIR=$KCIDB_DATA_DIR"
  echo "SPOOL_DIR=$KCIDB_DATA_DIR/spool"
  for c in postgres kafka "${SERVICES[@]}"; do
    key=$(echo "$c" | tr 'a-z-' 'A-Z_')
    svc=$(compose_service "$c")
    states=$(docker ps -a --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$svc" \
      --format '{{.State}}' | sort -u | paste -sd, -)
    n=$(docker ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$svc" | wc -l)
    case "$states" in *running*) echo "${key}_STATE=running" ;; "") echo "${key}_STATE=absent" ;; *) echo "${key}_STATE=stopped" ;; esac
    if [ "$c" = ingest-consumer ]; then echo "${key}_INSTANCES=$n"; fi
    if [ "$n" -gt 0 ]; then
      health=$(docker ps -q --filter "label=com.docker.compose.project=$PROJECT" --filter "label=com.docker.compose.service=$svc" \
        | xargs docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' | sort -u | paste -sd, -)
      echo "${key}_HEALTH=$health"
    fi
  done
  return 0
}

remove_data_dir() { # $1 = the data folder: its known subfolders (the containers' users own them), then itself if empty
  local d=$1 sub subs=()
  [ -d "$d" ] || return 0
  for sub in spool state cache config db certs certs-data acme-challenge; do [ -e "$d/$sub" ] && subs+=("$sub"); done
  [ ${#subs[@]} -gt 0 ] || return 0
  if ! (cd "$d" && rm -rf "${subs[@]}") 2>/dev/null; then
    # Not root here: delete them from a container, as root there.
    docker run --rm -v "$d:/d" -w /d --entrypoint rm "$IMAGE_PREFIX/gateway:${KCIDB_IMAGE_TAG:-latest}" -rf "${subs[@]}" \
      >/dev/null 2>&1 || say "could not delete everything in $d"
  fi
  rmdir "$d" 2>/dev/null || true
}

cmd_status() {
  load_env
  local mode=stopped c state
  [ -f "$LOCAL_DIR/run/mode" ] && mode=$(cat "$LOCAL_DIR/run/mode")
  # With a Docker engine, the compose deployment's state unless the local mode runs.
  if [ "$mode" != local ] && compose_available; then
    compose_status
    return 0
  fi
  echo "MODE=$mode"
  echo "KCIDB_URL=http://127.0.0.1:$GATEWAY_PORT"
  echo "PG_URI=$(local_pg_uri)"
  echo "PG_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/kcidb"
  echo "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT"
  echo "DATA_DIR=$LOCAL_DIR"
  echo "SPOOL_DIR=$LOCAL_DIR/spool"
  for c in postgres kafka "${SERVICES[@]}"; do
    if is_running "$c"; then state="running"; else state="stopped"; fi
    local key; key=$(echo "$c" | tr 'a-z-' 'A-Z_')
    echo "${key}_STATE=$state"
    is_running "$c" && echo "${key}_PID=$(cat "$(pid_file "$c")")"
  done
  if is_running gateway && http_ok "http://127.0.0.1:$GATEWAY_PORT/health"; then echo "GATEWAY_HEALTH=OK"; fi
  return 0
}

cmd_down() {
  say "Stopping kcidb-ng..."
  local c
  if compose_available && [ -n "$(compose_containers)" ]; then
    load_env
    compose_all down --remove-orphans || die "compose down failed"
    say "  compose project $PROJECT stopped (data kept in $(data_dir))"
  fi
  for c in gateway logspec-consumer db-watcher ingest-consumer kafka postgres; do stop_component "$c"; done
  rm -f "$LOCAL_DIR/run/mode"
}

cmd_clean() {
  local yes=no
  [ "${1:-}" = "--yes" ] && yes=yes
  if [ "$yes" != yes ]; then
    load_env
    read -r -p "Delete all kcidb-ng data (database, spool, broker: $(data_dir) and $LOCAL_DIR), its containers and .env? Tokens made with its secret stop working. (y/N): " confirm
    [[ "$confirm" =~ ^[yY]$ ]] || { say "Cancelled."; exit 0; }
  fi
  load_env
  if compose_available; then
    compose_all down -v --remove-orphans >/dev/null 2>&1 || true
    remove_data_dir "$(data_dir)"
  fi
  cmd_down
  rm -rf "$LOCAL_DIR" "$ENV_FILE"
  say "Data, containers and .env removed."
}

cmd_token() {
  ensure_env
  [ $# -gt 0 ] || set -- --help
  # Without the jar built here, the gateway image (no JDK needed); otherwise the jar (built if need be).
  if [ ! -f "$(jar_of gateway)" ] && compose_available && image_present "$IMAGE_PREFIX/gateway:${KCIDB_IMAGE_TAG:-latest}"; then
    exec docker run --rm "$IMAGE_PREFIX/gateway:${KCIDB_IMAGE_TAG:-latest}" token --secret "$JWT_SECRET" "$@"
  fi
  find_jdk
  [ -f "$(jar_of gateway)" ] || build
  exec "$JAVA" -jar "$(jar_of gateway)" token --secret "$JWT_SECRET" "$@"
}

cmd_logs() {
  local files=()
  if ! is_running gateway && compose_running; then
    load_env
    if [ $# -gt 0 ]; then compose_all logs -f --tail 100 "$(compose_service "$1")"; else compose_all logs -f --tail 100; fi
    exit $?
  fi
  if [ $# -gt 0 ]; then files=("$(log_file "$1")"); else files=("$LOCAL_DIR"/logs/*.log); fi
  [ -e "${files[0]}" ] || die "no logs yet in $LOCAL_DIR/logs"
  exec tail -n 100 -F "${files[@]}"
}

cmd_update() {
  if git -C "$ROOT" rev-parse --abbrev-ref '@{upstream}' >/dev/null 2>&1; then
    say "Pulling this checkout..."
    git -C "$ROOT" pull --ff-only || die "git pull --ff-only failed (local changes, or a diverged branch?)"
  else
    say "No upstream branch to pull from: rebuilding what is here."
  fi
  if is_running gateway; then
    say "Restarting the embedded local mode on a fresh build..."
    cmd_down; find_jdk; build; run_local
  elif compose_available; then
    run_compose yes
  else
    find_jdk; build
  fi
}

cmd_test() {
  find_jdk
  find_maven
  say "Running every test with $JAVA_HOME ..."
  exec "${MVN[@]}" verify "$@"
}

main() {
  local cmd=${1:-help}
  [ $# -gt 0 ] && shift
  case "$cmd" in
    run|up) cmd_run "$@" ;;
    status) cmd_status ;;
    down|stop) cmd_down ;;
    clean) cmd_clean "$@" ;;
    token) cmd_token "$@" ;;
    logs) cmd_logs "$@" ;;
    test) cmd_test "$@" ;;
    build)
      if [ "${1:-}" = --images ]; then
        compose_available || die "--images needs a Docker engine and docker compose (or docker-compose)"
        ensure_env; compose_setup; build_images
      else
        find_jdk; build
      fi ;;
    update) cmd_update ;;
    compose)
      compose_available || die "compose needs a Docker engine and docker compose (or docker-compose)"
      ensure_env; compose_setup; choose_postgres
      exec "${COMPOSE[@]}" "$@" ;;
    help|-h|--help) usage ;;
    *) usage; die "unknown command: $cmd" ;;
  esac
}

main "$@"
