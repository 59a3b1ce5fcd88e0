#!/usr/bin/env bash
# Runs the pytest suite again on PostgreSQL when it is reachable, over TEST_WORKERS pytest-xdist workers
# (default 2; each worker has its own test database, `test_<name>_gw0`, `test_<name>_gw1`).
# Under CI=true an unreachable PostgreSQL fails the run instead of being skipped.
set -u
url="$1"
if .venv/bin/python - "$url" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL unreachable: {exc}")
    sys.exit(1)
PY
then
  workers="${PG_WORKERS:-${TEST_WORKERS:-2}}"
  echo "== pytest on PostgreSQL ($url, $workers workers)"
  DATABASE_URL="$url" .venv/bin/pytest -q -p no:cacheprovider -n "$workers" --dist loadgroup
else
  if [ "${CI:-}" = "true" ]; then
    echo "CI=true and PostgreSQL is unreachable: failing." >&2
    exit 1
  fi
  echo "PostgreSQL unreachable: the PostgreSQL run is skipped (it is required under CI=true)."
fi
