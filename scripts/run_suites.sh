#!/usr/bin/env bash
# `make test`'s work after the install, three streams side by side on the machine's two cores
# (docs/decisions/0041-suite-under-ten-minutes.md):
#   - the checks, when given as the arguments after the PostgreSQL URL (the Makefile passes `make lint check`:
#     ruff, mypy, manage.py check, makemigrations --check), at a lower priority (nice) so that they fill the
#     cores' idle moments (a pass waiting on PostgreSQL, the shorter pass's end) instead of delaying the passes;
#     a failure is announced as soon as they end, their output follows the passes';
#   - the suite on SQLite in the foreground;
#   - the suite on PostgreSQL (scripts/run_pg_suite.sh) in the background, its output shown when it is done.
# Fails if any of them fails.
# TEST_WORKERS (default 0: one process each) spreads each run over pytest-xdist workers; SQLITE_WORKERS and
# PG_WORKERS set one run's. On two cores the two runs side by side already keep both busy: measured on this
# machine, one process each was the fastest (docs/decisions/0014-project-wide-tests.md); a single run alone
# (make pytest, make pytest-pg) is faster over two workers. Browser tests are one xdist group (conftest.py).
set -u
pg_url="$1"
shift
export TEST_WORKERS="${TEST_WORKERS:-0}"
sqlite_workers="${SQLITE_WORKERS:-$TEST_WORKERS}"
pg_log="$(mktemp -t hoptac-pg-XXXXXX.log)"
checks_log="$(mktemp -t hoptac-checks-XXXXXX.log)"
checks_pid=""
if [ "$#" -gt 0 ]; then
  echo "== checks ($*) run alongside; their output follows the test runs'"
  (
    nice -n 5 "$@" >"$checks_log" 2>&1
    status=$?
    [ "$status" -ne 0 ] && echo "!! The checks failed (exit $status); their output follows the test runs'."
    exit "$status"
  ) &
  checks_pid=$!
fi
bash scripts/run_pg_suite.sh "$pg_url" >"$pg_log" 2>&1 &
pg_pid=$!
echo "== pytest on SQLite ($sqlite_workers workers; PostgreSQL runs alongside, its output follows)"
.venv/bin/pytest -q -p no:cacheprovider -n "$sqlite_workers" --dist loadgroup
sqlite_status=$?
wait "$pg_pid"
pg_status=$?
cat "$pg_log"
checks_status=0
if [ -n "$checks_pid" ]; then
  wait "$checks_pid"
  checks_status=$?
  echo "== checks ($*)"
  cat "$checks_log"
fi
rm -f "$pg_log" "$checks_log"
if [ "$sqlite_status" -ne 0 ] || [ "$pg_status" -ne 0 ] || [ "$checks_status" -ne 0 ]; then
  echo "make test failed: checks exit $checks_status, SQLite exit $sqlite_status, PostgreSQL exit $pg_status." >&2
  exit 1
fi
