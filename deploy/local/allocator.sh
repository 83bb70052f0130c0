#!/usr/bin/env bash
# Prints the malloc library the services are started with (their LD_PRELOAD), or nothing.
#
#   SERVICE_ALLOCATOR=tcmalloc  (default) libtcmalloc_minimal.so.4 from libtcmalloc-minimal4, which
#                               deploy/local/install.sh installs; glibc's malloc was ~12 % of
#                               delivery's CPU (README, "Performance")
#   SERVICE_ALLOCATOR=glibc     the C library's own malloc
set -euo pipefail

case ${SERVICE_ALLOCATOR:-tcmalloc} in
glibc) ;;
tcmalloc)
    for library in /usr/lib/*/libtcmalloc_minimal.so.4 /usr/lib/libtcmalloc_minimal.so.4; do
        if [[ -e $library ]]; then
            echo "$library"
            exit 0
        fi
    done
    echo "allocator: libtcmalloc_minimal.so.4 not found (deploy/local/install.sh installs it); the services use glibc's malloc" >&2
    ;;
*)
    echo "allocator: SERVICE_ALLOCATOR must be tcmalloc or glibc, not '$SERVICE_ALLOCATOR'" >&2
    exit 1
    ;;
esac
