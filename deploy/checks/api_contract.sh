#!/usr/bin/env bash
# The API contract check (api_contract.py): the served OpenAPI document covers every route of the code,
# validates as OpenAPI 3.1, and a bounded schemathesis run against a registry of its own (own database,
# own tenant admin) finds no 5xx, no undocumented status and no body outside the document.
#
#   deploy/checks/api_contract.sh     with DATABASE_URL and AMQP_URL of running infrastructure
#                                     (deploy/local/test.sh runs it after the Swift tests)
#
# The Python tools (pinned in api-contract-requirements.txt) go into a venv under .run/, made once per
# version of that file; API_CONTRACT_VENV=DIR uses another folder. WEBHOOKS_BIN_DIR names the built
# executables (default: `swift build --show-bin-path`).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
REQUIREMENTS=$SCRIPT_DIR/api-contract-requirements.txt


: "${DATABASE_URL:?DATABASE_URL of the running test infrastructure is required}"
: "${AMQP_URL:?AMQP_URL of the running test infrastructure is required}"

source "$SCRIPT_DIR/venv.sh"
dir=$(checks_venv "$REQUIREMENTS" "$REPO_DIR/.run/api-contract-venv" "${API_CONTRACT_VENV:-}")
# The check's own tests first (test_api_contract.py: each breaks the document and expects the check to
# name it), then the check.
(cd "$SCRIPT_DIR" && "$dir/bin/python" -m unittest -q test_api_contract 2>&1) | sed 's/^/api-contract: self-test: /'
exec "$dir/bin/python" "$SCRIPT_DIR/api_contract.py"
