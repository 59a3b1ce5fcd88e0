"""The lists offices really keep, built in code (office_lists.OfficeList) and imported on the first try: every
created value is checked (name, kind, commune on both maps, sector and sub-sector, capital in đồng, members,
the year's figures, the legal-status history), and every error message with its row and column, exactly."""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from django.utils import translation

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import legacy_commune
from hoptac.imports import legacy_fonts
from hoptac.imports.importer import ImportRefused, import_registry
from hoptac.imports.tests.office_lists import TCVN3_LIST, VNI_LIST, OfficeList
from hoptac.registry.models import Organisation, StatusChange, YearlyReport

pytestmark = pytest.mark.django_db

D = datetime.date

# A district's list: "Thành viên" and "Tình trạng hoạt động" are each merged over two columns of a second header
# row; every other header cell spans both rows.
HEADER = [
    "STT",
    "Tên hợp tác xã",
    "Mã số HTX",
    "Địa chỉ (xã, huyện)",
    "Ngày thành lập",
    "Lĩnh vực",
    "Vốn điều lệ (triệu đồng)",
    "Thành viên",
    None,
    "Doanh thu năm 2024 (triệu đồng)",
    "Tình trạng hoạt động",
    None,
]
UNDER = [None] * 7 + ["Cá nhân (người)", "Hộ gia đình (hộ)", None, "Tình trạng", "Ngày quyết định"]
# The same list with a one-row header, as many offices type it.
FLAT_HEADER = [
    "STT",
    "Tên HTX",
    "Mã số HTX",
    "Địa chỉ (xã, huyện)",
    "Ngày thành lập",
    "Ngành nghề",
    "Vốn điều lệ (triệu đồng)",
    "Số thành viên (người)",
    "Thành viên là hộ gia đình (hộ)",
    "Doanh thu năm 2024 (triệu đồng)",
    "Tình trạng",
    "Ngày quyết định",
]
ROWS = [
    # the address in every spelling offices use: X./H. abbreviations, full words with a dash, no prefix, TT.,
    # P./TP., X./TX., "TT" without a dot, and a commune of the new map with its province
    [1, "HTX Dịch vụ nông nghiệp Hải Minh", "0607000101", "X. Hải Minh, H. Hải Hậu", D(2019, 3, 12),
     "Nông nghiệp", "1.250", 45, 12, "3.480,5", "Đang hoạt động", None],
    [2, "HTX Thủy sản Giao Thiện", "0607000102", "Xã Giao Thiện - Huyện Giao Thủy", "12/03/2019", "Thủy sản",
     800, 30, None, 1200, "Đang hoạt động", None],
    [3, "HTX Muối Hải Đông", "0607000103", "Hải Đông, Hải Hậu", "12-3-2019", "Diêm nghiệp", "2.000", 60, 5,
     "950", "Tạm ngừng hoạt động", "15/06/2023"],
    [4, "HTX Chăn nuôi Hải Anh", "0607000104", "Xã Hải Anh, tỉnh Ninh Bình", "05/01/2010", "Chăn nuôi", 500,
     9, None, 0, "Giải thể", D(2024, 10, 1)],
    [5, "HTX Mây tre đan Yên Định", "0607000105", "TT. Yên Định, H. Hải Hậu", "20/11/2015", "CN-TTCN", "1.500",
     15, None, "2.100", "Đang hoạt động", None],
    [6, "HTX Thương mại dịch vụ Lộc Hạ", "0607000106", "P. Lộc Hạ, TP. Nam Định", "01/04/2021",
     "Thương mại - dịch vụ", "3.000,5", 12, None, "5.000", "Đang hoạt động", None],
    [7, "HTX Nông nghiệp Chuyên Ngoại", "0607000107", "X. Chuyên Ngoại, TX. Duy Tiên", "02/02/2012",
     "Trồng trọt", 700, 120, 100, 600, "Đang hoạt động", None],
    [8, "HTX Vận tải Quất Lâm", "0607000108", "TT Quất Lâm - Giao Thủy", "03/03/2013", "Vận tải", 900, 8, None,
     400, "Đang hoạt động", None],
]  # fmt: skip
SUMMED = (6, 7, 8, 9)  # capital, members, households, revenue: the "Tổng cộng" row's formulas

# What each row must create: (name, code, founding date, (old commune, its district) or None, new commune,
# sector, sub-sector, capital in đồng, (members, households, revenue in đồng) of 2024, status history).
MILLION = Decimal(1_000_000)
EXPECTED = [
    ("HTX Dịch vụ nông nghiệp Hải Minh", "0607000101", D(2019, 3, 12), ("Xã Hải Minh", "Huyện Hải Hậu"),
     "Xã Hải Anh", "agriculture", "", 1250 * MILLION, (45, 12, Decimal("3480.5") * MILLION),
     [("active", D(2019, 3, 12))]),
    ("HTX Thủy sản Giao Thiện", "0607000102", D(2019, 3, 12), ("Xã Giao Thiện", "Huyện Giao Thủy"),
     "Xã Giao Minh", "agriculture", "aquaculture", 800 * MILLION, (30, 0, 1200 * MILLION),
     [("active", D(2019, 3, 12))]),
    ("HTX Muối Hải Đông", "0607000103", D(2019, 3, 12), ("Xã Hải Đông", "Huyện Hải Hậu"), "Xã Hải Quang",
     "agriculture", "salt", 2000 * MILLION, (60, 5, 950 * MILLION),
     [("active", D(2019, 3, 12)), ("suspended", D(2023, 6, 15))]),
    ("HTX Chăn nuôi Hải Anh", "0607000104", D(2010, 1, 5), None, "Xã Hải Anh", "agriculture", "livestock",
     500 * MILLION, (9, 0, Decimal(0)), [("active", D(2010, 1, 5)), ("dissolved", D(2024, 10, 1))]),
    ("HTX Mây tre đan Yên Định", "0607000105", D(2015, 11, 20), ("Thị trấn Yên Định", "Huyện Hải Hậu"),
     "Xã Hải Hậu", "industry", "", 1500 * MILLION, (15, 0, 2100 * MILLION), [("active", D(2015, 11, 20))]),
    ("HTX Thương mại dịch vụ Lộc Hạ", "0607000106", D(2021, 4, 1), ("Phường Lộc Hạ", "Thành phố Nam Định"),
     "Phường Thiên Trường", "trade", "", Decimal("3000.5") * MILLION, (12, 0, 5000 * MILLION),
     [("active", D(2021, 4, 1))]),
    ("HTX Nông nghiệp Chuyên Ngoại", "0607000107", D(2012, 2, 2), ("Xã Chuyên Ngoại", "Thị xã Duy Tiên"),
     "Phường Duy Tiên", "agriculture", "crops", 700 * MILLION, (120, 100, 600 * MILLION),
     [("active", D(2012, 2, 2))]),
    ("HTX Vận tải Quất Lâm", "0607000108", D(2013, 3, 3), ("Thị trấn Quất Lâm", "Huyện Giao Thủy"),
     "Xã Giao Ninh", "transport", "", 900 * MILLION, (8, 0, 400 * MILLION), [("active", D(2013, 3, 3))]),
]  # fmt: skip


@pytest.fixture
def officer():
    return UserFactory(role=Role.PROVINCE)


def run(user, content: bytes, filename: str, commit: bool = False):
    with translation.override("vi"):
        return import_registry(user=user, content=content, filename=filename, commit=commit)


def created_values(code: str) -> tuple:
    """What the registry holds for a code, in the shape of EXPECTED."""
    o = Organisation.objects.select_related("commune_legacy__parent", "commune_current").get(
        registration_code=code
    )
    old = (o.commune_legacy.name, o.commune_legacy.parent.name) if o.commune_legacy else None
    report = YearlyReport.objects.get(organisation=o, year=2024)
    history = [(s.status, s.effective_from) for s in StatusChange.objects.filter(organisation=o)]
    return (
        o.name,
        o.registration_code,
        o.founding_date,
        old,
        o.commune_current.name,
        o.sector,
        o.sub_sector,
        o.charter_capital,
        (report.official_individuals, report.official_households, report.revenue),
        history,
    )


def check_everything_created(result) -> None:
    assert result.committed and not result.errors
    assert Organisation.objects.count() == len(EXPECTED)
    for expected in EXPECTED:
        assert created_values(expected[1]) == expected
        assert Organisation.objects.get(registration_code=expected[1]).kind == "htx"  # from "HTX …"
    dissolved = Organisation.objects.get(registration_code="0607000104")
    assert dissolved.current_status == "dissolved"
    assert Organisation.objects.get(registration_code="0607000103").current_status == "suspended"


def test_a_district_list_with_a_header_over_two_rows_is_imported_on_the_first_try(officer):
    office_list = OfficeList(header=HEADER, under=UNDER, rows=ROWS, summed=SUMMED, blank_after=(3,))
    preview = run(officer, office_list.xlsx(), "danh-sach-htx.xlsx")
    assert preview.errors == []
    assert preview.header_row == 4 == office_list.header_row
    assert preview.header_rows_shown == "4–5"  # "Thành viên" and "Tình trạng hoạt động" over two columns each
    assert preview.columns == [
        "Tên hợp tác xã",
        "Mã số HTX",
        "Địa chỉ (xã, huyện)",
        "Ngày thành lập",
        "Lĩnh vực",
        "Vốn điều lệ (triệu đồng)",
        "Thành viên – Cá nhân (người)",
        "Thành viên – Hộ gia đình (hộ)",
        "Doanh thu năm 2024 (triệu đồng)",
        "Tình trạng",
        "Ngày quyết định",
    ]
    assert preview.ignored == []  # STT numbers the rows: not a column left unread
    assert preview.notes == [
        "Năm số liệu: 2024 (theo tiêu đề cột).",
        "Cột “Vốn điều lệ (triệu đồng)”: số tiền ghi bằng triệu đồng (theo tiêu đề cột), đã đổi ra đồng "
        "(× 1.000.000).",
        "Cột “Doanh thu năm 2024 (triệu đồng)”: số tiền ghi bằng triệu đồng (theo tiêu đề cột), đã đổi ra "
        "đồng (× 1.000.000).",
    ]
    assert office_list.total_row == 15  # rows 6–9, a blank row, rows 11–14, the total
    assert preview.skipped == ["Bỏ qua dòng 15: dòng tổng cộng “Tổng cộng”"]
    assert [(r.row, r.action) for r in preview.rows] == [
        (office_list.row_number(i), "create") for i in range(len(ROWS))
    ]
    assert [r.row for r in preview.rows] == [6, 7, 8, 9, 11, 12, 13, 14]
    first = dict((str(label), after) for label, _before, after in preview.rows[0].changes)
    # Stored in đồng (1.250 triệu × 1.000.000), shown in the one display unit, named in the label.
    assert first["vốn điều lệ (triệu đồng)"] == "1.250"
    assert first["2024: doanh thu (triệu đồng)"] == "3.480,5"
    assert first["xã/phường (bản đồ trước 1/7/2025)"] == "Xã Hải Minh, Huyện Hải Hậu"
    assert first["xã/phường (bản đồ từ 1/7/2025)"] == "Xã Hải Anh"
    assert ("tình trạng pháp lý", "Đang hoạt động", "Tạm ngừng hoạt động từ 15/06/2023") in [
        (str(f), b, a) for f, b, a in preview.rows[2].changes
    ]
    assert not Organisation.objects.exists()  # a dry run writes nothing

    check_everything_created(run(officer, office_list.xlsx(), "danh-sach-htx.xlsx", commit=True))


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Excel writes it: ă â ê ô ơ ư đ are letters, the tones combining marks after them."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", ch)
            tone = next(m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", marks.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return out


@pytest.mark.parametrize("encoding", ["windows-1258", "utf-16", "utf-8-sig"])
def test_the_same_list_saved_as_csv_in_the_encodings_offices_write(officer, encoding):
    """A one-row header this time, dates as text (Excel's CSV), the total as a computed number."""
    office_list = OfficeList(
        header=FLAT_HEADER, rows=ROWS, summed=SUMMED, label_column=0
    )  # "Tổng cộng" in STT
    if encoding == "windows-1258":
        content = to_cp1258(office_list.csv(encoding="utf-8").decode("utf-8"))
    else:
        content = office_list.csv(encoding=encoding)
    preview = run(officer, content, "danh-sach-htx.csv")
    assert preview.errors == []
    assert preview.header_rows_shown == "4"
    assert [r.row for r in preview.rows] == [5, 6, 7, 8, 9, 10, 11, 12]
    assert preview.skipped == ["Bỏ qua dòng 13: dòng tổng cộng “Tổng cộng”"]
    if encoding == "windows-1258":
        assert "Tệp CSV được đọc theo bảng mã Windows-1258." in preview.notes
    check_everything_created(run(officer, content, "danh-sach-htx.csv", commit=True))


DEFECTS = [
    # each row: one or more defects, every one reported at once with its row and column
    [1, "HTX Dịch vụ nông nghiệp Hải Minh", "06070001", "X. Hải Minh, H. Hải Hậu", "12/03/2019", "Nông nghiệp",
     "-500", 45, None, "3.480,5", "Đang hoạt động", None],
    [2, "HTX Thủy sản Giao Thiện", "0607000102", "X. Giao Thiện, H. Giao Thủy", "12/03/2099", "Thủy sản",
     800, "năm mươi", None, 1200, "Đang hoạt động", None],
    [3, "HTX Muối Hải Đông", "0607000103", "X. Hải Không Có, H. Hải Hậu", "12-3-2019", "Kinh doanh bất động sản",
     "2.000", 60, None, "950", "Giải thể", None],
    [4, "", "0607000104", "Xã Hải Anh, tỉnh Ninh Bình", "05/01/2010", "Chăn nuôi", 500, 9, None, 0,
     "Tạm ngừng hoạt động", "01/01/2009"],
]  # fmt: skip


def test_every_defect_of_an_office_list_is_named_with_its_row_and_column(officer):
    office_list = OfficeList(header=FLAT_HEADER, rows=DEFECTS, summed=SUMMED, blank_after=(1,))
    preview = run(officer, office_list.xlsx(), "danh-sach-loi.xlsx")
    rows = [office_list.row_number(i) for i in range(len(DEFECTS))]
    assert rows == [5, 6, 8, 9]
    assert preview.file_errors == []
    assert preview.errors == [
        "Dòng 5 – cột Vốn điều lệ (triệu đồng): số tiền không được âm (-500.000.000)",
        "Dòng 5 – cột Mã số HTX: Mã số của hợp tác xã, liên hiệp hợp tác xã gồm đúng 10 chữ số (đồng thời là "
        "mã số thuế, Nghị định 92/2024/NĐ-CP); '06070001' không đúng.",
        "Dòng 6 – cột Ngày thành lập: ngày 12/03/2099 ở tương lai",
        "Dòng 6 – cột Số thành viên (người): 'năm mươi' không phải là số",
        "Dòng 8 – cột Ngành nghề: 'Kinh doanh bất động sản' không thuộc các giá trị hợp lệ (xem trang Giá trị "
        "hợp lệ)",
        "Dòng 8 – cột Địa chỉ (xã, huyện): không có xã/phường 'Hải Không Có, Hải Hậu' trên bản đồ nào",
        "Dòng 8 – cột Ngày quyết định: hãy ghi ngày bắt đầu của tình trạng này",
        "Dòng 9 – cột Tên HTX: Trường này không được để trắng.",
        "Dòng 9 – cột Ngày quyết định: ngày của tình trạng trước ngày thành lập/đăng ký của tổ chức",
    ]
    cells = {(r.row, index) for r in preview.rows for index, _reason in r.cells}
    assert cells == {(5, 6), (5, 2), (6, 4), (6, 7), (8, 5), (8, 3), (8, 11), (9, 1), (9, 11)}  # marked cells
    assert [r.action for r in preview.rows] == ["error"] * 4
    with pytest.raises(ImportRefused):
        run(officer, office_list.xlsx(), "danh-sach-loi.xlsx", commit=True)
    assert not Organisation.objects.exists() and not StatusChange.objects.exists()  # all or nothing


def test_a_name_without_its_kind_in_a_list_without_a_kind_column(officer):
    rows = [[1, "Nông nghiệp Hải Minh", "0607000101", "X. Hải Minh, H. Hải Hậu", "12/03/2019", "Nông nghiệp",
             "1.250", 45, None, "950", "Đang hoạt động", None],
            [2, "Tổ hợp tác Rau sạch Hải Minh", "", "X. Hải Minh, H. Hải Hậu", "12/03/2019", "Trồng trọt", 10, 7,
             None, 50, "Đang hoạt động", None]]  # fmt: skip
    preview = run(officer, OfficeList(header=FLAT_HEADER, rows=rows, total=None).xlsx(), "ds.xlsx")
    assert preview.errors == [
        "Dòng 5 – cột Tên HTX: danh sách không có cột 'Loại hình' và tên không bắt đầu bằng loại hình (HTX, "
        "Hợp tác xã, LHHTX, Tổ hợp tác, QTDND): hãy thêm cột này hoặc ghi loại hình vào đầu tên",
    ]
    assert preview.rows[1].action == "create"
    assert ("loại hình", "—", "Tổ hợp tác (THT)") in [(str(f), b, a) for f, b, a in preview.rows[1].changes]


# ---- old font encodings ---------------------------------------------------------------------------------------


def test_the_mapping_tables_read_real_legacy_text():
    """Strings as the old fonts stored them (TCVN3: one byte a letter; VNI: a letter and its marks)."""
    assert legacy_fonts.from_tcvn3("Hîp t¸c x· N«ng nghiÖp") == "Hợp tác xã Nông nghiệp"
    assert legacy_fonts.from_tcvn3("B¶o Th¾ng") == "Bảo Thắng"
    assert (
        legacy_fonts.from_tcvn3("X· H¶i Minh, HUYÖN H¶I HËU") == "Xã Hải Minh, HUYỆN HẢI HẬU"
    )  # .VnTimeH capitals
    assert legacy_fonts.from_tcvn3("DANH S¸CH HîP T¸C X· N¡M 2024") == "DANH SÁCH HỢP TÁC XÃ NĂM 2024"
    assert legacy_fonts.from_tcvn3("Ninh B×nh") == "Ninh Bình"
    assert legacy_fonts.from_tcvn3("Tr\xadêng ThÞnh, §ång Nai") == "Trường Thịnh, Đồng Nai"
    assert legacy_fonts.from_vni("Xin chaøo caùc baïn") == "Xin chào các bạn"
    assert legacy_fonts.from_vni("Hôïp taùc xaõ Noâng nghieäp") == "Hợp tác xã Nông nghiệp"
    assert legacy_fonts.from_vni("Ñöôøng Lónh Vöïc Thuûy") == "Đường Lĩnh Vực Thủy"
    assert legacy_fonts.fonts_of("Hîp t¸c x· N«ng nghiÖp") == {legacy_fonts.TCVN3}
    assert legacy_fonts.fonts_of("Hôïp taùc xaõ Noâng nghieäp") == {legacy_fonts.VNI}
    unicode_texts = (
        "Hoà Bình",
        "Hoá chất Cô Tô",
        "Công ty ABC®",
        "«Thuý» Café",
        "Hợp tác xã",
        "Müller",
        "Peña",
    )
    for unicode_text in unicode_texts:
        assert legacy_fonts.marked_by(unicode_text) == set(), unicode_text


def test_a_column_typed_in_tcvn3_is_converted_whole_and_nothing_else():
    """A short cell without a sign of its own ("ThÞnh", "Cô" for "Cụ") goes with its column; a column without
    any TCVN3 text, a foreign name among them, stays as it is."""
    verdict = legacy_fonts.judge(
        [(1, 0, "Hîp t¸c x· H¶i Minh"), (2, 0, "ThÞnh"), (3, 0, "Cô"), (3, 1, "Hoà Bình"), (4, 1, "Müller")]
    )
    assert verdict.font == legacy_fonts.TCVN3 and not verdict.ambiguous
    assert verdict.converted == {(1, 0): "Hợp tác xã Hải Minh", (2, 0): "Thịnh", (3, 0): "Cụ"}


def check_legacy_list_created() -> None:
    one = Organisation.objects.get(registration_code="0607000201")
    two = Organisation.objects.get(registration_code="0607000202")
    assert (one.name, one.commune_legacy, one.sector, one.charter_capital) == (
        "Hợp tác xã Nông nghiệp Hải Minh",
        legacy_commune("Xã Hải Minh", "Huyện Hải Hậu"),
        "agriculture",
        1250 * MILLION,
    )
    assert (two.name, two.commune_legacy, two.sector, two.sub_sector, two.charter_capital) == (
        "HTX Muối Văn Lý",
        legacy_commune("Xã Hải Đường", "Huyện Hải Hậu"),
        "agriculture",
        "salt",
        800 * MILLION,
    )
    assert YearlyReport.objects.get(organisation=one, year=2024).official_individuals == 45
    assert [(s.status, s.effective_from) for s in two.status_changes.all()] == [
        ("active", D(2010, 1, 5)),
        ("suspended", D(2023, 6, 15)),
    ]


TCVN3_NOTE = (
    "Văn bản gõ bằng bảng mã cũ TCVN3 (ABC) đã được chuyển sang Unicode (20 ô; dòng 5, cột Tên hợp tác xã: "
    "“Hîp t¸c x· N«ng nghiÖp H¶i Minh” → “Hợp tác xã Nông nghiệp Hải Minh”; dòng 6, cột Tên hợp tác xã: "
    "“HTX Muèi V¨n Lý” → “HTX Muối Văn Lý”; dòng 1, cột A: “UBND HUYÖN H¶I HËU” → “UBND HUYỆN HẢI HẬU”). "
    "Hãy kiểm tra các tên trong bản xem trước."
)
VNI_NOTE = (
    "Văn bản gõ bằng bảng mã cũ VNI đã được chuyển sang Unicode (20 ô; dòng 5, cột Tên hợp tác xã: "
    "“Hôïp taùc xaõ Noâng nghieäp Haûi Minh” → “Hợp tác xã Nông nghiệp Hải Minh”; dòng 6, cột Tên hợp tác "
    "xã: “HTX Muoái Vaên Lyù” → “HTX Muối Văn Lý”; dòng 1, cột A: “UBND HUYEÄN HAÛI HAÄU” → “UBND HUYỆN "
    "HẢI HẬU”). Hãy kiểm tra các tên trong bản xem trước."
)


@pytest.mark.parametrize(
    ("office_list", "filename", "note"),
    [
        (TCVN3_LIST, "xlsx", TCVN3_NOTE),
        (TCVN3_LIST, "csv", TCVN3_NOTE),
        (VNI_LIST, "xlsx", VNI_NOTE),
    ],
    ids=["tcvn3-xlsx", "tcvn3-csv", "vni-xlsx"],
)
def test_a_list_typed_in_an_old_font_is_converted_and_told(officer, office_list, filename, note):
    content = office_list.xlsx() if filename == "xlsx" else office_list.csv(encoding="latin-1")
    preview = run(officer, content, f"danh-sach.{filename}")
    assert preview.errors == []
    assert note in preview.notes
    assert [r.organisation for r in preview.rows] == ["Hợp tác xã Nông nghiệp Hải Minh", "HTX Muối Văn Lý"]
    run(officer, content, f"danh-sach.{filename}", commit=True)
    check_legacy_list_created()


def test_a_list_mixing_the_two_old_fonts_is_refused_with_a_clear_message(officer):
    rows = [list(TCVN3_LIST.rows[0]), list(VNI_LIST.rows[1])]
    office_list = OfficeList(header=FLAT_HEADER[:8] + FLAT_HEADER[10:], rows=rows, total=None)
    preview = run(officer, office_list.xlsx(), "ds.xlsx")
    assert preview.file_errors == [
        "Một số ô có vẻ được gõ bằng bảng mã cũ (TCVN3/ABC hoặc VNI) nhưng không đọc được chắc chắn (dòng 5, "
        "cột Tên HTX: “Hîp t¸c x· N«ng nghiÖp H¶i Minh”; dòng 5, cột Địa chỉ (xã, huyện): “X· H¶i Minh, "
        "HuyÖn H¶i HËu”; dòng 5, cột Ngành nghề: “N«ng nghiÖp”). Hãy chuyển tệp sang Unicode (ví dụ Unikey: "
        "Công cụ → Chuyển mã, sang Unicode) rồi tải lên lại."
    ]
    with pytest.raises(ImportRefused):
        run(officer, office_list.xlsx(), "ds.xlsx", commit=True)
    assert not Organisation.objects.exists()
