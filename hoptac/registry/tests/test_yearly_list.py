"""The yearly data page (registry:yearly_report_list) and its Excel export: scope, filters, accent-free
search, sorting, paging, Vietnamese rendering, and the workbook's rows, figures and headers."""

import datetime
import io
import re
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import current_commune, district, legacy_commune
from hoptac.core.testing import response_content
from hoptac.registry.choices import OrganisationKind, Sector
from hoptac.registry.models import YearlyReportState
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db

LIST = reverse("registry:yearly_report_list")
EXPORT = reverse("registry:yearly_report_export")
HAI_ANH = "Hợp tác xã Hải Anh"
QUY_GIAO_THIEN = "Quỹ tín dụng nhân dân Giao Thiện"
THT_GIAO_THIEN = "Tổ hợp tác Rau sạch Giao Thiện"


@pytest.fixture
def commune_a():
    return legacy_commune("Xã Hải Minh", "Huyện Hải Hậu")


@pytest.fixture
def commune_b():
    return legacy_commune("Xã Giao Thiện", "Huyện Giao Thủy")


@pytest.fixture
def data(commune_a, commune_b):
    """Three organisations in two communes and four years of data in every review state."""
    org_a = OrganisationFactory(
        name=HAI_ANH, kind=OrganisationKind.HTX, sector=Sector.AGRICULTURE, commune_legacy=commune_a
    )
    org_b = OrganisationFactory(
        name=QUY_GIAO_THIEN, kind=OrganisationKind.QTDND, sector=Sector.CREDIT, commune_legacy=commune_b
    )
    org_c = OrganisationFactory(
        name=THT_GIAO_THIEN, kind=OrganisationKind.THT, sector=Sector.AGRICULTURE, commune_legacy=commune_b
    )
    reports = {
        "a2023": YearlyReportFactory(
            organisation=org_a,
            year=2023,
            official_individuals=120,
            official_households=30,
            official_legal_entities=2,
            workers=12,
            revenue=2_500_000_000,
            profit=150_000_000,
            average_worker_income=60_000_000,
            in_value_chain=True,
            high_tech=False,
            ocop_products=2,
            ocop_max_stars=3,
            state=YearlyReportState.ACCEPTED,
            submitted_at=datetime.date(2023, 12, 8),
        ),
        "a2024": YearlyReportFactory(
            organisation=org_a,
            year=2024,
            official_individuals=1_150,
            official_households=20,
            workers=15,
            revenue=3_200_000_000,
            profit=120_000_000,
            average_worker_income=64_500_000,
            in_value_chain=True,
            high_tech=True,
            state=YearlyReportState.SUBMITTED,
            submitted_at=datetime.date(2024, 12, 10),
        ),
        "b2024": YearlyReportFactory(
            organisation=org_b,
            year=2024,
            official_individuals=900,
            official_households=0,
            workers=6,
            revenue=1_000_000_000,
            profit=300_000_000,
            average_worker_income=90_000_000,
            state=YearlyReportState.DRAFT,
        ),
        "c2023": YearlyReportFactory(
            organisation=org_c,
            year=2023,
            official_individuals=15,
            official_households=0,
            workers=3,
            revenue=100_000_000,
            profit=5_000_000,
            average_worker_income=20_000_000,
            high_tech=True,
            state=YearlyReportState.RETURNED,
        ),
    }
    return {"a": org_a, "b": org_b, "c": org_c, **reports}


@pytest.fixture
def province_user():
    return UserFactory(role=Role.PROVINCE)


@pytest.fixture
def commune_user(commune_a):
    return UserFactory(role=Role.COMMUNE, areas=[commune_a])


def html(response) -> str:
    return response.content.decode()


def rows(response) -> list[tuple[str, int]]:
    """(organisation name, year) of the table rows shown on the page, in order."""
    assert response.status_code == 200
    return [
        (row.record.organisation.name, row.record.year) for row in response.context["table"].paginated_rows
    ]


def shown(client, **params) -> set[tuple[str, int]]:
    return set(rows(client.get(LIST, params)))


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response_content(response))).active


def exported(response) -> list[tuple[str, int]]:
    """(organisation name, year) of the exported rows, in order."""
    sheet = sheet_of(response)
    headers = [cell.value for cell in sheet[3]]
    name, year = headers.index("Tên"), headers.index("Năm")
    return [(row[name], row[year]) for row in sheet.iter_rows(min_row=4, values_only=True)]


ALL = {(HAI_ANH, 2023), (HAI_ANH, 2024), (QUY_GIAO_THIEN, 2024), (THT_GIAO_THIEN, 2023)}


# --- The page ---------------------------------------------------------------------------------------


def test_page_is_in_vietnamese_with_vietnamese_numbers_dates_and_links(client, province_user, data):
    client.force_login(province_user)
    response = client.get(LIST)
    page = html(response)
    assert "<h1>Số liệu hằng năm</h1>" in page
    assert "Tìm thấy 4 bản số liệu hằng năm" in page and "Số tiền tính bằng triệu đồng." in page
    for header in (
        "Tổ chức",
        "Mã số đăng ký",
        "Xã/phường",
        "Năm",
        "Thành viên chính thức",
        "Người lao động",
        "Doanh thu (triệu đồng)",
        "Lợi nhuận trước thuế (triệu đồng)",
        "Thu nhập bình quân người lao động (triệu đồng/người/năm)",
        "Chuỗi giá trị",
        "Công nghệ cao",
        "Số sản phẩm OCOP",
        "Tình trạng xem xét",
    ):
        assert header in page, header
    # Numbers the Vietnamese way (amounts in triệu đồng), dates dd/mm/yyyy, yes/no in Vietnamese, review states
    # as badges.
    assert ">3.200<" in page and ">150<" in page and ">64,5<" in page
    assert "3.200.000.000" not in page
    assert "1.170" in page  # official members of Hải Anh in 2024: 1.150 individuals + 20 households
    assert ">Có<" in page and ">Không<" in page
    assert "3★" in page
    assert "Đã nộp, chờ xã xem xét" in page and "nộp ngày 10/12/2024" in page
    assert "Đã chấp nhận, đã khóa" in page and "Bản nháp, chưa nộp" in page and "Bị trả lại để sửa" in page
    assert "Xã Hải Anh" in page and "Xã Hải Minh, Huyện Hải Hậu" in page  # both maps
    assert data["a"].registration_code in page
    # The name opens the organisation, the year that year's data and review.
    assert f'href="{reverse("registry:organisation_detail", args=[data["a"].pk])}"' in page
    assert f'href="{reverse("registry:yearly_report_review", args=[data["a"].pk, 2024])}"' in page
    assert "Xuất Excel" in page and f'href="{EXPORT}"' in page


def test_navigation_and_organisation_list_link_to_the_page(client, province_user, data):
    client.force_login(province_user)
    page = html(client.get(LIST))
    assert f'<a href="{LIST}" aria-current="page">Số liệu hằng năm</a>' in page
    registry_page = html(client.get(reverse("registry:organisation_list")))
    assert f'<a href="{LIST}" aria-current="page">' not in registry_page
    assert registry_page.count(f'href="{LIST}"') == 2  # the main menu and the list page's own button


def test_page_and_export_require_login(client):
    for url in (LIST, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_list_is_paginated_by_25_and_newest_year_first(client, province_user):
    for year in (2022, 2023, 2024):
        for report in YearlyReportFactory.create_batch(10, year=year):
            assert report.pk
    client.force_login(province_user)
    response = client.get(LIST)
    page = html(response)
    assert "Tìm thấy 30 bản số liệu hằng năm" in page and "Trang 1/2" in page
    years = [year for _name, year in rows(response)]
    assert len(years) == 25 and years == sorted(years, reverse=True)
    next_link = unescape(re.search(r'<a href="([^"]*)" rel="next"', page).group(1))
    assert len(rows(client.get(LIST + next_link))) == 5


def test_list_page_query_count_does_not_grow_with_rows(
    client, province_user, commune_user, commune_a, django_assert_max_num_queries
):
    # Session, user, count, the area choices (two: the provinces offered, then the units listed, decision
    # 0045), the page's rows (organisation and communes joined), the bell's
    # unread count; a commune officer's areas add one or two, and their communes on the other map (the area
    # filter offers only those) one more; the menu's review queues two (desk/context_processors.py: the yearly
    # data waiting, the years of ratings waiting); keyset pages (hoptac.core.keyset) two: the data version of
    # the cached total and the page's rows read by their ids; a provincial officer's areas one (does the account
    # name a province? decision 0043). Nothing per row.
    for organisation in OrganisationFactory.create_batch(15, commune_legacy=commune_a):
        for year in (2023, 2024):
            YearlyReportFactory(organisation=organisation, year=year)
    for user, most in ((province_user, 10), (commune_user, 13)):
        client.force_login(user)
        with django_assert_max_num_queries(most + 2):
            response = client.get(LIST, {"sort": "commune"})
        assert len(rows(response)) == 25
        assert "Xã Hải Minh, Huyện Hải Hậu" in html(response)
        with django_assert_max_num_queries(most):
            assert len(exported(client.get(EXPORT))) == 30


# --- Scope --------------------------------------------------------------------------------------------


def test_commune_officer_sees_only_their_communes_data(client, commune_user, data):
    client.force_login(commune_user)
    response = client.get(LIST)
    assert set(rows(response)) == {(HAI_ANH, 2023), (HAI_ANH, 2024)}
    page = html(response)
    assert "Tìm thấy 2 bản số liệu hằng năm" in page
    assert QUY_GIAO_THIEN not in page and THT_GIAO_THIEN not in page
    # Filtering for another commune's data finds nothing rather than revealing it.
    assert shown(client, q="giao thien") == set()
    assert shown(client, area=district("Huyện Giao Thủy").pk) == set()


@pytest.mark.parametrize(
    "make_user,expected",
    [
        (lambda d: UserFactory(role=Role.PROVINCE), ALL),
        (lambda d: UserFactory(role=Role.VIEWER), ALL),
        (
            lambda d: UserFactory(role=Role.VIEWER, areas=[district("Huyện Giao Thủy")]),
            {(QUY_GIAO_THIEN, 2024), (THT_GIAO_THIEN, 2023)},
        ),
        (
            lambda d: UserFactory(role=Role.COMMUNE, areas=[current_commune("Xã Hải Anh")]),
            {(HAI_ANH, 2023), (HAI_ANH, 2024)},
        ),
        (lambda d: UserFactory(role=Role.REPRESENTATIVE, organisation=d["b"]), {(QUY_GIAO_THIEN, 2024)}),
        (lambda d: UserFactory(role=Role.COMMUNE), set()),
    ],
    ids=["province", "viewer", "viewer-of-a-district", "commune-new-map", "representative", "no-area"],
)
def test_every_role_sees_its_scope_on_the_page_and_in_the_export(client, data, make_user, expected):
    client.force_login(make_user(data))
    assert shown(client) == expected
    assert set(exported(client.get(EXPORT))) == expected


# --- Filters, search, sorting ------------------------------------------------------------------------


def test_each_filter_narrows_the_list(client, province_user, data):
    client.force_login(province_user)
    assert shown(client) == ALL
    assert shown(client, year=2024) == {(HAI_ANH, 2024), (QUY_GIAO_THIEN, 2024)}
    assert shown(client, kind="tht") == {(THT_GIAO_THIEN, 2023)}
    assert set(rows(client.get(f"{LIST}?kind=htx&kind=qtdnd"))) == {
        (HAI_ANH, 2023),
        (HAI_ANH, 2024),
        (QUY_GIAO_THIEN, 2024),
    }
    assert shown(client, sector="credit") == {(QUY_GIAO_THIEN, 2024)}
    assert shown(client, state="submitted") == {(HAI_ANH, 2024)}
    assert set(rows(client.get(f"{LIST}?state=draft&state=returned"))) == {
        (QUY_GIAO_THIEN, 2024),
        (THT_GIAO_THIEN, 2023),
    }
    assert shown(client, in_value_chain="true") == {(HAI_ANH, 2023), (HAI_ANH, 2024)}
    assert shown(client, in_value_chain="false") == {(QUY_GIAO_THIEN, 2024), (THT_GIAO_THIEN, 2023)}
    assert shown(client, in_value_chain="unknown") == ALL
    assert shown(client, high_tech="true") == {(HAI_ANH, 2024), (THT_GIAO_THIEN, 2023)}
    # Filters combine.
    assert shown(client, year=2024, high_tech="false") == {(QUY_GIAO_THIEN, 2024)}
    assert shown(client, sector="agriculture", year=2023, state="returned") == {(THT_GIAO_THIEN, 2023)}


def test_area_filter_works_on_either_map(client, province_user, data, commune_a):
    client.force_login(province_user)
    giao_thuy = {(QUY_GIAO_THIEN, 2024), (THT_GIAO_THIEN, 2023)}
    assert shown(client, area=district("Huyện Giao Thủy").pk) == giao_thuy
    assert shown(client, area=commune_a.pk) == {(HAI_ANH, 2023), (HAI_ANH, 2024)}
    assert shown(client, area=current_commune("Xã Hải Anh").pk) == {(HAI_ANH, 2023), (HAI_ANH, 2024)}
    page = html(client.get(LIST))
    assert '<optgroup label="Huyện Hải Hậu — trước 1/7/2025">' in page


def test_search_ignores_accents_and_reads_codes(client, province_user, data):
    client.force_login(province_user)
    assert shown(client, q="hop tac xa") == {(HAI_ANH, 2023), (HAI_ANH, 2024)}
    assert shown(client, q="HOP TAC XA HAI ANH") == {(HAI_ANH, 2023), (HAI_ANH, 2024)}
    assert shown(client, q="giao thien") == {(QUY_GIAO_THIEN, 2024), (THT_GIAO_THIEN, 2023)}
    assert shown(client, q="Quỹ tín dụng") == {(QUY_GIAO_THIEN, 2024)}
    assert shown(client, q=data["c"].registration_code) == {(THT_GIAO_THIEN, 2023)}
    assert shown(client, q="khong co to chuc nay") == set()


def test_invalid_filter_shows_an_error_and_no_rows(client, province_user, data):
    client.force_login(province_user)
    response = client.get(LIST, {"kind": "xyz"})
    assert rows(response) == []
    page = html(response)
    assert "Tìm thấy 0 bản số liệu hằng năm" in page and "Hãy chọn một lựa chọn hợp lệ" in page
    assert "Không có số liệu hằng năm nào khớp với bộ lọc." in page
    assert exported(client.get(EXPORT, {"kind": "xyz"})) == []


def test_sorting_by_columns(client, province_user, data):
    client.force_login(province_user)
    assert rows(client.get(LIST, {"sort": "-revenue"})) == [
        (HAI_ANH, 2024),
        (HAI_ANH, 2023),
        (QUY_GIAO_THIEN, 2024),
        (THT_GIAO_THIEN, 2023),
    ]
    assert [r[0] for r in rows(client.get(LIST, {"sort": "name"}))] == [
        HAI_ANH,
        HAI_ANH,
        QUY_GIAO_THIEN,
        THT_GIAO_THIEN,
    ]  # H < Q < T in Vietnamese order
    assert rows(client.get(LIST, {"sort": "official_members"}))[0] == (THT_GIAO_THIEN, 2023)
    response = client.get(LIST, {"sort": "-profit"})
    assert 'aria-sort="descending"' in html(response)
    # Profits 300, 150, 120 and 5 triệu đồng, largest first.
    assert rows(response) == [
        (QUY_GIAO_THIEN, 2024),
        (HAI_ANH, 2023),
        (HAI_ANH, 2024),
        (THT_GIAO_THIEN, 2023),
    ]


# --- Export -------------------------------------------------------------------------------------------


def test_export_has_the_filtered_rows_with_vietnamese_headers_and_figures(client, province_user, data):
    client.force_login(province_user)
    response = client.get(EXPORT, {"year": "2024", "sort": "name"})
    assert "attachment;" in response["Content-Disposition"]
    assert 'filename="hoptac-so-lieu-hang-nam-' in response["Content-Disposition"]
    sheet = sheet_of(response)
    assert sheet.title == "Số liệu hằng năm"
    assert sheet["A1"].value.startswith(
        "Số liệu hoạt động hằng năm của các tổ chức kinh tế tập thể — xuất ngày"
    )
    assert sheet["A1"].font.bold
    assert sheet["A2"].value == "Số liệu năm 2024; số tiền tính bằng triệu đồng."
    headers = [cell.value for cell in sheet[3]]
    assert headers[:3] == ["STT", "Tên", "Mã số đăng ký"]
    for header in (
        "Loại hình",
        "Lĩnh vực",
        "Xã/phường (từ 1/7/2025)",
        "Xã/phường cũ (trước 1/7/2025)",
        "Huyện cũ (trước 1/7/2025)",
        "Năm",
        "Thành viên chính thức: cá nhân",
        "Thành viên chính thức: tổng số",
        "Người lao động",
        "Doanh thu (triệu đồng)",
        "Lợi nhuận trước thuế (triệu đồng)",
        "Thu nhập bình quân của người lao động (triệu đồng/người/năm)",
        "Tham gia chuỗi giá trị",
        "Ứng dụng công nghệ cao",
        "Số sản phẩm OCOP",
        "Ngày nộp",
        "Tình trạng xem xét",
    ):
        assert header in headers, header
    assert all(cell.font.bold for cell in sheet[3])
    assert sheet.freeze_panes == "C4"
    assert sheet.column_dimensions["B"].width > 30
    assert exported(response) == [(HAI_ANH, 2024), (QUY_GIAO_THIEN, 2024)]

    values = [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=4, values_only=True)]
    first, second = values
    assert first["STT"] == 1 and second["STT"] == 2
    assert first["Mã số đăng ký"] == data["a"].registration_code
    assert first["Loại hình"] == "Hợp tác xã (HTX)" and second["Lĩnh vực"] == "Tín dụng"
    assert first["Xã/phường (từ 1/7/2025)"] == "Xã Hải Anh"
    assert first["Xã/phường cũ (trước 1/7/2025)"] == "Xã Hải Minh"
    assert first["Huyện cũ (trước 1/7/2025)"] == "Huyện Hải Hậu"
    assert first["Năm"] == 2024
    assert first["Thành viên chính thức: tổng số"] == 1_170
    assert first["Người lao động"] == 15
    assert first["Doanh thu (triệu đồng)"] == 3_200
    assert first["Lợi nhuận trước thuế (triệu đồng)"] == 120
    assert first["Thu nhập bình quân của người lao động (triệu đồng/người/năm)"] == 64.5
    assert first["Tham gia chuỗi giá trị"] == "Có" and second["Tham gia chuỗi giá trị"] == "Không"
    assert first["Ứng dụng công nghệ cao"] == "Có" and second["Ứng dụng công nghệ cao"] == "Không"
    assert first["Ngày nộp"] == datetime.datetime(2024, 12, 10) and second["Ngày nộp"] is None
    assert first["Tình trạng xem xét"] == "Đã nộp, chờ xã xem xét"
    assert second["Tình trạng xem xét"] == "Bản nháp, chưa nộp"

    def cell(header):
        return sheet.cell(row=4, column=headers.index(header) + 1)

    for header in ("Doanh thu (triệu đồng)", "Thành viên chính thức: tổng số", "Người lao động"):
        assert cell(header).number_format == "#,##0", header
    assert cell("Thu nhập bình quân của người lao động (triệu đồng/người/năm)").number_format == "#,##0.0"
    assert cell("Năm").number_format == "General"  # 2024, not 2.024
    assert cell("Ngày nộp").is_date and cell("Ngày nộp").number_format == "DD/MM/YYYY"


def test_export_follows_every_filter_and_the_sort_of_the_page(client, province_user, data):
    client.force_login(province_user)
    for params in (
        {"kind": "tht"},
        {"sector": "agriculture", "sort": "-revenue"},
        {"state": ["draft", "returned"], "sort": "name"},
        {"in_value_chain": "true", "sort": "year"},
        {"high_tech": "false"},
        {"q": "giao thien", "sort": "-year"},
        {"area": current_commune("Xã Hải Anh").pk, "sort": "-official_members"},
    ):
        assert exported(client.get(EXPORT, params)) == rows(client.get(LIST, params)), params
    assert exported(client.get(EXPORT, {"sort": "-revenue"}))[0] == (HAI_ANH, 2024)


def test_export_link_keeps_the_filters_and_the_sort(client, province_user, data):
    client.force_login(province_user)
    page = html(client.get(LIST, {"year": "2023", "sort": "name"}))
    assert f'href="{EXPORT}?year=2023&amp;sort=name"' in page
    rows_exported = exported(client.get(EXPORT, {"year": "2023", "sort": "name"}))
    assert rows_exported == [(HAI_ANH, 2023), (THT_GIAO_THIEN, 2023)]
    assert sheet_of(client.get(EXPORT))["A2"].value == "Số tiền tính bằng triệu đồng."


def test_export_never_holds_rows_outside_the_scope(client, commune_user, data):
    client.force_login(commune_user)
    assert exported(client.get(EXPORT)) == [(HAI_ANH, 2024), (HAI_ANH, 2023)]
    for params in (
        {"q": "giao thien"},
        {"area": district("Huyện Giao Thủy").pk},
        {"kind": "qtdnd"},
        {"organisation": data["b"].pk},
    ):
        assert exported(client.get(EXPORT, params)) == [], params
    content = response_content(client.get(EXPORT))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    texts = {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}
    assert not {QUY_GIAO_THIEN, THT_GIAO_THIEN, data["b"].registration_code} & texts
