"""Benchmark: the registry's exports (organisations, yearly data) before and after decision 0038, in the same
run: time, peak memory of the process (VmHWM) and size of the file, as the province officer.

- before: the exporter as it was (benchmarks/exports_before.py: ORM objects into an in-memory workbook);
- after: hoptac.registry.exports (write-only workbook from `values_list` rows, straight into a file);
- page: GET /registry/export.xlsx through Django's test client with no inline limit (the web process answering
  the file itself, read to the end as a browser would);
- job: a background export job as the task worker runs it (hoptac.notifications.export_jobs).

Each measurement runs in a fresh child process, so that its peak memory is its own. Run with `make bench` (a
scratch SQLite database under benchmarks/.work/, the demo multiplied BENCH_EXPORTS_SCALE times, default 2), or
on a database that already holds a larger registry (benchmarks/load/prepare.py):
`DATABASE_URL=postgres://…/hoptac_x50 .venv/bin/python benchmarks/exports.py`. BENCH_EXPORTS_METHODS and
BENCH_EXPORTS_LISTS choose what runs (comma-separated). Writes benchmarks/results/exports.json and .md (the
entry for this database's registry size is replaced, the others kept: one file shows ×1 → ×10 → ×50)."""

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from measuring import peak_rss_mb, rss_mb  # noqa: E402  (the one reader of the process's memory)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")

SCALE = int(os.environ.get("BENCH_EXPORTS_SCALE", "2"))
METHODS = os.environ.get("BENCH_EXPORTS_METHODS", "before,after,page,job").split(",")
LISTS = os.environ.get("BENCH_EXPORTS_LISTS", "organisations,yearly").split(",")
USER = "tinh"  # the demo's province officer: sees the whole registry
RESULTS = ROOT / "benchmarks" / "results"


def _memory() -> dict[str, float]:
    """The process's resident memory now and its peak so far, in MB (benchmarks/measuring.py)."""
    return {"VmRSS": rss_mb() or 0.0, "VmHWM": peak_rss_mb() or 0.0}


def child(method: str, which: str) -> None:
    """One measurement, in this (fresh) process: prints one JSON line."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import get_resolver
    from django.utils import timezone, translation

    from hoptac.accounts.models import User
    from hoptac.notifications import export_jobs
    from hoptac.registry import exports, selectors

    get_resolver().url_patterns  # noqa: B018 - every view module imported before measuring (as in a web process)
    translation.activate(settings.LANGUAGE_CODE)
    user = User.objects.get(username=USER)
    today = timezone.localdate()
    rows_of = {
        "organisations": lambda: selectors.organisation_list(user=user),
        "yearly": lambda: selectors.yearly_report_list(user=user),
    }
    rows = rows_of[which]().count()
    before = _memory()
    cpu = time.process_time()
    start = time.perf_counter()
    target = ROOT / "benchmarks" / ".work" / f"export-{method}-{which}.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    if method == "before":
        import exports_before

        build = {
            "organisations": exports_before.organisation_workbook,
            "yearly": exports_before.yearly_report_workbook,
        }[which]
        content = build(rows_of[which](), today=today)
        size = len(content)
    elif method == "after":
        write = {"organisations": exports.organisation_workbook, "yearly": exports.yearly_report_workbook}[
            which
        ]
        write(target, rows_of[which](), today=today)
        size = target.stat().st_size
    elif method == "page":
        settings.EXPORT_INLINE_ROWS = 10**9
        settings.ALLOWED_HOSTS = ["*"]
        client = Client()
        client.force_login(user)
        url = {"organisations": "/registry/export.xlsx", "yearly": "/registry/years/export.xlsx"}[which]
        response = client.get(url)
        assert response.status_code == 200 and response.streaming, response.status_code
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
    elif method == "job":
        kind = {"organisations": "registry.organisations", "yearly": "registry.yearly_reports"}[which]
        job = export_jobs.export_job_start(user=user, kind=kind, params=[])
        job = export_jobs.export_job_run(job_id=job.pk)
        assert job is not None and job.state == "done", job and job.error
        size = job.size
        path = export_jobs.export_job_path(job)
        if path is not None:
            path.unlink(missing_ok=True)
        job.delete()
    else:
        raise SystemExit(f"unknown method {method}")
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    after = _memory()
    print(
        json.dumps(
            {
                "list": which,
                "method": method,
                "rows": rows,
                "seconds": round(seconds, 2),
                "cpu_seconds": round(cpu, 2),
                "rss_before_mb": round(before["VmRSS"], 1),
                "peak_mb": round(after["VmHWM"], 1),
                "added_mb": round(after["VmHWM"] - before["VmRSS"], 1),
                "bytes": size,
            }
        ),
        flush=True,
    )
    target.unlink(missing_ok=True)


def _prepare() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hoptac.registry.models import Organisation, YearlyReport

    call_command("migrate", verbosity=0)
    if not Organisation._base_manager.exists():
        call_command("load_admin_units", verbosity=0)
        call_command("load_demo", verbosity=0)
        demo = Organisation._base_manager.count()
        if SCALE > 1:
            from django.apps import apps
            from django.core.management.color import no_style
            from plan_evaluation import multiply

            multiply(SCALE)
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), list(apps.get_models())):
                    cursor.execute(statement)
        print(f"registry: {Organisation._base_manager.count()} organisations ({demo} in the demo × {SCALE})")
    call_command("demo_logins", verbosity=0)
    return {
        "database": connection.vendor,
        "organisations": Organisation._base_manager.count(),
        "yearly_reports": YearlyReport._base_manager.count(),
    }


def _save(entry: dict) -> None:
    """Merge this run's entry into results/exports.json (one entry per database, registry size and set of
    measurements) and rewrite exports.md; called after every measurement, so a run stopped half-way keeps
    what it measured."""
    runs = entry["runs"]
    for run in runs:
        base = next((r for r in runs if r["list"] == run["list"] and r["method"] == "before"), None)
        if base and run is not base:
            run["time_vs_before"] = round(run["seconds"] / base["seconds"], 3) if base["seconds"] else None
            run["cpu_vs_before"] = (
                round(run["cpu_seconds"] / base["cpu_seconds"], 3) if base["cpu_seconds"] else None
            )
    entry["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    path = RESULTS / "exports.json"
    saved = json.loads(path.read_text()) if path.exists() else {"entries": []}
    saved["entries"] = [e for e in saved["entries"] if e.get("id") != entry["id"]] + [entry]
    saved["entries"].sort(key=lambda e: (e["database"], e["organisations"], e["when"]))
    saved["what"] = (
        "registry exports as the province officer: before (in-memory workbook of ORM objects) against after "
        "(write-only workbook from values_list rows into a file), the page answering the file, and the "
        "background job; each in a fresh process (peak = VmHWM)"
    )
    path.write_text(json.dumps(saved, ensure_ascii=False, indent=2) + "\n")
    _markdown(saved)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    data = _prepare()
    entry = {
        **data,
        "id": f"{data['database']}-{data['organisations']}-{time.time():.0f}",
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "runs": [],
    }
    for which in LISTS:
        for method in METHODS:
            answer = subprocess.run(
                [sys.executable, __file__, "--child", method, which],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ},
            )
            if answer.returncode != 0:
                print(answer.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"{method} {which} failed")
            run = json.loads(answer.stdout.strip().splitlines()[-1])
            entry["runs"].append(run)
            print(json.dumps(run, ensure_ascii=False), flush=True)
            _save(entry)


def _markdown(saved: dict) -> None:
    lines = [
        "# Registry exports: before and after (decision 0038)",
        "",
        saved["what"] + ". `added` is the peak less the process's memory before the export began.",
        "",
        "| database | organisations | list | rows | method | seconds | CPU s | peak MB | added MB | file bytes | "
        "time ÷ before | CPU ÷ before | load average (before → after) |",
        "|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for entry in saved["entries"]:
        load = f"{entry['load_average_before'][0]} → {entry['load_average_after'][0]}"
        for run in entry["runs"]:
            lines.append(
                f"| {entry['database']} | {entry['organisations']} | {run['list']} | {run['rows']} | "
                f"{run['method']} | {run['seconds']} | {run['cpu_seconds']} | {run['peak_mb']} | {run['added_mb']} | "
                f"{run['bytes']} | {run.get('time_vs_before', '')} | {run.get('cpu_vs_before', '')} | {load} |"
            )
    (RESULTS / "exports.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
