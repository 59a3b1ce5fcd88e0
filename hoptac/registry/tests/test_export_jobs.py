"""Exports of the registry (docs/decisions/0038-exports.md): the cells of the streamed export equal what the
list shows (headers, units, labels, control characters), and a list above the inline limit runs as a
background job end to end — the request, the job, the task worker (`manage.py db_worker`) writing the file,
the notification, the download by its owner only, the audit trail — on the pages and in the API."""

import datetime
import io
import os
import signal
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from hoptac.accounts.models import AuditEvent, AuditKind, Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.testing import response_content
from hoptac.notifications import export_jobs
from hoptac.notifications.models import Event, ExportJob, Notification
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.registry.tests.factories import hai_anh_and_giao_xuan

pytestmark = pytest.mark.django_db

EXPORT = reverse("registry:organisation_export")
YEARLY_EXPORT = reverse("registry:yearly_report_export")


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    hai_anh, giao_xuan = hai_anh_and_giao_xuan()
    Organisation.objects.filter(pk=hai_anh.pk).update(
        name="Hợp tác xã\x01 Hải Anh", charter_capital=Decimal("1250000000"), phone="0912\x0b345678"
    )
    YearlyReport.objects.create(organisation=hai_anh, year=2024, revenue=Decimal("1234567890"), workers=7)
    province = UserFactory(role=Role.PROVINCE)
    commune = UserFactory(role=Role.COMMUNE, areas=[hai_anh.commune_legacy])
    return {"hai_anh": hai_anh, "giao_xuan": giao_xuan, "province": province, "commune": commune}


def rows_of(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


@pytest.fixture
def run_worker(monkeypatch):
    """The task worker, as `manage.py db_worker` runs in production, until the queue is empty; in this process
    and on the test's connection (the worker's own hygiene would close it: it is inside the test's
    transaction), its signal handlers put back afterwards."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        handlers = {
            number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
        }
        try:
            call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)

    return run


def test_the_streamed_export_has_the_headers_units_labels_and_clean_text(client, world):
    client.force_login(world["province"])
    response = client.get(EXPORT, {"sort": "name"})
    assert response.status_code == 200 and response.streaming  # sent from its file, not built in memory
    rows = rows_of(response_content(response))
    headers = rows[2]
    assert headers[:4] == ("STT", "Tên", "Tên viết tắt", "Loại hình")
    assert [row[1] for row in rows[3:]] == ["Hợp tác xã Giao Xuân", "Hợp tác xã Hải Anh"]  # U+0001 dropped
    first = dict(zip(headers, rows[4], strict=True))
    assert first["Điện thoại"] == "0912345678"  # U+000B dropped
    assert first["Loại hình"] == "Hợp tác xã (HTX)" and first["Lĩnh vực"] == "Nông nghiệp"
    assert first["Vốn điều lệ (triệu đồng)"] == 1250 and first["Tình trạng pháp lý"] == "Đang hoạt động"
    assert first["Ngày thành lập"] == datetime.datetime(2015, 3, 1)
    years = rows_of(response_content(client.get(YEARLY_EXPORT)))
    year = dict(zip(years[2], years[3], strict=True))
    assert year["Doanh thu (triệu đồng)"] == pytest.approx(1234.56789)
    assert year["Người lao động"] == 7 and year["Có liên kết với doanh nghiệp"] == "Không"


def test_a_large_list_runs_in_the_background_and_only_its_owner_downloads_it(
    client, world, settings, django_capture_on_commit_callbacks, run_worker
):
    settings.EXPORT_INLINE_ROWS = 1  # the two organisations are "a large list"
    client.force_login(world["province"])
    offer = client.get(EXPORT, {"kind": "htx"})
    assert offer.status_code == 200 and not offer.has_header("Content-Disposition")
    assert "Chuẩn bị tệp" in offer.content.decode()
    assert not ExportJob.objects.exists()  # a GET writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(EXPORT + "?kind=htx")
    job = ExportJob.objects.get()
    assert started.status_code == 302 and started["Location"] == reverse(
        "notifications:export_job", args=[job.pk]
    )
    assert job.state == ExportJob.State.QUEUED and job.total == 2 and job.params == [["kind", "htx"]]
    page = client.get(started["Location"]).content.decode()
    assert "Đang chờ" in page and 'http-equiv="refresh"' in page
    assert client.get(reverse("notifications:export_download", args=[job.pk])).status_code == 404

    run_worker()

    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE and job.done == job.total == 2 and job.size > 0
    assert (export_jobs.export_directory() / job.file).is_file()
    notice = Notification.objects.unrestricted("test").get(recipient=world["province"])
    assert notice.event == Event.EXPORT_READY and notice.link == started["Location"]
    page = client.get(started["Location"]).content.decode()
    assert "Tải tệp về" in page and 'http-equiv="refresh"' not in page
    download = client.get(reverse("notifications:export_download", args=[job.pk]))
    assert download.status_code == 200 and download.streaming
    assert 'filename="hoptac-to-chuc-' in download["Content-Disposition"]
    names = [row[1] for row in rows_of(response_content(download))[3:]]
    assert sorted(names) == ["Hợp tác xã Giao Xuân", "Hợp tác xã Hải Anh"]
    audit = AuditEvent.objects.filter(kind=AuditKind.EXPORT).latest("pk")
    assert audit.user == world["province"]
    assert audit.detail == "registry:organisation_export (personal data)"

    # Someone else — another officer, even one who sees these organisations — gets a 404 for the page and file.
    other = UserFactory(role=Role.PROVINCE)
    client.force_login(other)
    assert client.get(started["Location"]).status_code == 404
    assert client.get(reverse("notifications:export_download", args=[job.pk])).status_code == 404


def test_the_background_file_holds_the_scope_of_the_person_who_asked(
    client, world, settings, django_capture_on_commit_callbacks, run_worker
):
    settings.EXPORT_INLINE_ROWS = 0
    client.force_login(world["commune"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(YEARLY_EXPORT + "?year=2024")
        client.post(EXPORT)
    run_worker()
    yearly, organisations = ExportJob.objects.order_by("pk")
    assert yearly.state == organisations.state == ExportJob.State.DONE
    _job, path = export_jobs.export_job_file(user=world["commune"], pk=organisations.pk)
    assert [row[1] for row in rows_of(path.read_bytes())[3:]] == ["Hợp tác xã Hải Anh"]
    _job, path = export_jobs.export_job_file(user=world["commune"], pk=yearly.pk)
    rows = rows_of(path.read_bytes())
    assert rows[1][0] == "Số liệu năm 2024; số tiền tính bằng triệu đồng." and len(rows) == 4


def test_the_api_queues_an_export_and_answers_its_state_then_the_file(
    world, django_capture_on_commit_callbacks, run_worker
):
    api = APIClient()
    api.force_authenticate(world["province"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post("/api/v1/organisations/export/?kind=htx&ordering=name")
    assert answer.status_code == 202
    job = answer.json()
    assert job["state"] == "queued" and job["total"] == 2 and job["download_url"] is None
    assert answer["Location"] == job["url"] and job["url"].endswith(f"/api/v1/exports/{job['id']}/")
    assert api.post("/api/v1/organisations/export/?founded_after=yesterday").status_code == 400

    run_worker()

    state = api.get(f"/api/v1/exports/{job['id']}/").json()
    assert state["state"] == "done" and state["done"] == 2
    assert [j["id"] for j in api.get("/api/v1/exports/").json()["results"]] == [job["id"]]
    download = api.get(state["download_url"])
    assert download.status_code == 200
    assert [row[1] for row in rows_of(response_content(download))[3:]] == [
        "Hợp tác xã Giao Xuân",
        "Hợp tác xã Hải Anh",
    ]
    stranger = APIClient()
    stranger.force_authenticate(UserFactory(role=Role.ADMIN))
    assert stranger.get(f"/api/v1/exports/{job['id']}/").status_code == 404
    assert stranger.get(f"/api/v1/exports/{job['id']}/download/").status_code == 404
    assert stranger.get("/api/v1/exports/").json()["results"] == []


def test_a_failed_export_says_so_and_old_exports_are_removed(world, settings):
    job = ExportJob.objects.create(
        user=world["province"], kind="no.such.export", label="x", filename="x.xlsx", total=1
    )
    export_jobs.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED and job.error
    # A job left running by a worker that died (no progress for STALE_MINUTES) is failed, and says why.
    lost = ExportJob.objects.create(
        user=world["province"], kind="registry.organisations", label="x", filename="y.xlsx", total=1
    )
    ExportJob.objects.filter(pk=lost.pk).update(state=ExportJob.State.RUNNING, updated_at=lost.created_at)
    export_jobs.export_jobs_clean(
        now=lost.created_at + datetime.timedelta(minutes=export_jobs.STALE_MINUTES - 1)
    )
    assert ExportJob.objects.get(pk=lost.pk).state == ExportJob.State.RUNNING
    export_jobs.export_jobs_clean(
        now=lost.created_at + datetime.timedelta(minutes=export_jobs.STALE_MINUTES + 1)
    )
    lost.refresh_from_db()
    assert lost.state == ExportJob.State.FAILED and "dừng giữa chừng" in lost.error
    lost.delete()
    done = export_jobs.export_job_start(user=world["province"], kind="registry.organisations", params=[])
    export_jobs.export_job_run(job_id=done.pk)
    done.refresh_from_db()
    path = export_jobs.export_directory() / done.file
    assert path.is_file()
    assert export_jobs.export_jobs_clean(now=done.created_at + datetime.timedelta(days=6)) == 0
    later = done.created_at + datetime.timedelta(days=settings.EXPORT_KEEP_DAYS, minutes=1)
    assert export_jobs.export_jobs_clean(now=later) == 2
    assert not path.exists() and not ExportJob.objects.exists()
    stray = export_jobs.export_directory() / ".1-x.xlsx.partial"  # a worker killed while writing
    stray.write_bytes(b"x")
    call_command("clean_exports", days=1, stdout=io.StringIO())
    assert stray.exists()  # written just now: it may be a file being written
    os.utime(stray, (0, 0))
    out = io.StringIO()
    call_command("clean_exports", days=1, stdout=out)
    assert not stray.exists() and "0 export(s) removed" in out.getvalue()
