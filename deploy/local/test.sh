#!/usr/bin/env bash
# `make test`: installs what is missing, starts a fresh test instance of PostgreSQL and RabbitMQ
# (own folder and ports, so it does not disturb `make up`), runs `swift test`, then the API contract
# check (deploy/checks/api_contract.sh) and the console's browser check (deploy/checks/console_browser.sh),
# stops the instance.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
export RUN_DIR=${TEST_RUN_DIR:-$REPO_DIR/.run/test}
export PG_PORT=${TEST_PG_PORT:-16442} AMQP_PORT=${TEST_AMQP_PORT:-16682} AMQP_DIST_PORT=${TEST_AMQP_DIST_PORT:-16683}

bash "$SCRIPT_DIR/install.sh"
# The README's direct-publishing example uses pika; a test runs it.
python3 -c 'import pika' 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check 'pika==1.3.2'
# Deployment files against the code (fast, no build needed); see deploy/checks/run.sh.
bash "$REPO_DIR/deploy/checks/run.sh" config
# The formatter's rules (.swift-format), strictly: `make format` rewrites the tree to them.
(cd "$REPO_DIR" && swift format lint --strict --parallel --recursive Package.swift Services Shared Tests Benchmarks)
# A fresh instance every run: tests never see data from an earlier run.
bash "$SCRIPT_DIR/infra.sh" stop >/dev/null 2>&1 || true
rm -rf "$RUN_DIR"
trap 'bash "$SCRIPT_DIR/infra.sh" stop' EXIT
bash "$SCRIPT_DIR/infra.sh" start
eval "$(bash "$SCRIPT_DIR/infra.sh" env)"
export DATABASE_URL AMQP_URL
export WEBHOOKS_TEST_INFRA=1
# Lets tests restart the broker and the database.
export WEBHOOKS_INFRA_SCRIPT=$SCRIPT_DIR/infra.sh

cd "$REPO_DIR"
swift build --build-tests
export WEBHOOKS_BIN_DIR=$(swift build --show-bin-path)
# The services the tests start run with the malloc they run with under `make run` (allocator.sh).
SERVICE_PRELOAD=$(bash "$SCRIPT_DIR/allocator.sh")
export SERVICE_PRELOAD
# The image's runtime packages against what the built executables link.
bash "$REPO_DIR/deploy/checks/run.sh" libs "$WEBHOOKS_BIN_DIR"
if (($#)); then
    swift test --skip-build "$@"
else
    # Fault tests stop and restart the shared broker and database: they run alone, after the rest.
    swift test --skip-build --skip FaultTests
    # The suites above leave a virtual host each (with its quorum queues) on the test broker; the
    # fault tests kill and restart parts and wait for recovery, so they get a broker without that.
    bash "$SCRIPT_DIR/infra.sh" stop-rabbitmq
    rm -rf "$RUN_DIR/rabbitmq/mnesia"
    bash "$SCRIPT_DIR/infra.sh" start
    swift test --skip-build --filter FaultTests
fi
# The API contract: the served OpenAPI document against the code's routes, its validation, and a bounded
# schemathesis run against a registry of its own (deploy/checks/api_contract.sh). TEST_API_CONTRACT=0 skips it.
if [[ ${TEST_API_CONTRACT:-1} != 0 ]]; then
    bash "$REPO_DIR/deploy/checks/api_contract.sh"
fi
# The web console in headless chromium (deploy/checks/console_browser.sh): sign-in, endpoints, test
# sends, the attempt viewer, tasks, events, portal links, phone width; screenshots under
# $RUN_DIR/console/. TEST_CONSOLE_BROWSER=0 skips it.
if [[ ${TEST_CONSOLE_BROWSER:-1} != 0 ]]; then
    bash "$REPO_DIR/deploy/checks/console_browser.sh"
fi
