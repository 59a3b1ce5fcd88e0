"""The yearly report through the API (GET /api/v1/plans/{id}/annual-report/, served by the reports API): the
same files as the page, for provincial officers and administrators, with 400s in Vietnamese."""

import io
import zipfile

import openpyxl
import pytest
from django.utils import timezone
from docx import Document
from rest_framework.test import APIClient

from hoptac.plans.tests.test_views import plan, registry, users  # noqa: F401 — fixtures

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _book(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def _annual_url(plan, query: str) -> str:  # noqa: F811
    return f"/api/v1/plans/{plan.pk}/annual-report/?{query}"


def test_annual_report_is_the_pages_zip(plan, registry, users):  # noqa: F811
    response = api(users["province"]).get(
        _annual_url(plan, "year=2024&number=12/BC-UBND&signer_name=Trần Văn Bình")
    )
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="bao-cao-{plan.code}-2024.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["docx", "xlsx"]
    docx_name = next(n for n in names if n.endswith(".docx"))
    document = Document(io.BytesIO(archive.read(docx_name)))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "2024" in text and "12/BC-UBND" in text and "Trần Văn Bình" in text
    book = _book(archive.read(next(n for n in names if n.endswith(".xlsx"))))
    assert book.sheetnames


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_annual_report_one_file(plan, registry, users, kind):  # noqa: F811
    response = api(users["province"]).get(_annual_url(plan, f"year=2024&format={kind}"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Content-Disposition"].endswith(f'.{kind}"')
    assert response.content[:2] == b"PK"  # .docx and .xlsx are zip packages


@pytest.mark.parametrize("role", ["commune", "viewer", "representative"])
def test_annual_report_is_for_provincial_officers(plan, registry, users, role):  # noqa: F811
    response = api(users[role]).get(_annual_url(plan, "year=2024"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Chỉ cán bộ cấp tỉnh và quản trị hệ thống được tạo báo cáo năm."
    assert APIClient().get(_annual_url(plan, "year=2024")).status_code in (401, 403)


def test_annual_report_year_outside_the_plan_is_refused_in_vietnamese(plan, users):  # noqa: F811
    client = api(users["province"])
    this_year = timezone.localdate().year
    for year in (1999, plan.baseline_year - 1, this_year + 1):
        response = client.get(_annual_url(plan, f"year={year}"))
        assert response.status_code == 400
        assert response.json() == {
            "year": [
                f"Báo cáo năm của kế hoạch này chỉ lập cho các năm từ {plan.baseline_year} đến {this_year}."
            ]
        }
    assert client.get(_annual_url(plan, "")).json() == {"year": ["Nhập năm bằng số, ví dụ 2024."]}
    assert client.get(_annual_url(plan, "year=2024&format=pdf")).json() == {
        "format": ["Dùng zip, docx hoặc xlsx."]
    }
    assert client.get("/api/v1/plans/999999/annual-report/?year=2024").status_code == 404
