"""/tasks/ cold (the Django cache emptied before each request) for `quocgia` and `tinh_19`, BENCH_REPEAT times
(default 7) after one warm-up request (decision 0053), with production settings (DEBUG off). The code measured is
the checkout on PYTHONPATH, so two checkouts alternate on one database (a copy of the national registry):

    PYTHONPATH=/work/main DATABASE_URL=postgres://.../hoptac_<name>_nat STATIC_ROOT=/tmp/static \\
        .venv/bin/python benchmarks/tasks_cold.py before /tmp/before.json
"""

import json
import os
import secrets
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hoptac.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("DJANGO_CSRF_COOKIE_SECURE", "false")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

import hoptac  # noqa: E402
from hoptac.accounts.models import User  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
USERS = ("quocgia", "tinh_19")


def main() -> None:
    label, out_path = sys.argv[1], sys.argv[2]
    call_command("collectstatic", interactive=False, verbosity=0)
    setup_test_environment()
    out: dict = {"label": label, "code": hoptac.__file__, "pages": []}
    for username in USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        cache.clear()
        client.get("/tasks/")  # warm-up (and, with durable figures, stores them)
        runs = []
        for _ in range(REPEAT):
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get("/tasks/")
                runs.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        runs.sort()
        row = {
            "user": username,
            "median_ms": round(statistics.median(runs), 1),
            "p95_ms": round(runs[min(len(runs) - 1, int(0.95 * len(runs)))], 1),
            "queries": len(captured.captured_queries),
            "sql_ms": round(sum(float(q["time"]) for q in captured.captured_queries) * 1000, 1),
        }
        out["pages"].append(row)
        print(label, row, flush=True)
    with open(out_path, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
