"""Real worker processes for the fault tests (not a test module): a step of an import, a report or a review
run in a process of its own against the test database, which the test may kill (SIGKILL: no clean-up of any
kind) in the middle, then read what is left with one more process. Used by
hoptac/imports/tests/test_d2_jobs.py (hoptac/imports/tests/worker_process.py) and
hoptac/core/tests/test_review_faults.py (hoptac/core/tests/review_worker.py); `SharedDatabase` also by
hoptac/tests/test_several_processes.py (two web servers and two task workers on one database)."""

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection


class SharedDatabase:
    """The test database as other processes see it, for tests that run real worker processes (`module`, run
    with `python -m`). PostgreSQL: the test database itself (a transactional test, so what the test wrote is
    committed). SQLite: the suite's database lives in this process's memory, so it is copied to a file (the
    backup API) that the processes then share. What they did is read by one more process (`state`), the same
    way on both databases."""

    ROOT = Path(__file__).resolve().parents[3]

    def __init__(self, media: Path, module: str = "hoptac.imports.tests.worker_process") -> None:
        self.media, self.module, self.url = media, module, ""

    def share(self) -> "SharedDatabase":
        data = connection.settings_dict
        if connection.vendor == "postgresql":
            password = f":{quote(data['PASSWORD'])}" if data["PASSWORD"] else ""
            self.url = (
                f"postgres://{quote(data['USER'])}{password}@{data['HOST'] or 'localhost'}:"
                f"{data['PORT'] or 5432}/{data['NAME']}"
            )
            return self
        path = self.media / "shared.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        copy.close()
        self.url = f"sqlite:///{path}"
        return self

    def start(self, *args: object) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": self.url,
            "MEDIA_ROOT": str(self.media),
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
        return subprocess.Popen(
            [sys.executable, "-m", self.module, *map(str, args)],
            cwd=self.ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: object) -> str:
        """Run a step to its end: its last line."""
        process = self.start(*args)
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        return out.strip().splitlines()[-1]


def read_line(process: subprocess.Popen, expected: str) -> None:
    """Wait (at most two minutes) for the process to say `expected`; fail with its errors if it ends first."""
    watchdog = threading.Timer(120, process.kill)
    watchdog.start()
    try:
        for line in process.stdout:  # type: ignore[union-attr]
            if line.strip() == expected:
                return
        pytest.fail(f"the worker process ended without saying {expected!r}: {process.stderr.read()}")  # type: ignore[union-attr]
    finally:
        watchdog.cancel()
