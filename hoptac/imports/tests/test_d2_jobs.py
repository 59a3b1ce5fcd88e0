"""Import jobs (engineer d2): a checked file is imported once, a database lock is retried then failed with the
reason, a dead worker's job is failed on the next status check or worker start and can be started again,
a job nobody picks up is shown, and nothing partial is ever written."""

import datetime
import io
import json
import os
import signal
import sqlite3

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.utils import timezone, translation
from openpyxl import Workbook

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.tests import processes
from hoptac.core.tests.processes import read_line
from hoptac.imports import importer, services
from hoptac.imports.models import ImportJob
from hoptac.registry.models import Organisation, StatusChange, YearlyReport

HEADER = ["Mã số đăng ký", "Tên tổ chức", "Loại hình", "Ngày thành lập", "Xã/phường", "Huyện", "Lĩnh vực"]
HEADER_YEAR = [*HEADER, "Năm số liệu", "Lao động"]


def row(n: int) -> list:
    return [
        f"06079700{n:02d}",
        f"HTX Thử khóa {n}",
        "HTX",
        "13/10/2020",
        "Xã Hải Minh",
        "Huyện Hải Hậu",
        "Nông nghiệp",
        2024,
        7,
    ]


def workbook(rows) -> bytes:
    book = Workbook()
    for r in [HEADER_YEAR, *rows]:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def setup(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    monkeypatch.setattr(services, "RETRY_DELAYS", (0.0, 0.0))
    translation.activate("vi")
    yield
    translation.deactivate()


@pytest.fixture
def officer(db):
    return UserFactory(role=Role.PROVINCE)


def checked(officer, rows=None) -> ImportJob:
    upload = SimpleUploadedFile("ds.xlsx", workbook(rows or [row(1), row(2)]))
    job = services.import_job_start(user=officer, upload=upload)
    assert job.state == ImportJob.State.CHECKED, job.result
    return job


def nothing_written():
    return not Organisation.objects.filter(registration_code__startswith="06079700").exists()


# ---- once only --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_checked_file_is_imported_once_by_service_page_and_api(officer, client):
    source = checked(officer)
    stale_copy = ImportJob.objects.get(pk=source.pk)  # what a second tab or a double click holds
    job = services.import_job_start(user=officer, source=source, commit=True)
    assert job.state == ImportJob.State.COMMITTED
    with pytest.raises(ValidationError) as refused:
        services.import_job_start(user=officer, source=stale_copy, commit=True)
    assert refused.value.messages == [
        "Tệp này đã được nhập (hoặc đang được nhập); mỗi tệp chỉ được nhập một lần."
    ]
    client.force_login(officer)
    response = client.post(f"/imports/{source.pk}/", follow=True)
    assert "mỗi tệp chỉ được nhập một lần" in response.content.decode()
    assert 'id="commit-import"' not in client.get(f"/imports/{source.pk}/").content.decode()
    response = client.post(f"/api/v1/imports/{source.pk}/commit/")
    assert response.status_code == 400 and "mỗi tệp chỉ được nhập một lần" in response.content.decode()
    assert ImportJob.objects.filter(commit=True).count() == 1
    assert Organisation.objects.filter(registration_code__startswith="06079700").count() == 2


class SharedDatabase(processes.SharedDatabase):
    """The shared test database (hoptac/core/tests/processes.py) and the import rows and jobs in it."""

    def state(self) -> dict:
        """What is in the shared database: the rows the imports of these tests write, and the import jobs."""
        return json.loads(self.run("state"))


@pytest.fixture
def shared(tmp_path):
    return SharedDatabase(tmp_path)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_commits_one_wins(shared, officer):
    """Two processes (two web workers, or the page and the API) commit one checked file at the same moment:
    one imports it, the other is refused. PostgreSQL: the row lock of the conditional UPDATE; SQLite: its
    single writer (IMMEDIATE transactions wait their busy timeout)."""
    source = checked(officer)
    shared.share()
    processes = [shared.start("commit", source.pk, officer.pk, "--wait") for _ in range(2)]
    for process in processes:
        read_line(process, "ready")
    for process in processes:  # both go at once
        process.stdin.write("go\n")  # type: ignore[union-attr]
        process.stdin.flush()  # type: ignore[union-attr]
    outcomes = []
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        outcomes.append(out.strip().splitlines()[-1])
    assert sorted(outcomes) == [
        "committed",
        "refused: Tệp này đã được nhập (hoặc đang được nhập); mỗi tệp chỉ được nhập một lần.",
    ]
    state = shared.state()
    assert state["organisations"] == 2
    assert [job["state"] for job in state["jobs"] if job["commit"]] == ["committed"]


# ---- locks ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_lock_is_retried_then_the_job_succeeds(officer, monkeypatch):
    source = checked(officer)
    real = services.import_registry
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(services, "import_registry", flaky)
    job = services.import_job_start(user=officer, source=source, commit=True)
    assert job.state == ImportJob.State.COMMITTED and job.attempts == 3
    assert Organisation.objects.filter(registration_code__startswith="06079700").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "error", ["database is locked", "could not serialize access due to concurrent update"]
)
def test_a_lasting_lock_fails_the_job_with_the_reason_and_it_can_be_retried(
    officer, monkeypatch, client, error
):
    source = checked(officer)
    real = services.import_registry

    def locked(**kwargs):
        raise OperationalError(error)

    monkeypatch.setattr(services, "import_registry", locked)
    job = services.import_job_start(user=officer, source=source, commit=True)
    assert job.state == ImportJob.State.FAILED and job.attempts == 3
    assert job.error == (
        "Cơ sở dữ liệu đang bận (bị một tác vụ khác khóa), đã thử nhập 3 lần; chưa có dữ liệu nào được ghi. "
        f"Hãy chạy lại sau. ({error})"
    )
    assert nothing_written()
    source.refresh_from_db()
    assert source.commit_job_id is None  # the file is free to be imported again
    client.force_login(officer)
    html = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'id="retry-import"' in html and "Cơ sở dữ liệu đang bận" in html
    monkeypatch.setattr(services, "import_registry", real)
    client.post(f"/imports/{job.pk}/", {"retry": "1"})
    job.refresh_from_db()
    assert job.state == ImportJob.State.COMMITTED and not job.error
    assert Organisation.objects.filter(registration_code__startswith="06079700").count() == 2


class HeldLock:
    """Another connection that takes a lock the import's write needs, and keeps it until released. SQLite: a
    write transaction (BEGIN IMMEDIATE and a write to the yearly data) on a second connection to the test
    database: SQLite has one writer, so the import's transaction cannot begin ("database table is locked").
    PostgreSQL: LOCK TABLE on the yearly data (reads still pass, inserts wait), which the import, its
    organisations and statuses already written, waits for until its lock_timeout
    (core.concurrency.limit_lock_wait), then fails with "canceling statement due to lock timeout"."""

    def __init__(self, shared: SharedDatabase) -> None:
        if connection.vendor == "postgresql":
            import psycopg

            self.other = psycopg.connect(shared.share().url)  # not autocommit: the lock lasts until rollback
        else:
            name = connection.settings_dict["NAME"]
            test_name = connection.creation._get_test_db_name() if connection.is_in_memory_db() else name
            self.other = sqlite3.connect(str(test_name), uri=True, timeout=0.1, check_same_thread=False)

    def take(self) -> None:
        if connection.vendor == "postgresql":
            self.other.execute("LOCK TABLE registry_yearlyreport IN EXCLUSIVE MODE")
        else:
            self.other.execute("BEGIN IMMEDIATE")
            self.other.execute("DELETE FROM registry_yearlyreport WHERE id = -1")

    def release(self) -> None:
        self.other.rollback()

    def close(self) -> None:
        self.other.close()


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_by_another_connection_is_retried_then_fails_and_nothing_is_written(
    shared, officer, monkeypatch
):
    """Another connection holds a lock while the import writes (each database's own kind, HeldLock): the
    import is retried with growing waits, then failed with the reason; nothing of it is in the database; once
    the lock is released it is started again and works."""
    from hoptac.core import concurrency

    monkeypatch.setattr(concurrency, "LOCK_WAIT_SECONDS", 0.3)
    monkeypatch.setattr(services, "RETRY_DELAYS", (0.05, 0.15))
    waits: list[float] = []
    real_sleep = services.time.sleep

    def sleep(seconds):
        waits.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(services.time, "sleep", sleep)
    source = checked(officer)
    lock = HeldLock(shared)
    real_import = services.import_registry
    attempts: list[int] = []
    written: list[int] = []

    def import_under_lock(**kwargs):
        attempts.append(1)
        heard = kwargs["progress"]

        def progress(done, total, stage):
            if stage == "write" and len(attempts) == 1:  # all rows checked; the other connection locks first
                lock.take()
            heard(done, total, stage)

        try:
            return real_import(**{**kwargs, "progress": progress})
        finally:
            if len(attempts) == 3:  # it holds the lock through every retry
                lock.release()

    def count_organisations(objs, model, **kwargs):
        written.extend(1 for _ in objs if model is Organisation)
        return real_insert(objs, model, **kwargs)

    real_insert = importer.insert_with_history
    monkeypatch.setattr(importer, "insert_with_history", count_organisations)
    monkeypatch.setattr(services, "import_registry", import_under_lock)
    try:
        job = services.import_job_start(user=officer, source=source, commit=True)
    finally:
        lock.close()
    monkeypatch.setattr(services, "import_registry", real_import)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.attempts == 3, job.error
    assert waits == [0.05, 0.15]
    # PostgreSQL: each attempt had written its organisations when the lock on the yearly data stopped it.
    # SQLite: one writer for the whole database, so each attempt was stopped as its transaction began.
    assert len(written) == (6 if connection.vendor == "postgresql" else 0)
    assert job.error.startswith("Cơ sở dữ liệu đang bận (bị một tác vụ khác khóa), đã thử nhập 3 lần")
    reason = "canceling statement due to lock timeout" if connection.vendor == "postgresql" else "is locked"
    assert reason in job.error
    assert nothing_written() and not StatusChange.objects.exists() and not YearlyReport.objects.exists()
    job = services.import_job_retry(user=officer, job=job)
    assert job.state == ImportJob.State.COMMITTED
    assert Organisation.objects.filter(registration_code__startswith="06079700").count() == 2


# ---- a worker that dies -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_worker_killed_mid_write_leaves_nothing_and_the_job_is_failed_then_retried(officer, monkeypatch):
    source = checked(officer)
    real = importer.insert_with_history

    def killed(objs, model, **kwargs):
        if model is YearlyReport:  # organisations and statuses are written by now
            raise KeyboardInterrupt  # the worker is stopped (SIGINT/SIGTERM) in the middle of the write
        return real(objs, model, **kwargs)

    monkeypatch.setattr(importer, "insert_with_history", killed)
    with pytest.raises(KeyboardInterrupt):
        services.import_job_start(user=officer, source=source, commit=True)
    monkeypatch.setattr(importer, "insert_with_history", real)
    job = ImportJob.objects.get(commit=True)
    assert job.state == ImportJob.State.RUNNING
    assert nothing_written() and not StatusChange.objects.exists()
    # Soon after, the job still looks alive; once it has given no sign of life for STALE_MINUTES, the next
    # status check fails it with the reason.
    assert services.job_progress(job)["state"] == "running"
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(started_at=an_hour_ago)
    progress_file = services._progress_path(job)  # the dead worker's last word ("writing…")
    assert progress_file.exists()
    os.utime(progress_file, (an_hour_ago.timestamp(), an_hour_ago.timestamp()))
    job.refresh_from_db()
    progress = services.job_progress(job)
    assert progress["state"] == "failed"
    job.refresh_from_db()
    assert job.error == (
        "Việc nhập dừng giữa chừng (tiến trình nền đã dừng). Chưa có dữ liệu nào được ghi; hãy chạy lại."
    )
    job = services.import_job_retry(user=officer, job=job)
    assert job.state == ImportJob.State.COMMITTED
    assert Organisation.objects.filter(registration_code__startswith="06079700").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_mid_commit_leaves_nothing_then_the_job_is_failed_and_retried(
    shared, officer
):
    """A real process commits a checked file and is killed (SIGKILL: no clean-up of any kind) while its
    transaction holds the new organisations and statuses. Nothing of it is in the database; the job stays
    "running" until it has given no sign of life for STALE_MINUTES, then the next worker to start fails it
    with the reason; started again, it imports the file, attributed to the officer."""
    source = checked(officer)
    shared.share()
    worker = shared.start("commit", source.pk, officer.pk, "--hang-while-writing")
    read_line(worker, "writing")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=60)
    assert worker.returncode == -signal.SIGKILL
    state = shared.state()
    (job,) = [j for j in state["jobs"] if j["commit"]]
    assert job["state"] == "running"
    assert (state["organisations"], state["statuses"], state["reports"], state["history"]) == (0, 0, 0, [])
    assert (state["all_statuses"], state["all_reports"]) == (0, 0)
    # A worker starting now leaves it alone: the job may still be alive.
    assert shared.run("recover") == "failed 0"
    # An hour later (no progress written since), the next worker fails it.
    shared.run("age", job["pk"], 60)
    progress = shared.media / "imports" / f"job-{job['pk']}.progress.json"
    assert progress.exists()  # the dead worker's last word ("write")
    an_hour_ago = (timezone.now() - datetime.timedelta(hours=1)).timestamp()
    os.utime(progress, (an_hour_ago, an_hour_ago))
    assert shared.run("recover") == "failed 1"
    (job,) = [j for j in shared.state()["jobs"] if j["commit"]]
    assert job["state"] == "failed"
    assert job["error"] == (
        "Việc nhập dừng giữa chừng (tiến trình nền đã dừng). Chưa có dữ liệu nào được ghi; hãy chạy lại."
    )
    assert shared.run("retry", job["pk"], officer.pk) == "committed"
    state = shared.state()
    assert (state["organisations"], state["statuses"], state["reports"]) == (2, 2, 2)
    assert state["history"] == [["+", officer.username], ["+", officer.username]]


@pytest.mark.django_db
def test_the_next_worker_fails_jobs_left_running(officer, monkeypatch):
    old = ImportJob.objects.create(
        user=officer,
        file="imports/x.xlsx",
        filename="x.xlsx",
        state=ImportJob.State.RUNNING,
        started_at=timezone.now() - datetime.timedelta(hours=2),
    )
    fresh = ImportJob.objects.create(
        user=officer,
        file="imports/y.xlsx",
        filename="y.xlsx",
        state=ImportJob.State.RUNNING,
        started_at=timezone.now(),
    )
    monkeypatch.setattr(services, "INLINE_LIMIT", 10)
    services.import_job_start(user=officer, upload=SimpleUploadedFile("ds.xlsx", workbook([row(1)])))
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.state == ImportJob.State.FAILED and fresh.state == ImportJob.State.RUNNING


@pytest.mark.django_db
def test_a_job_nobody_picks_up_is_shown(officer, client, monkeypatch):
    class Nobody:  # the worker is not running: the task is queued and stays so
        @staticmethod
        def enqueue(**kwargs):
            return None

    monkeypatch.setattr(services, "run_import_job", Nobody)
    monkeypatch.setattr(services, "INLINE_LIMIT", 10)
    job = services.import_job_start(user=officer, upload=SimpleUploadedFile("ds.xlsx", workbook([row(1)])))
    assert job.state == ImportJob.State.QUEUED and services.job_progress(job)["waiting"] == ""
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=12))
    message = (
        "Đã 12 phút mà chưa có tiến trình nền nào nhận xử lý tệp này: tiến trình nền có thể đã dừng. Hãy báo "
        "quản trị hệ thống; tệp sẽ được xử lý ngay khi tiến trình nền chạy lại."
    )
    client.force_login(officer)
    assert client.get(f"/imports/{job.pk}/progress.json").json()["waiting"] == message
    assert message in client.get(f"/imports/{job.pk}/").content.decode()
