"""Fuzz (engineer d2): random headers, cells, file formats and text encodings, through the importer's public
entry point, the upload page and the API, never cause a server error, a traceback or a partial write. Bounded
(40 examples in all) to stay well under 40 s."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.imports.importer import COLUMNS, ImportRefused, import_registry
from hoptac.imports.models import ImportJob
from hoptac.registry.models import Organisation, StatusChange, YearlyReport

pytestmark = pytest.mark.django_db
FUZZ = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

HEADERS = st.one_of(
    st.sampled_from([c.header for c in COLUMNS]),
    st.sampled_from([a for c in COLUMNS for a in c.aliases]),
    st.sampled_from(["Vốn điều lệ (triệu đồng)", "Địa chỉ (xã, huyện)", "Tình trạng", "STT", "Ghi chú", ""]),
    st.text(max_size=15),
)
CELLS = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.sampled_from(
        ["0607980001", "HTX", "Nông nghiệp", "Xã Hải Minh", "Huyện Hải Hậu", "Tổng cộng", "=SUM(A1)"]
    ),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**18, min_value=-(10**18)).map(
        str
    ),
    st.dates(min_value=datetime.date(1800, 1, 1), max_value=datetime.date(2200, 1, 1)),
    st.booleans(),
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1258", "cp1252", "latin-1"]


@st.composite
def files(draw):
    width = draw(st.integers(1, 8))
    header = draw(st.lists(HEADERS, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(CELLS, min_size=0, max_size=width + 1), max_size=5))
    title = draw(st.lists(st.lists(CELLS, max_size=3), max_size=2))
    fmt = draw(st.sampled_from(["xlsx", "csv"]))
    table = [*title, header, *rows]
    if fmt == "xlsx":
        book = Workbook()
        for cells in table:
            book.active.append([_xlsx_safe(c) for c in cells])
        out = io.BytesIO()
        book.save(out)
        return "ds.xlsx", out.getvalue()
    encoding = draw(st.sampled_from(ENCODINGS))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(
        [["" if c is None else c for c in cells] for cells in table]
    )
    return "ds.csv", text.getvalue().encode(encoding, errors="replace")


def _xlsx_safe(value):
    if isinstance(value, str):  # openpyxl refuses control characters; a real file cannot hold them either
        return "".join(ch for ch in value if ch.isprintable() or ch in "\n\t")
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return str(value)
    if isinstance(value, int) and abs(value) > 10**15:
        return str(value)
    return value


def counts():
    return (Organisation.objects.count(), StatusChange.objects.count(), YearlyReport.objects.count())


@pytest.fixture
def officer():
    return UserFactory(role=Role.PROVINCE)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@settings(FUZZ, max_examples=30)
@given(files())
def test_importer_never_crashes_nor_writes_partially(officer, named_file):
    filename, content = named_file
    before = counts()
    try:
        result = import_registry(user=officer, content=content, filename=filename, commit=True)
    except (ImportRefused, ValidationError):
        assert counts() == before  # refused: nothing at all
    else:
        assert result.committed and not result.errors
        created = result.count("create")
        assert counts()[0] == before[0] + created  # all its rows, no more
        Organisation.objects.all().delete()


@settings(FUZZ, max_examples=10)
@given(files())
def test_upload_page_and_api_answer_without_server_error(officer, client, named_file):
    """The test client raises any exception a view lets through, so a traceback fails the test; a job never
    ends in an "unexpected error" (a bug), and nothing is written by a check."""
    filename, content = named_file
    client.force_login(officer)
    before = counts()
    page = client.post("/imports/", {"file": SimpleUploadedFile(filename, content)})
    api = client.post("/api/v1/imports/", {"file": SimpleUploadedFile(filename, content)})
    assert page.status_code in (200, 302) and api.status_code in (201, 400)
    for job in ImportJob.objects.all():
        assert job.state in ("checked", "refused", "failed")
        assert "Lỗi không mong đợi" not in job.error and "Unexpected error" not in job.error, job.error
        if job.state == "checked":
            assert client.post(f"/imports/{job.pk}/").status_code == 302
            assert client.get(f"/imports/{job.pk}/annotated.xlsx").status_code == 200
        elif job.result:
            assert client.get(f"/imports/{job.pk}/annotated.xlsx").status_code == 200
    if not ImportJob.objects.filter(commit=True).exists():
        assert counts() == before
    ImportJob.objects.all().delete()
    Organisation.objects.all().delete()
