"""The plan pages: the real plan file (Kế hoạch 139/KH-UBND) over a small registry. Vietnamese text, numbers
and dates; a card per target; the as-of date; drill-downs limited to the user's communes; qualitative
assessments; the Excel export against evaluate_plan."""

import datetime
import io
import re

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import hai_minh_and_giao_xuan
from hoptac.core.datafiles import load_path
from hoptac.plans import selectors
from hoptac.plans.choices import IndicatorKind, TargetStatus
from hoptac.plans.evaluation import evaluate_plan
from hoptac.plans.models import QualitativeAssessment
from hoptac.registry.choices import OrganisationKind, Sector
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db

D = datetime.date
PLAN_FILE = settings.HOPTAC_DATA_DIR / "plans/nam-dinh-139-KH-UBND-2022.yaml"
DEC_2023 = D(2023, 12, 31)


@pytest.fixture
def plan():
    return load_path("plans", PLAN_FILE).obj


@pytest.fixture
def registry():
    """Four cooperatives, a union and a cooperative group in Hải Minh (Hải Hậu) and Giao Xuân (Giao Thủy).
    On 31/12/2023: 3 HTX (the fourth is founded in 2024), 1 of the 3 with high technology (33,3%)."""
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    a = OrganisationFactory(name="Hợp tác xã Hải Minh", commune_legacy=hai_minh)
    b = OrganisationFactory(name="Hợp tác xã Giao Xuân", commune_legacy=giao_xuan)
    c = OrganisationFactory(
        name="Hợp tác xã Hải Minh 2",
        commune_legacy=hai_minh,
        founding_date=D(2016, 5, 1),
        registration_date=D(2016, 5, 10),
    )
    later = OrganisationFactory(
        name="Hợp tác xã Thương mại Hải Minh",
        commune_legacy=hai_minh,
        sector=Sector.TRADE_SERVICES,
        founding_date=D(2024, 3, 1),
        registration_date=D(2024, 3, 10),
    )
    union = OrganisationFactory(
        name="Liên hiệp HTX Giao Thủy",
        kind=OrganisationKind.LHHTX,
        commune_legacy=giao_xuan,
        founding_date=D(2018, 1, 1),
        registration_date=D(2018, 1, 1),
    )
    group = OrganisationFactory(
        name="Tổ hợp tác Rau Hải Minh",
        kind=OrganisationKind.THT,
        commune_legacy=hai_minh,
        founding_date=D(2023, 5, 1),
        registration_date=D(2023, 5, 1),
    )
    for year in (2022, 2023):
        YearlyReportFactory(state="accepted", organisation=a, year=year, high_tech=True, in_value_chain=True)
        YearlyReportFactory(state="accepted", organisation=b, year=year)
    YearlyReportFactory(state="accepted", organisation=c, year=2023, accounting_software=True)
    return {"a": a, "b": b, "c": c, "later": later, "union": union, "group": group, "hai_minh": hai_minh}


@pytest.fixture
def users(registry):
    return {
        "province": UserFactory(role=Role.PROVINCE, first_name="An", last_name="Nguyễn Văn"),
        "commune": UserFactory(role=Role.COMMUNE, areas=[registry["hai_minh"]]),
        "viewer": UserFactory(role=Role.VIEWER),
        "representative": UserFactory(role=Role.REPRESENTATIVE, organisation=registry["a"]),
    }


def login(client, user):
    client.force_login(user)
    return client


def plan_url(plan, **query) -> str:
    url = reverse("plans:plan_detail", args=[plan.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def target_url(plan, code, **query) -> str:
    url = reverse("plans:target_detail", args=[plan.code, code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def card(html: str, code: str) -> str:
    """The HTML of one target's card."""
    start = html.index(f'data-target="{code}"')
    return html[start : html.index("</article>", start)]


def card_value(html: str, code: str) -> str:
    match = re.search(r'<span class="value" data-value>([^<]*)</span>', card(html, code))
    return match.group(1) if match else ""


def status_of(html: str, code: str) -> str:
    return re.search(r'data-status="([a-z_]+)"', card(html, code)).group(1)


# ----------------------------------------------------------------------------------------------------
# Pages


def test_pages_need_a_login(client, plan):
    for url in (reverse("plans:plan_list"), plan_url(plan), target_url(plan, "2030.HTX")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_plan_or_target_is_404(client, plan, users):
    login(client, users["viewer"])
    assert client.get(reverse("plans:plan_detail", args=["no-such-plan"])).status_code == 404
    assert client.get(target_url(plan, "NO.SUCH")).status_code == 404


def test_plan_list_in_vietnamese(client, plan, registry, users):
    response = login(client, users["viewer"]).get(reverse("plans:plan_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kế hoạch và chỉ tiêu" in html
    assert "139/KH-UBND" in html and "13/10/2022" in html
    assert "17 chỉ tiêu" in html
    assert f'href="{plan_url(plan)}"' in html


def test_plan_page_shows_the_plan_and_every_target_card(client, plan, registry, users):
    response = login(client, users["viewer"]).get(plan_url(plan, as_of="31/12/2023"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "139/KH-UBND",
        "13/10/2022",
        "Ủy ban nhân dân tỉnh Nam Định",
        "Trần Anh Dũng",
        "Phó Chủ tịch Thường trực UBND tỉnh",
        "23-CTr/TU",
        "15/09/2022",
        "20-NQ/TW",
        "Địa bàn tỉnh Nam Định",
        "II.2.1. Đến năm 2030",
        "III.1. Về phát triển kinh tế tập thể trong lĩnh vực nông lâm nghiệp, thủy sản",
        'value="31/12/2023"',
        "Xuất Excel",
    ):
        assert text in html, text
    no_data = str(TargetStatus.NO_DATA.label)
    assert no_data == "Chưa đủ dữ liệu"
    labels = {str(label) for label in TargetStatus.labels}
    for target in plan.targets.all():
        html_card = card(html, target.code)
        assert f"“{target.text}”" in html_card, target.code  # the plan's own words, quoted
        assert target.name in html_card
        badge = re.search(r'data-status="[a-z_]+">([^<]+)<', html_card).group(1)
        assert badge in labels
        if target.kind != IndicatorKind.QUALITATIVE:
            assert card_value(html, target.code) != "—" or badge == no_data, target.code


def test_values_targets_and_progress_in_vietnamese_formats(client, plan, registry, users):
    html = login(client, users["viewer"]).get(plan_url(plan, as_of="31/12/2023")).content.decode()
    htx = card(html, "2030.HTX")
    assert card_value(html, "2030.HTX") == "3"
    assert "khoảng 700 (±35) hợp tác xã" in htx
    assert "Chỉ tiêu đến năm 2030" in htx and "tại ngày 31/12/2023" in htx
    # 1 of the 3 cooperatives with yearly data applies high technology.
    assert card_value(html, "2030.CNC") == "33,3%"
    assert "khoảng 15% (±1,5)" in card(html, "2030.CNC")
    assert "(số liệu năm 2023)" in card(html, "2030.CNC")
    assert "trên 60%" in card(html, "2030.TOT-KHA")
    assert "ít nhất 5 liên hiệp hợp tác xã" in card(html, "2030.LHHTX")
    assert "tối đa 0 hợp tác xã" in card(html, "2030.HTX-XU-LY")
    assert "ít nhất 20% dân số" in card(html, "2045.DAN-SO")
    # Baseline (2022: the same 3 cooperatives), progress and the yearly pace still needed.
    assert re.search(r"Năm gốc 2022</dt><dd>3<", htx)
    assert re.search(r"Tiến độ</dt><dd>0,0%", htx)
    assert "tăng 94,6/năm" in htx  # (665 - 3) / 7 years left: toward the nearer end of "about 700 (±35)"
    assert "Tiến độ" in htx and "Dự báo năm 2030" in htx and "Cần đạt mỗi năm" in htx
    # A chart per numeric target, its data in a json_script.
    assert 'data-chart="chart-data-' in htx
    assert re.search(r'<script id="chart-data-\d+" type="application/json">', htx)


def test_each_chart_has_its_figures_as_a_table(client, plan, registry, users):
    """WCAG 2.1 AA: the line chart's numbers are on the page as a table (in a <details> under the chart)."""
    html = login(client, users["viewer"]).get(plan_url(plan, as_of="31/12/2023")).content.decode()
    htx = card(html, "2030.HTX")
    table = htx[htx.index('<details class="chart-table">') :]
    table = table[: table.index("</details>")]
    assert "Số liệu của biểu đồ dạng bảng" in table and "Chỉ tiêu: khoảng 700 (±35)" in table
    assert '<th scope="row">2022</th><td class="num">3</td>' in table
    assert '<th scope="row">2023</th><td class="num">3</td>' in table
    forecast = re.search(r"Dự báo năm 2030</dt><dd>([^<]+)<", htx).group(1)
    assert f'<th scope="row">2030</th><td class="num">{forecast}</td><td>Xu hướng và dự báo</td>' in table


def test_missing_data_is_counted(client, plan, registry, users):
    # On 31/12/2024 (yearly data of 2024) nobody has reported yet: every cooperative lacks its data. The card
    # says so and, where an earlier year had enough data, shows that year's value instead of nothing.
    html = login(client, users["viewer"]).get(plan_url(plan, as_of="31/12/2024")).content.decode()
    text = card(html, "2030.CNC")
    assert "thiếu số liệu của 4 tổ chức" in text.lower()
    assert status_of(html, "2030.CNC") == TargetStatus.NO_DATA or "số liệu năm 2024 chưa đủ" in text.lower()


def test_as_of_changes_the_values(client, plan, registry, users):
    login(client, users["viewer"])
    before = client.get(plan_url(plan, as_of="31/12/2023")).content.decode()
    after = client.get(plan_url(plan, as_of="31/12/2024")).content.decode()
    iso = client.get(plan_url(plan, as_of="2024-12-31")).content.decode()
    # The cooperative founded on 1/3/2024 is not counted before it existed.
    assert card_value(before, "2030.HTX") == "3"
    assert card_value(after, "2030.HTX") == "4"
    assert card_value(iso, "2030.HTX") == "4"
    assert card_value(before, "NN.HTX") == "3"  # the 2024 one is in trade, not agriculture
    # Cooperative groups founded in the year: one in 2023, none in 2024.
    assert card_value(before, "2030.THT-MOI") == "1"


def test_bad_as_of_falls_back_to_today_with_a_message(client, plan, registry, users):
    response = login(client, users["viewer"]).get(plan_url(plan, as_of="32/13/2023"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày không hợp lệ" in html
    assert f'value="{datetime.date.today():%d/%m/%Y}"' in html or "Đang hiển thị ngày" in html


def test_map_choice_defaults_to_the_map_in_force(client, plan, registry, users):
    login(client, users["viewer"])
    html = client.get(plan_url(plan, as_of="31/12/2023")).content.decode()
    assert '<option value="" selected>Bản đồ có hiệu lực tại ngày đã chọn (trước 1/7/2025)</option>' in html
    assert "map=" not in card(html, "2030.HTX")
    html = client.get(plan_url(plan, as_of="01/08/2025")).content.decode()
    assert '<option value="" selected>Bản đồ có hiệu lực tại ngày đã chọn (từ 1/7/2025)</option>' in html
    html = client.get(plan_url(plan, as_of="01/08/2025", map="legacy")).content.decode()
    assert '<option value="legacy" selected>' in html
    assert "map=legacy" in card(html, "2030.HTX")  # links to the drill-downs keep the choice
    html = client.get(target_url(plan, "2030.HTX", as_of="01/08/2025")).content.decode()
    assert "Theo xã (bản đồ từ 1/7/2025)" in html
    html = client.get(target_url(plan, "2030.HTX", as_of="01/08/2025", map="legacy")).content.decode()
    assert "Theo xã (bản đồ trước 1/7/2025)" in html


def test_rating_targets_show_not_enough_data(client, plan, registry, users):
    """Targets on ratings read the scoring app's approved assessments. Without that model they cannot be
    computed; with it, no organisation here has an approved rating. Either way: "not enough data"."""
    html = login(client, users["viewer"]).get(plan_url(plan, as_of="31/12/2023")).content.decode()
    for code in ("2030.TOT-KHA", "2030.TOT-KHA-CHUOI", "2045.HIEU-QUA", "2045.HIEU-QUA-CHUOI"):
        assert status_of(html, code) == TargetStatus.NO_DATA
        text = card(html, code)
        if selectors.rating_available():
            assert "Thiếu số liệu của" in text
        else:
            assert "Hệ thống chưa có kết quả xếp loại" in text


def test_plan_page_query_count_is_bounded(client, plan, registry, users, django_assert_max_num_queries):
    login(client, users["viewer"])
    with django_assert_max_num_queries(60):
        assert client.get(plan_url(plan, as_of="31/12/2023")).status_code == 200


# ----------------------------------------------------------------------------------------------------
# Drill-down


def test_target_page_has_series_and_breakdowns(client, plan, registry, users):
    html = (
        login(client, users["province"])
        .get(target_url(plan, "2030.HTX", as_of="31/12/2023", map="legacy"))
        .content.decode()
    )
    assert "Số liệu theo năm" in html
    for year, date in ((2022, "31/12/2022"), (2023, "31/12/2023")):
        assert f'<th scope="row">{year}</th>' in html and date in html
    for title in ("Theo xã (bản đồ trước 1/7/2025)", "Theo huyện (trước 1/7/2025)", "Theo lĩnh vực"):
        assert title in html
    assert "Xã Hải Minh" in html and "Xã Giao Xuân" in html
    assert "Huyện Hải Hậu" in html and "Huyện Giao Thủy" in html
    assert "Nông nghiệp" in html
    assert 'data-chart="bar-commune"' in html and '<script id="bar-commune" type="application/json">' in html


def test_target_page_on_the_current_map(client, plan, registry, users):
    html = (
        login(client, users["province"])
        .get(target_url(plan, "2030.HTX", as_of="31/12/2023", map="current"))
        .content.decode()
    )
    assert "Theo xã (bản đồ từ 1/7/2025)" in html
    assert "Xã Hải Anh" in html  # Hải Minh's successor on the new map


def test_drill_down_rows_are_limited_to_the_officers_communes(client, plan, registry, users):
    html = (
        login(client, users["commune"])
        .get(target_url(plan, "2030.HTX", as_of="31/12/2023", map="legacy"))
        .content.decode()
    )
    assert "chỉ gồm địa bàn bạn phụ trách" in html
    assert "Xã Hải Minh" in html
    assert "Xã Giao Xuân" not in html and "Huyện Giao Thủy" not in html
    # The plan-wide value stays whole: figures are aggregates.
    assert card_value(html, "2030.HTX") == "3"


def test_ratio_target_page_shows_numerator_and_denominator(client, plan, registry, users):
    html = login(client, users["province"]).get(target_url(plan, "2045.DAN-SO", as_of="31/12/2023")).content
    html = html.decode()
    assert "Tử số" in html and "Mẫu số" in html
    assert "1.876.900" in html  # the reference population, Vietnamese thousands
    assert "Chưa có dân số theo từng địa bàn" in html


# ----------------------------------------------------------------------------------------------------
# Qualitative targets


def test_provincial_officer_records_an_assessment(client, plan, registry, users):
    target = plan.targets.get(code="2045.QUY-MO")
    login(client, users["province"])
    page = client.get(plan_url(plan)).content.decode()
    assert reverse("plans:target_assess", args=[plan.code, target.code]) in card(page, target.code)
    response = client.post(
        reverse("plans:target_assess", args=[plan.code, target.code]),
        {
            "as_of": "15/11/2025",
            "status": TargetStatus.BEHIND,
            "note": "Quy mô còn nhỏ.",
            "next": plan_url(plan),
        },
    )
    assert response.status_code == 302 and response["Location"] == plan_url(plan)
    assessment = QualitativeAssessment.objects.get(target=target)
    assert assessment.as_of == D(2025, 11, 15) and assessment.assessed_by == users["province"]
    html = client.get(plan_url(plan)).content.decode()
    assert "Đã ghi nhận đánh giá" in html
    text = card(html, target.code)
    assert status_of(html, target.code) == TargetStatus.BEHIND
    assert "Quy mô còn nhỏ." in text and "tính đến ngày 15/11/2025" in text
    # Before the assessment's date it is not assessed yet.
    earlier = client.get(plan_url(plan, as_of="01/01/2025")).content.decode()
    assert status_of(earlier, target.code) == TargetStatus.NO_DATA


def test_assessment_form_errors_are_shown(client, plan, users):
    login(client, users["province"])
    response = client.post(
        reverse("plans:target_assess", args=[plan.code, "2045.QUY-MO"]),
        {"as_of": "31/02/2025", "status": "", "note": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ngày không hợp lệ" in html
    assert not QualitativeAssessment.objects.exists()


@pytest.mark.parametrize("role", ["commune", "viewer", "representative"])
def test_only_provincial_officers_assess(client, plan, users, role):
    login(client, users[role])
    page = client.get(plan_url(plan)).content.decode()
    assert "Ghi nhận đánh giá" not in page
    response = client.post(
        reverse("plans:target_assess", args=[plan.code, "2045.QUY-MO"]),
        {"as_of": "15/11/2025", "status": TargetStatus.ACHIEVED, "note": "x"},
    )
    assert response.status_code == 403
    assert not QualitativeAssessment.objects.exists()


def test_numeric_targets_are_not_assessed(client, plan, users):
    login(client, users["province"])
    response = client.post(
        reverse("plans:target_assess", args=[plan.code, "2030.HTX"]),
        {"as_of": "15/11/2025", "status": TargetStatus.ACHIEVED, "note": "x"},
    )
    assert response.status_code == 403


def test_next_must_stay_on_this_site(client, plan, users):
    login(client, users["province"])
    response = client.post(
        reverse("plans:target_assess", args=[plan.code, "2045.QUY-MO"]),
        {
            "as_of": "15/11/2025",
            "status": TargetStatus.ACHIEVED,
            "note": "x",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and response["Location"].startswith("/plans/")


# ----------------------------------------------------------------------------------------------------
# Excel


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_export_matches_evaluate_plan(client, plan, registry, users):
    response = login(client, users["province"]).get(
        reverse("plans:plan_export", args=[plan.code]) + "?as_of=31/12/2023&map=legacy"
    )
    assert "hoptac-nam-dinh-139-kh-ubnd-2022-20231231.xlsx" in response["Content-Disposition"]
    book = _workbook(response)
    assert book.sheetnames == ["Chỉ tiêu", "Theo xã", "Theo huyện", "Theo lĩnh vực"]
    sheet = book["Chỉ tiêu"]
    assert sheet["A1"].value == "Các chỉ tiêu của kế hoạch (chính thức)"
    assert sheet["B3"].value == datetime.datetime(2023, 12, 31) and sheet["B3"].number_format == "DD/MM/YYYY"
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    header, lines = rows[0], {row[0]: row for row in rows[1:]}
    column = {name: index for index, name in enumerate(header)}
    for name in ("Mã", "Nguyên văn kế hoạch", "Năm gốc (2022)", "Năm 2022", "Năm 2023", "Giá trị mới nhất"):
        assert name in column, name
    for name in ("Chỉ tiêu", "Trạng thái", "Dự báo năm đích", "Mức cần đạt mỗi năm"):
        assert name in column, name

    targets = selectors.computable(selectors.plan_targets(plan=plan))
    results = evaluate_plan(plan, as_of=DEC_2023, targets=targets)
    assert len(results) >= 13
    for result in results:
        line = lines[result.target.code]
        assert line[column["Nguyên văn kế hoạch"]] == result.target.text
        assert line[column["Trạng thái"]] == str(TargetStatus(result.status).label)
        if result.target.kind == IndicatorKind.QUALITATIVE:
            continue
        scale = 100 if result.target.is_percentage else 1
        for name, expected in (
            ("Giá trị mới nhất", result.value),
            ("Năm gốc (2022)", result.baseline.value if result.baseline else None),
            ("Dự báo năm đích", result.forecast),
            ("Mức cần đạt mỗi năm", result.pace_needed),
        ):
            cell = line[column[name]]
            if expected is None:
                assert cell is None, (result.target.code, name)
            else:
                assert cell * scale == pytest.approx(expected), (result.target.code, name)
    htx = lines["2030.HTX"]
    assert htx[column["Giá trị mới nhất"]] == 3 and htx[column["Chỉ tiêu"]] == "khoảng 700 (±35) hợp tác xã"
    cnc_row = [r for r in sheet.iter_rows(min_row=6) if r[0].value == "2030.CNC"][0]
    assert cnc_row[column["Giá trị mới nhất"]].number_format == "0.0%"
    assert cnc_row[column["Giá trị mới nhất"]].value == pytest.approx(1 / 3)

    communes = list(book["Theo xã"].iter_rows(min_row=5, values_only=True))
    assert communes[0][:3] == ("Mã", "Xã/phường", "Huyện (trước 1/7/2025)")
    names = {row[1] for row in communes[1:]}
    assert names == {"Xã Hải Minh", "Xã Giao Xuân"}
    htx_column = [i for i, h in enumerate(communes[0]) if h and h.startswith("2030.HTX —")][0]
    by_name = {row[1]: row[htx_column] for row in communes[1:]}
    assert by_name == {"Xã Hải Minh": 2, "Xã Giao Xuân": 1}
    sectors = {row[1] for row in book["Theo lĩnh vực"].iter_rows(min_row=6, values_only=True)}
    assert "Nông nghiệp" in sectors


def test_export_breakdowns_are_limited_to_the_users_scope(client, plan, registry, users):
    response = login(client, users["commune"]).get(
        reverse("plans:plan_export", args=[plan.code]) + "?as_of=31/12/2023&map=legacy"
    )
    book = _workbook(response)
    names = {row[1] for row in book["Theo xã"].iter_rows(min_row=6, values_only=True)}
    assert names == {"Xã Hải Minh"}
    # The targets sheet is the plan-wide aggregate.
    lines = {row[0]: row for row in book["Chỉ tiêu"].iter_rows(min_row=6, values_only=True)}
    assert "2030.HTX" in lines
