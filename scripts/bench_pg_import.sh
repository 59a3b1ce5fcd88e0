#!/usr/bin/env bash
# `make bench`: the import benchmark again on PostgreSQL (the production database) in a scratch database
# `hoptac_bench` beside the given one, when PostgreSQL is reachable; otherwise it says so and stops.
set -u
url="$1"
bench_url="${url%/*}/hoptac_bench"
if .venv/bin/python - "$url" <<'PY'
import sys
import psycopg
try:
    with psycopg.connect(sys.argv[1].replace("postgres://", "postgresql://"), autocommit=True, connect_timeout=3) as c:
        c.execute("DROP DATABASE IF EXISTS hoptac_bench")
        c.execute("CREATE DATABASE hoptac_bench")
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL unreachable or no right to create a database ({exc}): import benchmark on SQLite only.")
    sys.exit(1)
PY
then
  # Exit code 1 when the dry run is above its goal (benchmarks/import_registry.py flags it).
  DATABASE_URL="$bench_url" .venv/bin/python benchmarks/import_registry.py || exit 1
fi
exit 0
