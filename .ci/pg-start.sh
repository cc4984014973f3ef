#!/usr/bin/env bash
# Install (if missing) and start a PostgreSQL server for the test suite, as root on Debian 12,
# with no systemd; then write shell `export` lines for its URL to the file named by $1.
# Use it through `. .ci/pg-up.sh`, which runs this script and loads those exports.
#
# Idempotent: installs postgresql only if missing (15-30 s on a bare machine), creates the
# cluster only if missing, starts it only if down (about 3 s), creates the role and the
# database only if missing. Exits non-zero, writing nothing, if any step fails.
# Settings (environment): PG_DB, PG_USER, PG_PASS, PG_CLUSTER, PG_PORT.
set -euo pipefail
out=${1:?usage: pg-start.sh EXPORTS_FILE}
PG_DB=${PG_DB:-timeline_test}; PG_USER=${PG_USER:-timeline}; PG_PASS=${PG_PASS:-timeline}
PG_CLUSTER=${PG_CLUSTER:-main}; PG_PORT=${PG_PORT:-5432}
if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || ! command -v pg_ctlcluster >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
PG_VER=$(ls /usr/lib/postgresql | sort -V | tail -1)
pg_field() { pg_lsclusters -h | awk -v v="$PG_VER" -v c="$PG_CLUSTER" -v f="$1" '$1==v && $2==c {print $f}'; }
[ -n "$(pg_field 2)" ] || pg_createcluster "$PG_VER" "$PG_CLUSTER" --port "$PG_PORT" >/dev/null
# The server keeps the descriptors it inherits: give it no pipe that a caller might wait on.
[ "$(pg_field 4)" = online ] || pg_ctlcluster "$PG_VER" "$PG_CLUSTER" start </dev/null >&2
[ "$(pg_field 4)" = online ]   # a cluster that did not come up (port taken, ...) is a failure
PG_PORT=$(pg_field 3)
for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.5; done
pg_isready -h 127.0.0.1 -p "$PG_PORT" >/dev/null   # fails if still not ready after 30 s
pg_su() { (cd / && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres "$@"); }
[ "$(pg_su -tAc "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'")" = 1 ] || pg_su -c "CREATE ROLE \"$PG_USER\""
pg_su -c "ALTER ROLE \"$PG_USER\" LOGIN PASSWORD '$PG_PASS'"
[ "$(pg_su -tAc "SELECT 1 FROM pg_database WHERE datname='$PG_DB'")" = 1 ] || pg_su -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\""
url="postgresql://$PG_USER:$PG_PASS@127.0.0.1:$PG_PORT/$PG_DB"
printf 'export %s=%q\n' PG_VER "$PG_VER" PG_CLUSTER "$PG_CLUSTER" PG_PORT "$PG_PORT" \
  DATABASE_URL "$url" TIMELINE_TEST_POSTGRESQL_URL "$url" >"$out"
