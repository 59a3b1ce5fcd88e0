"""Benchmark: how fast the registry's exports are written (rows and cells per second of the web process's CPU),
before and after decision 0048, in the same run, on the database DATABASE_URL names, as BENCH_OFFICER (a
province officer). What decides how many rows an export may write while the reader waits
(settings.EXPORT_INLINE_ROWS): above it the file is written by the task worker (decision 0038).

- before: the data rows appended to openpyxl's write-only sheet as one styled cell object per value (the
  writer of decision 0038: openpyxl builds a second cell per value, binds each value twice and opens an XML
  context per cell);
- after: hoptac.core.workbooks.stream_sheet as it is (each data row one XML element into the sheet's stream).

Both write the officer's organisations and yearly data (at most BENCH_EXPORT_ROWS rows each, default
10,000) through the exports' own functions (`organisation_workbook`, `yearly_report_workbook`) into a
temporary file, BENCH_REPEAT times (default 3), alternating; the median is reported.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hoptac_x_nat BENCH_OFFICER=tinh_19 \\
        .venv/bin/python benchmarks/export_rates.py
"""

import datetime
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

import django  # noqa: E402

django.setup()

from django.http import QueryDict  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from openpyxl.cell.cell import WriteOnlyCell  # noqa: E402

from hoptac.accounts.models import User  # noqa: E402
from hoptac.core import workbooks  # noqa: E402
from hoptac.registry import exports  # noqa: E402
from hoptac.registry.models import Organisation  # noqa: E402

OFFICER = os.environ.get("BENCH_OFFICER", "tinh")
ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "10000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
RESULTS = ROOT / "benchmarks" / "results"


class CellRows:
    """The writer before decision 0048 (in place of workbooks._DataRows): every row appended to openpyxl's
    write-only sheet, each data value as a styled WriteOnlyCell."""

    def __init__(self, sheet: Any, styles: Any) -> None:
        self.sheet, self.styles, self.number = sheet, styles, 0

    def cells(self, cells: Any) -> None:
        self.number += 1
        self.sheet.append(cells)

    def _cell(self, styles: Any, value: Any) -> Any:
        cell = WriteOnlyCell(self.sheet, value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        number_format = None
        if value is not None:
            number_format = styles.number_format
            if number_format == workbooks.COMPACT and isinstance(value, int | float | Decimal):
                number_format = workbooks.INTEGER if workbooks.is_whole(value) else workbooks.DECIMAL
            elif not number_format and isinstance(value, datetime.date):
                number_format = workbooks.DATE
        cell._style = styles.style(number_format)
        return cell

    def values(self, values: Any) -> None:
        self.number += 1
        styles = self.styles
        self.sheet.append(
            [
                self._cell(styles[index], value) if index < len(styles) else value
                for index, value in enumerate(map(workbooks.safe_value, values))
            ]
        )


def write(which: str, user: User, method: str) -> dict:
    today = timezone.localdate()
    if which == "organisations":
        rows, as_of = exports.organisation_rows(user, QueryDict())
        rows = rows[:ROWS]

        def run(path: str) -> int:
            return exports.organisation_workbook(path, rows, today=today, as_of=as_of)
    else:
        reports, year = exports.yearly_report_rows(user, QueryDict())
        reports = reports[:ROWS]

        def run(path: str) -> int:
            return exports.yearly_report_workbook(path, reports, today=today, year=year)

    real = workbooks._DataRows
    workbooks._DataRows = CellRows if method == "before" else real  # type: ignore[misc]
    try:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
            start, start_cpu = time.perf_counter(), time.process_time()
            written = run(target.name)
            wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
            size = Path(target.name).stat().st_size
    finally:
        workbooks._DataRows = real  # type: ignore[misc]
    return {"rows": written, "wall_s": wall, "cpu_s": cpu, "bytes": size}


def main() -> None:
    translation.activate("vi")
    user = User.objects.get(username=OFFICER)
    columns = {
        "organisations": len(exports._export_columns(as_of=False)) + 1,
        "yearly": len(exports._yearly_export_columns()) + 1,
    }
    results = []
    for which in ("organisations", "yearly"):
        write(which, user, "after")  # warm-up: imports, the first connection, the translations
        runs: dict[str, list[dict]] = {"before": [], "after": []}
        for _ in range(REPEAT):
            for method in ("before", "after"):
                runs[method].append(write(which, user, method))
        entry: dict[str, Any] = {"list": which, "columns": columns[which]}
        for method, measured in runs.items():
            cpu = statistics.median(m["cpu_s"] for m in measured)
            wall = statistics.median(m["wall_s"] for m in measured)
            rows = measured[0]["rows"]
            entry[method] = {
                "rows": rows,
                "cpu_s": round(cpu, 3),
                "wall_s": round(wall, 3),
                "rows_per_cpu_s": round(rows / cpu) if cpu else None,
                "bytes": measured[0]["bytes"],
            }
        entry["cpu_after_over_before"] = round(entry["after"]["cpu_s"] / entry["before"]["cpu_s"], 2)
        print(json.dumps(entry, ensure_ascii=False), flush=True)
        results.append(entry)
    result = {
        "officer": OFFICER,
        "organisations_in_database": Organisation._base_manager.count(),
        "repeat": REPEAT,
        "machine": f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} cores",
        "load_average_1_5_15_min_at_end": [round(x, 2) for x in os.getloadavg()],
        "lists": results,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "export-rates.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
