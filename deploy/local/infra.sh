#!/usr/bin/env bash
# Local PostgreSQL + RabbitMQ for development and tests, fully contained in
# RUN_DIR (data, logs, sockets, pid files). No systemd needed.
#
#   deploy/local/infra.sh start|stop|status|env
#   deploy/local/infra.sh stop-postgres|stop-rabbitmq   (stop one part, for fault tests)
#   deploy/local/infra.sh rabbitmqctl ARGS...   (talks to this instance's node;
#                                               needed because its cookie is private)
#   deploy/local/infra.sh psql ARGS...          (psql as the postgres superuser)
#   deploy/local/infra.sh pids                  (rabbitmq=PID,postgres=PID of the running parts)
#
# Ports stay below 32768: ports in the ephemeral range (32768-60999) can be taken at any
# moment by an outgoing connection, and the server then fails with "address in use".
#
# Environment (defaults in brackets):
#   RUN_DIR         [<repo>/.run/dev]  everything this script creates lives here
#   PG_PORT         [16432]            PostgreSQL TCP port on 127.0.0.1
#   AMQP_PORT       [16672]            RabbitMQ AMQP port on 127.0.0.1
#   AMQP_DIST_PORT  [16673]            Erlang distribution port of the node
#   RABBITMQ_NODE   [webhooks-<AMQP_PORT>@localhost]
#   PG_BIN          [newest /usr/lib/postgresql/*/bin, or the one matching an
#                    existing data directory]
#   PG_EXTRA_CONF   [empty]            extra postgresql.conf lines (the benchmark loads
#                                      pg_stat_statements this way)
#
# Several instances can run side by side as long as RUN_DIR and the ports
# differ (e.g. dev and test).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

RUN_DIR=${RUN_DIR:-$REPO_DIR/.run/dev}
RUN_DIR=$(realpath -m -- "$RUN_DIR") # absolute: we cd / below
PG_PORT=${PG_PORT:-16432}
AMQP_PORT=${AMQP_PORT:-16672}
AMQP_DIST_PORT=${AMQP_DIST_PORT:-16673}
RABBITMQ_NODE=${RABBITMQ_NODE:-webhooks-$AMQP_PORT@localhost}

DB_USER=webhooks DB_PASS=webhooks DB_NAME=webhooks
MQ_USER=webhooks MQ_PASS=webhooks

PG_DIR=$RUN_DIR/postgres       # owned by postgres
PG_DATA=$PG_DIR/data
PG_SOCK_DIR=$PG_DIR            # unix socket lives next to the data dir
PG_LOG=$PG_DIR/postgres.log
PG_MARKER=$PG_DIR/provisioned  # role + database exist

MQ_DIR=$RUN_DIR/rabbitmq       # owned by rabbitmq
MQ_HOME=$MQ_DIR/home           # HOME (and .erlang.cookie) for server AND rabbitmqctl
MQ_MNESIA=$MQ_DIR/mnesia
MQ_LOG_DIR=$MQ_DIR/log
MQ_STARTUP_LOG=$MQ_LOG_DIR/startup.log
MQ_PID_FILE=$MQ_DIR/rabbitmq.pid
MQ_BIN=/usr/lib/rabbitmq/bin   # the real scripts; /usr/sbin/rabbitmq* are Debian
                               # wrappers that cd/su and hard-code /var/lib/rabbitmq

for v in PG_PORT AMQP_PORT AMQP_DIST_PORT; do
    [[ ${!v} =~ ^[0-9]+$ ]] || { echo "infra: $v must be a port number, got '${!v}'" >&2; exit 2; }
done

log() { printf 'infra: %s\n' "$*" >&2; }
FAIL_HINT=
die() {
    log "ERROR: $*"
    [[ -z $FAIL_HINT ]] || log "$FAIL_HINT"
    exit 1
}

# Print the tail of each given log file that exists (used on failures).
show_logs() {
    local f
    for f in "$@"; do
        [[ -s $f ]] || continue
        printf -- '----- tail of %s -----\n' "$f" >&2
        tail -n 40 -- "$f" >&2
    done
    printf -- '-----\n' >&2
}

# Command prefixes to run something as a service user. As root we switch
# users (initdb/pg_ctl refuse to run as root; rabbitmq owns its files); as a
# normal user everything simply runs as us. Arrays, not functions, so they
# can follow setsid/runuser.
if [[ $EUID -eq 0 ]]; then
    PG_OWNER=postgres MQ_OWNER=rabbitmq
    AS_PG=(runuser -u postgres --)
    AS_MQ=(runuser -u rabbitmq --)
    mkdir_owned() { install -d -o "$1" -g "$1" -m "$2" "$3"; }
else
    PG_OWNER=$(id -un) MQ_OWNER=$(id -un)
    AS_PG=() AS_MQ=()
    mkdir_owned() { install -d -m "$2" "$3"; }
fi

# Relative paths are already resolved; running from / avoids "could not change
# directory" errors when postgres/rabbitmq cannot read the caller's cwd.
cd /

now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; } # microseconds, locale-proof
elapsed() { local d=$(($(now_us) - $1)); printf '%d.%01ds' $((d / 1000000)) $((d % 1000000 / 100000)); }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ----------------------------------------------------------------- PostgreSQL

pick_pg_bin() {
    [[ -n ${PG_BIN:-} ]] && return
    # Prefer the major version an existing cluster was created with.
    if [[ -r $PG_DATA/PG_VERSION ]]; then
        local v
        v=$(<"$PG_DATA/PG_VERSION")
        [[ -x /usr/lib/postgresql/$v/bin/postgres ]] && { PG_BIN=/usr/lib/postgresql/$v/bin; return; }
    fi
    local cands=(/usr/lib/postgresql/*/bin/postgres)
    [[ -e ${cands[0]} ]] || die "PostgreSQL server not found under /usr/lib/postgresql (run deploy/local/install.sh)"
    PG_BIN=$(dirname "$(printf '%s\n' "${cands[@]}" | sort -V | tail -n 1)")
}

pg_running() {
    [[ -f $PG_DATA/PG_VERSION ]] || return 1
    pick_pg_bin
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

pg_psql() {
    "${AS_PG[@]}" "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK_DIR" -p "$PG_PORT" -U postgres -d postgres "$@"
}

pg_write_conf() {
    # Rewritten on every start so PG_PORT/RUN_DIR changes take effect.
    local sock=${PG_SOCK_DIR//\'/\'\'}
    cat >"$PG_DATA/infra.conf" <<EOF
# Managed by deploy/local/infra.sh - rewritten on every start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$sock'
# Local auth is "trust": only the postgres OS user (and root) may use the socket.
unix_socket_permissions = 0700
max_connections = 200
${PG_EXTRA_CONF:-}
EOF
    [[ $EUID -ne 0 ]] || chown "$PG_OWNER:" "$PG_DATA/infra.conf"
}

pg_start() {
    pick_pg_bin
    # Unix socket paths are limited to 107 bytes.
    local sock_path="$PG_SOCK_DIR/.s.PGSQL.$PG_PORT"
    ((${#sock_path} <= 100)) || die "RUN_DIR is too deep for a unix socket path ($sock_path); use a shorter RUN_DIR"

    mkdir_owned "$PG_OWNER" 700 "$PG_DIR"
    "${AS_PG[@]}" test -w "$PG_DIR" ||
        die "user $PG_OWNER cannot write $PG_DIR (every parent directory needs o+x)"

    if [[ ! -f $PG_DATA/PG_VERSION ]]; then
        [[ ! -e $PG_DATA ]] || die "$PG_DATA exists but is not a PostgreSQL cluster (half-finished initdb?); remove it and retry"
        log "postgres: initdb $PG_DATA"
        rm -f -- "$PG_MARKER"
        if ! "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
            show_logs "$PG_DIR/initdb.log"
            die "postgres: initdb failed"
        fi
        echo "include_if_exists = 'infra.conf'" >>"$PG_DATA/postgresql.conf"
    fi

    if pg_running; then
        log "postgres: already running on 127.0.0.1:$PG_PORT"
    else
        pg_write_conf
        log "postgres: starting on 127.0.0.1:$PG_PORT"
        # setsid: the postmaster must not share our process group, or a Ctrl-C
        # in whatever terminal/script called us would shut it down.
        # 9>&-: don't let the server inherit our lock.
        if ! "${AS_PG[@]}" setsid -w "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -s 9>&- >&2; then
            show_logs "$PG_LOG"
            die "postgres: failed to start"
        fi
    fi

    if [[ ! -f $PG_MARKER ]]; then
        log "postgres: ensuring role and database '$DB_NAME'"
        if ! pg_psql >&2 <<SQL; then
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASS';
    ELSE
        ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASS';
    END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME') \gexec
SQL
            show_logs "$PG_LOG"
            die "postgres: provisioning failed"
        fi
        date -u +%FT%TZ >"$PG_MARKER"
    fi
}

pg_stop() {
    pg_running || return 0
    log "postgres: stopping"
    if ! "${AS_PG[@]}" "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 -s >&2; then
        show_logs "$PG_LOG"
        die "postgres: failed to stop"
    fi
}

# ------------------------------------------------------------------- RabbitMQ

# The complete environment for rabbitmq-server and rabbitmqctl. env -i keeps
# the caller's RABBITMQ_*/ERL_* variables and /etc/rabbitmq/* out, and gives
# server and CLI the same HOME, hence the same .erlang.cookie.
MQ_ENV=(
    env -i
    PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
    HOME="$MQ_HOME" LANG=C.UTF-8 LC_ALL=C.UTF-8
    RABBITMQ_NODENAME="$RABBITMQ_NODE"
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    RABBITMQ_NODE_PORT="$AMQP_PORT"
    RABBITMQ_DIST_PORT="$AMQP_DIST_PORT"
    RABBITMQ_MNESIA_BASE="$MQ_MNESIA"
    RABBITMQ_LOG_BASE="$MQ_LOG_DIR"
    RABBITMQ_PID_FILE="$MQ_PID_FILE"
    RABBITMQ_ENABLED_PLUGINS_FILE="$MQ_DIR/enabled_plugins"
    RABBITMQ_CONFIG_FILE="$MQ_DIR/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$MQ_DIR/advanced.config"
    RABBITMQ_CONF_ENV_FILE="$MQ_DIR/rabbitmq-env.conf"
    RABBITMQ_SERVER_START_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    ERL_EPMD_ADDRESS=127.0.0.1
    ERL_CRASH_DUMP="$MQ_LOG_DIR/erl_crash.dump"
)

mq_ctl() { "${AS_MQ[@]}" "${MQ_ENV[@]}" "$MQ_BIN/rabbitmqctl" -n "$RABBITMQ_NODE" "$@"; }

# PID of our beam process if it is alive, else nothing (and status 1).
mq_pid() {
    local pid comm
    [[ -r $MQ_PID_FILE ]] || return 1
    pid=$(<"$MQ_PID_FILE") || return 1
    [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/comm ]] || return 1
    comm=$(<"/proc/$pid/comm") || return 1
    [[ $comm == beam* ]] || return 1 # stale pid file, pid reused
    echo "$pid"
}

mq_running() { mq_pid >/dev/null && port_open "$AMQP_PORT"; }

mq_prepare() {
    [[ -x $MQ_BIN/rabbitmq-server ]] || die "RabbitMQ not found in $MQ_BIN (run deploy/local/install.sh)"
    local d
    for d in "$MQ_DIR" "$MQ_HOME" "$MQ_MNESIA" "$MQ_LOG_DIR"; do
        mkdir_owned "$MQ_OWNER" 700 "$d"
    done
    "${AS_MQ[@]}" test -w "$MQ_DIR" ||
        die "user $MQ_OWNER cannot write $MQ_DIR (every parent directory needs o+x)"

    # Our own cookie: independent of /var/lib/rabbitmq and of root's HOME.
    local cookie=$MQ_HOME/.erlang.cookie
    if [[ ! -s $cookie ]]; then
        (umask 077 && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$cookie")
    fi
    [[ $EUID -ne 0 ]] || chown "$MQ_OWNER:" "$cookie"
    chmod 400 "$cookie" # Erlang rejects cookies readable by others

    echo '[].' >"$MQ_DIR/enabled_plugins"
    : >"$MQ_DIR/rabbitmq-env.conf" # empty: ignore /etc/rabbitmq/rabbitmq-env.conf
    # Users are declared as boot-time definitions: applied (create or update)
    # on every boot, so no extra rabbitmqctl round trips (~1 s each).
    cat >"$MQ_DIR/definitions.json" <<EOF
{
  "users": [{"name": "$MQ_USER", "password": "$MQ_PASS", "tags": "administrator"}],
  "vhosts": [{"name": "/"}],
  "permissions": [{"user": "$MQ_USER", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"}]
}
EOF
    cat >"$MQ_DIR/rabbitmq.conf" <<EOF
# Managed by deploy/local/infra.sh - rewritten on every start.
load_definitions = $MQ_DIR/definitions.json
log.console = false
log.file.level = info
# Dev boxes often have little free disk; don't block publishers at 50MB.
disk_free_limit.absolute = 10MB
EOF
    if [[ $EUID -eq 0 ]]; then
        chown "$MQ_OWNER:" "$MQ_DIR/enabled_plugins" "$MQ_DIR/rabbitmq-env.conf" \
            "$MQ_DIR/definitions.json" "$MQ_DIR/rabbitmq.conf"
    fi
}

# Launch the node in the background; mq_wait does the waiting, so that
# PostgreSQL can be set up while Erlang boots.
MQ_LAUNCHED=0
mq_launch() {
    if mq_pid >/dev/null; then
        return 0 # running (or still booting); mq_wait will check
    fi
    mq_prepare
    rm -f -- "$MQ_PID_FILE" # stale: `rabbitmqctl wait` would trust it
    log "rabbitmq: starting node $RABBITMQ_NODE on 127.0.0.1:$AMQP_PORT"
    # setsid: own session, immune to Ctrl-C/SIGHUP of the caller. All fds are
    # redirected so callers capturing our output don't hang on the daemon.
    setsid "${AS_MQ[@]}" "${MQ_ENV[@]}" "$MQ_BIN/rabbitmq-server" \
        </dev/null >"$MQ_STARTUP_LOG" 2>&1 9>&- &
    MQ_LAUNCHED=$! # lives as long as the server (runuser/sh wait for it)
}

mq_fail() {
    show_logs "$MQ_LOG_DIR/wait.log" "$MQ_STARTUP_LOG" "$MQ_LOG_DIR/$RABBITMQ_NODE.log"
    die "rabbitmq: $*"
}

mq_wait() {
    if ((!MQ_LAUNCHED)) && port_open "$AMQP_PORT" && mq_pid >/dev/null; then
        log "rabbitmq: already running on 127.0.0.1:$AMQP_PORT"
        return 0
    fi
    log "rabbitmq: waiting for node to boot"
    # `rabbitmqctl wait` waits for the pid file for its whole timeout even if
    # the VM already died (e.g. duplicate node name), so watch that phase here.
    local i
    for ((i = 0; i < 600; i++)); do
        [[ -s $MQ_PID_FILE ]] && break
        if ((MQ_LAUNCHED)) && ! kill -0 "$MQ_LAUNCHED" 2>/dev/null; then
            : >"$MQ_LOG_DIR/wait.log"
            mq_fail "server exited during startup"
        fi
        sleep 0.1
    done
    if ! mq_ctl wait --timeout 120 "$MQ_PID_FILE" >"$MQ_LOG_DIR/wait.log" 2>&1; then
        mq_fail "node did not come up"
    fi
    port_open "$AMQP_PORT" || mq_fail "node is up but 127.0.0.1:$AMQP_PORT is not accepting connections"
}

mq_stop() {
    local pid
    pid=$(mq_pid) || return 0
    log "rabbitmq: stopping node $RABBITMQ_NODE"
    # `stop <pidfile>` also waits for the OS process to exit.
    if ! mq_ctl stop "$MQ_PID_FILE" >"$MQ_LOG_DIR/stop.log" 2>&1; then
        log "rabbitmq: rabbitmqctl stop failed, sending SIGTERM to $pid"
        kill -TERM "$pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 300; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            show_logs "$MQ_LOG_DIR/stop.log" "$MQ_LOG_DIR/$RABBITMQ_NODE.log"
            die "rabbitmq: pid $pid did not exit"
        fi
    fi
    rm -f -- "$MQ_PID_FILE"
    # epmd is deliberately left running: it is a tiny per-host registry
    # shared by every Erlang node (the other instance, a system RabbitMQ, CLI
    # tools). Killing it under a registered node makes that node unreachable
    # for rabbitmqctl. When we start it, it listens on 127.0.0.1 only.
}

# ------------------------------------------------------------------ commands

lock() {
    mkdir -p -- "$RUN_DIR"
    exec 9>"$RUN_DIR/.lock"
    flock -w 300 9 || die "another infra.sh holds $RUN_DIR/.lock"
}

cmd_start() {
    local t0; t0=$(now_us)
    lock
    if pg_running && [[ -f $PG_MARKER ]] && mq_running; then
        log "already running (postgres 127.0.0.1:$PG_PORT, rabbitmq 127.0.0.1:$AMQP_PORT)"
        return 0
    fi
    FAIL_HINT="whatever did start is left running; see 'status', or 'stop' to clean up"
    mq_launch
    pg_start
    mq_wait
    log "ready in $(elapsed "$t0") (RUN_DIR=$RUN_DIR)"
}

cmd_stop() {
    [[ -d $RUN_DIR ]] || return 0
    lock
    mq_stop
    pg_stop
}

cmd_status() {
    local rc=0 pid
    if pg_running; then
        echo "postgres: running (127.0.0.1:$PG_PORT, data $PG_DATA)"
    else
        echo "postgres: stopped"
        rc=1
    fi
    if mq_running; then
        pid=$(mq_pid)
        echo "rabbitmq: running (pid $pid, node $RABBITMQ_NODE, 127.0.0.1:$AMQP_PORT)"
    elif pid=$(mq_pid); then
        echo "rabbitmq: starting (pid $pid, AMQP port $AMQP_PORT not open yet)"
        rc=1
    else
        echo "rabbitmq: stopped"
        rc=1
    fi
    return "$rc"
}

cmd_env() {
    echo "export DATABASE_URL=postgres://$DB_USER:$DB_PASS@127.0.0.1:$PG_PORT/$DB_NAME"
    echo "export AMQP_URL=amqp://$MQ_USER:$MQ_PASS@127.0.0.1:$AMQP_PORT/%2f"
}

usage() {
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$SCRIPT_DIR/${BASH_SOURCE[0]##*/}" >&2
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) cmd_env ;;
    rabbitmqctl) shift; mq_ctl "$@" ;;
    psql) shift; pick_pg_bin; pg_psql "$@" ;;
    pids)
        list=()
        if pid=$(mq_pid); then list+=("rabbitmq=$pid"); fi
        if [[ -s $PG_DATA/postmaster.pid ]]; then list+=("postgres=$(head -1 "$PG_DATA/postmaster.pid")"); fi
        (IFS=,; echo "${list[*]}")
        ;;
    # For fault tests: stop one part; `start` brings back whatever is down.
    stop-postgres) pg_stop ;;
    stop-rabbitmq) mq_stop ;;
    -h | --help | help) usage ;;
    *) usage; exit 2 ;;
esac
