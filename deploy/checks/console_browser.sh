#!/usr/bin/env bash
# The web console in a real browser (console_browser.py): Debian's headless chromium, driven by
# selenium through Debian's chromedriver, against a registry, ingest and delivery of their own (own
# database) and an HTTP receiver on loopback. Screenshots go to $RUN_DIR/console/.
#
#   deploy/checks/console_browser.sh    with DATABASE_URL and AMQP_URL of running infrastructure
#                                       (deploy/local/test.sh runs it after the API contract check)
#
# chromium and chromium-driver are installed from Debian's packages when missing; selenium (pinned in
# console-browser-requirements.txt) goes into a venv under .run/, made once per version of that file.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
REQUIREMENTS=$SCRIPT_DIR/console-browser-requirements.txt


: "${DATABASE_URL:?DATABASE_URL of the running test infrastructure is required}"
: "${AMQP_URL:?AMQP_URL of the running test infrastructure is required}"

bash "$REPO_DIR/deploy/local/install.sh" chromium chromium-driver

source "$SCRIPT_DIR/venv.sh"
dir=$(checks_venv "$REQUIREMENTS" "$REPO_DIR/.run/console-browser-venv" "${CONSOLE_BROWSER_VENV:-}")
exec "$dir/bin/python" "$SCRIPT_DIR/console_browser.py"
