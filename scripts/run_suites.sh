#!/usr/bin/env bash
# `make test`'s two runs of the suite side by side: SQLite in the foreground, PostgreSQL (scripts/run_pg_suite.sh)
# in the background with its output shown when both are done. Fails if either fails.
# TEST_WORKERS (default 0: one process each) spreads each run over pytest-xdist workers; SQLITE_WORKERS and
# PG_WORKERS set one run's. On two cores the two runs side by side already keep both busy: measured on this
# machine, one process each was the fastest (docs/decisions/0014-project-wide-tests.md); a single run alone
# (make pytest, make pytest-pg) is faster over two workers. Browser tests are one xdist group (conftest.py).
set -u
pg_url="$1"
export TEST_WORKERS="${TEST_WORKERS:-0}"
sqlite_workers="${SQLITE_WORKERS:-$TEST_WORKERS}"
log="$(mktemp -t hoptac-pg-XXXXXX.log)"
bash scripts/run_pg_suite.sh "$pg_url" >"$log" 2>&1 &
pg_pid=$!
echo "== pytest on SQLite ($sqlite_workers workers; PostgreSQL runs alongside, its output follows)"
.venv/bin/pytest -q -p no:cacheprovider -n "$sqlite_workers" --dist loadgroup
sqlite_status=$?
wait "$pg_pid"
pg_status=$?
cat "$log"
rm -f "$log"
if [ "$sqlite_status" -ne 0 ] || [ "$pg_status" -ne 0 ]; then
  echo "Test suite failed: SQLite exit $sqlite_status, PostgreSQL exit $pg_status." >&2
  exit 1
fi
