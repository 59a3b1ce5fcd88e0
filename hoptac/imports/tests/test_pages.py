import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.imports import services
from hoptac.imports.models import ImportJob
from hoptac.registry.models import Organisation

pytestmark = pytest.mark.django_db
HEADER = ["Mã số đăng ký", "Tên tổ chức", "Loại hình", "Ngày thành lập", "Xã/phường", "Huyện", "Lĩnh vực"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def workbook(rows) -> bytes:
    book = Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    "0607100001",
    "Hợp tác xã Nông nghiệp Hải Minh",
    "HTX",
    "13/10/2020",
    "Xã Hải Minh",
    "Huyện Hải Hậu",
    "Nông nghiệp",
]
BAD = ["0607100002", "HTX Lỗi", "Công ty", "13/10/2020", "Xã Hải Minh", "Huyện Hải Hậu", "Nông nghiệp"]


def test_upload_check_then_import(client):
    officer = UserFactory(role=Role.PROVINCE)
    client.force_login(officer)
    page = client.get("/imports/")
    assert "Nhập từ Excel" in page.content.decode()
    upload = SimpleUploadedFile("ds.xlsx", workbook([GOOD]))
    response = client.post("/imports/", {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.state == ImportJob.State.CHECKED
    html = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Hợp tác xã Nông nghiệp Hải Minh" in html and 'id="commit-import"' in html
    assert not Organisation.objects.filter(registration_code="0607100001").exists()
    response = client.post(f"/imports/{job.pk}/")
    committed = ImportJob.objects.latest("pk")
    assert committed.state == ImportJob.State.COMMITTED and committed.commit
    assert Organisation.objects.filter(registration_code="0607100001").exists()


def test_refused_rows_and_the_annotated_copy(client):
    officer = UserFactory(role=Role.PROVINCE)
    client.force_login(officer)
    client.post("/imports/", {"file": SimpleUploadedFile("ds.xlsx", workbook([GOOD, BAD]))})
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.REFUSED
    html = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Dòng 3 – cột Loại hình" in html and 'id="commit-import"' not in html
    assert client.post(f"/imports/{job.pk}/").status_code == 404
    annotated = load_workbook(io.BytesIO(client.get(f"/imports/{job.pk}/annotated.xlsx").content)).active
    assert annotated.cell(row=1, column=8).value == "Kết quả kiểm tra"
    assert annotated.cell(row=3, column=8).value.startswith("Dòng 3 – cột Loại hình")
    assert "tạo mới" in annotated.cell(row=2, column=8).value.lower()


def test_large_files_run_in_the_background(client, monkeypatch):
    monkeypatch.setattr(services, "INLINE_LIMIT", 10)
    queued = []

    class Recorder:
        @staticmethod
        def enqueue(**kwargs):
            queued.append(kwargs)

    monkeypatch.setattr(services, "run_import_job", Recorder)
    officer = UserFactory(role=Role.PROVINCE)
    client.force_login(officer)
    client.post("/imports/", {"file": SimpleUploadedFile("ds.xlsx", workbook([GOOD]))})
    job = ImportJob.objects.get()
    assert queued == [{"job_id": job.pk}] and job.state == ImportJob.State.QUEUED
    html = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'id="progress"' in html
    progress = client.get(f"/imports/{job.pk}/progress.json").json()
    assert progress["state"] == "queued" and progress["state_label"] == "Đang chờ"
    # While the worker writes, the page says so (the progress file is the worker's).
    progress_file = services._progress_path(job)
    progress_file.parent.mkdir(parents=True, exist_ok=True)
    progress_file.write_text('{"done": 1, "total": 1, "stage": "write"}')
    html = client.get(f"/imports/{job.pk}/").content.decode()
    assert "1 / 1 đã kiểm tra xong mọi dòng; đang ghi vào cơ sở dữ liệu…" in html
    assert client.get(f"/imports/{job.pk}/progress.json").json()["stage"] == "write"
    progress_file.unlink()
    # The worker's task (django-tasks; the immediate backend in tests) finishes the job.
    monkeypatch.undo()
    services.run_import_job.enqueue(job_id=job.pk)
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED and job.result["counts"]["create"] == 1


def test_wrong_files_and_other_users(client):
    officer = UserFactory(role=Role.PROVINCE)
    client.force_login(officer)
    response = client.post("/imports/", {"file": SimpleUploadedFile("ds.pdf", b"%PDF-1.4")})
    assert (
        "Tệp “ds.pdf” không được nhận: chỉ nhận tệp Excel (.xlsx), Excel 97–2003 (.xls), CSV."
        in response.content.decode()
    )
    # The content is checked on upload (core/uploads.py): a file that is not a workbook makes no import job.
    response = client.post("/imports/", {"file": SimpleUploadedFile("ds.xlsx", b"not a workbook")})
    assert (
        "Tệp “ds.xlsx” không được nhận: nội dung không phải tệp Excel (.xlsx)." in response.content.decode()
    )
    assert not ImportJob.objects.exists()
    # An archive that passes the upload check but is no readable workbook: the job fails.
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("xl/workbook.xml", "not a workbook")
    client.post("/imports/", {"file": SimpleUploadedFile("ds.xlsx", broken.getvalue())})
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.FAILED
    client.force_login(UserFactory(role=Role.PROVINCE))
    assert client.get(f"/imports/{job.pk}/").status_code == 404
    client.force_login(UserFactory(role=Role.VIEWER))
    response = client.post("/imports/", {"file": SimpleUploadedFile("ds.xlsx", workbook([GOOD]))})
    assert response.status_code == 403


def test_template_has_headers_and_allowed_values(client):
    client.force_login(UserFactory(role=Role.COMMUNE))
    book = load_workbook(io.BytesIO(client.get("/imports/template.xlsx").content))
    assert book.sheetnames == ["Danh sách", "Giá trị hợp lệ", "Xã phường"]
    assert book["Danh sách"]["B1"].value == "Tên tổ chức"
    assert "Hợp tác xã (HTX)" in [c.value for c in book["Giá trị hợp lệ"]["A"]]
