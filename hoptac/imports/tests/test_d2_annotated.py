"""The annotated copy (engineer d2): the faulty cells are marked (fill and a comment with the reason), the row's
errors are listed in a summary column, cells without fault are left as they were."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.workbooks import REFUSED_FILL
from hoptac.imports.models import ImportJob

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã số đăng ký",
    "Tên tổ chức",
    "Loại hình",
    "Ngày thành lập",
    "Xã/phường",
    "Huyện",
    "Lĩnh vực",
    "Vốn điều lệ (đồng)",
]
GOOD = [
    "0607990001",
    "HTX Tốt",
    "HTX",
    "13/10/2020",
    "Xã Hải Minh",
    "Huyện Hải Hậu",
    "Nông nghiệp",
    "100.000.000",
]
BAD = ["0607990002", "HTX Lỗi", "Công ty", "13/10/2099", "Xã Hải Minh", "Huyện Hải Hậu", "Nông nghiệp", "-1"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, rows, name="ds.xlsx", csv=False):
    if csv:
        content = "\n".join(";".join(str(c) for c in r) for r in [HEADER, *rows]).encode("utf-8")
    else:
        book = Workbook()
        for r in [HEADER, *rows]:
            book.active.append(r)
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    client.post("/imports/", {"file": SimpleUploadedFile(name, content)})
    job = ImportJob.objects.latest("pk")
    return load_workbook(io.BytesIO(client.get(f"/imports/{job.pk}/annotated.xlsx").content)).active


@pytest.mark.parametrize("csv", [False, True])
def test_faulty_cells_are_marked_with_their_reason(client, csv):
    client.force_login(UserFactory(role=Role.PROVINCE))
    sheet = upload(client, [GOOD, BAD], name="ds.csv" if csv else "ds.xlsx", csv=csv)
    red = REFUSED_FILL.fgColor.rgb
    kind, founded, capital = sheet.cell(3, 3), sheet.cell(3, 4), sheet.cell(3, 8)
    assert (
        kind.fill.fgColor.rgb == red and founded.fill.fgColor.rgb == red and capital.fill.fgColor.rgb == red
    )
    assert kind.comment.text == "'Công ty' không thuộc các giá trị hợp lệ (xem trang Giá trị hợp lệ)"
    assert founded.comment.text == "ngày 13/10/2099 ở tương lai"
    assert capital.comment.text == "số tiền không được âm (-1)"
    for column in (1, 2, 5, 6, 7):  # the row's good cells are left alone
        assert sheet.cell(3, column).comment is None and sheet.cell(3, column).fill.fgColor.rgb != red
    assert all(sheet.cell(2, c).comment is None for c in range(1, 9))  # so is the good row
    assert sheet.cell(1, 9).value == "Kết quả kiểm tra"
    assert sheet.cell(3, 9).value.split("\n") == [
        "Dòng 3 – cột Loại hình: 'Công ty' không thuộc các giá trị hợp lệ (xem trang Giá trị hợp lệ)",
        "Dòng 3 – cột Ngày thành lập: ngày 13/10/2099 ở tương lai",
        "Dòng 3 – cột Vốn điều lệ (đồng): số tiền không được âm (-1)",
    ]
    assert sheet.cell(2, 9).value.startswith("Sẽ tạo mới")


def test_a_fault_without_a_cell_is_in_the_summary_only(client):
    client.force_login(UserFactory(role=Role.PROVINCE))
    header_without_year = HEADER  # no year column, yet a yearly figure: the year is missing from the row
    book = Workbook()
    book.active.append([*header_without_year, "Lao động"])
    book.active.append([*GOOD, 5])
    out = io.BytesIO()
    book.save(out)
    client.post("/imports/", {"file": SimpleUploadedFile("ds.xlsx", out.getvalue())})
    job = ImportJob.objects.latest("pk")
    sheet = load_workbook(io.BytesIO(client.get(f"/imports/{job.pk}/annotated.xlsx").content)).active
    assert all(sheet.cell(2, c).comment is None for c in range(1, 10))
    assert sheet.cell(2, 10).value == (
        "Dòng 2 – cột Năm số liệu: dòng có số liệu năm nhưng không ghi năm: hãy ghi năm của số liệu"
    )
