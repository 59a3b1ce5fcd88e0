"""The registry's pages: Vietnamese rendering, scoping for every role, forms through the services,
filters, sorting and the Excel export."""

import datetime
import io
import re
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import current_commune, district, legacy_commune
from hoptac.core.review import transition
from hoptac.core.testing import response_content
from hoptac.registry import errors, services
from hoptac.registry.choices import LegalStatus, OrganisationKind, Sector
from hoptac.registry.models import (
    MEMBER_FIELDS,
    Organisation,
    StatusChange,
    YearlyReport,
    YearlyReportState,
)
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db

LIST = reverse("registry:organisation_list")
EXPORT = reverse("registry:organisation_export")
CREATE = reverse("registry:organisation_create")


def detail(org):
    return reverse("registry:organisation_detail", args=[org.pk])


def edit(org):
    return reverse("registry:organisation_update", args=[org.pk])


def status_new(org):
    return reverse("registry:status_change_create", args=[org.pk])


def year_new(org):
    return reverse("registry:yearly_report_create", args=[org.pk])


def year_edit(org, year):
    return reverse("registry:yearly_report_update", args=[org.pk, year])


def html(response) -> str:
    return response.content.decode()


def workbook_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response_content(response))).active
    return list(sheet.iter_rows(values_only=True))


def exported_names(response) -> list[str]:
    rows = workbook_rows(response)
    return [row[1] for row in rows[3:]]


@pytest.fixture
def commune_a():
    return legacy_commune("Xã Hải Minh", "Huyện Hải Hậu")


@pytest.fixture
def commune_b():
    return legacy_commune("Xã Giao Thiện", "Huyện Giao Thủy")


@pytest.fixture
def org_a(commune_a):
    return OrganisationFactory(
        name="Hợp tác xã Hải Anh",
        kind=OrganisationKind.HTX,
        sector=Sector.AGRICULTURE,
        commune_legacy=commune_a,
        founding_date=datetime.date(2022, 10, 13),
        registration_date=datetime.date(2022, 10, 20),
        charter_capital=Decimal(1_500_000),
        phone="0228 3812 345",
    )


@pytest.fixture
def org_b(commune_b):
    return OrganisationFactory(
        name="Quỹ tín dụng nhân dân Giao Thiện",
        kind=OrganisationKind.QTDND,
        sector=Sector.CREDIT,
        commune_legacy=commune_b,
        founding_date=datetime.date(2010, 5, 4),
        registration_date=datetime.date(2010, 5, 4),
        charter_capital=Decimal(3_000_000_000),
    )


@pytest.fixture
def province_user():
    return UserFactory(role=Role.PROVINCE, first_name="Văn An", last_name="Nguyễn")


@pytest.fixture
def commune_user(commune_a):
    return UserFactory(role=Role.COMMUNE, areas=[commune_a], first_name="Thị Hoa", last_name="Lê")


@pytest.fixture
def viewer():
    return UserFactory(role=Role.VIEWER)


@pytest.fixture
def representative(org_a):
    return UserFactory(role=Role.REPRESENTATIVE, organisation=org_a)


def org_form_data(commune, **overrides) -> dict:
    data = {name: "" for name in services.ORGANISATION_FIELDS}
    data.update(
        {
            "kind": OrganisationKind.HTX,
            "name": "Hợp tác xã Dịch vụ nông nghiệp Hải Minh",
            "founding_date": "13/10/2022",
            "registration_date": "20/10/2022",
            "sector": Sector.AGRICULTURE,
            "commune_legacy": str(commune.pk),
            "charter_capital": "1.500.000",
        }
    )
    data.update(overrides)
    return data


REPORT_COUNTS = [*MEMBER_FIELDS, "workers", "ocop_products", "ocop_max_stars"]


def report_form_data(**overrides) -> dict:
    data = {name: "0" for name in REPORT_COUNTS}
    data.update({"year": "2023", "official_individuals": "120", "workers": "12"})
    data.update(overrides)
    return data


# --- Rendering in Vietnamese ----------------------------------------------------------------------


def test_list_page_is_in_vietnamese_with_vietnamese_numbers_and_dates(client, province_user, org_a, org_b):
    client.force_login(province_user)
    response = client.get(LIST)
    assert response.status_code == 200
    page = html(response)
    assert "Tổ chức kinh tế tập thể" in page
    assert "Tìm thấy 2 tổ chức" in page
    assert "Hợp tác xã Hải Anh" in page
    assert 'title="Hợp tác xã (HTX)"' in page
    assert "Nông nghiệp" in page
    assert "Vốn điều lệ (triệu đồng)" in page  # charter capitals in triệu đồng (1.500.000 and 3 tỷ đồng)
    assert ">1,5<" in page and ">3.000<" in page and "3.000.000.000" not in page
    assert "13/10/2022" in page
    assert "Xã Hải Minh" in page and "Huyện Hải Hậu" in page  # legacy commune and district
    assert "Xã Hải Anh" in page  # the commune on today's map
    assert "Đang hoạt động" in page
    assert "Xuất Excel" in page
    assert f'href="{detail(org_a)}"' in page


def test_list_requires_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_list_page_query_count_does_not_grow_with_rows(client, province_user, django_assert_max_num_queries):
    OrganisationFactory.create_batch(30)
    client.force_login(province_user)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.status_code == 200


def test_list_is_paginated_by_25(client, province_user):
    OrganisationFactory.create_batch(30)
    client.force_login(province_user)
    page = html(client.get(LIST))
    assert "Tìm thấy 30 tổ chức" in page
    assert page.count('class="col-name"') == 25
    assert "Trang 1/2" in page
    # The next page is a position in the list (hoptac.core.keyset), its link the page's rel="next".
    next_link = unescape(re.search(r'<a href="([^"]*)" rel="next"', page).group(1))
    second = html(client.get(LIST + next_link))
    assert second.count('class="col-name"') == 5
    assert "Trang 2/2" in second


def test_detail_page_shows_identity_status_years_and_history(client, province_user, org_a):
    YearlyReportFactory(organisation=org_a, year=2023, in_value_chain=True, ocop_products=2, ocop_max_stars=3)
    client.force_login(province_user)
    page = html(client.get(detail(org_a)))
    assert "Hợp tác xã Hải Anh" in page
    assert "Hợp tác xã (HTX)" in page
    assert "13/10/2022" in page and "20/10/2022" in page
    assert "1,5 triệu đồng" in page  # charter capital 1.500.000 đồng, in the one unit of money
    assert "Xã Hải Minh" in page and "Huyện Hải Hậu" in page and "Xã Hải Anh" in page
    assert "Lịch sử tình trạng pháp lý" in page
    assert "Số liệu hằng năm" in page
    assert "Doanh thu (triệu đồng)" in page and ">2.500<" in page  # revenue 2,5 billion in millions
    assert "2 sản phẩm, 3★" in page
    assert year_edit(org_a, 2023) in page
    assert "Lịch sử thay đổi" in page
    assert edit(org_a) in page and status_new(org_a) in page and year_new(org_a) in page


def test_detail_status_as_of_lookup(client, province_user, org_a):
    services.status_change_add(
        user=province_user,
        organisation=org_a,
        status=LegalStatus.SUSPENDED,
        effective_from=datetime.date(2024, 3, 1),
    )
    client.force_login(province_user)
    page = html(client.get(detail(org_a), {"as_of": "01/01/2023"}))
    assert "Ngày 01/01/2023, tình trạng pháp lý là:" in page
    assert "Đang hoạt động" in page
    page = html(client.get(detail(org_a), {"as_of": "15/03/2024"}))
    assert "Ngày 15/03/2024, tình trạng pháp lý là:" in page
    assert "Tạm ngừng hoạt động" in page
    page = html(client.get(detail(org_a), {"as_of": "01/01/2020"}))
    assert "Ngày 01/01/2020, tổ chức chưa được thành lập hoặc chưa đăng ký." in page
    page = html(client.get(detail(org_a), {"as_of": "hôm qua"}))
    assert "Nhập một ngày hợp lệ." in page


def test_english_is_available_through_the_language_switch(client, province_user, org_a):
    client.force_login(province_user)
    response = client.post(reverse("set_language"), {"language": "en", "next": LIST})
    assert response.status_code == 302
    page = html(client.get(LIST))
    assert "Collective-economy organisations" in page
    assert "Found 1 organisation" in page
    assert "13/10/2022" in page  # dates stay dd/mm/yyyy


# --- Scoping ---------------------------------------------------------------------------------------


def test_commune_officer_sees_only_their_commune(client, commune_user, org_a, org_b):
    YearlyReportFactory(organisation=org_b, year=2023)
    client.force_login(commune_user)
    page = html(client.get(LIST))
    assert "Hợp tác xã Hải Anh" in page
    assert "Quỹ tín dụng nhân dân Giao Thiện" not in page
    assert "Tìm thấy 1 tổ chức" in page
    for url in (detail(org_b), edit(org_b), status_new(org_b), year_new(org_b), year_edit(org_b, 2023)):
        assert client.get(url).status_code == 404, url
    assert client.post(edit(org_b), org_form_data(legacy_commune("Xã Giao Thiện"))).status_code == 404
    assert (
        client.post(status_new(org_b), {"status": "suspended", "effective_from": "01/01/2024"}).status_code
        == 404
    )
    assert client.post(year_new(org_b), report_form_data(year="2024")).status_code == 404
    assert not StatusChange.objects.filter(organisation=org_b, status="suspended").exists()
    assert not YearlyReport.objects.filter(organisation=org_b, year=2024).exists()
    assert exported_names(client.get(EXPORT)) == ["Hợp tác xã Hải Anh"]
    for url in (detail(org_a), edit(org_a), status_new(org_a), year_new(org_a)):
        assert client.get(url).status_code == 200, url


def test_representative_sees_and_edits_only_their_organisation(client, representative, org_a, org_b):
    client.force_login(representative)
    page = html(client.get(LIST))
    assert "Tìm thấy 1 tổ chức" in page and "Hợp tác xã Hải Anh" in page
    assert client.get(detail(org_b)).status_code == 404
    assert client.get(edit(org_b)).status_code == 404
    assert exported_names(client.get(EXPORT)) == ["Hợp tác xã Hải Anh"]
    # Their own record: contacts only, no status changes, yearly data allowed.
    form_page = html(client.get(edit(org_a)))
    for name in services.REPRESENTATIVE_FIELDS:
        assert f'name="{name}"' in form_page
    for name in ("kind", "name", "registration_code", "commune_legacy", "founding_date"):
        assert f'name="{name}"' not in form_page
    assert "Là người đại diện của tổ chức" in form_page
    response = client.post(edit(org_a), {"phone": "0912 345 678", "charter_capital": "2.000.000"})
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.phone == "0912 345 678" and org_a.charter_capital == 2_000_000
    assert client.get(status_new(org_a)).status_code == 403
    assert client.get(year_new(org_a)).status_code == 200
    detail_page = html(client.get(detail(org_a)))
    assert edit(org_a) in detail_page and status_new(org_a) not in detail_page
    assert client.get(CREATE).status_code == 403


def test_viewer_reads_but_cannot_change(client, viewer, org_a, org_b):
    client.force_login(viewer)
    assert "Tìm thấy 2 tổ chức" in html(client.get(LIST))
    page = html(client.get(detail(org_a)))
    assert "Hợp tác xã Hải Anh" in page
    assert edit(org_a) not in page and year_new(org_a) not in page
    assert CREATE not in html(client.get(LIST))
    for url in (edit(org_a), status_new(org_a), year_new(org_a)):
        assert client.get(url).status_code == 404, url
    response = client.get(CREATE)
    assert response.status_code == 403
    assert "Bạn không được phép thực hiện thao tác này" in html(response)


def test_viewer_limited_to_an_area(client, commune_b, org_a, org_b):
    viewer = UserFactory(role=Role.VIEWER, areas=[district("Huyện Giao Thủy")])
    client.force_login(viewer)
    assert "Tìm thấy 1 tổ chức" in html(client.get(LIST))
    assert client.get(detail(org_a)).status_code == 404
    assert client.get(detail(org_b)).status_code == 200


def test_provincial_officer_sees_and_changes_everything(client, province_user, org_a, org_b):
    client.force_login(province_user)
    assert "Tìm thấy 2 tổ chức" in html(client.get(LIST))
    assert sorted(exported_names(client.get(EXPORT))) == sorted([org_a.name, org_b.name])
    for org in (org_a, org_b):
        for url in (detail(org), edit(org), status_new(org), year_new(org)):
            assert client.get(url).status_code == 200, url
    assert client.get(CREATE).status_code == 200


def test_missing_organisation_is_404(client, province_user):
    client.force_login(province_user)
    assert client.get(reverse("registry:organisation_detail", args=[999999])).status_code == 404


# --- Create and edit -------------------------------------------------------------------------------


def test_create_form_errors_are_in_vietnamese(client, province_user):
    client.force_login(province_user)
    response = client.post(CREATE, {"kind": "", "name": ""})
    assert response.status_code == 200
    page = html(response)
    assert "Vui lòng sửa các lỗi dưới đây." in page
    assert "Trường này là bắt buộc." in page
    assert str(errors.COMMUNE_REQUIRED) in page
    assert "Hãy chọn xã/phường nơi tổ chức đặt trụ sở" in page
    assert not Organisation.objects.exists()


def test_create_form_checks_dates_tax_code_and_sub_sector(client, province_user, commune_a):
    client.force_login(province_user)
    data = org_form_data(
        commune_a,
        founding_date="01/01/2100",
        registration_date="2022-13-45",
        tax_code="12345",
        sector=Sector.CREDIT,
        sub_sector="crops",
    )
    page = html(client.post(CREATE, data))
    assert "Ngày này nằm trong tương lai." in page
    assert "Nhập một ngày hợp lệ." in page
    assert "Mã số thuế gồm 10 chữ số" in page
    assert "Chỉ ghi phân ngành cho lĩnh vực nông nghiệp." in page
    assert not Organisation.objects.exists()


def test_create_form_shows_communes_grouped_by_district_and_dd_mm_yyyy_dates(client, province_user):
    client.force_login(province_user)
    page = html(client.get(CREATE))
    assert '<optgroup label="Huyện Hải Hậu — trước 1/7/2025">' in page
    assert '<optgroup label="Tỉnh Ninh Bình — từ 1/7/2025">' in page
    assert 'placeholder="dd/mm/yyyy"' in page


def test_creating_through_the_form_records_the_user_in_the_history(client, province_user, commune_a):
    client.force_login(province_user)
    response = client.post(CREATE, org_form_data(commune_a))
    org = Organisation.objects.get(name="Hợp tác xã Dịch vụ nông nghiệp Hải Minh")
    assert response.status_code == 302 and response["Location"] == detail(org)
    assert org.founding_date == datetime.date(2022, 10, 13)
    assert org.charter_capital == 1_500_000
    assert org.commune_current == current_commune("Xã Hải Anh")  # filled from the old commune
    assert org.current_status == LegalStatus.ACTIVE
    assert org.history.get().history_user == province_user
    page = html(client.get(detail(org)))
    assert "Đã đăng ký tổ chức “Hợp tác xã Dịch vụ nông nghiệp Hải Minh”." in page
    history = page[page.index('id="history"') :]
    assert province_user.get_full_name() in history
    assert "Tạo mới: tổ chức" in history


def test_editing_through_the_form_shows_old_and_new_values(client, province_user, org_a, commune_a):
    client.force_login(province_user)
    data = org_form_data(
        commune_a,
        name=org_a.name,
        registration_code=org_a.registration_code,
        phone="0912 345 678",
        charter_capital="2.500.000.000",
        commune_current=str(org_a.commune_current_id),
    )
    response = client.post(edit(org_a), data)
    assert response.status_code == 302
    page = html(client.get(detail(org_a)))
    assert "Đã lưu các thay đổi." in page
    history = page[page.index('id="history"') :]
    assert "Sửa đổi: tổ chức" in history
    assert province_user.get_full_name() in history
    assert "Điện thoại" in history and "0228 3812 345" in history and "0912 345 678" in history
    # Amounts in the one display unit, named in the label: 1.500.000 → 2.500.000.000 đồng.
    assert "Vốn điều lệ (triệu đồng)" in history and ">1,5<" in history and ">2.500<" in history


def test_edit_form_prefills_dates_and_money_the_vietnamese_way(client, province_user, org_a):
    client.force_login(province_user)
    page = html(client.get(edit(org_a)))
    assert 'value="13/10/2022"' in page
    assert 'value="1.500.000"' in page


def test_commune_officer_can_only_place_organisations_in_their_communes(
    client, commune_user, commune_a, commune_b
):
    client.force_login(commune_user)
    page = html(client.get(CREATE))
    assert f'<option value="{commune_a.pk}"' in page
    assert f'<option value="{commune_b.pk}"' not in page
    page = html(client.post(CREATE, org_form_data(commune_b)))
    assert "Hãy chọn một giá trị hợp lệ. Giá trị này không có trong danh sách." in page
    assert not Organisation.objects.exists()
    response = client.post(CREATE, org_form_data(commune_a))
    assert response.status_code == 302
    assert Organisation.objects.get().history.get().history_user == commune_user


def test_service_errors_are_mapped_onto_the_form(client):
    # An officer of today's Phường Tiên Sơn may pick the old Xã Tiên Ngoại (part of it went to Tiên Sơn),
    # but left alone that address goes to Tiên Ngoại's main successor, outside the officer's area: the
    # service refuses, and the refusal shows on the commune field.
    officer = UserFactory(role=Role.COMMUNE, areas=[current_commune("Phường Tiên Sơn")])
    tien_ngoai = legacy_commune("Xã Tiên Ngoại")
    client.force_login(officer)
    response = client.post(CREATE, org_form_data(tien_ngoai))
    assert response.status_code == 200
    page = html(response)
    assert "Bạn không được đăng ký tổ chức tại xã/phường này." in page
    field = page[page.index('id="id_commune_legacy"') :]
    assert field.index("Bạn không được đăng ký") < field.index('id="id_commune_current"')
    assert not Organisation.objects.exists()
    data = org_form_data(tien_ngoai, commune_current=str(current_commune("Phường Tiên Sơn").pk))
    assert client.post(CREATE, data).status_code == 302


# --- Status changes and yearly data -----------------------------------------------------------------


def test_status_change_through_the_form(client, province_user, org_a):
    client.force_login(province_user)
    page = html(client.get(status_new(org_a)))
    assert "Ghi nhận thay đổi tình trạng" in page and "Tình trạng pháp lý hiện tại: Đang hoạt động." in page
    data = {"status": LegalStatus.SUSPENDED, "effective_from": "01/03/2024", "decision": "QĐ 12/QĐ-UBND"}
    response = client.post(status_new(org_a), data)
    assert response.status_code == 302 and response["Location"] == detail(org_a) + "#status"
    org_a.refresh_from_db()
    assert org_a.current_status == LegalStatus.SUSPENDED
    page = html(client.get(detail(org_a)))
    assert "01/03/2024" in page and "QĐ 12/QĐ-UBND" in page and "Tạm ngừng hoạt động" in page
    # The service's own checks come back on the form, in Vietnamese.
    page = html(client.post(status_new(org_a), {**data, "effective_from": "01/01/2000"}))
    assert "Tình trạng pháp lý không thể có hiệu lực trước ngày thành lập tổ chức." in page
    page = html(client.post(status_new(org_a), {**data, "effective_from": "02/03/2024"}))
    assert "Vào ngày đó tổ chức đã ở tình trạng này." in page


def test_yearly_report_create_and_update(client, province_user, org_a):
    client.force_login(province_user)
    data = report_form_data(revenue="2.500.000.000", profit="150.000.000", in_value_chain="on")
    response = client.post(year_new(org_a), data)
    # A draft is saved, not submitted: the year's page says so and offers the submission.
    review_url = reverse("registry:yearly_report_review", args=[org_a.pk, 2023])
    assert response.status_code == 302 and response["Location"] == review_url
    report = YearlyReport.objects.get(organisation=org_a, year=2023)
    assert report.state == YearlyReportState.DRAFT and report.submitted_at is None
    assert report.revenue == 2_500_000_000 and report.profit == 150_000_000 and report.in_value_chain
    assert report.history.get().history_user == province_user
    # Entering the same year again is refused; the existing year is edited instead.
    page = html(client.post(year_new(org_a), data))
    assert "Đã có số liệu năm 2023; hãy sửa số liệu của năm đó." in page
    page = html(client.get(year_edit(org_a, 2023)))
    assert "Số liệu năm 2023" in page
    assert 'value="2.500.000.000"' in page
    for legend in (
        "Thành viên và người lao động",
        "Tài chính",
        "Phát triển",
        "Chuyển đổi số",
        "Hỗ trợ của Nhà nước",
    ):
        assert legend in page
    response = client.post(year_edit(org_a, 2023), {**data, "year": "1999", "workers": "15"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.year == 2023 and report.workers == 15
    assert client.get(year_edit(org_a, 2021)).status_code == 404


def test_yearly_report_errors_are_in_vietnamese(client, province_user, org_a):
    client.force_login(province_user)
    page = html(
        client.post(year_new(org_a), report_form_data(revenue="100", profit="200", ocop_max_stars="3"))
    )
    assert "Lợi nhuận không được lớn hơn doanh thu." in page
    assert "Đã ghi số sao OCOP nhưng số sản phẩm OCOP bằng 0." in page
    assert not YearlyReport.objects.exists()


# --- Filters and sorting ----------------------------------------------------------------------------


@pytest.fixture
def varied(org_a, org_b):
    tht = OrganisationFactory(
        name="Tổ hợp tác Rau sạch Giao Thiện",
        kind=OrganisationKind.THT,
        sector=Sector.AGRICULTURE,
        commune_legacy=legacy_commune("Xã Giao Thiện"),
        charter_capital=Decimal(50_000_000),
        status=LegalStatus.DISSOLVED,
    )
    YearlyReportFactory(organisation=org_a, year=2023)
    return {"a": org_a, "b": org_b, "tht": tht}


def listed(client, **params) -> str:
    return html(client.get(LIST, params))


def test_filter_by_kind_sector_status_year(client, province_user, varied):
    client.force_login(province_user)
    page = listed(client, kind="qtdnd")
    assert "Tìm thấy 1 tổ chức" in page and "Quỹ tín dụng nhân dân Giao Thiện" in page
    page = client.get(LIST + "?kind=htx&kind=tht").content.decode()
    assert "Tìm thấy 2 tổ chức" in page and "Quỹ tín dụng nhân dân Giao Thiện" not in page
    page = listed(client, sector="agriculture")
    assert "Tìm thấy 2 tổ chức" in page and "Quỹ tín dụng nhân dân Giao Thiện" not in page
    page = listed(client, status="dissolved")
    assert "Tìm thấy 1 tổ chức" in page and "Tổ hợp tác Rau sạch Giao Thiện" in page
    page = listed(client, year="2023")
    assert "Tìm thấy 1 tổ chức" in page and "Hợp tác xã Hải Anh" in page
    page = listed(client, kind="xyz")
    assert "Tìm thấy 0 tổ chức" in page and "Hãy chọn một lựa chọn hợp lệ" in page


def test_filter_by_area_on_either_map(client, province_user, varied):
    client.force_login(province_user)
    page = listed(client, area=district("Huyện Giao Thủy").pk)
    assert "Tìm thấy 2 tổ chức" in page and "Hợp tác xã Hải Anh" not in page
    page = listed(client, area=legacy_commune("Xã Hải Minh").pk)
    assert "Tìm thấy 1 tổ chức" in page and "Hợp tác xã Hải Anh" in page
    page = listed(client, area=current_commune("Xã Hải Anh").pk)
    assert "Tìm thấy 1 tổ chức" in page and "Hợp tác xã Hải Anh" in page


def test_search_ignores_accents(client, province_user, varied):
    client.force_login(province_user)
    page = listed(client, q="hop tac xa hai anh")
    assert "Tìm thấy 1 tổ chức" in page and "Hợp tác xã Hải Anh" in page
    page = listed(client, q="GIAO THIEN")
    assert "Tìm thấy 2 tổ chức" in page
    page = listed(client, q=varied["a"].registration_code)
    assert "Tìm thấy 1 tổ chức" in page


def test_status_as_of_a_date(client, province_user, varied):
    client.force_login(province_user)
    # On 1/1/2015 only the credit fund (2010) existed; the others were founded later.
    page = listed(client, as_of="01/01/2015")
    assert "Tìm thấy 1 tổ chức" in page and "Quỹ tín dụng nhân dân Giao Thiện" in page
    assert "tình trạng pháp lý tính đến ngày 01/01/2015" in page
    page = listed(client, as_of="01/01/2024", status="active")
    assert "Tìm thấy 2 tổ chức" in page and "Tổ hợp tác Rau sạch Giao Thiện" not in page


def test_sorting_by_columns(client, province_user, varied):
    client.force_login(province_user)
    a, b, tht = varied["a"].name, varied["b"].name, varied["tht"].name

    def order(page, names):
        return sorted(names, key=page.index)

    page = listed(client, sort="charter_capital")
    assert order(page, [a, b, tht]) == [a, tht, b]
    page = listed(client, sort="-charter_capital")
    assert order(page, [a, b, tht]) == [b, tht, a]
    assert 'aria-sort="descending"' in page
    page = listed(client, sort="name")
    assert order(page, [a, b, tht]) == [a, b, tht]  # H < Q < T in Vietnamese order
    page = listed(client, sort="-name")
    assert order(page, [a, b, tht]) == [tht, b, a]


# --- Export ------------------------------------------------------------------------------------------


def test_export_has_vietnamese_headers_dates_and_numbers(client, province_user, varied):
    client.force_login(province_user)
    response = client.get(EXPORT, {"kind": ["htx", "qtdnd"], "sort": "name"})
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response_content(response))).active
    assert sheet["A1"].value.startswith("Danh sách tổ chức kinh tế tập thể")
    headers = [cell.value for cell in sheet[3]]
    assert headers[:4] == ["STT", "Tên", "Tên viết tắt", "Loại hình"]
    assert (
        "Ngày thành lập" in headers
        and "Vốn điều lệ (triệu đồng)" in headers
        and "Tình trạng pháp lý" in headers
    )
    assert all(cell.font.bold for cell in sheet[3])
    assert sheet.column_dimensions["B"].width > 30
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[1] for row in rows] == ["Hợp tác xã Hải Anh", "Quỹ tín dụng nhân dân Giao Thiện"]
    first = dict(zip(headers, rows[0], strict=True))
    assert first["Loại hình"] == "Hợp tác xã (HTX)"
    assert first["Ngày thành lập"] == datetime.datetime(2022, 10, 13)
    assert first["Vốn điều lệ (triệu đồng)"] == 1.5
    assert first["Xã/phường (từ 1/7/2025)"] == "Xã Hải Anh"
    assert first["Huyện cũ (trước 1/7/2025)"] == "Huyện Hải Hậu"
    assert first["Tình trạng pháp lý"] == "Đang hoạt động"
    founding_cell = sheet.cell(row=4, column=headers.index("Ngày thành lập") + 1)
    assert founding_cell.is_date and founding_cell.number_format == "DD/MM/YYYY"


def test_export_link_keeps_the_filters(client, province_user, varied):
    client.force_login(province_user)
    page = listed(client, kind="tht")
    assert f'href="{EXPORT}?kind=tht"' in page
    assert exported_names(client.get(EXPORT, {"kind": "tht"})) == ["Tổ hợp tác Rau sạch Giao Thiện"]


def test_export_status_as_of(client, province_user, varied):
    client.force_login(province_user)
    rows = workbook_rows(client.get(EXPORT, {"as_of": "01/01/2015"}))
    assert rows[1][0] == "Tình trạng pháp lý tính đến ngày 01/01/2015"
    assert [row[1] for row in rows[3:]] == ["Quỹ tín dụng nhân dân Giao Thiện"]


def test_yearly_report_form_saves_a_draft_or_saves_and_submits(client, province_user, org_a):
    """One form, two buttons: "Lưu nháp" keeps a draft, "Lưu và nộp" saves and submits (the day stamped by
    the system; no typed submission day); saving a draft later never clears a stored day."""
    client.force_login(province_user)
    page = html(client.get(year_new(org_a)))
    assert "Lưu nháp" in page and "Lưu và nộp" in page
    assert 'name="submitted_at"' not in page
    assert 'value="2021"' in html(client.get(year_new(org_a) + "?year=2021"))  # the desk's link of a year
    data = report_form_data(revenue="2.500.000.000", profit="150.000.000")
    client.post(year_new(org_a), {**data, "action": "draft"})
    report = YearlyReport.objects.get(organisation=org_a, year=2023)
    assert report.state == YearlyReportState.DRAFT
    response = client.post(
        year_edit(org_a, 2023), {**data, "workers": "9", "action": "submit", "version": report.version}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == YearlyReportState.SUBMITTED and report.workers == 9
    assert report.submitted_at == timezone.localdate()
    # Returned for corrections, saved again as a draft: the first submission day stays.
    transition(report, "return", user=province_user, comment="Thiếu số lao động")
    report.refresh_from_db()
    client.post(
        year_edit(org_a, 2023), {**data, "workers": "10", "action": "draft", "version": report.version}
    )
    report.refresh_from_db()
    assert report.state == YearlyReportState.RETURNED and report.workers == 10
    assert report.submitted_at == timezone.localdate()
