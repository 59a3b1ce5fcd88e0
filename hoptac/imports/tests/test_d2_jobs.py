"""Import jobs (engineer d2): a checked file is imported once, a database lock is retried then failed with the
reason, a dead worker's job is failed on the next status check or worker start and can be started again,
a job nobody picks up is shown, and nothing partial is ever written."""

import datetime
import io
import os
import sqlite3
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.utils import timezone, translation
from openpyxl import Workbook

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
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
def map_loaded(django_db_blocker):
    """A transactional test flushes the database when it ends, the administrative map included (conftest loads
    it once per session): have the map at its start, and load it again for the tests that follow."""
    from hoptac.areas.models import AdminUnit
    from hoptac.areas.services import admin_units_load

    if not AdminUnit.objects.exists():
        admin_units_load(province_codes=["37"])
    yield
    with django_db_blocker.unblock():
        if not AdminUnit.objects.exists():
            admin_units_load(province_codes=["37"])


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


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_commits_one_wins(map_loaded, officer):
    """Two threads, two connections, one checked file: one import, the other refused (PostgreSQL: the row lock
    of the conditional UPDATE; SQLite: its single writer)."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "threads need a database with real concurrent connections (run with DATABASE_URL=postgres)"
        )
    source = checked(officer)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def commit():
        from django.db import connection as own

        try:
            copy = ImportJob.objects.get(pk=source.pk)
            barrier.wait()
            services.import_job_start(user=officer, source=copy, commit=True)
            outcomes.append("imported")
        except ValidationError:
            outcomes.append("refused")
        finally:
            own.close()

    threads = [threading.Thread(target=commit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["imported", "refused"]
    assert Organisation.objects.filter(registration_code__startswith="06079700").count() == 2


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


@pytest.mark.django_db(transaction=True)
def test_a_write_lock_held_by_another_connection_leaves_nothing(map_loaded, officer, monkeypatch):
    """Another connection holds the write lock while the import writes: the import is retried, then failed
    with the reason; nothing of it is in the database; once the lock is gone it is started again and works."""
    if connection.vendor != "sqlite":
        pytest.skip("the lock is taken through a second SQLite connection")
    source = checked(officer)
    name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name() if connection.is_in_memory_db() else name
    other = sqlite3.connect(str(test_name), uri=True, timeout=0.1, check_same_thread=False)
    real_import = services.import_registry
    attempts: list[int] = []

    def import_under_lock(**kwargs):
        attempts.append(1)
        heard = kwargs["progress"]

        def progress(done, total, stage):
            if stage == "write" and len(attempts) == 1:  # all rows checked; the other connection writes first
                other.execute("BEGIN IMMEDIATE")
                other.execute("DELETE FROM registry_yearlyreport WHERE id = -1")  # organisations go in first
            heard(done, total, stage)

        try:
            return real_import(**{**kwargs, "progress": progress})
        finally:
            if len(attempts) == 3:  # it holds the lock through every retry
                other.rollback()

    monkeypatch.setattr(services, "import_registry", import_under_lock)
    try:
        job = services.import_job_start(user=officer, source=source, commit=True)
    finally:
        other.close()
    monkeypatch.setattr(services, "import_registry", real_import)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.attempts == 3, job.error
    assert job.error.startswith("Cơ sở dữ liệu đang bận (bị một tác vụ khác khóa), đã thử nhập 3 lần")
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
