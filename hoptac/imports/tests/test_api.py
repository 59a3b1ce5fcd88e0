"""The import through the REST API: check (dry run), read the outcome, download the annotated copy, import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.imports.models import ImportJob
from hoptac.imports.tests.test_pages import GOOD, workbook
from hoptac.registry.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def client_for(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    client.force_authenticate(user)
    return client


def upload(client, rows, name="ds.xlsx"):
    return client.post(
        "/api/v1/imports/", {"file": SimpleUploadedFile(name, workbook(rows))}, format="multipart"
    )


def test_check_read_annotate_and_import():
    officer = UserFactory(role=Role.PROVINCE)
    client = client_for(officer)
    checked = upload(client, [GOOD])
    assert checked.status_code == 201, checked.json()
    job = checked.json()
    assert job["state"] == "checked" and job["commit"] is False and job["counts"]["create"] == 1
    assert job["rows"][0]["action"] == "create" and job["rows"][0]["errors"] == []
    assert (
        job["header_row"] == 1
        and job["columns"][:2] == ["Mã số đăng ký", "Tên tổ chức"]
        and job["ignored"] == []
    )
    assert not Organisation.objects.filter(registration_code=GOOD[0]).exists()  # a check writes nothing
    assert client.get(f"/api/v1/imports/{job['id']}/").json()["state_label"] == "Đã kiểm tra"
    annotated = client.get(f"/api/v1/imports/{job['id']}/annotated/")
    assert annotated.status_code == 200 and load_workbook(io.BytesIO(annotated.content)).active.max_row >= 2
    imported = client.post(f"/api/v1/imports/{job['id']}/commit/")
    assert imported.status_code == 201 and imported.json()["state"] == "committed"
    created = Organisation.objects.get(registration_code=GOOD[0])
    assert created.history.get().history_user == officer
    again = client.post(f"/api/v1/imports/{imported.json()['id']}/commit/")
    assert again.status_code == 400 and again.json() == [
        "Chỉ tệp đã kiểm tra và không có dòng bị từ chối mới được nhập."
    ]
    assert [j["id"] for j in client.get("/api/v1/imports/").json()["results"]] == [
        imported.json()["id"],
        job["id"],
    ]


def test_refused_rows_are_explained_and_cannot_be_imported():
    client = client_for(UserFactory(role=Role.PROVINCE))
    bad = [GOOD[0], GOOD[1], "Công ty", *GOOD[3:]]
    job = upload(client, [bad]).json()
    assert job["state"] == "refused"
    assert job["rows"][0]["errors"] == [
        "Dòng 2 – cột Loại hình: 'Công ty' không thuộc các giá trị hợp lệ (xem trang Giá trị hợp lệ)"
    ]
    assert client.post(f"/api/v1/imports/{job['id']}/commit/").status_code == 400
    assert not Organisation.objects.filter(registration_code=GOOD[0]).exists()


def test_wrong_files_users_and_other_peoples_imports():
    officer = UserFactory(role=Role.PROVINCE)
    client = client_for(officer)
    wrong = client.post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("ds.pdf", b"%PDF-1.4")}, format="multipart"
    )
    assert wrong.status_code == 400 and wrong.json() == {
        "file": ["Tệp “ds.pdf” không được nhận: chỉ nhận tệp Excel (.xlsx), Excel 97–2003 (.xls), CSV."]
    }
    viewer = client_for(UserFactory(role=Role.VIEWER))
    assert upload(viewer, [GOOD]).status_code == 403
    job = upload(client, [GOOD]).json()
    other = client_for(UserFactory(role=Role.PROVINCE))
    assert other.get(f"/api/v1/imports/{job['id']}/").status_code == 404  # one's own imports only
    assert other.post(f"/api/v1/imports/{job['id']}/commit/").status_code == 404
    assert ImportJob.objects.count() == 1
    template = client.get("/api/v1/imports/template/")
    cells = [
        c
        for row in load_workbook(io.BytesIO(template.content))
        .worksheets[0]
        .iter_rows(max_row=6, values_only=True)
        for c in row
    ]
    assert template.status_code == 200 and "Mã số đăng ký" in cells
    assert APIClient().get("/api/v1/imports/").status_code in (401, 403)
