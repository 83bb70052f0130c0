#!/bin/sh
# Container health check: GET <path> (default /healthz) on the port of the service running in this
# container (registry, ingest or delivery), found from the running process and its *_PORT setting.
#
#   webhooks-healthcheck [/healthz|/readyz]
#
# Exits 0 when the service answers 2xx, 1 otherwise.
set -eu

path=${1:-/healthz}

service=
for comm in /proc/[0-9]*/comm; do
    name=$(cat "$comm" 2>/dev/null) || continue
    case $name in
    registry | ingest | delivery) service=$name; break ;;
    esac
done

# The defaults are the services' own (README, "Settings").
case $service in
registry) port=${REGISTRY_PORT:-8080} ;;
ingest) port=${INGEST_PORT:-8081} ;;
delivery) port=${DELIVERY_PORT:-8082} ;;
*) echo "webhooks-healthcheck: no registry, ingest or delivery process is running" >&2; exit 1 ;;
esac

# A service bound to one address answers only there; 0.0.0.0 and :: include loopback.
host=${BIND_ADDRESS:-0.0.0.0}
case $host in
0.0.0.0 | "::" | "[::]") host=127.0.0.1 ;;
*:*) host="[$host]" ;;
esac

exec curl --fail --silent --show-error --max-time 3 --output /dev/null "http://$host:$port$path"
