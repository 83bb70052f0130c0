#!/usr/bin/env bash
# `make bench`: builds in release mode, starts a separate benchmark instance of PostgreSQL (with
# pg_stat_statements) and RabbitMQ plus the three services, runs webhooks-bench, stops everything.
#
#   deploy/local/bench.sh                  every scenario (micro broker http storage retention ingest fanout
#                                          delivery direct paced patterns filters slow replicas)
#   deploy/local/bench.sh micro fanout     only these; any webhooks-bench option may follow,
#                                          e.g. --webhooks 100,1000 --events 200000
#   deploy/local/bench.sh ingest-alone     the ingest scenario with delivery stopped first, so
#                                          ingest and the broker have the machine to themselves
# Results: a table on stdout and .run/bench/results.json (BENCH_JSON overrides the path);
# BENCH_CHART=path.png also draws throughput and latency per scenario (deploy/local/bench_chart.py).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
export RUN_DIR=${BENCH_RUN_DIR:-$REPO_DIR/.run/bench}
export PG_PORT=${BENCH_PG_PORT:-16452} AMQP_PORT=${BENCH_AMQP_PORT:-16692} AMQP_DIST_PORT=${BENCH_AMQP_DIST_PORT:-16693}
export REGISTRY_PORT=${BENCH_REGISTRY_PORT:-18080} INGEST_PORT=${BENCH_INGEST_PORT:-18081} DELIVERY_PORT=${BENCH_DELIVERY_PORT:-18082}
export PG_EXTRA_CONF="shared_preload_libraries = 'pg_stat_statements'"
export BUILD_CONFIGURATION=release
# One attempt log line per delivery would measure the terminal; warnings and errors still show.
export LOG_LEVEL=${LOG_LEVEL:-warning}
# Many events to one endpoint: allow more requests in flight to it than the production default.
export DELIVERY_ENDPOINT_CONCURRENCY=${DELIVERY_ENDPOINT_CONCURRENCY:-256}
export DELIVERY_ENDPOINT_RATE=${DELIVERY_ENDPOINT_RATE:-0}
# More events in hand per replica: each commit then carries more of them (see README "Performance").
export DELIVERY_PREFETCH=${DELIVERY_PREFETCH:-512}

# wrk measures the receiver's bare POST rate (the `http` scenario).
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

# A fresh instance every run, so figures never depend on data of an earlier one.
bash "$SCRIPT_DIR/system.sh" down >/dev/null 2>&1 || true
rm -rf "$RUN_DIR"
trap 'bash "$SCRIPT_DIR/system.sh" down' EXIT
bash "$SCRIPT_DIR/system.sh" up
bash "$SCRIPT_DIR/infra.sh" psql -d webhooks -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' \
    -c 'GRANT pg_read_all_stats TO webhooks' >/dev/null
eval "$(bash "$SCRIPT_DIR/infra.sh" env)"
# The `replicas` scenario starts a second delivery process with these settings.
export DATABASE_URL AMQP_URL DELIVERY_ALLOW_PRIVATE_NETWORKS=true BIND_ADDRESS=127.0.0.1

BIN_DIR=$(cd "$REPO_DIR" && swift build -c release --show-bin-path)
# The second replica of `replicas` runs with the services' malloc too (allocator.sh).
SERVICE_PRELOAD=$(bash "$SCRIPT_DIR/allocator.sh")
export SERVICE_PRELOAD
args=("$@")
((${#args[@]})) || args=(micro broker http storage retention ingest fanout delivery direct paced patterns filters slow replicas)
if [[ ${args[0]} == ingest-alone ]]; then
    kill -TERM "$(cat "$RUN_DIR/pids/delivery.pid")"
    sleep 2
    args[0]=ingest
fi
# CPU and peak RSS of every part: the services, the broker's VM and PostgreSQL (with its backends).
pids="registry=$(cat "$RUN_DIR/pids/registry.pid"),ingest=$(cat "$RUN_DIR/pids/ingest.pid")"
if kill -0 "$(cat "$RUN_DIR/pids/delivery.pid")" 2>/dev/null; then  # stopped by ingest-alone
    pids+=",delivery=$(cat "$RUN_DIR/pids/delivery.pid")"
fi
pids+=",$(bash "$SCRIPT_DIR/infra.sh" pids)"
# The benchmark process (load, receiver, broker baseline) shares the cores with what it measures:
# it runs with the services' malloc too, so it takes no more of them than it must.
LD_PRELOAD=$SERVICE_PRELOAD "$BIN_DIR/webhooks-bench" "${args[@]}" --pids "$pids" --delivery-binary "$BIN_DIR/delivery" \
    --registry "http://127.0.0.1:$REGISTRY_PORT" --ingest "http://127.0.0.1:$INGEST_PORT" \
    --delivery "http://127.0.0.1:$DELIVERY_PORT" --database "$DATABASE_URL" --amqp "$AMQP_URL" \
    --username "${ADMIN_USERNAME:-admin}" --password "${ADMIN_PASSWORD:-admin123}" \
    --json "${BENCH_JSON:-$RUN_DIR/results.json}"
if [[ -n ${BENCH_CHART:-} ]]; then
    python3 -c 'import matplotlib' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check 'matplotlib==3.9.2'
    python3 "$SCRIPT_DIR/bench_chart.py" "${BENCH_JSON:-$RUN_DIR/results.json}" "$BENCH_CHART"
fi
