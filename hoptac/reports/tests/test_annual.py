"""The yearly report: the .docx and .xlsx produced for a small registry and the real Plan 139 file, parsed
back (python-docx, openpyxl) and checked against counts made here by hand and against the indicator engine;
the layout of Decree 30/2020; the command; the page's rights."""

import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import ha_nam_commune, hai_minh_and_giao_xuan, legacy_commune
from hoptac.core.datafiles import load_path
from hoptac.plans import tables
from hoptac.plans.evaluation import evaluate_plan
from hoptac.registry.choices import LegalStatus
from hoptac.registry.models import StatusChange
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory
from hoptac.reports.annual.build import build_annual_report
from hoptac.reports.annual.docx import subject
from hoptac.scoring.models import Assessment, Scheme

# The documents' layout, numbering and annexes are the same on either database, and every figure in them is the
# engine's, tested on both: these tests run in the SQLite pass (decision 0057; the API's run in both).
pytestmark = [pytest.mark.django_db, pytest.mark.one_database("sqlite")]
D = datetime.date
PLAN_FILE = Path(settings.HOPTAC_DATA_DIR) / "plans" / "nam-dinh-139-KH-UBND-2022.yaml"
YEAR = 2024
BEFORE_MERGER = D(2025, 3, 1)  # issued while Nam Định still existed
AFTER_MERGER = D(2026, 2, 10)


@pytest.fixture
def plan():
    return load_path("plans", PLAN_FILE).obj


def _org(name, kind, sector, commune, founded, *changes):
    org = OrganisationFactory(
        name=name,
        kind=kind,
        sector=sector,
        commune_legacy=commune,
        founding_date=founded,
        registration_date=founded,
    )
    for status, day in changes:
        StatusChange.objects.create(organisation=org, status=status, effective_from=day)
    return org


def _yearly(org, *, members, workers, revenue, profit, associate=0):
    return YearlyReportFactory(
        organisation=org,
        year=YEAR,
        state="accepted",  # the report's figures are official: accepted data only
        official_individuals=members,
        official_households=0,
        associate_individuals=associate,
        workers=workers,
        revenue=revenue,
        profit=profit,
    )


@pytest.fixture
def registry():
    """Former Nam Định: Hải Hậu (A, B, F, G, Q) and Giao Thủy (C, D, E, H); X lies in former Hà Nam."""
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    ha_nam = ha_nam_commune()
    orgs = {
        "A": _org("A", "htx", "agriculture", hai_minh, D(2015, 1, 1)),
        "B": _org("B", "htx", "agriculture", hai_minh, D(2016, 1, 1)),
        "C": _org(
            "C", "htx", "agriculture", giao_xuan, D(2017, 1, 1), (LegalStatus.SUSPENDED, D(2023, 3, 1))
        ),
        "D": _org("D", "htx", "transport", giao_xuan, D(2024, 5, 1)),
        "E": _org(
            "E", "htx", "agriculture", giao_xuan, D(2018, 1, 1), (LegalStatus.DISSOLVED, D(2024, 6, 1))
        ),
        "F": _org("F", "lhhtx", "agriculture", hai_minh, D(2019, 1, 1)),
        "G": _org("G", "tht", "agriculture", hai_minh, D(2020, 1, 1)),
        "H": _org("H", "tht", "agriculture", giao_xuan, D(2024, 3, 1)),
        "Q": _org("Q", "qtdnd", "credit", hai_minh, D(2010, 1, 1)),
        "X": _org("X", "htx", "agriculture", ha_nam, D(2015, 1, 1)),
    }
    _yearly(orgs["A"], members=100, associate=20, workers=10, revenue=2_000_000_000, profit=100_000_000)
    _yearly(orgs["B"], members=50, workers=5, revenue=1_000_000_000, profit=50_000_000)
    _yearly(orgs["D"], members=20, workers=8, revenue=500_000_000, profit=20_000_000)
    _yearly(orgs["F"], members=3, workers=2, revenue=300_000_000, profit=10_000_000)
    _yearly(orgs["G"], members=10, workers=0, revenue=None, profit=None)
    _yearly(orgs["Q"], members=900, workers=6, revenue=4_000_000_000, profit=800_000_000)
    _yearly(orgs["X"], members=999, workers=99, revenue=9_000_000_000, profit=900_000_000)
    scheme = Scheme.objects.create(
        code="test",
        version=1,
        name="Test",
        short_name="Test",
        kinds=["htx", "lhhtx"],
        year_from=2020,
        total_points=Decimal(100),
    )
    for key, band in {"A": "good", "B": "fair", "C": "average", "F": "weak", "X": "good"}.items():
        Assessment.objects.create(
            organisation=orgs[key], year=YEAR, scheme=scheme, state="approved", band=band
        )
    Assessment.objects.create(organisation=orgs["D"], year=YEAR, scheme=scheme, state="submitted")
    return orgs


# Expected by construction, at 31/12/2024 (start: 31/12/2023).
KINDS = {  # kind: (start, new, ceased, end, active)
    "Hợp tác xã": (4, 1, 1, 4, 3),
    "Liên hiệp hợp tác xã": (1, 0, 0, 1, 1),
    "Tổ hợp tác": (1, 1, 0, 2, 2),
    "Quỹ tín dụng nhân dân": (1, 0, 0, 1, 1),
}
SECTORS = {"Nông nghiệp": (3, 1, 2, 0, 6), "Vận tải": (1, 0, 0, 0, 1), "Tín dụng": (0, 0, 0, 1, 1)}
DISTRICTS = {"Huyện Hải Hậu": (2, 1, 1, 1, 5), "Huyện Giao Thủy": (2, 0, 1, 0, 3)}


def vn(value) -> str:
    return f"{value:,}".replace(",", ".")


def _document(files):
    return Document(io.BytesIO(files.docx))


def _table(document, *header_words):
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        if all(any(word in h for h in header) for word in header_words):
            return table
    raise AssertionError(f"no table with {header_words}")


def _rows(table) -> dict[str, list[str]]:
    """Rows keyed by their label (the first cell that is not a row number)."""
    out = {}
    for row in table.rows[1:]:
        cells = [c.text.strip() for c in row.cells]
        label = cells[1] if cells[0].isdigit() or cells[0] == "" else cells[0]
        out[label] = cells
    return out


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


@pytest.fixture
def files(plan, registry):
    return build_annual_report(plan, YEAR, today=BEFORE_MERGER)


def _results(plan):
    return {r.target.code: r for r in evaluate_plan(plan, as_of=D(YEAR, 12, 31))}


def test_situation_tables_match_hand_counts_and_the_engine(plan, files):
    document = _document(files)
    results = _results(plan)
    kinds = _rows(_table(document, "Loại hình", "Đầu năm"))
    for label, expected in KINDS.items():
        assert kinds[label][2:] == [vn(v) for v in expected], label
    assert kinds["Tổng cộng"][2:] == [vn(v) for v in (7, 2, 1, 8, 7)]
    # The engine's own targets give the same numbers.
    assert kinds["Hợp tác xã"][5] == vn(int(results["2030.HTX"].value))
    assert kinds["Liên hiệp hợp tác xã"][5] == vn(int(results["2030.LHHTX"].value))

    sectors = _rows(_table(document, "Lĩnh vực", "QTDND"))
    for label, expected in SECTORS.items():
        assert sectors[label][2:] == [vn(v) for v in expected], label
    assert sectors["Tổng cộng"][-1] == "8"
    districts = _rows(_table(document, "Huyện, thành phố", "QTDND"))
    for label, expected in DISTRICTS.items():
        assert districts[label][2:] == [vn(v) for v in expected], label

    finance = _rows(_table(document, "Thành viên", "Lao động"))
    # Members of every kind: the numerator of the "20% of the population" target.
    members = 120 + 50 + 20 + 3 + 10 + 900
    assert finance["Tổng cộng"][2] == vn(members)
    assert results["2045.DAN-SO"].latest.measure.numerator == members
    assert finance["Hợp tác xã"][1] == "3/4"  # C has no yearly data: left out, not counted as 0
    assert finance["Hợp tác xã"][4] == vn(3_500)  # revenue, millions of đồng
    assert finance["Tổng cộng"][4] == vn(2_000 + 1_000 + 500 + 300 + 4_000)

    ratings = _rows(_table(document, "Xếp loại", "Số tổ chức"))
    assert [ratings[b][2] for b in ("Tốt", "Khá", "Trung bình", "Yếu")] == ["1", "1", "1", "1"]
    assert ratings["Chưa có kết quả đánh giá được phê duyệt"][2] == "1"  # D: submitted, not approved
    share = results["2030.TOT-KHA"].value
    assert share == 50.0
    assert f"Tỷ lệ đạt loại tốt, khá là {tables.number(results['2030.TOT-KHA'].target, share)}" in _text(
        document
    )


def test_rating_distribution_of_the_scoring_app_agrees(files):
    """Inside the plan's territory the scoring app's distribution (scoped to a commune officer of the two
    communes) gives the same bands as the report."""
    from hoptac.scoring.selectors import rating_distribution

    officer = UserFactory(
        role=Role.COMMUNE, areas=[legacy_commune("Xã Hải Minh"), legacy_commune("Xã Giao Xuân")]
    )
    distribution = rating_distribution(user=officer, year=YEAR)
    ratings = files.report.situation.ratings
    assert {b: ratings.count(b) for b in ("good", "fair", "average", "weak")} == {
        b: distribution[b] for b in ("good", "fair", "average", "weak")
    }
    assert ratings.share_good_fair == distribution["share_good_fair_pct"]


def test_every_target_in_the_table_with_the_engine_values(plan, files):
    document = _document(files)
    table = _table(document, "Nội dung mục tiêu", "Tình trạng", "Dự báo")
    body = [[c.text.strip() for c in row.cells] for row in table.rows[1:]]
    results = list(evaluate_plan(plan, as_of=D(YEAR, 12, 31)))
    ordered = sorted(results, key=lambda r: r.target.order)
    assert len(body) == len(ordered) == plan.targets.count()
    from django.utils.translation import override

    with override("vi"):
        for cells, result in zip(body, ordered, strict=True):
            target = result.target
            assert cells[1].startswith(target.text.split()[0])
            assert cells[6] == tables.status_label(result.status)
            if target.kind != "qualitative":
                assert cells[4] == tables.number(target, result.value)
                assert cells[7] == tables.number(target, result.forecast)
    assert len(document.inline_shapes) == 3  # sectors, ratings, targets


def test_annexes_have_sum_formulas_and_engine_values(plan, files):
    book = load_workbook(io.BytesIO(files.xlsx))
    assert book.sheetnames == [f"Biểu 0{i}" for i in range(1, 9)]

    sheet = book["Biểu 01"]
    assert sheet["B7"].value == "Hợp tác xã"
    assert [sheet.cell(row=7, column=c).value for c in (3, 4, 6, 7)] == [4, 1, 4, 3]
    assert sheet["E7"].value == "=C7+D7-F7"
    assert sheet["F11"].value == "=SUM(F7:F10)"
    assert sum(sheet.cell(row=r, column=6).value for r in range(7, 11)) == 8
    assert sheet["F7"].number_format == "#,##0"

    sheet = book["Biểu 02"]
    totals = {sheet.cell(row=r, column=2).value: r for r in range(7, sheet.max_row + 1)}
    last = totals["Tổng cộng"]
    assert sheet.cell(row=last, column=7).value == f"=SUM(G7:G{last - 1})"
    assert sheet.cell(row=7, column=7).value == "=SUM(C7:F7)"

    results = _results(plan)
    sheet = book["Biểu 05"]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(7, sheet.max_row + 1)}
    total = rows["Tổng cộng"]
    assert sheet.cell(row=total, column=4).value == f"=SUM(D7:D{total - 1})"
    members = sum(sheet.cell(row=r, column=4).value for r in range(7, total))
    assert members == results["2045.DAN-SO"].latest.measure.numerator
    htx = rows["Hợp tác xã"]
    assert sheet.cell(row=htx, column=7).value == 3_500  # revenue of the HTX with data, millions of đồng
    assert sheet.cell(row=htx, column=9).value == f'=IF(C{htx}>0,G{htx}/C{htx},"")'

    sheet = book["Biểu 06"]
    counts = [sheet.cell(row=r, column=3).value for r in range(7, 12)]
    assert counts == [1, 1, 1, 1, 0]
    assert sheet["D7"].value == '=IF(SUM(C7:C10)>0,C7/SUM(C7:C10),"")'
    assert sheet["D7"].number_format == "0.0%"
    labels = {sheet.cell(row=r, column=2).value: r for r in range(7, sheet.max_row + 1)}
    good_fair = sheet.cell(row=labels["Số đạt loại tốt, khá; tỷ lệ trên số được xếp loại"], column=4).value
    assert good_fair == '=IF(SUM(C7:C10)>0,(C7+C8)/SUM(C7:C10),"")'
    assert (counts[0] + counts[1]) / sum(counts[:4]) * 100 == results["2030.TOT-KHA"].value

    sheet = book["Biểu 07"]
    header = [c.value for c in sheet[6]]
    value_column = header.index(f"Năm {YEAR}") + 1
    for row in range(7, sheet.max_row + 1):
        code = sheet.cell(row=row, column=2).value
        result = results[code]
        expected = result.value
        if result.target.is_percentage and expected is not None:
            expected /= 100
        assert sheet.cell(row=row, column=value_column).value == pytest.approx(expected), code


def test_layout_of_decree_30(plan, files):
    document = _document(files)
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)

    def within(value, low, high):  # millimetres, to a tenth (Word stores twentieths of a point)
        return Mm(low - 0.1) <= value <= Mm(high + 0.1)

    assert within(section.top_margin, 20, 25) and within(section.bottom_margin, 20, 25)
    assert within(section.left_margin, 30, 35) and within(section.right_margin, 15, 20)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt in (13, 14)
    letterhead = document.tables[0]
    text = "\n".join(c.text for row in letterhead.rows for c in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    motto = next(p for p in letterhead.rows[0].cells[1].paragraphs if "Độc lập" in p.text)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.runs[0].underline
    assert "ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH" in text  # issued before 1/7/2025: Nam Định's committee
    assert "/BC-UBND" in text and "Nam Định, ngày" in text
    body = _text(document)
    assert "BÁO CÁO" in body and subject(files.report) in body
    for heading in ("I. TÌNH HÌNH KINH TẾ TẬP THỂ", "II. KẾT QUẢ", "III. TÌNH HÌNH THỰC HIỆN", "IV. ĐỀ XUẤT"):
        assert heading in body
    assert "Nơi nhận:" in body and "TM. ỦY BAN NHÂN DÂN" in body and plan.signer in body
    assert "{{" not in body and "{%" not in body


def test_after_the_merger_ninh_binh_issues_it(plan, registry):
    files = build_annual_report(plan, YEAR, today=AFTER_MERGER, letterhead={"signer_name": "Nguyễn Văn A"})
    document = _document(files)
    text = _text(document)
    assert "TỈNH NINH BÌNH" in text and "Ninh Bình, ngày" in text
    assert "Từ ngày 01/7/2025, địa bàn tỉnh Nam Định thuộc tỉnh Ninh Bình" in text
    assert "Bộ Tài chính (để báo cáo);" in text
    assert "Nguyễn Văn A" in text and plan.signer not in text


def test_tasks_and_their_reports(plan, registry):
    from hoptac.tasks.models import Agency, ProgressReport, ReportingPeriod, TaskAssignment

    agency = Agency.objects.create(code="so-nn", name="Sở Nông nghiệp và Môi trường", kind="department")
    task = plan.tasks.get(code="III.1.a")
    assignment = TaskAssignment.objects.create(plan_task=task, lead_agency=agency, every="quarter")
    due = [D(YEAR, 4, 15), D(YEAR, 7, 15), D(YEAR, 10, 15)]
    submitted = [D(YEAR, 4, 10), D(YEAR, 7, 20), None]
    for index, (day, sent) in enumerate(zip(due, submitted, strict=True)):
        period = ReportingPeriod.objects.create(
            assignment=assignment,
            agency=agency,
            every="quarter",
            start=D(YEAR, 3 * index + 1, 1),
            end=D(YEAR, 3 * index + 3, 28),
            due=day,
            first_submitted_on=sent,
        )
        if sent:
            text = "Đã tập huấn 3 lớp. Khó khăn: thiếu kinh phí hỗ trợ. Đề xuất: bổ sung kinh phí."
            report = ProgressReport.objects.create(
                period=period, agency=agency, status="in_progress", text=text
            )
            if hasattr(report, "difficulties"):  # a field of its own, when the tasks app has one
                report.difficulties = "thiếu kinh phí hỗ trợ."
                report.save()
    files = build_annual_report(plan, YEAR, today=BEFORE_MERGER)
    # Quoted once although two reports state it.
    assert _text(_document(files)).count("“thiếu kinh phí hỗ trợ.”") == 1
    rows = _rows(_table(_document(files), "Nhiệm vụ", "Cơ quan chủ trì"))
    line = next(cells for label, cells in rows.items() if label.startswith("III.1.a"))
    assert line[2] == "Sở Nông nghiệp và Môi trường"
    assert line[3:7] == ["3", "1", "1", "1"]  # due, on time, late, overdue
    assert rows["Tổng cộng"][3:7] == ["3", "1", "1", "1"]
    sheet = load_workbook(io.BytesIO(files.xlsx))["Biểu 08"]
    assert [sheet.cell(row=7, column=c).value for c in range(5, 9)] == [3, 1, 1, 1]
    assert sheet.cell(row=10, column=5).value == "=SUM(E7:E9)"


def test_command_writes_the_files(plan, registry, tmp_path):
    out = tmp_path / "bao-cao.docx"
    call_command("annual_report", plan=plan.code, year=YEAR, out=str(out), number="12", stdout=io.StringIO())
    document = Document(out)
    assert "Số: 12/BC-UBND" in _text(document)
    annex = tmp_path / "bao-cao-bieu-phu-luc.xlsx"  # the name the report cites
    assert load_workbook(annex).sheetnames[0] == "Biểu 01"
    assert f"“{annex.name}”" in _text(document)
    archive = tmp_path / "bao-cao.zip"
    call_command("annual_report", plan=plan.code, year=YEAR, out=str(archive), stdout=io.StringIO())
    assert len(zipfile.ZipFile(archive).namelist()) == 2


def test_page_is_for_provincial_officers(client, plan, registry):
    commune = UserFactory(role=Role.COMMUNE, areas=[legacy_commune("Xã Hải Minh")])
    client.force_login(commune)
    assert client.get(f"/reports/annual/{plan.code}/").status_code == 403
    assert client.get(f"/reports/annual/{plan.code}/download/?year={YEAR}").status_code == 403
    assert "annual-report-link" not in client.get(f"/plans/{plan.code}/").content.decode()

    client.force_login(UserFactory(role=Role.PROVINCE))
    assert "annual-report-link" in client.get(f"/plans/{plan.code}/").content.decode()
    page = client.get(f"/reports/annual/{plan.code}/")
    assert page.status_code == 200 and "annual-report-form" in page.content.decode()
    response = client.get(f"/reports/annual/{plan.code}/download/?year={YEAR}")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["docx", "xlsx"]
    assert client.get(f"/reports/annual/{plan.code}/download/?year=1999").status_code == 400


def test_a_year_without_approved_ratings_says_so(plan, registry):
    files = build_annual_report(plan, 2023, today=BEFORE_MERGER)
    text = _text(_document(files))
    assert "chưa có kết quả đánh giá, xếp loại được phê duyệt" in text
    assert "Kết quả xếp loại theo" not in text and len(_document(files).inline_shapes) == 2


# ----------------------------------------------------------------------------------------------------
# A document a Vice Chairman signs (issue 11): numbering, ratings, one "as of" date, the plan by its
# number, the annex name, printing, official or provisional figures.


def _numbers(document, word):
    import re

    return [int(m.group(1)) for p in document.paragraphs if (m := re.match(rf"{word} (\d+)\. ", p.text))]


@pytest.mark.parametrize("year", [YEAR, 2023])  # 2023: no approved rating, the rating tables are left out
def test_table_and_figure_numbers_run_without_gaps(plan, registry, year):
    document = _document(build_annual_report(plan, year, today=BEFORE_MERGER))
    tables_ = _numbers(document, "Bảng")
    figures = _numbers(document, "Hình")
    assert tables_ == list(range(1, len(tables_) + 1)) and len(tables_) == (9 if year == YEAR else 6)
    assert figures == list(range(1, len(figures) + 1)) and len(figures) == len(document.inline_shapes)


def _previous_year_ratings(registry):
    scheme = Scheme.objects.get(code="test")
    for key, band in {"A": "weak", "B": "good", "C": "good"}.items():
        Assessment.objects.create(
            organisation=registry[key], year=YEAR - 1, scheme=scheme, state="approved", band=band
        )


def test_rating_section_by_kind_and_sector_equals_the_scoring_app(plan, registry):
    """Counts by band and kind, sector, commune, this year and the year before, are the scoring app's
    approved assessments (rating_distribution of an officer of the territory's two communes)."""
    from hoptac.reports.annual.docx import pct
    from hoptac.scoring.selectors import rating_distribution

    _previous_year_ratings(registry)
    files = build_annual_report(plan, YEAR, today=BEFORE_MERGER)
    officer = UserFactory(
        role=Role.COMMUNE, areas=[legacy_commune("Xã Hải Minh"), legacy_commune("Xã Giao Xuân")]
    )
    document = _document(files)
    bands = ("good", "fair", "average", "weak")
    for group_by, header in (("kind", "Loại hình"), ("sector", "Lĩnh vực")):
        table = _rows(_table(document, header, "Tốt", "Năm 2023: tỷ lệ tốt, khá"))
        now = rating_distribution(user=officer, year=YEAR, group_by=group_by)
        before = {r["key"]: r for r in rating_distribution(user=officer, year=YEAR - 1, group_by=group_by)}
        assert len(table) == len(now) + 1  # and the total
        groups = getattr(files.report.situation.ratings, f"by_{group_by}")
        for expected, group in zip(now, groups, strict=True):
            assert group.code == expected["key"]
            assert [group.now[b] for b in bands] == [expected[b] for b in bands]
            row = table[group.label]
            assert row[2:7] == [str(expected[b]) for b in bands] + [str(expected["rated"])]
            previous = before.get(expected["key"])
            assert row[8] == (pct(previous["share_good_fair_pct"]) if previous else "—")
    # 2024: good A, fair B, average C, weak F (2 of 4 good or fair); 2023: weak A, good B, good C (2 of 3).
    assert "Tỷ lệ đạt loại tốt, khá là 50,0% số tổ chức được xếp loại (năm 2023: 66,7%; giảm 16,7 điểm" in (
        _text(document)
    )
    sheet = load_workbook(io.BytesIO(files.xlsx))["Biểu 06"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    htx = next(v for v in values if v[1] == "Hợp tác xã")
    assert htx[2:7] == [1, 1, 1, 0, 0] and htx[9] == 3  # bands, not rated; rated the year before
    communes = {v[1] for v in values if isinstance(v[0], int) and v[1] and "Xã" in str(v[1])}
    assert communes == {"Xã Hải Minh (Huyện Hải Hậu)", "Xã Giao Xuân (Huyện Giao Thủy)"}


def test_ratings_fall_back_to_the_last_approved_year_and_say_so(plan, registry):
    """The report of 2025 (no rating of 2025 approved yet) shows 2024's ratings, says so, and its annex
    holds them (it used to be all zeros: it read 2025's)."""
    files = build_annual_report(plan, 2025, today=AFTER_MERGER)
    text = _text(_document(files))
    assert "chưa có kết quả đánh giá, xếp loại năm 2025 được phê duyệt" in text
    assert "số liệu dưới đây là kết quả năm 2024" in text
    sheet = load_workbook(io.BytesIO(files.xlsx))["Biểu 06"]
    assert "NĂM 2024" in sheet["A2"].value
    assert [sheet.cell(row=r, column=3).value for r in range(7, 11)] == [1, 1, 1, 1]


def test_one_as_of_date_for_overdue_tasks(plan, registry):
    """A report on 2024 made in 2026 counts a report sent on 10/01/2025 for a period due 15/10/2024 as
    overdue at 31/12/2024 (it was not there yet), not as late at today."""
    from hoptac.tasks.models import Agency, ReportingPeriod, TaskAssignment

    agency = Agency.objects.create(code="so-nn", name="Sở Nông nghiệp và Môi trường", kind="department")
    assignment = TaskAssignment.objects.create(
        plan_task=plan.tasks.get(code="III.1.a"), lead_agency=agency, every="quarter"
    )
    ReportingPeriod.objects.create(
        assignment=assignment,
        agency=agency,
        every="quarter",
        start=D(YEAR, 7, 1),
        end=D(YEAR, 9, 30),
        due=D(YEAR, 10, 15),
        first_submitted_on=D(YEAR + 1, 1, 10),
    )
    files = build_annual_report(plan, YEAR, today=AFTER_MERGER)
    rows = _rows(_table(_document(files), "Nhiệm vụ", "Cơ quan chủ trì"))
    assert rows["Tổng cộng"][3:7] == ["1", "0", "0", "1"]  # due, on time, late, overdue
    text = _text(_document(files))
    assert "chưa nộp tại ngày 31/12/2024" in text and "10/02/2026" not in text


def test_plan_by_number_and_a_clear_error(plan, registry, tmp_path):
    out = tmp_path / "bc.docx"
    call_command("annual_report", plan="139/kh-ubnd", year=YEAR, out=str(out), stdout=io.StringIO())
    assert out.is_file() and (tmp_path / "bc-bieu-phu-luc.xlsx").is_file()
    with pytest.raises(CommandError, match=r"Không có kế hoạch mã hoặc số '140/KH-UBND'.*139/KH-UBND"):
        call_command("annual_report", plan="140/KH-UBND", year=YEAR, out=str(out), stdout=io.StringIO())


def test_the_download_names_what_the_report_cites(client, plan, registry):
    client.force_login(UserFactory(role=Role.PROVINCE))
    assert "Báo cáo năm (.zip" in client.get(f"/plans/{plan.code}/").content.decode()
    response = client.get(f"/reports/annual/{plan.code}/download/?year={YEAR}")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    docx_name = next(n for n in archive.namelist() if n.endswith(".docx"))
    xlsx_name = next(n for n in archive.namelist() if n.endswith(".xlsx"))
    assert f"“{xlsx_name}”" in _text(Document(io.BytesIO(archive.read(docx_name))))
    assert response["Content-Disposition"].endswith(f'{docx_name.removesuffix(".docx")}.zip"')


def test_annexes_print_on_a4_landscape_at_8_points_or_more(files):
    from hoptac.core.workbooks import MIN_PRINTED_FONT_PT, smallest_printed_font

    book = load_workbook(io.BytesIO(files.xlsx))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and str(setup.paperSize) == "9", sheet.title  # 9: A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1
        assert setup.fitToHeight == 0
        assert sheet.print_title_rows == "$6:$6"
        assert 0.3 <= sheet.page_margins.left <= 0.8
        assert smallest_printed_font(sheet) >= MIN_PRINTED_FONT_PT, sheet.title


def test_official_by_default_provisional_on_request(plan, registry):
    from hoptac.registry.models import YearlyReport

    # The registry's data are accepted (the report's other tests read official figures): here only A's.
    YearlyReport.objects.exclude(organisation=registry["A"]).update(state="submitted")
    YearlyReport.objects.filter(organisation=registry["A"]).update(state="accepted")
    official = build_annual_report(plan, YEAR, today=BEFORE_MERGER)
    text = _text(_document(official))
    # On the books at 31/12/2024 in the territory: A B C D F G H Q (E dissolved); data: A B D F G Q.
    assert (
        "Số liệu chính thức: chỉ gồm số liệu năm đã được xã, phường tiếp nhận (1 tổ chức có số liệu năm 2024 "
        "đã được tiếp nhận, 5 tổ chức có số liệu chưa được tiếp nhận" in text
    )
    assert "2 tổ chức chưa có số liệu" in text and "tạm tính" not in text.split("Số liệu chính thức")[0]
    provisional = build_annual_report(plan, YEAR, today=BEFORE_MERGER, provisional=True)
    text = _text(_document(provisional))
    assert "(Số liệu tạm tính, chưa được tiếp nhận đầy đủ)" in text and "Số liệu tạm tính: gồm cả" in text
    assert provisional.docx_name.endswith("-tam-tinh.docx")
    assert "tạm tính" in load_workbook(io.BytesIO(provisional.xlsx))["Biểu 01"]["A4"].value
