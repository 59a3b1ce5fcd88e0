"""Benchmark (issue 15, decision 0045): the registry's list pages and an organisation at national size, as the
reader of the whole country (`quocgia`) and as the officer of the province with the most organisations
(`tinh_19`), cold (the cache emptied before each request) and warm — benchmarks/page_costs.py's `measure`
(median, p95, queries, SQL ms, the web process's CPU ms) and the page's size in bytes. Run it from the root of
each checkout compared, one right after the other, on the same database (a `git archive` of the older commit,
with this checkout's .venv: the checkout's own `hoptac` is imported, which the script checks):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoptac_reader_nat STATIC_ROOT=/tmp/static \\
        .venv/bin/python benchmarks/reader_pages.py benchmarks/results/reader-national-after.json

BENCH_REPEAT (3) requests per page and mode; BENCH_READER / BENCH_OFFICER name other accounts; PAGES="registry
list,…" measures only those rows.
"""

import json
import os
import sys
from pathlib import Path

out = sys.argv[1]
sys.argv = [sys.argv[0]]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import page_costs  # noqa: E402 — production settings (DEBUG off); ROOT is the current directory

import hoptac  # noqa: E402

assert hoptac.__file__.startswith(os.getcwd()), (
    f"measuring {hoptac.__file__}, not the checkout in {os.getcwd()}"
)
from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from hoptac.registry.models import Organisation  # noqa: E402

call_command("collectstatic", interactive=False, verbosity=0)
setup_test_environment()  # as benchmarks/scale.py measures
repeat = int(os.environ.get("BENCH_REPEAT", "3"))
reader = os.environ.get("BENCH_READER", "quocgia")
officer = os.environ.get("BENCH_OFFICER", "tinh_19")
province = officer.removeprefix("tinh_")
# The organisation scale.py measures: the 101st of the officer's province.
org = list(
    Organisation._base_manager.filter(commune_current__province__code=province)
    .order_by("pk")
    .values_list("pk", flat=True)[:101]
)[-1]
commune = Organisation._base_manager.get(pk=org).commune_current_id
pages = []
for user, suffix in ((reader, " (whole country)"), (officer, "")):
    pages += [
        ("registry list" + suffix, user, "/registry/?page=3"),
        ("registry search" + suffix, user, "/registry/?q=nông nghiệp"),
        ("yearly data list" + suffix, user, "/registry/years/"),
        ("organisation detail" + suffix, user, f"/registry/{org}/"),
        ("registry list, area chosen" + suffix, user, f"/registry/?area={commune}"),
    ]
only = {name.strip() for name in os.environ.get("PAGES", "").split(",") if name.strip()}
rows = page_costs.measure_pages(pages, repeat=repeat, only=only)
result = {
    "checkout": os.getcwd(),
    "load_average_at_end": list(os.getloadavg()),
    "repeat": repeat,
    "pages": rows,
}
Path(out).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
