"""The pages: scoped (outside the scope → 404), forms that call the services, the calendar's bulk
start, results with the Excel export, scheme pages and upload, evidence files."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from hoptac.scoring import services
from hoptac.scoring.choices import AssessmentState
from hoptac.scoring.models import Assessment, Evidence, Scheme

from .factories import TT01, full_points, shipped_text

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%test evidence\n"


@pytest.fixture
def assessment(people):
    return services.assessment_create(user=people["province"], organisation=people["b"], year=2024)


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == status, url
    return response


def test_pages_answer_in_vietnamese_for_users_in_scope(client, people, assessment):
    for user in (people["province"], people["commune_b"], people["representative_b"], people["viewer"]):
        html = page(client, user, reverse("scoring:assessment_detail", args=[assessment.pk])).content.decode()
        assert "Hợp tác xã Cơ khí Giao Xuân" in html and "Điểm từng tiêu chí" in html
    html = page(client, people["province"], reverse("scoring:calendar") + "?year=2024").content.decode()
    assert "Đánh giá năm 2024" in html and "Hợp tác xã Cơ khí Giao Xuân" in html
    for name in ("scoring:results", "scoring:scheme_list"):
        page(client, people["viewer"], reverse(name))
    for scheme in Scheme.objects.all():
        url = reverse("scoring:scheme_detail", args=[scheme.pk])
        # The province's working notes (parts still to be completed, scored by hand) are for officers only.
        html = page(client, people["viewer"], url).content.decode()
        assert "phần chờ tỉnh bổ sung" not in html and "✎" not in html and "chấm tay" not in html
        html = page(client, people["commune"], url).content.decode()
        assert "phần chờ tỉnh bổ sung" in html and "✎" in html


def test_outside_the_scope_is_absent(client, people, assessment):
    for user in (people["commune"], people["representative"]):
        page(client, user, reverse("scoring:assessment_detail", args=[assessment.pk]), status=404)
        page(client, user, reverse("scoring:organisation_assessments", args=[people["b"].pk]), status=404)
    client.force_login(people["commune"])
    response = client.post(reverse("scoring:assessment_review", args=[assessment.pk]), {"finish": "1"})
    assert response.status_code == 404
    html = page(client, people["commune"], reverse("scoring:calendar") + "?year=2024").content.decode()
    assert "Hợp tác xã Cơ khí Giao Xuân" not in html and "Hợp tác xã Dịch vụ nông nghiệp Hải Minh" in html


def test_the_representative_scores_and_submits_through_the_form(client, people, assessment, media):
    points = full_points(assessment)
    data = {f"points_{code}": str(value).replace(".", ",") for code, value in points.items()}
    data |= {f"note_{code}": "Báo cáo tài chính" for code in points if code != "TC5"}
    data["file_TC5"] = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    data["submit"] = "1"
    client.force_login(people["representative_b"])
    html = page(
        client, people["representative_b"], reverse("scoring:assessment_detail", args=[assessment.pk])
    ).content.decode()
    assert 'name="points_TC5"' in html and "Gửi bản tự chấm" in html and 'name="finish"' not in html
    response = client.post(
        reverse("scoring:assessment_self", args=[assessment.pk]), data, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED and assessment.self_total == sum(points.values())
    evidence = Evidence.objects.get(assessment=assessment)
    assert evidence.criterion.code == "TC5" and evidence.original_name == "bien-ban.pdf"
    download = client.get(reverse("scoring:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(people["representative"])
    assert client.get(reverse("scoring:evidence_download", args=[evidence.pk])).status_code == 404


def test_form_errors_come_back_on_the_page(client, people, assessment):
    client.force_login(people["representative_b"])
    response = client.post(
        reverse("scoring:assessment_self", args=[assessment.pk]),
        {"points_TC1a": "9", "submit": "1"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tối đa 6 điểm." in html and "Vui lòng sửa các lỗi dưới đây." in html


def test_review_approve_reopen_through_the_pages(client, people, assessment):
    points = full_points(assessment)
    services.assessment_self_save(
        user=people["representative_b"],
        assessment=assessment,
        points=points,
        notes=dict.fromkeys(points, "BCTC"),
        submit=True,
    )
    client.force_login(people["commune_b"])
    html = client.get(
        reverse("scoring:assessment_detail", args=[assessment.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert 'name="reason_TC5"' in html and "Hoàn thành thẩm định" in html
    data = {f"points_{c}": str(v).replace(".", ",") for c, v in points.items()} | {
        "points_TC5": "1",
        "finish": "1",
    }
    response = client.post(
        reverse("scoring:assessment_review", args=[assessment.pk]), data, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 200 and "hãy nêu lý do điều chỉnh" in response.content.decode()
    data["reason_TC5"] = "Có vi phạm về thuế"
    assert client.post(reverse("scoring:assessment_review", args=[assessment.pk]), data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.REVIEWED
    # The commune officer sees no approve button and cannot approve.
    assert (
        "Phê duyệt kết quả"
        not in client.get(reverse("scoring:assessment_detail", args=[assessment.pk])).content.decode()
    )
    detail = reverse("scoring:assessment_detail", args=[assessment.pk])
    assert client.post(detail, {"decision": "approve"}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.REVIEWED
    client.force_login(people["province"])
    client.post(detail, {"decision": "approve", "comment": "Đồng ý"})
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.APPROVED and assessment.band
    assert assessment.events.last().note == "Đồng ý"
    response = client.post(detail, {"decision": "reopen", "comment": ""}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200 and "Hãy nêu lý do." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.APPROVED
    client.post(detail, {"decision": "reopen", "comment": "Sai số liệu"})
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.REOPENED and assessment.band is None


def test_calendar_counts_and_bulk_start(client, people):
    html = page(client, people["province"], reverse("scoring:calendar") + "?year=2024").content.decode()
    assert "Bắt đầu đánh giá năm 2024" in html
    response = client.post(reverse("scoring:year_start"), {"year": "2024"})
    assert response.status_code == 302 and Assessment.objects.filter(year=2024).count() == 2
    response = page(client, people["province"], reverse("scoring:calendar") + "?year=2024&state=draft")
    assert response.context["counts"]["draft"] == 2 and response.context["counts"]["not_started"] == 0
    assert "Bắt đầu đánh giá năm 2024" not in response.content.decode()
    client.force_login(people["representative_b"])
    client.post(reverse("scoring:year_start"), {"year": "2023"})
    assert not Assessment.objects.filter(year=2023).exists()


def test_commune_officer_starts_only_their_area(client, people):
    client.force_login(people["commune"])
    client.post(reverse("scoring:year_start"), {"year": "2024"})
    assert list(Assessment.objects.values_list("organisation__name", flat=True)) == [people["a"].name]


def test_results_page_and_excel_export(client, people, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(
        state="approved", band="fair", official_total=Decimal(70)
    )
    response = page(client, people["province"], reverse("scoring:results") + "?year=2024&group_by=sector")
    html = response.content.decode()
    assert "Năm 2024 theo lĩnh vực" in html and "100,0%" in html
    client.force_login(people["province"])
    export = client.get(reverse("scoring:results_export") + "?year=2024&group_by=sector")
    workbook = load_workbook(io.BytesIO(export.content))
    assert len(workbook.sheetnames) == 3
    rows = list(workbook.worksheets[2].iter_rows(values_only=True))
    assert rows[1][1] == "Hợp tác xã Cơ khí Giao Xuân" and rows[1][9] == 70
    client.force_login(people["representative"])
    rows = list(
        load_workbook(io.BytesIO(client.get(reverse("scoring:results_export") + "?year=2024").content))
        .worksheets[2]
        .iter_rows(values_only=True)
    )
    assert len(rows) == 1  # only the header: the other cooperative is outside the scope


def test_scheme_upload_refuses_a_wrong_file_and_lists_the_problems(client, people):
    client.force_login(people["commune"])
    assert client.get(reverse("scoring:scheme_upload")).status_code == 403
    client.force_login(people["province"])
    bad = shipped_text(TT01).replace("version: 1", "version: 2").replace("max_points: 7", "max_points: 8")
    response = client.post(
        reverse("scoring:scheme_upload"),
        {"file": SimpleUploadedFile("tt01.yaml", bad.encode())},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    html = response.content.decode()
    assert (
        response.status_code == 200
        and "bị từ chối, không nạp gì" in html
        and "criteria[G1].children[TC1].max_points" in html
    )
    assert not Scheme.objects.filter(code="TT01_2020", version=2).exists()
    good = shipped_text(TT01).replace("version: 1", "version: 2")
    response = client.post(
        reverse("scoring:scheme_upload"), {"file": SimpleUploadedFile("tt01.yaml", good.encode())}
    )
    assert response.status_code == 302 and Scheme.objects.filter(code="TT01_2020", version=2).exists()
    download = client.get(
        reverse("scoring:scheme_file", args=[Scheme.objects.get(code="TT01_2020", version=2).pk])
    )
    assert download.content.decode() == good


def test_evidence_files_are_checked(client, people, assessment, media):
    client.force_login(people["representative_b"])
    url = reverse("scoring:evidence_upload", args=[assessment.pk])
    for name, content in (
        ("a.exe", b"MZ..."),
        ("fake.pdf", b"hello"),
        ("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024)),
    ):
        client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert not Evidence.objects.exists()
    client.post(
        url, {"file": SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\nxxxx"), "description": "Giấy khen"}
    )
    assert Evidence.objects.get().description == "Giấy khen"


def test_survey_page(client, people, media):
    assessment = services.assessment_create(user=people["province"], organisation=people["a"], year=2024)
    url = reverse("scoring:survey", args=[assessment.pk])
    html = page(client, people["representative"], url).content.decode()
    assert "Lấy ý kiến mức độ hài lòng của thành viên" in html
    response = client.post(
        url,
        {"conducted_on": "05/11/2024", "members_asked": "150", "respondents": "100", "satisfied": "70",
         "partly_satisfied": "20", "not_satisfied": "10", "method": "Phiếu hỏi"},
    )  # fmt: skip
    assert response.status_code == 302
    html = page(
        client, people["representative"], reverse("scoring:assessment_detail", args=[assessment.pk])
    ).content.decode()
    assert "70,0%" in html and "100 / 150" in html


def test_organisation_page_lists_years_and_starts_one(client, people):
    html = page(
        client, people["commune"], reverse("scoring:organisation_assessments", args=[people["a"].pk])
    ).content.decode()
    assert "Chưa có lần đánh giá nào." in html and 'name="year"' in html
    response = client.post(reverse("scoring:organisation_start", args=[people["a"].pk]), {"year": "2024"})
    assessment = Assessment.objects.get()
    assert response.url == reverse("scoring:assessment_detail", args=[assessment.pk])
    assert client.get(reverse("scoring:organisation_year", args=[people["a"].pk, 2024])).url == response.url
