#!/usr/bin/env bash
# `make test`'s two runs of the suite side by side: SQLite in the foreground, PostgreSQL (scripts/run_pg_suite.sh)
# in the background with its output shown when both are done. Fails if either fails.
# Each run spreads its tests over TEST_WORKERS pytest-xdist workers (default 2; 0 runs them in one process):
# the two runs then keep both cores busy to the end instead of one finishing long before the other. The browser
# tests are one xdist group (conftest.py): one worker runs them, one Chromium at a time.
set -u
pg_url="$1"
export TEST_WORKERS="${TEST_WORKERS:-2}"
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
