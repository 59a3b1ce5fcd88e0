"""The web process's entry point (hoptac/wsgi.py, decision 0052): once loaded, what it loaded — the apps and,
through the URLconf, every view module — is frozen out of the garbage collector's reach, so that a full
collection walks only what requests create. Checked in a new process (freezing this one would change the
suite's own collections)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import gc, json, sys
import hoptac.wsgi
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
    "views_loaded": "hoptac.registry.views" in sys.modules and "hoptac.scoring.views" in sys.modules,
}))
"""


def test_the_web_process_freezes_what_it_loaded():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hoptac.settings", "DJANGO_DEBUG": "true"}
    env.pop("DATABASE_URL", None)  # nothing is read from a database at start
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe["views_loaded"]
    # Everything loaded is frozen; what the collector still tracks is a small fraction of it.
    assert probe["frozen"] > 50_000
    assert probe["tracked"] < probe["frozen"] / 10
