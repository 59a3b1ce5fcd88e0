"""Check the read replica's lag handling against a real PostgreSQL hot standby (docs/decisions/0039): a
developer's script, never imported by the app. DATABASE_URL is the primary (migrated), DATABASE_REPLICA_URL its
streaming standby, both reachable as a superuser (the script pauses and resumes the standby's replay):

    DATABASE_URL=postgres://postgres@127.0.0.1:8116/hoptac DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:8126/hoptac \
        DJANGO_DEBUG=true .venv/bin/python scripts/check_replica.py

1. a cached figure (the count of administrative units) is computed on the standby when it has caught up;
2. with the standby's replay paused, a write on the primary: the standby still shows the old count, and the
   figure — asked again — is computed on the primary (the new count), not on the standby;
3. replay resumed: the next figure is computed on the standby again, and equals the primary's count.
Prints each step and exits non-zero when one does not hold."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hoptac.areas.models import AdminUnit  # noqa: E402
from hoptac.core import dataversion, replica  # noqa: E402

CODE = "zz-replica-check"


def standby(sql: str):
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def figure() -> tuple[int, bool]:
    """The cached count, and whether the standby computed it."""
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
        value = dataversion.cached("replica_check", (time.time_ns(),), lambda: AdminUnit.objects.count())
    return value, any("areas_adminunit" in q["sql"] for q in on_replica.captured_queries)


def insert() -> None:
    with connections["default"].cursor() as cursor:  # a write the data version sees (the execute wrapper)
        cursor.execute(
            "INSERT INTO areas_adminunit (map, level, code, unit_type, name, short_name, key, name_folded, "
            "name_sort) VALUES ('legacy', 'commune', %s, 'Xã', 'Xã Kiểm tra', 'Kiểm tra', %s, 'xa kiem tra', "
            "'xa kiem tra')",
            [f"{time.time_ns() % 10**9}", CODE],
        )


def check(label: str, condition: bool) -> None:
    print(("ok    " if condition else "FAIL  ") + label)
    if not condition:
        sys.exit(1)


def main() -> None:
    check("the replica alias is configured", replica.configured())
    check("the replica is a standby", standby("SELECT pg_is_in_recovery()")[0] is True)
    cache.clear()
    value, on_standby = figure()
    check(f"caught up: the figure ({value}) is computed on the standby", on_standby)
    standby("SELECT pg_wal_replay_pause()")
    try:
        insert()
        time.sleep(0.5)
        stale = standby("SELECT count(*) FROM areas_adminunit")[0]
        check(f"replay paused: the standby still counts {stale}", stale == value)
        fresh, on_standby = figure()
        check(f"… and the figure is the primary's {fresh}, not computed on the standby", fresh == value + 1)
        check("… (no query of the figure ran on the standby)", not on_standby)
    finally:
        standby("SELECT pg_wal_replay_resume()")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not replica.replayed(replica.primary_position()):
        time.sleep(0.1)
    value, on_standby = figure()
    check(f"replay resumed: the figure ({value}) is computed on the standby again", on_standby)
    check("… and equals the primary's", value == AdminUnit.objects.count())
    with connections["default"].cursor() as cursor:
        cursor.execute("DELETE FROM areas_adminunit WHERE key = %s", [CODE])


if __name__ == "__main__":
    main()
