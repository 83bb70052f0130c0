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

log() { printf 'console-browser: %s\n' "$*" >&2; }

: "${DATABASE_URL:?DATABASE_URL of the running test infrastructure is required}"
: "${AMQP_URL:?AMQP_URL of the running test infrastructure is required}"

bash "$REPO_DIR/deploy/local/install.sh" chromium chromium-driver

key=$( (cat "$REQUIREMENTS"; python3 -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16)
dir=${CONSOLE_BROWSER_VENV:-$REPO_DIR/.run/console-browser-venv-$key}
if [[ ! -f $dir/.complete ]]; then
    log "installing selenium into $dir (once)"
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$REQUIREMENTS" >&2 ||
        { log "ERROR: pip could not install $REQUIREMENTS"; exit 1; }
    touch "$dir/.complete"
fi
exec "$dir/bin/python" "$SCRIPT_DIR/console_browser.py"
