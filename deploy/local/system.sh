#!/usr/bin/env bash
# Runs the whole system locally: infrastructure (infra.sh) plus registry, ingest and delivery.
#
#   system.sh run    foreground, logs on the terminal, Ctrl-C stops everything
#   system.sh up     background; returns once every /readyz answers (logs in .run/dev/logs/)
#   system.sh down   stops the services and the infrastructure
#
# Settings come from the environment when given; local defaults otherwise (printed at start).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
export RUN_DIR=${RUN_DIR:-$REPO_DIR/.run/dev}
LOG_DIR=$RUN_DIR/logs
PID_DIR=$RUN_DIR/pids
SERVICES=(registry ingest delivery)

log() { printf 'system: %s\n' "$*" >&2; }

settings() {
    mkdir -p "$RUN_DIR"
    eval "$(bash "$SCRIPT_DIR/infra.sh" env)"
    export DATABASE_URL=${DATABASE_URL} AMQP_URL=${AMQP_URL}
    # A stable random JWT secret per checkout, unless one is given.
    if [[ -z ${JWT_SECRET:-} ]]; then
        [[ -s $RUN_DIR/jwt_secret ]] || head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$RUN_DIR/jwt_secret"
        JWT_SECRET=$(cat "$RUN_DIR/jwt_secret")
    fi
    export JWT_SECRET
    export ADMIN_USERNAME=${ADMIN_USERNAME:-admin}
    export ADMIN_PASSWORD=${ADMIN_PASSWORD:-admin123}
    export REGISTRY_PORT=${REGISTRY_PORT:-8080} INGEST_PORT=${INGEST_PORT:-8081} DELIVERY_PORT=${DELIVERY_PORT:-8082}
    # Local runs deliver to receivers on this machine; the guard is on by default everywhere else.
    export DELIVERY_ALLOW_PRIVATE_NETWORKS=${DELIVERY_ALLOW_PRIVATE_NETWORKS:-true}
    export BIND_ADDRESS=${BIND_ADDRESS:-127.0.0.1}
}

prepare() {
    bash "$SCRIPT_DIR/install.sh"
    bash "$SCRIPT_DIR/infra.sh" start
    settings
    log "building (the first build takes several minutes)"
    (cd "$REPO_DIR" && swift build -c "${BUILD_CONFIGURATION:-debug}")
    BIN_DIR=$(cd "$REPO_DIR" && swift build -c "${BUILD_CONFIGURATION:-debug}" --show-bin-path)
}

port_of() {
    case $1 in registry) echo "$REGISTRY_PORT" ;; ingest) echo "$INGEST_PORT" ;; delivery) echo "$DELIVERY_PORT" ;; esac
}

wait_ready() {
    local service port deadline=$((SECONDS + 120))
    for service in "${SERVICES[@]}"; do
        port=$(port_of "$service")
        until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
            if ((SECONDS > deadline)); then
                log "$service did not become ready on port $port; see $LOG_DIR/$service.log"
                return 1
            fi
            sleep 0.3
        done
    done
}

banner() {
    cat <<INFO

  Webhook platform is up.
    console   http://127.0.0.1:$REGISTRY_PORT/console   (login: $ADMIN_USERNAME / $ADMIN_PASSWORD)
    registry  http://127.0.0.1:$REGISTRY_PORT
    ingest    http://127.0.0.1:$INGEST_PORT
    delivery  http://127.0.0.1:$DELIVERY_PORT/readyz

  Try it:
    TOKEN=\$(curl -s -X POST http://127.0.0.1:$REGISTRY_PORT/api/auth/login -H 'Content-Type: application/json' \\
      -d '{"username":"$ADMIN_USERNAME","password":"$ADMIN_PASSWORD"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    curl -s -X POST http://127.0.0.1:$REGISTRY_PORT/api/v1/webhooks -H "Authorization: Bearer \$TOKEN" \\
      -H 'Content-Type: application/json' -d '{"name":"demo","url":"http://127.0.0.1:9000/hook","events":["job.failed"]}'
    curl -s -X POST http://127.0.0.1:$INGEST_PORT/api/v1/events -H "Authorization: Bearer \$TOKEN" \\
      -H 'Content-Type: application/json' -d '{"type":"job.failed","data":{"job_id":"job-1"}}'

INFO
}

stop_services() {
    local service pid
    for service in delivery ingest registry; do
        [[ -f $PID_DIR/$service.pid ]] || continue
        pid=$(cat "$PID_DIR/$service.pid")
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$pid" 2>/dev/null || true
        fi
        rm -f "$PID_DIR/$service.pid"
    done
}

start_services() {
    mkdir -p "$LOG_DIR" "$PID_DIR"
    local service preload
    # The services' malloc (deploy/local/allocator.sh: tcmalloc unless SERVICE_ALLOCATOR=glibc).
    preload=$(bash "$SCRIPT_DIR/allocator.sh")
    for service in "${SERVICES[@]}"; do
        if [[ ${1:-} == foreground ]]; then
            # Prefix each line with the service name; keep the pid of the service itself.
            LD_PRELOAD=$preload "$BIN_DIR/$service" > >(sed -u "s/^/[$service] /") 2>&1 &
        else
            LD_PRELOAD=$preload nohup "$BIN_DIR/$service" >"$LOG_DIR/$service.log" 2>&1 &
        fi
        echo $! > "$PID_DIR/$service.pid"
    done
}

case ${1:-} in
run)
    prepare
    stop_services
    # Ctrl-C (or any other way out) stops the services and the infrastructure: the EXIT trap runs
    # however the script ends, and INT/TERM only turn into an ordinary exit.
    cleanup() {
        trap - EXIT INT TERM
        log "stopping"
        stop_services
        bash "$SCRIPT_DIR/infra.sh" stop
    }
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    start_services foreground
    wait_ready || exit 1
    banner
    wait || true
    ;;
up)
    prepare
    stop_services
    start_services background
    if ! wait_ready; then stop_services; exit 1; fi
    banner
    ;;
down)
    stop_services
    bash "$SCRIPT_DIR/infra.sh" stop
    ;;
*)
    echo "usage: $0 run|up|down" >&2
    exit 2
    ;;
esac
