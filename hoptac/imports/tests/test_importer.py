"""Importing the Excel/CSV lists officials keep: real-world variants, errors named by row and column,
all-or-nothing commits, scope."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import legacy_commune
from hoptac.imports.importer import ImportRefused, import_registry, parse_date, parse_number
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def xlsx(rows, title_rows=0, merge_title=False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for i in range(title_rows):
        sheet.append(["DANH SÁCH HỢP TÁC XÃ NĂM 2024" if i == 0 else ""])
    if merge_title and title_rows:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


HEADER = [
    "Mã số đăng ký",
    "Tên tổ chức",
    "Loại hình",
    "Ngày thành lập",
    "Xã/phường",
    "Huyện",
    "Lĩnh vực",
    "Năm số liệu",
    "Doanh thu (đồng)",
    "Tham gia chuỗi giá trị",
]


@pytest.fixture
def officer():
    return UserFactory(role=Role.PROVINCE)


def test_parsers_read_vietnamese_and_excel_forms():
    assert parse_number("1.234.567") == Decimal(1234567)
    assert parse_number("1.234.567,5") == Decimal("1234567.5")
    assert parse_number("12,5") == Decimal("12.5")
    assert parse_number("1,234,567") == Decimal(1234567)
    assert parse_number("2.500.000 đ") == Decimal(2500000)
    assert parse_date("13/10/2022") == datetime.date(2022, 10, 13)
    assert parse_date(datetime.datetime(2022, 10, 13, 0, 0)) == datetime.date(2022, 10, 13)
    assert parse_date(44847) == datetime.date(2022, 10, 13)  # an Excel serial number


def test_dry_run_then_commit_creates_and_updates(officer):
    existing = OrganisationFactory(
        registration_code="0607000001",
        name="HTX cũ",
        commune_legacy=legacy_commune("Xã Hải Minh", "Huyện Hải Hậu"),
    )
    content = xlsx(
        [
            # header without diacritics and in other words, under two title rows with a merged cell
            [
                "Ma so HTX",
                "Ten HTX",
                "Loai hinh",
                "Ngay thanh lap",
                "Xa",
                "Huyen",
                "Linh vuc",
                "Nam",
                "Doanh thu",
                "Chuoi gia tri",
            ],
            [
                "0607000001",
                "HTX Dịch vụ nông nghiệp Hải Minh",
                "HTX",
                "01/02/2015",
                "Hải Minh",
                "Hải Hậu",
                "Nông nghiệp",
                2024,
                "1.500.000.000",
                "Có",
            ],
            [
                "0607000002",
                "Hợp tác xã Muối Văn Lý",
                "Hợp tác xã",
                datetime.datetime(2018, 5, 4),
                "Xã Hải Đông",
                "Huyện Hải Hậu",
                "nong nghiep",
                2024,
                350000000,
                "không",
            ],
        ],
        title_rows=2,
        merge_title=True,
    )
    preview = import_registry(user=officer, content=content, filename="ds.xlsx", commit=False)
    assert [r.action for r in preview.rows] == ["update", "create"] and not preview.errors
    assert preview.header_row == 3
    assert ("Tên", "HTX cũ", "HTX Dịch vụ nông nghiệp Hải Minh") in [
        (str(f), o, n) for f, o, n in preview.rows[0].changes
    ] or any(o == "HTX cũ" for _f, o, _n in preview.rows[0].changes)
    assert not Organisation.objects.filter(registration_code="0607000002").exists()  # dry run wrote nothing

    result = import_registry(user=officer, content=content, filename="ds.xlsx", commit=True)
    assert result.committed
    existing.refresh_from_db()
    assert existing.name == "HTX Dịch vụ nông nghiệp Hải Minh"
    created = Organisation.objects.get(registration_code="0607000002")
    assert created.founding_date == datetime.date(2018, 5, 4) and created.commune_legacy.name == "Xã Hải Đông"
    assert YearlyReport.objects.get(organisation=existing, year=2024).revenue == 1_500_000_000
    assert created.history.first().history_user == officer


def test_errors_name_row_and_column_and_nothing_is_written(officer):
    content = xlsx(
        [
            HEADER,
            [
                "0607000010",
                "HTX Tốt",
                "HTX",
                "13/10/2022",
                "Xã Hải Minh",
                "Huyện Hải Hậu",
                "Nông nghiệp",
                2024,
                "1.000",
                "Có",
            ],
            [
                "0607000011",
                "HTX Lỗi",
                "Công ty",
                "32/13/2022",
                "Xã Không Có",
                "",
                "Nông nghiệp",
                2024,
                "abc",
                "Có",
            ],
        ]
    )
    with translation.override("vi"):
        preview = import_registry(user=officer, content=content, filename="x.xlsx", commit=False)
        errors = preview.rows[1].errors
        assert "Dòng 3 – cột Loại hình: " in errors[0]
        assert any(e.startswith("Dòng 3 – cột Ngày thành lập:") for e in errors)
        assert any(e.startswith("Dòng 3 – cột Doanh thu (đồng):") for e in errors)
        with pytest.raises(ImportRefused):
            import_registry(user=officer, content=content, filename="x.xlsx", commit=True)
    assert not Organisation.objects.filter(registration_code__in=["0607000010", "0607000011"]).exists()


def test_rows_outside_the_officers_communes_are_refused(officer):
    commune_officer = UserFactory(role=Role.COMMUNE, areas=[legacy_commune("Xã Hải Minh", "Huyện Hải Hậu")])
    OrganisationFactory(
        registration_code="0607000020", commune_legacy=legacy_commune("Xã Giao Xuân", "Huyện Giao Thủy")
    )
    content = xlsx(
        [
            HEADER,
            [
                "0607000020",
                "Đổi tên",
                "HTX",
                "13/10/2012",
                "Xã Giao Xuân",
                "Huyện Giao Thủy",
                "Nông nghiệp",
                "",
                "",
                "",
            ],
            [
                "0607000021",
                "HTX mới ngoài xã",
                "HTX",
                "13/10/2022",
                "Xã Giao Xuân",
                "Huyện Giao Thủy",
                "Nông nghiệp",
                "",
                "",
                "",
            ],
        ]
    )
    preview = import_registry(user=commune_officer, content=content, filename="x.xlsx", commit=False)
    assert [r.action for r in preview.rows] == ["error", "error"]
    assert Organisation.objects.get(registration_code="0607000020").name != "Đổi tên"


def test_csv_with_semicolons_and_command(officer, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text(
        "Mã số đăng ký;Tên tổ chức;Loại hình;Ngày thành lập;Xã/phường;Huyện;Lĩnh vực;Ghi chú\n"
        "0607000030;Tổ hợp tác chăn nuôi Đồng Tâm;THT;05/06/2023;Xã Hải Minh;Huyện Hải Hậu;Nông nghiệp;mới\n",
        encoding="utf-8-sig",
    )
    out = io.StringIO()
    call_command("import_registry", str(path), "--dry-run", "--user", officer.username, stdout=out)
    assert "Các cột không nhận ra, không được đọc: Ghi chú." in out.getvalue()
    assert "Sẽ tạo 1, cập nhật 0" in out.getvalue()
    assert not Organisation.objects.filter(registration_code="0607000030").exists()
    call_command("import_registry", str(path), "--user", officer.username)
    assert Organisation.objects.get(registration_code="0607000030").kind == "tht"
    bad = tmp_path / "bad.csv"
    bad.write_text("Tên tổ chức;Loại hình\nA;Công ty\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_registry", str(bad), "--user", officer.username)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
            st.integers(-(10**6), 10**12),
            st.floats(allow_nan=False),
            st.dates().map(lambda d: datetime.datetime(d.year, d.month, d.day)),
        ),
        min_size=len(HEADER),
        max_size=len(HEADER),
    )
)
def test_random_cells_never_crash_nor_write_partially(officer, cells):
    before = Organisation.objects.count()
    content = xlsx(
        [
            HEADER,
            [
                "0607999999",
                "HTX Thử",
                "HTX",
                "13/10/2022",
                "Xã Hải Minh",
                "Huyện Hải Hậu",
                "Nông nghiệp",
                2024,
                1,
                "Có",
            ],
            cells,
        ]
    )
    try:
        result = import_registry(user=officer, content=content, filename="f.xlsx", commit=True)
    except ImportRefused:
        assert Organisation.objects.count() == before
    else:
        assert result.committed
        Organisation.objects.filter(registration_code="0607999999").delete()


def test_communes_whose_names_differ_only_by_accents(officer):
    content = xlsx(
        [
            HEADER,
            [
                "0607000040",
                "HTX Trực Hùng",
                "HTX",
                "13/10/2022",
                "Xã Trực Hùng",
                "Huyện Trực Ninh",
                "Nông nghiệp",
                "",
                "",
                "",
            ],
            [
                "0607000041",
                "HTX Trực Hưng",
                "HTX",
                "13/10/2022",
                "Xã Trực Hưng",
                "Huyện Trực Ninh",
                "Nông nghiệp",
                "",
                "",
                "",
            ],
        ]
    )
    result = import_registry(user=officer, content=content, filename="x.xlsx", commit=True)
    assert result.committed
    assert Organisation.objects.get(registration_code="0607000040").commune_legacy.name == "Xã Trực Hùng"
    assert Organisation.objects.get(registration_code="0607000041").commune_legacy.name == "Xã Trực Hưng"


def _rows(n: int, start: int = 0) -> list[list]:
    return [
        [
            f"06079{i:05d}",
            f"HTX thử số {i}",
            "HTX",
            "13/10/2020",
            "Xã Hải Minh",
            "Huyện Hải Hậu",
            "Nông nghiệp",
            2024,
            "1.000.000",
            "Có",
        ]
        for i in range(start, start + n)
    ]


def test_checking_rows_takes_the_same_queries_for_5_or_50_rows(officer, django_assert_max_num_queries):
    """Rows are checked in memory from a few queries, never one query (or more) per row."""
    OrganisationFactory(
        registration_code="0607900001", registration_date=None
    )  # an update among the creations
    small, large = xlsx([HEADER, *_rows(5)]), xlsx([HEADER, *_rows(50)])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        import_registry(user=officer, content=small, filename="x.xlsx", commit=False)
    with django_assert_max_num_queries(len(queries)):
        preview = import_registry(user=officer, content=large, filename="x.xlsx", commit=False)
    assert preview.count("create") == 49 and preview.count("update") == 1, preview.errors


def test_commit_writes_history_for_every_row_with_the_importing_user(officer):
    existing = OrganisationFactory(registration_code="0607900000", name="Tên cũ", registration_date=None)
    result = import_registry(user=officer, content=xlsx([HEADER, *_rows(3)]), filename="x.xlsx", commit=True)
    assert [r.action for r in result.rows] == ["update", "create", "create"]
    created = Organisation.objects.get(registration_code="0607900002")
    assert created.name_folded == "htx thu so 2" and created.name_sort  # derived columns filled in bulk
    assert created.current_status == "active" and created.commune_current is not None
    assert created.history.get().history_type == "+" and created.history.get().history_user == officer
    status = created.status_changes.get()
    assert (
        status.effective_from == datetime.date(2020, 10, 13) and status.history.get().history_user == officer
    )
    report = YearlyReport.objects.get(organisation=created, year=2024)
    assert report.revenue == 1_000_000 and report.in_value_chain
    assert report.history.get().history_user == officer
    existing.refresh_from_db()
    assert existing.name == "HTX thử số 0"
    latest = existing.history.first()
    assert latest.history_type == "~" and latest.history_user == officer and latest.name == "HTX thử số 0"
    assert Organisation.objects.search("htx thu so 2").get() == created


def test_a_failure_while_writing_leaves_the_database_as_it_was(officer, monkeypatch):
    from hoptac.imports import importer

    real = importer.insert_with_history

    def fail_on_yearly(objs, model, **kwargs):
        if model is YearlyReport:
            raise RuntimeError("disk full")
        return real(objs, model, **kwargs)

    monkeypatch.setattr(importer, "insert_with_history", fail_on_yearly)
    before = Organisation.objects.count()
    with pytest.raises(RuntimeError):
        import_registry(user=officer, content=xlsx([HEADER, *_rows(4)]), filename="x.xlsx", commit=True)
    assert Organisation.objects.count() == before
    assert not Organisation.history.filter(registration_code__startswith="06079").exists()


def test_accepted_years_are_locked_against_imports(officer):
    from hoptac.registry.models import YearlyReportState
    from hoptac.registry.tests.factories import YearlyReportFactory

    organisation = OrganisationFactory(registration_code="0607900000", registration_date=None)
    YearlyReportFactory(organisation=organisation, year=2024, state=YearlyReportState.ACCEPTED)
    with translation.override("vi"):
        preview = import_registry(
            user=officer, content=xlsx([HEADER, *_rows(1)]), filename="x.xlsx", commit=False
        )
    assert preview.rows[0].action == "error"
    assert preview.errors[0].startswith("Dòng 2 – cột Năm số liệu: ")
    assert "khóa" in preview.errors[0] or "khoá" in preview.errors[0]


def test_same_code_twice_in_a_file_is_refused(officer):
    rows = _rows(2)
    rows[1][0] = rows[0][0]
    with translation.override("vi"):
        preview = import_registry(
            user=officer, content=xlsx([HEADER, *rows]), filename="x.xlsx", commit=False
        )
    assert [r.action for r in preview.rows] == ["create", "error"]
    assert preview.errors == ["Dòng 3 – cột Mã số đăng ký: mã số đăng ký này đã có ở dòng 2"]


def test_progress_tells_checking_from_writing(officer):
    heard: list[tuple[int, int, str]] = []
    content = xlsx([HEADER, *_rows(3)])
    import_registry(
        user=officer, content=content, filename="x.xlsx", commit=False, progress=lambda *a: heard.append(a)
    )
    assert heard == [(1, 3, "check"), (2, 3, "check"), (3, 3, "done")]
    heard.clear()
    import_registry(
        user=officer, content=content, filename="x.xlsx", commit=True, progress=lambda *a: heard.append(a)
    )
    assert heard[-2:] == [(3, 3, "write"), (3, 3, "done")]


ERROR_HEADER = [*HEADER[:8], "Lao động", "Doanh thu (đồng)", "Tham gia chuỗi giá trị"]
GOOD_ROW = [
    "0607950001",
    "HTX thử lỗi",
    "HTX",
    "13/10/2020",
    "Xã Hải Minh",
    "Huyện Hải Hậu",
    "Nông nghiệp",
    2024,
    "12",
    "1.000.000",
    "Có",
]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Ngày thành lập", "31/02/2020", "'31/02/2020' không phải là ngày (ghi theo dạng dd/mm/yyyy)"),
        ("Ngày thành lập", 99999, "không phải là ngày"),
        ("Doanh thu (đồng)", "mười triệu", "'mười triệu' không phải là số"),
        ("Doanh thu (đồng)", True, "không phải là số"),
        (
            "Doanh thu (đồng)",
            "1" + "0" * 20,
            "'1" + "0" * 20 + "' quá lớn đối với một số tiền tính bằng đồng",
        ),
        ("Lao động", "-3", "'-3' không phải là số nguyên từ 0 trở lên"),
        ("Lao động", "2,5", "'2,5' không phải là số nguyên từ 0 trở lên"),
        ("Tham gia chuỗi giá trị", "có lẽ", "'có lẽ' không phải là có/không (ghi Có hoặc Không)"),
        ("Loại hình", "Công ty", "'Công ty' không thuộc các giá trị hợp lệ (xem trang Giá trị hợp lệ)"),
        ("Xã/phường", "Xã Không Có", "không có xã/phường 'Xã Không Có, Huyện Hải Hậu' trên bản đồ nào"),
        ("Năm số liệu", datetime.date.today().year + 1, "Không thể nhập số liệu cho năm chưa bắt đầu."),
    ],
)
def test_each_cell_error_names_row_column_and_reason(officer, column, value, message):
    row = list(GOOD_ROW)
    row[ERROR_HEADER.index(column)] = value
    with translation.override("vi"):
        preview = import_registry(
            user=officer, content=xlsx([ERROR_HEADER, row]), filename="x.xlsx", commit=False
        )
    assert preview.errors == [f"Dòng 2 – cột {column}: {message}"]


def test_a_commune_name_shared_by_two_districts_needs_the_district(officer):
    row = list(GOOD_ROW)
    row[4:6] = ["Xã Hồng Quang", ""]
    with translation.override("vi"):
        preview = import_registry(
            user=officer, content=xlsx([ERROR_HEADER, row]), filename="x.xlsx", commit=False
        )
    assert preview.errors == [
        "Dòng 2 – cột Xã/phường: 'Xã Hồng Quang' có thể là 2 xã/phường: Xã Hồng Quang (Huyện Ý Yên, bản đồ "
        "trước 1/7/2025, mã 13876); Xã Hồng Quang (Huyện Nam Trực, bản đồ trước 1/7/2025, mã 13984); "
        "hãy ghi thêm huyện (bản đồ cũ) hoặc mã xã"
    ]
    row[5] = "Huyện Nam Trực"
    assert not import_registry(
        user=officer, content=xlsx([ERROR_HEADER, row]), filename="x.xlsx", commit=False
    ).errors


def test_files_that_cannot_be_read_say_why(officer):
    from django.core.exceptions import PermissionDenied, ValidationError

    with translation.override("vi"):
        with pytest.raises(ValidationError) as not_excel:
            import_registry(user=officer, content=b"PK\x03\x04 broken", filename="x.xlsx", commit=False)
        assert not_excel.value.messages == ["Tệp không phải là sổ Excel (.xlsx) hay tệp CSV."]
        with pytest.raises(ValidationError) as no_header:
            import_registry(user=officer, content=xlsx([["a", "b"], [1, 2]]), filename="x.xlsx", commit=False)
        assert no_header.value.messages[0].startswith("Không tìm thấy dòng tiêu đề: 15 dòng đầu")
        viewer = UserFactory(role=Role.VIEWER)
        with pytest.raises(PermissionDenied) as refused:
            import_registry(
                user=viewer, content=xlsx([ERROR_HEADER, GOOD_ROW]), filename="x.xlsx", commit=False
            )
        assert str(refused.value) == "Bạn không có quyền nhập dữ liệu vào sổ đăng ký."


def test_a_representative_updates_contact_details_but_not_identity():
    from hoptac.registry.tests.factories import YearlyReportFactory

    organisation = OrganisationFactory(
        registration_code="0607960001",
        name="HTX Hải Minh",
        commune_legacy=legacy_commune("Xã Hải Minh", "Huyện Hải Hậu"),
        founding_date=datetime.date(2020, 10, 13),
        registration_date=None,
    )
    YearlyReportFactory(organisation=organisation, year=2023)
    representative = UserFactory(role=Role.REPRESENTATIVE, organisation=organisation)
    header = ["Mã số đăng ký", "Tên tổ chức", "Xã/phường", "Huyện", "Điện thoại", "Năm số liệu", "Lao động"]
    same = ["0607960001", "HTX Hải Minh", "Xã Hải Minh", "Huyện Hải Hậu", "0228 3877 123", 2024, 9]
    result = import_registry(
        user=representative, content=xlsx([header, same]), filename="x.xlsx", commit=True
    )
    organisation.refresh_from_db()
    assert result.committed and organisation.phone == "0228 3877 123"
    assert YearlyReport.objects.get(organisation=organisation, year=2024).workers == 9
    renamed = [*same[:1], "HTX Đổi Tên", *same[2:]]
    with translation.override("vi"):
        preview = import_registry(
            user=representative, content=xlsx([header, renamed]), filename="x.xlsx", commit=False
        )
    assert preview.errors == [
        "Dòng 2 – cột Tên tổ chức: bạn không được thay đổi trường này: trường này do cơ quan đăng ký quản lý"
    ]


def test_a_yearly_figures_only_list_updates_the_years_of_known_organisations(officer):
    """The list a district collects each December: registration code, year and figures, no identity."""
    known = OrganisationFactory(registration_code="0607970001", registration_date=None)
    before = known.history.count()
    header = ["Mã số HTX", "Năm báo cáo", "Số thành viên", "Doanh thu", "Lợi nhuận", "Công nghệ cao"]
    rows = [["0607970001", 2024, "1.250", "2.500.000.000", "120.000.000", "x"]]
    with translation.override("vi"):
        result = import_registry(user=officer, content=xlsx([header, *rows]), filename="x.xlsx", commit=True)
        unknown = import_registry(
            user=officer,
            content=xlsx([header, ["0607970999", 2024, 3, "", "", ""]]),
            filename="x.xlsx",
            commit=False,
        )
    assert [r.action for r in result.rows] == ["update"]
    report = YearlyReport.objects.get(organisation=known, year=2024)
    assert (report.official_individuals, report.revenue, report.profit, report.high_tech) == (
        1250,
        2_500_000_000,
        120_000_000,
        True,
    )
    assert known.history.count() == before  # the organisation itself did not change
    # A code nobody registered cannot create an organisation without its name, kind, sector and commune.
    assert unknown.rows[0].action == "error"
    assert any(e.startswith("Dòng 2 – cột Tên tổ chức: ") for e in unknown.errors)


def test_figures_without_a_year_are_refused_not_dropped(officer):
    OrganisationFactory(registration_code="0607980001", registration_date=None)
    header = ["Mã số đăng ký", "Doanh thu (đồng)"]  # no year column at all
    with translation.override("vi"):
        preview = import_registry(
            user=officer,
            content=xlsx([header, ["0607980001", "900.000.000"]]),
            filename="x.xlsx",
            commit=False,
        )
    assert preview.errors == [  # said once for the file, not on every row
        "1 dòng (2) có số liệu năm nhưng không rõ năm số liệu: hãy thêm cột 'Năm số liệu', ghi năm vào tiêu đề "
        "cột ('Doanh thu năm 2024') hoặc tiêu đề danh sách, hoặc chọn năm số liệu khi tải tệp lên."
    ]
