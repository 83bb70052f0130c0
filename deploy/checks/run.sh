#!/usr/bin/env bash
# Deployment checks that need no container engine (CI runs them from deploy/local/test.sh).
#
#   deploy/checks/run.sh config      settings cross-check (code vs compose, .env.example, Kubernetes,
#                                    README), Kubernetes / KEDA / Compose schemas, kustomization
#   deploy/checks/run.sh libs DIR    the Dockerfile's runtime packages cover what the executables in
#                                    DIR link (ldd)
#   deploy/checks/run.sh             both, DIR = `swift build --show-bin-path`
#
# The Python tools (pinned in requirements.txt) go into a venv under ~/.cache, made once per
# version of requirements.txt; later runs only start Python.
# DEPLOY_CHECKS_VENV=DIR uses another venv folder.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
REQUIREMENTS=$SCRIPT_DIR/requirements.txt

log() { printf 'deploy-check: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
    if [[ $EUID -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        die "not root and no sudo: install Debian package(s) ${*: -1} by hand"
    fi
}

venv() {
    local key dir
    key=$( (cat "$REQUIREMENTS"; python3 -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16)
    dir=${DEPLOY_CHECKS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/webhooks-deploy-checks/$key}
    if [[ ! -f $dir/.complete ]]; then
        log "installing the check tools into $dir (once)"
        rm -rf "$dir"
        mkdir -p "$(dirname "$dir")"
        if ! python3 -m venv "$dir" >/dev/null 2>&1; then
            # Debian's python3 needs its venv module packaged separately.
            rm -rf "$dir"
            as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q python3-venv >&2 ||
                { as_root apt-get -o DPkg::Lock::Timeout=600 update -q >&2 &&
                  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q python3-venv >&2; }
            python3 -m venv "$dir"
        fi
        "$dir/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$REQUIREMENTS" >&2 ||
            die "pip could not install $REQUIREMENTS"
        touch "$dir/.complete"
    fi
    PY=$dir/bin/python
}

# Each phase runs its checks, then the tests of those checks (test_checks.py: each breaks one thing
# in a copy of the repository and expects the check to catch it).
config() {
    local status=0
    "$PY" "$SCRIPT_DIR/check_settings.py" || status=1
    "$PY" "$SCRIPT_DIR/check_manifests.py" || status=1
    (cd "$SCRIPT_DIR" && "$PY" -m unittest -q test_checks.ConfigChecks 2>&1) | sed 's/^/deploy-check: self-test: /' ||
        status=1
    return "$status"
}

libs() {
    local status=0
    "$PY" "$SCRIPT_DIR/check_linked_packages.py" "$1" || status=1
    (cd "$SCRIPT_DIR" && DEPLOY_CHECKS_BIN_DIR=$1 "$PY" -m unittest -q test_checks.LinkedPackages 2>&1) |
        sed 's/^/deploy-check: self-test: /' || status=1
    return "$status"
}

cd "$REPO_DIR"
venv
case ${1:-all} in
config) config ;;
libs)
    [[ $# -eq 2 ]] || die "usage: $0 libs BIN_DIR"
    libs "$2"
    ;;
all)
    status=0
    config || status=1
    libs "$(swift build --show-bin-path)" || status=1
    exit "$status"
    ;;
*)
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
    exit 2
    ;;
esac
