#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite: prints its SQLAlchemy URL.
#
# Reuses a server already answering on the port; otherwise creates a cluster in
# $SEATDESK_TEST_PG_DIR (default: a folder in the temp dir) and starts it on
# 127.0.0.1:$SEATDESK_TEST_PG_PORT with trust auth and no fsync (test data only).
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres`
# service user (the Debian package creates it). Needs the server binaries
# (scripts/install-system-deps.sh installs them).
set -euo pipefail

PORT="${SEATDESK_TEST_PG_PORT:-54329}"
DIR="${SEATDESK_TEST_PG_DIR:-${TMPDIR:-/tmp}/seatdesk-test-pg-$PORT}"
URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"

say() { printf 'test-postgres: %s\n' "$*" >&2; }

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) /usr/local/pgsql/bin; do
    if [[ -x "$candidate/initdb" ]]; then bindir="$candidate"; break; fi
done
if [[ -z "$bindir" ]]; then
    command -v initdb >/dev/null 2>&1 && bindir="$(dirname "$(command -v initdb)")"
fi
if [[ -z "$bindir" ]]; then
    say "no PostgreSQL server binaries (initdb) found; run scripts/install-system-deps.sh"
    exit 1
fi

as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    echo "$URL"
    exit 0
fi

if [[ ! -f "$DIR/PG_VERSION" ]]; then
    mkdir -p "$DIR"
    [[ "$(id -u)" == 0 ]] && chown postgres: "$DIR"
    chmod 700 "$DIR"
    say "creating a test cluster in $DIR"
    as_owner "$bindir/initdb" -D "$DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
fi
as_owner "$bindir/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start -o \
    "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
say "started PostgreSQL on 127.0.0.1:$PORT"
echo "$URL"
