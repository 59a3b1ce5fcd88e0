#!/usr/bin/env bash
# `make bench` (and `make bench-load`): the load test. A scratch PostgreSQL database `hoptac_load` beside the
# given one gets the demo × BENCH_LOAD_SCALE (default 10, benchmarks/load/prepare.py); the production command
# (scripts/serve: gunicorn + the task worker, DEBUG off) serves it on a free port of 127.0.0.1; locust
# (benchmarks/load/locustfile.py) runs BENCH_USERS (50) officers headless for BENCH_SECONDS (120) and stops;
# BENCH_LOAD_REUSE=1 BENCH_LOAD_DB=<name> runs it on an existing database as it is, without rebuilding (the
# national one: BENCH_LOAD_DB=hoptac_bench_national, or a copy; its officers tinh_<code>, xa_<code> and its plan
# are found by benchmarks/scale.py --subjects). The figures go to benchmarks/results/load-<size>.{json,md}, the
# size being the label benchmarks/scale.py recorded in the database (national, stress; or BENCH_LOAD_LABEL; a
# database of prepare.py's is the demo × BENCH_LOAD_SCALE) — load.{json,md} for the demo × 10 — and the goal is the issue's for that size (p95 under
# 500 ms at × 10, under 1 s at national size). BENCH_LOAD_PORT fixes the server's port (default: a free one);
# BENCH_PAGE_COSTS=0 skips measuring each page alone first (long at national size). TLS is the reverse proxy's work in production: here the
# server is reached over plain HTTP on the loopback, so the SSL redirect and secure-only cookies are off.
set -u
url="$1"
cd "$(dirname "$0")/.."
load_db="${BENCH_LOAD_DB:-hoptac_load}"  # another name when several checkouts share one PostgreSQL
load_url="${url%/*}/$load_db"
work=benchmarks/.work
mkdir -p "$work"
export BENCH_USERS="${BENCH_USERS:-50}" BENCH_SECONDS="${BENCH_SECONDS:-120}"
if ! .venv/bin/python -c "import locust" 2>/dev/null; then
  .venv/bin/python -m pip install -q -e '.[bench]' || { echo "locust could not be installed: no load test."; exit 1; }
fi
if [ "${BENCH_LOAD_REUSE:-0}" = 1 ]; then  # the database of an earlier run, as it is (its migrations applied)
  echo "== load test: reusing $load_db"
  read -r organisations recorded <<<"$(DJANGO_DEBUG=true DATABASE_URL="$load_url" .venv/bin/python - <<'PY'
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
django.setup()
from django.db import connection

from hoptac.registry.models import Organisation

label = ""
if "bench_dataset" in connection.introspection.table_names():  # a database benchmarks/scale.py built
    with connection.cursor() as cursor:
        cursor.execute("SELECT label FROM bench_dataset")
        row = cursor.fetchone()
        label = row[0] if row else ""
print(Organisation._base_manager.count(), label)
PY
)" || exit 1
  [ -n "$organisations" ] || exit 1
  # the size scale.py recorded (national, stress, x50...); without one, prepare.py's demo × BENCH_LOAD_SCALE
  label="${BENCH_LOAD_LABEL:-${recorded:-x${BENCH_LOAD_SCALE:-10}}}"
else
  if ! .venv/bin/python - "$url" "$load_db" <<'PY'
import sys
import psycopg
try:
    with psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), autocommit=True, connect_timeout=3) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{sys.argv[2]}"')
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL unreachable or no right to create a database ({exc}): no load test.")
    sys.exit(1)
PY
  then
    exit 0
  fi
  echo "== load test: preparing the registry (demo × ${BENCH_LOAD_SCALE:-10}) in $load_db"
  prepared="$(DJANGO_DEBUG=true DATABASE_URL="$load_url" .venv/bin/python benchmarks/load/prepare.py)" || exit 1
  echo "$prepared"
  organisations="$(echo "$prepared" | sed -n 's/^registry: \([0-9]*\) organisations.*/\1/p')"
  label="${BENCH_LOAD_LABEL:-x${BENCH_LOAD_SCALE:-10}}"
fi
# One results file per size: load.{json,md} and page-costs.json for the demo × 10 (their history), else suffixed.
if [ "$label" = x10 ]; then suffix=""; else suffix="-$label"; fi
export BENCH_LOAD_LABEL="$label" BENCH_LOAD_OUT="load$suffix"
echo "== load test: size $label, $organisations organisations; results benchmarks/results/$BENCH_LOAD_OUT.{json,md}"
if [ -z "${BENCH_PLAN:-}" ]; then  # who signs in and which plan: the demo's, or the largest province's (national)
  subjects="$(DJANGO_DEBUG=true DATABASE_URL="$load_url" .venv/bin/python benchmarks/scale.py --subjects)" || exit 1
  eval "$subjects"
  echo "== load test: $BENCH_PROVINCE_USERS (province), $BENCH_COMMUNE_USERS (communes), plan $BENCH_PLAN"
fi
if [ "${BENCH_PAGE_COSTS:-1}" = 1 ]; then  # each page alone first: queries, SQL and time, cold and warm
  echo "== page costs (benchmarks/page_costs.py) on $load_db"
  DATABASE_URL="$load_url" STATIC_ROOT="$PWD/$work/static" \
    .venv/bin/python benchmarks/page_costs.py "benchmarks/results/page-costs$suffix.json" current || exit 1
fi
port="${BENCH_LOAD_PORT:-$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
if curl -s -o /dev/null --max-time 3 "http://127.0.0.1:$port/"; then  # a server of someone else's there
  echo "port $port on 127.0.0.1 is already answering: choose another BENCH_LOAD_PORT."; exit 1
fi
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-5}"
DJANGO_DEBUG=false \
DJANGO_SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
DATABASE_URL="$load_url" \
DJANGO_ALLOWED_HOSTS=127.0.0.1 \
DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SESSION_COOKIE_SECURE=false DJANGO_CSRF_COOKIE_SECURE=false \
STATIC_ROOT="$PWD/$work/static" \
HOPTAC_BIND="127.0.0.1:$port" \
GUNICORN_ACCESS_LOG=/dev/null \
  setsid bash scripts/serve all >"$work/serve.log" 2>&1 &
serve_pid=$!
trap 'kill -TERM -- -"$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null' EXIT
for _ in $(seq 1 300); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/accounts/login/" && break
  kill -0 "$serve_pid" 2>/dev/null || { echo "the server stopped:"; cat "$work/serve.log"; exit 1; }
  sleep 1
done
for _ in $(seq 1 $((WEB_CONCURRENCY * 3))); do  # every gunicorn worker warmed up (imports, templates)
  curl -fs -o /dev/null "http://127.0.0.1:$port/accounts/login/"
done
echo "== load test: $BENCH_USERS users for $BENCH_SECONDS s on http://127.0.0.1:$port ($WEB_CONCURRENCY gunicorn workers)"
rm -f "$work"/load_*.csv "$work/timings.json"
BENCH_TIMINGS="$work/timings.json" .venv/bin/locust -f benchmarks/load/locustfile.py --headless --only-summary \
  -u "$BENCH_USERS" -r "${BENCH_SPAWN_RATE:-2}" -t "${BENCH_SECONDS}s" --stop-timeout 10 \
  --host "http://127.0.0.1:$port" --csv "$work/load" --loglevel WARNING
locust_status=$?
.venv/bin/python benchmarks/load/report.py "$work/load_stats.csv" "${organisations:-0}" "$work/timings.json"
exit "$locust_status"
