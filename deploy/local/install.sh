#!/usr/bin/env bash
# Install the Debian/Ubuntu packages needed to build and run the project
# locally. Idempotent, and instant when everything is already installed.
#
#   deploy/local/install.sh              the packages to build and run
#   deploy/local/install.sh PKG...       those and PKG... (the browser check adds chromium)
#
# INSTALL_ALLOW_SERVICE_START=1  let the packages start their system services
#                                (default: prevented, see below)
set -euo pipefail

PACKAGES=(
    postgresql rabbitmq-server # servers (run privately by deploy/local/infra.sh)
    librabbitmq-dev libcurl4-openssl-dev libre2-dev pkg-config # build deps
    libtcmalloc-minimal4 # the services' malloc (deploy/local/allocator.sh)
    python3 curl
    "$@" # what the caller needs on top
)
# Debian 13 and Ubuntu 24.04 renamed the tcmalloc package (64-bit time_t transition).
if apt-cache show libtcmalloc-minimal4t64 >/dev/null 2>&1; then
    PACKAGES=("${PACKAGES[@]/#libtcmalloc-minimal4/libtcmalloc-minimal4t64}")
fi

log() { printf 'install: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v dpkg-query >/dev/null || die "dpkg not found: this script supports Debian/Ubuntu only"

# One dpkg-query call for all packages. We check the status is exactly
# "installed": `dpkg -s` also succeeds for removed packages whose config
# files remain ("deinstall ok config-files") or half-configured ones.
declare -A status=()
while IFS=' ' read -r pkg state; do
    status[$pkg]=$state
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)

missing=()
for p in "${PACKAGES[@]}"; do
    [[ ${status[$p]:-} == installed ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
    log "all packages present"
    exit 0
fi
log "missing: ${missing[*]}"

if [[ $EUID -eq 0 ]]; then
    as_root() { "$@"; }
elif command -v sudo >/dev/null; then
    as_root() { sudo "$@"; }
else
    die "not root and sudo is not available; as root run: apt-get update && apt-get install -y ${missing[*]}"
fi

# The packages' postinst scripts try to start system-wide PostgreSQL (5432)
# and RabbitMQ (5672/25672, node rabbit@<host>). Without systemd this may fail
# and leave packages half-configured, and we don't need those instances
# anyway: infra.sh runs its own on other ports, with its own node name, cookie
# and socket dir, so a system instance that does run cannot clash with it.
# A temporary policy-rc.d (the standard Debian mechanism, as in Docker
# images) tells invoke-rc.d/deb-systemd-invoke not to start services.
POLICY=/usr/sbin/policy-rc.d
remove_policy=0
if [[ ${INSTALL_ALLOW_SERVICE_START:-0} != 1 && ! -e $POLICY ]]; then
    printf '#!/bin/sh\n# temporary, from deploy/local/install.sh\nexit 101\n' |
        as_root tee "$POLICY" >/dev/null
    as_root chmod 755 "$POLICY"
    remove_policy=1
fi
cleanup() { if ((remove_policy)); then as_root rm -f "$POLICY"; fi; }
trap cleanup EXIT

# Wait for a concurrently running apt/dpkg instead of failing on its lock.
APT_OPTS=(-o DPkg::Lock::Timeout=600)

log "apt-get update"
as_root apt-get "${APT_OPTS[@]}" update -q
log "apt-get install ${missing[*]}"
as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get "${APT_OPTS[@]}" install -y -q "${missing[@]}"
log "done"
