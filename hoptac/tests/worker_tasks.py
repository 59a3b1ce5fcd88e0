"""A background task for hoptac/tests/test_several_processes.py (not a test module): run by real `db_worker`
processes to show that two workers never run one task twice and do share the work."""

import os
import time
from pathlib import Path

from django_tasks import task

RENDEZVOUS_SECONDS = 60.0


@task()
def record_run(path: str, number: int) -> int:
    """Append "<number> <pid>" to `path`, then wait until a second worker process has written there too (or
    RENDEZVOUS_SECONDS): a worker that holds one task cannot run them all, so both workers must take some."""
    log = Path(path)
    with log.open("a") as handle:
        handle.write(f"{number} {os.getpid()}\n")
    deadline = time.monotonic() + RENDEZVOUS_SECONDS
    while time.monotonic() < deadline:
        if len({line.split()[1] for line in log.read_text().splitlines()}) >= 2:
            break
        time.sleep(0.05)
    return os.getpid()
