"""Benchmark: importing a 10,000-row registry file (dry run and commit) against a baseline measured in the same
run — reading the same file with openpyxl alone. Goal (issue #6): within 5× of that baseline.

Run with `make bench`; writes benchmarks/results/import-registry.{json,md}.
"""

import io
import json
import os
import platform
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from hoptac.areas.models import AdminMap, AdminUnit, Level  # noqa: E402
from hoptac.imports.importer import COLUMN_BY_FIELD, import_registry  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
FIELDS = [
    "registration_code",
    "name",
    "kind",
    "founding_date",
    "commune",
    "district",
    "sector",
    "year",
    "official_individuals",
    "workers",
    "revenue",
    "profit",
    "in_value_chain",
    "high_tech",
]
HEADER = [COLUMN_BY_FIELD[field].header for field in FIELDS]  # the import template's headers


def build_file() -> bytes:
    communes = list(
        AdminUnit.objects.filter(
            map=AdminMap.LEGACY, level=Level.COMMUNE, province__code="36"
        ).select_related("parent")
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH TỔ CHỨC KINH TẾ TẬP THỂ"])
    sheet.append(HEADER)
    for i in range(ROWS):
        commune = communes[i % len(communes)]
        sheet.append(
            [
                f"0699{i:06d}",  # a valid 10-digit code (hoptac.registry.validators)
                f"Hợp tác xã Dịch vụ nông nghiệp {commune.short_name} số {i}",
                "HTX",
                f"{1 + i % 28:02d}/{1 + i % 12:02d}/{2000 + i % 24}",
                commune.name,
                commune.parent.name,
                "Nông nghiệp",
                2024,
                50 + i % 400,
                3 + i % 40,
                f"{(1 + i % 50) * 100_000_000:,}".replace(",", "."),
                f"{(i % 30) * 1_000_000:,}".replace(",", "."),
                "Có" if i % 5 == 0 else "Không",
                "Có" if i % 11 == 0 else "Không",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_only_baseline(content: bytes) -> int:
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    count = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return count


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def main():
    call_command("migrate", verbosity=0)
    call_command("load_admin_units", verbosity=0)
    user = get_user_model().objects.filter(is_superuser=True).first()
    if user is None:
        user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-pass-123")
    content = build_file()
    baseline, rows = timed(lambda: read_only_baseline(content))
    dry, preview = timed(
        lambda: import_registry(user=user, content=content, filename="bench.xlsx", commit=False)
    )
    commit, result = timed(
        lambda: import_registry(user=user, content=content, filename="bench.xlsx", commit=True)
    )
    assert preview.count("create") == ROWS and result.committed, preview.errors[:5]
    row = {
        "database": connection.vendor,
        "rows": ROWS,
        "baseline_openpyxl_read_s": round(baseline, 3),
        "dry_run_s": round(dry, 3),
        "commit_s": round(commit, 3),
        "dry_run_ratio": round(dry / baseline, 1),
        "commit_ratio": round(commit / baseline, 1),
        "write_s": round(commit - dry, 3),  # a commit checks like a dry run, then writes
    }
    print(json.dumps(row))
    write_results(row)


def write_results(row: dict) -> None:
    """One row per database (SQLite always; PostgreSQL when `make bench` reaches it), kept across runs."""
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "import-registry.json"
    try:
        results = [
            r for r in json.loads(path.read_text()).get("results", []) if r["database"] != row["database"]
        ]
    except (OSError, ValueError, KeyError, AttributeError):
        results = []
    results = sorted([*results, row], key=lambda r: r["database"] != "sqlite")
    meta = {
        "benchmark": f"registry import of a {ROWS:,}-row .xlsx (new organisations with 2024 yearly data)",
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "goal": "within 5x of reading the file with openpyxl",
        "note": "a commit = the dry run's reading and checking + writing 6 rows per input row (organisation, "
        "legal status, yearly data and their history) with Django bulk inserts; see docs/decisions/0007",
        "results": results,
    }
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    lines = [
        f"# {meta['benchmark']}\n",
        f"Python {meta['python']}, {meta['machine']}; one run each; the baseline is measured in the same run.\n",
        "| database | rows | openpyxl read (s) | dry run (s) | commit (s) | of which writing (s) | dry run ÷ read |"
        " commit ÷ read |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['rows']:,} | {r['baseline_openpyxl_read_s']} | {r['dry_run_s']} | {r['commit_s']} |"
            f" {r['write_s']} | {r['dry_run_ratio']} | {r['commit_ratio']} |"
        )
    lines.append(f"\nGoal: {meta['goal']}. Note: {meta['note']}.")
    (out / "import-registry.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
