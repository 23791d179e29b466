#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, the demo and the benchmark: its own data directory,
# listening only on 127.0.0.1 on a free port, owned by an unprivileged user (PostgreSQL refuses to
# run as root). Durability is off (fsync, synchronous_commit): the cluster is deleted afterwards.
#
#   Scripts/postgres-cluster.sh start DIR   # initdb + start; writes DIR/env (source it). Run as
#                                           # root, every directory above DIR must be enterable
#                                           # by user postgres (mktemp -d under /tmp is).
#   Scripts/postgres-cluster.sh stop DIR    # stop the server (the caller removes DIR)
#
# DIR/env exports LEADSYNC_TEST_POSTGRES_URL (postgresql://leadsync@127.0.0.1:PORT/postgres, no
# password in it) and PGPASSFILE (DIR/pgpass, mode 0600, holding the password of role leadsync):
# the password never appears on a command line or in a URL.
# Installs Debian's postgresql package first if initdb is missing.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2

sudo_if_needed() { if [ "$(id -u)" -ne 0 ]; then sudo "$@"; else "$@"; fi; }

# The server binaries: on PATH, or in Debian's versioned directory.
find_bin() {
    if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$found" ] && [ -x "$found/initdb" ]; then echo "$found"; fi
}

# Runs a command as the cluster's owner: the current user, or `postgres` when we are root.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    local bin
    bin=$(find_bin)
    if [ -z "$bin" ]; then
        echo "==> installing postgresql"
        sudo_if_needed apt-get update -qq
        sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
        bin=$(find_bin)
        [ -n "$bin" ] || { echo "postgresql installed, but no initdb found" >&2; exit 1; }
    fi
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    fi
    mkdir -p "$dir"
    chmod 755 "$dir"
    local data="$dir/data" password port
    password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
    printf '%s\n' "$password" > "$dir/pwfile"
    chmod 600 "$dir/pwfile"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir" "$dir/pwfile"; fi
    as_owner "$bin/initdb" -D "$data" -U leadsync --pwfile="$dir/pwfile" --auth-local=scram-sha-256 \
        --auth-host=scram-sha-256 -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/pwfile"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB" \
        >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    printf '127.0.0.1:%s:*:leadsync:%s\n' "$port" "$password" > "$dir/pgpass"
    chmod 600 "$dir/pgpass"
    cat > "$dir/env" <<ENV
export LEADSYNC_TEST_POSTGRES_URL=postgresql://leadsync@127.0.0.1:$port/postgres
export PGPASSFILE=$dir/pgpass
export LEADSYNC_POSTGRES_BIN=$bin
ENV
    echo "PostgreSQL on 127.0.0.1:$port (data in $data)"
}

stop() {
    local bin
    bin=$(find_bin)
    if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
}

case "$action" in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
