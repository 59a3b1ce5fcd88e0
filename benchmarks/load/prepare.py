"""The load test's database (scripts/bench_load.sh): the demo, as `make demo` loads it, then every organisation
copied with its history and yearly data until the registry is BENCH_LOAD_SCALE (default 10) times the demo
(benchmarks/plan_evaluation.py's `multiply`). DATABASE_URL names the scratch database."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection  # noqa: E402
from plan_evaluation import multiply  # noqa: E402  (sets Django up)

from hoptac.registry.models import Organisation  # noqa: E402

SCALE = int(os.environ.get("BENCH_LOAD_SCALE", "10"))


def load_demo() -> None:
    """The demo as `make demo` loads it (benchmarks/scale.py builds its x1 database with it too)."""
    call_command("load_admin_units", verbosity=0)
    call_command("load_demo", verbosity=0)
    for kind in ("plans", "scoring-schemes", "size-classes", "agencies"):
        call_command("load_data", kind, shipped=True, verbosity=0)
    call_command("load_demo_scoring", verbosity=0)
    call_command("load_demo_tasks", verbosity=0)


def main() -> None:
    call_command("migrate", verbosity=0)
    load_demo()
    demo = Organisation._base_manager.count()
    if SCALE > 1:
        multiply(SCALE)
    from django.apps import apps

    with connection.cursor() as cursor:  # the copies were inserted with explicit ids
        for statement in connection.ops.sequence_reset_sql(no_style(), list(apps.get_models())):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    print(f"registry: {Organisation._base_manager.count()} organisations ({demo} in the demo × {SCALE})")


if __name__ == "__main__":
    main()
