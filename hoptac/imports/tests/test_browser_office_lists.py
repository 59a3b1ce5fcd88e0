"""In headless Chromium, the commune officer xa_haihau signs in and uploads the list their office keeps (built
by office_lists.OfficeList: merged title rows, a header over two rows, STT, combined addresses, units in the
headers, a status column, a "Tổng cộng" row): the preview comes on the first try, and the import writes it.
A second list with defects is refused row by row, and the annotated copy downloaded from the page marks the
faulty cells. A list typed in the old TCVN3 font is converted, and the preview says so. Screenshots and the
annotated copy go to the screenshots folder (hoptac/core/browser.py)."""

import datetime
import io
import urllib.request

import pytest
from openpyxl import load_workbook

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import PASSWORD, UserFactory
from hoptac.areas.tests.factories import ensure_map, legacy_commune
from hoptac.core.browser import SCREENS, page_text, screenshot, sign_in, waiter
from hoptac.imports.tests.office_lists import TCVN3_LIST, OfficeList
from hoptac.registry.models import Organisation, YearlyReport

pytestmark = pytest.mark.browser
WAIT_SECONDS = 30
D = datetime.date

TITLES = ("UBND HUYỆN HẢI HẬU", "DANH SÁCH HỢP TÁC XÃ, TỔ HỢP TÁC TRÊN ĐỊA BÀN NĂM 2024")
HEADER = [
    "STT",
    "Tên hợp tác xã",
    "Mã số HTX",
    "Địa chỉ (xã, huyện)",
    "Ngày thành lập",
    "Ngành nghề",
    "Vốn điều lệ (triệu đồng)",
    "Thành viên",
    None,
    "Doanh thu năm 2024 (triệu đồng)",
    "Tình trạng hoạt động",
    None,
]
UNDER = [None] * 7 + ["Cá nhân (người)", "Hộ gia đình (hộ)", None, "Tình trạng", "Ngày quyết định"]
GOOD = [
    [1, "HTX Dịch vụ nông nghiệp Hải Minh", "0607000301", "X. Hải Minh, H. Hải Hậu", D(2019, 3, 12),
     "Dịch vụ nông nghiệp", "1.250", 245, 180, "3.480,5", "Đang hoạt động", None],
    [2, "HTX Thủy sản Hải Đường", "0607000302", "Hải Đường - Hải Hậu", "12/03/2019", "Thủy sản", 800, 30, None,
     "1.200", "Đang hoạt động", None],
    [3, "HTX Chăn nuôi Hải Anh", "0607000303", "Xã Hải Anh, huyện Hải Hậu", "12-3-2015", "Chăn nuôi", "2.000",
     60, 5, "950", "Tạm ngừng hoạt động", "15/06/2023"],
    [4, "Tổ hợp tác Rau an toàn Hải Minh", "", "Hải Minh, Hải Hậu", "05/01/2021", "Trồng trọt", 50, 12, None, 90,
     "Đang hoạt động", None],
]  # fmt: skip
BAD = [
    [1, "HTX Dịch vụ nông nghiệp Hải Minh 2", "06070003", "X. Hải Minh, H. Hải Hậu", "12/03/2099",
     "Nông nghiệp", "-500", 45, None, "3.480,5", "Đang hoạt động", None],
    [2, "HTX Thủy sản Hải Đường 2", "0607000305", "Hải Không Có - Hải Hậu", "12/03/2019", "Bất động sản", 800,
     "năm mươi", None, "1.200", "Giải thể", None],
]  # fmt: skip


def _fetch(browser, url: str) -> bytes:
    """A file the page links to, downloaded with the browser's session."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies})  # noqa: S310 — the live test server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read()


def test_a_commune_officer_imports_the_list_of_their_office_on_the_first_try(live_server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    ensure_map()
    UserFactory(
        username="xa_haihau",
        role=Role.COMMUNE,
        areas=[
            legacy_commune("Xã Hải Minh", "Huyện Hải Hậu"),
            legacy_commune("Xã Hải Anh", "Huyện Hải Hậu"),
            legacy_commune("Xã Hải Đường", "Huyện Hải Hậu"),
        ],
    )
    good, bad = tmp_path / "danh-sach-htx-2024.xlsx", tmp_path / "danh-sach-htx-loi.xlsx"
    good.write_bytes(
        OfficeList(header=HEADER, under=UNDER, rows=GOOD, titles=TITLES, summed=(6, 7, 8, 9)).xlsx()
    )
    bad_list = OfficeList(header=HEADER, under=UNDER, rows=BAD, titles=TITLES, summed=(6, 7, 8, 9))
    bad.write_bytes(bad_list.xlsx())
    wait = waiter(browser, WAIT_SECONDS)
    sign_in(browser, wait, f"{live_server.url}/imports/", "xa_haihau", PASSWORD)

    def upload(path) -> str:
        browser.get(f"{live_server.url}/imports/")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "input[type=file]")))
        browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(path))
        browser.find_element(By.CSS_SELECTOR, ".form-actions button[type=submit]").click()
        wait.until(ec.presence_of_element_located((By.ID, "count-create")))
        return page_text(browser)

    page = upload(good)
    assert browser.find_element(By.ID, "count-create").text == "4"
    assert browser.find_element(By.ID, "count-error").text == "0"
    assert not browser.find_elements(By.ID, "import-errors") and not browser.find_elements(
        By.ID, "import-file-errors"
    )
    assert "Dòng tiêu đề: 4–5; các cột đã đọc: Tên hợp tác xã, Mã số HTX, Địa chỉ (xã, huyện)" in page
    assert "vốn điều lệ (triệu đồng): 1.250" in page  # the capital in its display unit, named
    assert "2024: doanh thu (triệu đồng): 3.480,5" in page
    assert "loại hình: Tổ hợp tác (THT)" in page  # the kind from the name, the list has no kind column
    assert "Bỏ qua dòng 10: dòng tổng cộng “Tổng cộng”" in page
    assert not browser.find_elements(
        By.ID, "import-ignored"
    )  # STT is the rows' number, not a forgotten column
    screenshot(browser, "12a-01-preview-commune-list")

    browser.find_element(By.ID, "commit-import").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "job-state"), "Đã nhập"))
    screenshot(browser, "12a-02-imported")
    assert Organisation.objects.count() == 4
    created = Organisation.objects.get(registration_code="0607000303")
    assert (created.commune_legacy.name, created.current_status, created.sub_sector) == (
        "Xã Hải Anh",
        "suspended",
        "livestock",
    )
    assert (
        YearlyReport.objects.get(organisation__registration_code="0607000301", year=2024).revenue
        == 3480500000
    )

    upload(bad)
    errors = browser.find_element(By.ID, "import-errors").text.splitlines()
    assert errors == [
        "Dòng 6 – cột Ngày thành lập: ngày 12/03/2099 ở tương lai",
        "Dòng 6 – cột Vốn điều lệ (triệu đồng): số tiền không được âm (-500.000.000)",
        "Dòng 6 – cột Mã số HTX: Mã số của hợp tác xã, liên hiệp hợp tác xã gồm đúng 10 chữ số (đồng thời là "
        "mã số thuế, Nghị định 92/2024/NĐ-CP); '06070003' không đúng.",
        "Dòng 7 – cột Ngành nghề: 'Bất động sản' không thuộc các giá trị hợp lệ (xem trang Giá trị hợp lệ)",
        "Dòng 7 – cột Thành viên – Cá nhân (người): 'năm mươi' không phải là số",
        "Dòng 7 – cột Địa chỉ (xã, huyện): không có xã/phường 'Hải Không Có, Hải Hậu' trên bản đồ nào",
        "Dòng 7 – cột Ngày quyết định: hãy ghi ngày bắt đầu của tình trạng này",
    ], errors
    assert not browser.find_elements(By.ID, "commit-import")
    screenshot(browser, "12a-03-preview-refused-list")
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "ghi chú")
    annotated = _fetch(browser, link.get_attribute("href"))
    (SCREENS / "12a-annotated-copy.xlsx").write_bytes(annotated)
    sheet = load_workbook(io.BytesIO(annotated)).worksheets[0]
    commented = {
        cell.coordinate: cell.comment.text for row in sheet.iter_rows() for cell in row if cell.comment
    }
    assert set(commented) == {
        "G6",
        "C6",
        "E6",
        "H7",
        "F7",
        "D7",
        "L7",
    }  # the faulty cells, each with its reason
    assert "không được âm" in commented["G6"] and "tương lai" in commented["E6"]
    assert Organisation.objects.count() == 4  # the refused list wrote nothing

    old_font = tmp_path / "danh-sach-cu-tcvn3.xlsx"  # a list kept since the days of the .VnTime fonts
    old_font.write_bytes(TCVN3_LIST.xlsx())
    page = upload(old_font)
    assert browser.find_element(By.ID, "count-create").text == "2"
    notes = browser.find_element(By.ID, "import-notes").text
    assert "Văn bản gõ bằng bảng mã cũ TCVN3 (ABC) đã được chuyển sang Unicode (20 ô;" in notes
    assert "“Hîp t¸c x· N«ng nghiÖp H¶i Minh” → “Hợp tác xã Nông nghiệp Hải Minh”" in notes
    assert "tên: Hợp tác xã Nông nghiệp Hải Minh" in page and "tên: HTX Muối Văn Lý" in page
    screenshot(browser, "12a-05-preview-tcvn3-list")
