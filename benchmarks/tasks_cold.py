"""/tasks/ cold (the Django cache emptied before each request) and warm for `quocgia` and `tinh_19`, BENCH_REPEAT
times after one warm-up request (decision 0053; the warm-up stores the durable counts), with production settings
(DEBUG off) and Django set up as the web process does (page_costs.py: hoptac/wsgi.py, its gc.freeze). The code
measured is the checkout of the current directory, so two checkouts alternate on one database (a copy of the
national registry):

    cd /work/main && DATABASE_URL=postgres://.../hoptac_<name>_nat .venv/bin/python benchmarks/tasks_cold.py \\
        before /tmp/before.json

The page loop is page_costs.measure_pages (cold, warm, queries, SQL and CPU time)."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import page_costs  # noqa: E402  (sets Django up for the checkout in the cwd)
from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

import hoptac  # noqa: E402

USERS = ("quocgia", "tinh_19")


def main() -> None:
    label, out_path = sys.argv[1], sys.argv[2]
    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    rows = page_costs.measure_pages([(f"/tasks/ ({user})", user, "/tasks/") for user in USERS])
    Path(out_path).write_text(json.dumps({"label": label, "code": hoptac.__file__, "pages": rows}, indent=1))


if __name__ == "__main__":
    main()
