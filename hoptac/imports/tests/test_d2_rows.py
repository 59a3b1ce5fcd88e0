"""Row checking (engineer d2): every error of a row at once, range checks, the registration-code rule, re-import
matched by name and commune, and "not found" told like "not yours"."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import hai_minh_and_giao_xuan, legacy_commune
from hoptac.imports.importer import ImportRefused, import_registry, name_key
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory
from hoptac.registry.validators import normalise_registration_code, registration_code_errors

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
    "Năm số liệu",
    "Lao động",
    "Doanh thu (đồng)",
]
GOOD = [
    "0607960001",
    "HTX Dịch vụ nông nghiệp Hải Minh",
    "HTX",
    "13/10/2020",
    "Xã Hải Minh",
    "Huyện Hải Hậu",
    "Nông nghiệp",
    "500.000.000",
    2024,
    12,
    "1.000.000",
]


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def check(user, rows, header=HEADER):
    with translation.override("vi"):
        return import_registry(user=user, content=xlsx([header, *rows]), filename="ds.xlsx", commit=False)


@pytest.fixture
def officer():
    return UserFactory(role=Role.PROVINCE)


def test_every_error_of_a_row_at_once(officer):
    """A future founding date, a missing name, a negative capital, a code of the wrong length and a missing
    year column: all five told in one round, each with its row and column."""
    header = [h for h in HEADER if h != "Năm số liệu"]
    row = [
        "06079600",
        "",
        "HTX",
        "01/01/2099",
        "Xã Hải Minh",
        "Huyện Hải Hậu",
        "Nông nghiệp",
        "-5.000.000",
        3,
        "",
    ]
    preview = check(officer, [row], header)
    assert preview.rows[0].action == "error"
    assert preview.errors == [
        "Dòng 2 – cột Ngày thành lập: ngày 01/01/2099 ở tương lai",
        "Dòng 2 – cột Vốn điều lệ (đồng): số tiền không được âm (-5.000.000)",
        "Dòng 2 – cột Năm số liệu: dòng có số liệu năm nhưng không ghi năm: hãy ghi năm của số liệu",
        "Dòng 2 – cột Tên tổ chức: Trường này không được để trắng.",
        "Dòng 2 – cột Mã số đăng ký: Mã số của hợp tác xã, liên hiệp hợp tác xã gồm đúng 10 chữ số (đồng thời "
        "là mã số thuế, Nghị định 92/2024/NĐ-CP); '06079600' không đúng.",
    ]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Vốn điều lệ (đồng)", "-1", "số tiền không được âm (-1)"),
        (
            "Vốn điều lệ (đồng)",
            "200.000.000.000.000",
            "200.000.000.000.000 đồng không phải là số tiền hợp lý (tối đa 100.000.000.000.000 đồng): "
            "hãy kiểm tra đơn vị tính",
        ),
        ("Doanh thu (đồng)", "-10", "số tiền không được âm (-10)"),
        ("Lao động", "250000", "250.000 lớn hơn mức tối đa hợp lý là 100.000"),
        ("Ngày thành lập", "01/01/1930", "ngày 01/01/1930 trước 2/9/1945: hãy kiểm tra lại năm"),
        ("Năm số liệu", 1900, "1900 không phải là năm số liệu (từ 1945 trở đi)"),
        (
            "Mã số đăng ký",
            "06079600011",
            "Mã số của hợp tác xã, liên hiệp hợp tác xã gồm đúng 10 chữ số (đồng thời là mã số thuế, Nghị định "
            "92/2024/NĐ-CP); '06079600011' không đúng.",
        ),
        (
            "Mã số đăng ký",
            "HTX-0001",
            "Mã số của hợp tác xã, liên hiệp hợp tác xã gồm đúng 10 chữ số (đồng thời là mã số thuế, Nghị định "
            "92/2024/NĐ-CP); 'HTX-0001' không đúng.",
        ),
    ],
)
def test_range_checks_name_row_and_column(officer, column, value, message):
    row = list(GOOD)
    row[HEADER.index(column)] = value
    preview = check(officer, [row])
    assert preview.errors == [f"Dòng 2 – cột {column}: {message}"]


def test_future_founding_date_as_a_real_date(officer):
    row = list(GOOD)
    row[3] = datetime.date.today() + datetime.timedelta(days=1)
    preview = check(officer, [row])
    shown = (datetime.date.today() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert preview.errors == [f"Dòng 2 – cột Ngày thành lập: ngày {shown} ở tương lai"]


def test_registration_code_rule_in_one_place():
    assert registration_code_errors("htx", "0607960001") == []
    assert registration_code_errors("lhhtx", "0607960001") == []
    assert registration_code_errors("htx", "060796000") != []
    assert registration_code_errors("htx", "06079600O1") != []  # a letter O for a zero
    assert registration_code_errors("tht", "THT-GT-001") == []  # groups register with the commune
    assert registration_code_errors("htx", "") == []  # a code is optional (not yet known)
    assert normalise_registration_code(" 0607 960 001 ") == "0607960001"
    assert normalise_registration_code("06.07.960001") == "0607960001"
    assert normalise_registration_code("THT-GT-001") == "THT-GT-001"


def test_the_model_and_so_forms_and_api_refuse_a_wrong_code():
    organisation = OrganisationFactory.build(
        registration_code="12345", commune_legacy=legacy_commune("Xã Hải Minh", "Huyện Hải Hậu")
    )
    with pytest.raises(ValidationError) as raised:
        organisation.full_clean(exclude=["union", "converted_from"], validate_unique=False)
    assert list(raised.value.message_dict) == ["registration_code"]


def test_spaced_code_is_stored_joined(officer):
    row = list(GOOD)
    row[0] = "0607 960 001"
    with translation.override("vi"):
        import_registry(user=officer, content=xlsx([HEADER, row]), filename="ds.xlsx", commit=True)
    assert Organisation.objects.filter(registration_code="0607960001").exists()


# ---- re-import without codes -----------------------------------------------------------------------------

NO_CODE_HEADER = [
    "Tên tổ chức",
    "Loại hình",
    "Ngày thành lập",
    "Xã/phường",
    "Huyện",
    "Lĩnh vực",
    "Năm",
    "Lao động",
]


def no_code_row(name, commune="Xã Hải Minh", district="Huyện Hải Hậu", workers=9):
    return [name, "HTX", "01/03/2015", commune, district, "Nông nghiệp", 2024, workers]


def test_name_key_ignores_case_diacritics_and_prefix():
    assert name_key("Hợp tác xã Muối Văn Lý") == name_key("HTX muối văn lý") == name_key("htx MUOI VAN LY")
    assert name_key("Liên hiệp HTX Nam Định") == name_key("LHHTX Nam Dinh")
    assert name_key("HTX Văn Lý") != name_key("HTX Muối Văn Lý")


def test_reimport_without_code_matches_by_name_and_commune(officer):
    hai_minh, _giao_xuan = hai_minh_and_giao_xuan()
    existing = OrganisationFactory(
        name="Hợp tác xã Muối Văn Lý", registration_code="", commune_legacy=hai_minh
    )
    content = xlsx([NO_CODE_HEADER, no_code_row("HTX muối Văn Lý")])
    with translation.override("vi"):
        preview = import_registry(user=officer, content=content, filename="ds.xlsx", commit=False)
        assert [r.action for r in preview.rows] == ["update"] and not preview.errors
        before = Organisation.objects.count()
        import_registry(user=officer, content=content, filename="ds.xlsx", commit=True)
        import_registry(user=officer, content=content, filename="ds.xlsx", commit=True)  # again: no new row
    assert Organisation.objects.count() == before
    assert YearlyReport.objects.get(organisation=existing, year=2024).workers == 9


def test_same_name_in_another_commune_is_another_organisation(officer):
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    OrganisationFactory(name="HTX Dịch vụ tổng hợp", registration_code="", commune_legacy=giao_xuan)
    preview = check(officer, [no_code_row("HTX Dịch vụ tổng hợp")], NO_CODE_HEADER)
    assert [r.action for r in preview.rows] == ["create"]


def test_ambiguous_name_match_is_an_error_naming_the_candidates(officer):
    hai_minh, _giao_xuan = hai_minh_and_giao_xuan()
    OrganisationFactory(
        name="HTX Nông nghiệp Hải Minh", registration_code="0607960101", commune_legacy=hai_minh
    )
    OrganisationFactory(name="Hợp tác xã nông nghiệp Hải Minh", registration_code="", commune_legacy=hai_minh)
    preview = check(officer, [no_code_row("HTX Nông Nghiệp Hải Minh")], NO_CODE_HEADER)
    assert preview.errors == [
        "Dòng 2 – cột Tên tổ chức: có nhiều tổ chức cùng tên này trong xã/phường: HTX Nông nghiệp Hải Minh "
        "(0607960101); Hợp tác xã nông nghiệp Hải Minh (chưa có mã số); hãy ghi mã số đăng ký"
    ]


def test_two_rows_naming_the_same_organisation(officer):
    hai_minh, _giao_xuan = hai_minh_and_giao_xuan()
    OrganisationFactory(name="HTX Muối Hải Minh", registration_code="", commune_legacy=hai_minh)
    preview = check(
        officer, [no_code_row("HTX Muối Hải Minh"), no_code_row("Hợp tác xã muối Hải Minh")], NO_CODE_HEADER
    )
    assert preview.errors == ["Dòng 3 – cột Tên tổ chức: dòng 2 đã là của tổ chức này"]


# ---- not found and not yours are told alike ------------------------------------------------------------------


def test_another_communes_code_is_told_like_an_unknown_code():
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    mine = OrganisationFactory(registration_code="0607960201", commune_legacy=hai_minh)
    OrganisationFactory(registration_code="0607960202", commune_legacy=giao_xuan)
    representative = UserFactory(role=Role.REPRESENTATIVE, organisation=mine)
    header = ["Mã số đăng ký", "Năm số liệu", "Lao động"]
    preview = check(
        representative, [["0607960202", 2024, 5], ["0607969999", 2024, 5], ["0607960201", 2024, 5]], header
    )
    message = "không có tổ chức nào bạn được quyền cập nhật mang mã số đăng ký hoặc tên này"
    assert preview.errors == [
        f"Dòng 2 – cột Mã số đăng ký: {message}",
        f"Dòng 3 – cột Mã số đăng ký: {message}",
    ]
    assert preview.rows[2].action == "update"
    assert "địa bàn" not in " ".join(preview.errors)


def test_commune_officer_gets_the_same_words_for_another_communes_code():
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    OrganisationFactory(registration_code="0607960301", commune_legacy=giao_xuan)
    commune_officer = UserFactory(role=Role.COMMUNE, areas=[hai_minh])
    row = list(GOOD)
    row[0] = "0607960301"
    preview = check(commune_officer, [row])
    assert preview.errors == [
        "Dòng 2 – cột Mã số đăng ký: không có tổ chức nào bạn được quyền cập nhật mang mã số đăng ký hoặc tên này"
    ]


def test_a_refused_commit_writes_nothing(officer):
    bad = list(GOOD)
    bad[0], bad[7] = "0607960402", "-1"
    with translation.override("vi"), pytest.raises(ImportRefused):
        import_registry(user=officer, content=xlsx([HEADER, GOOD, bad]), filename="ds.xlsx", commit=True)
    assert not Organisation.objects.filter(registration_code__in=["0607960001", "0607960402"]).exists()
