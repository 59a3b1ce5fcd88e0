"""hoptac.core.downloads.write_files: a generated file (the annual report and its annexes written by
`manage.py annual_report`) is on disk whole or not at all, even when its process is killed while writing."""

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from hoptac.core import downloads

ROOT = Path(__file__).resolve().parents[3]
WRITER = """
import os, sys, time
from pathlib import Path
from hoptac.core import downloads
if sys.argv[3] == "hang":
    def hang(fd):  # the report is half-way to the disk
        print("writing", flush=True)
        time.sleep(600)
    os.fsync = hang
downloads.write_files({Path(sys.argv[1]): b"new report " * 200_000, Path(sys.argv[2]): b"new annex"})
print("done", flush=True)
"""


def write(report: Path, annex: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(report), str(annex), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_process_killed_while_writing_leaves_the_files_as_they_were_and_a_new_run_writes_them(tmp_path):
    report, annex = tmp_path / "bao-cao.docx", tmp_path / "bao-cao-bieu-phu-luc.xlsx"
    report.write_bytes(b"last year's report")
    process = write(report, annex, "hang")
    watchdog = threading.Timer(60, process.kill)
    watchdog.start()
    try:
        assert process.stdout.readline().strip() == "writing", process.stderr.read()
    finally:
        watchdog.cancel()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert report.read_bytes() == b"last year's report" and not annex.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")]  # only a hidden leftover
    process = write(report, annex, "run")
    out, err = process.communicate(timeout=60)
    assert out.strip() == "done", err
    assert report.read_bytes() == b"new report " * 200_000 and annex.read_bytes() == b"new annex"


def test_an_error_while_writing_changes_nothing_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    report, annex = tmp_path / "bao-cao.docx", tmp_path / "bieu.xlsx"
    report.write_bytes(b"old")
    calls = []

    def full_disk(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(downloads.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        downloads.write_files({report: b"new", annex: b"new annex"})
    assert report.read_bytes() == b"old" and not annex.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.docx"]
