# Start a PostgreSQL server for the test suite and export its URL (bash, as root, Debian 12).
#
#   . .ci/pg-up.sh   # exports DATABASE_URL, TIMELINE_TEST_POSTGRESQL_URL, PG_VER, PG_CLUSTER, PG_PORT
#
# The work is done by .ci/pg-start.sh in its own process, so that `set -e` holds there (bash
# ignores it inside a subshell whose status is tested) and the caller's shell options are
# untouched. On failure nothing is exported and the `.` command returns non-zero (a `set -e`
# caller stops there). Stop the server with:  pg_ctlcluster "$PG_VER" "$PG_CLUSTER" stop -m fast
_pg_up_file=$(mktemp)
if bash "$(dirname "${BASH_SOURCE[0]}")/pg-start.sh" "$_pg_up_file" </dev/null; then
  . "$_pg_up_file"
  rm -f "$_pg_up_file"
else
  rm -f "$_pg_up_file"
  false
fi
