"""The tasks API: agencies, task assignments, reporting periods, progress reports with the workflow as
actions, and calendar items — scoped like the pages."""

import datetime
import io
import json

import openpyxl
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hoptac.tasks.models import ProgressReport

pytestmark = pytest.mark.django_db

D = datetime.date
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def api():
    return APIClient()


def test_agencies_with_successors_and_a_day(api, world):
    api.force_authenticate(world["viewer"])
    rows = api.get(reverse("agency-list"), {"on": "2025-01-01"}).json()["results"]
    codes = {r["code"] for r in rows}
    assert "so-cu" in codes and "so-moi" not in codes
    old = api.get(reverse("agency-detail", args=["so-cu"])).json()
    assert (
        old["successor"] == "so-moi"
        and old["valid_to"] == "2025-06-30"
        and old["agency_kind"] == "department"
    )


def test_assignments_say_when_the_plan_does_not_assign_and_officers_assign(api, world):
    api.force_authenticate(world["viewer"])
    rows = api.get(reverse("task-assignment-list")).json()["results"]
    assert [(r["task_code"], r["assignment_in_plan"], r["lead_agency"]) for r in rows] == [
        ("III.1.a", False, None),
        ("III.1.b", False, None),
    ]
    url = reverse("task-assignment-assign", args=[rows[0]["id"]])
    assert api.post(url, {"lead_agency": "so-moi"}, format="json").status_code == 403
    api.force_authenticate(world["coordinator"])
    response = api.post(url, {"lead_agency": "so-cu"}, format="json")
    assert response.status_code == 400 and "lead_agency" in response.json()
    response = api.post(
        url,
        {
            "lead_agency": "so-moi",
            "cooperating_agencies": ["so-khac"],
            "note": "CV 3",
            "every": "year",
            "due_month": 11,
            "due_day": 30,
        },
        format="json",
    )
    body = response.json()
    assert response.status_code == 200, body
    assert (
        body["lead_agency"]["code"] == "so-moi"
        and body["from_plan"] is False
        and body["assigned_by"] == "dieu.phoi"
    )
    assert body["schedule_source"] == "officer" and body["due_month"] == 11


def test_periods_reports_and_the_workflow(api, assigned, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    api.force_authenticate(assigned["lead_new"])
    overdue = api.get(
        reverse("reporting-period-list"), {"overdue": "true", "today": "2026-01-20", "agency": "so-moi"}
    ).json()["results"]
    assert len(overdue) == 1 and overdue[0]["timeliness"] == "overdue" and overdue[0]["label"] == "Năm 2025"
    period = overdue[0]["id"]
    created = api.post(
        reverse("progress-report-list"),
        {
            "period": period,
            "progress": "completed",
            "text": "Xong",
            "figures": [{"label": "HTX", "value": 3, "unit": "HTX"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    report = created.json()["id"]
    upload = api.post(
        reverse("progress-report-attachments", args=[report]),
        {"file": _file("bc.pdf", PDF)},
        format="multipart",
    )
    assert upload.status_code == 201 and upload.json()["original_name"] == "bc.pdf"
    bad = api.post(
        reverse("progress-report-attachments", args=[report]),
        {"file": _file("x.pdf", b"nope")},
        format="multipart",
    )
    assert bad.status_code == 400 and "file" in bad.json()
    submitted = api.post(reverse("progress-report-submit", args=[report])).json()
    assert submitted["report_state"] == "submitted"
    assert api.post(reverse("progress-report-accept", args=[report]), {}).status_code == 403
    api.force_authenticate(assigned["coordinator"])
    returned = api.post(reverse("progress-report-return", args=[report]), {"comment": ""}, format="json")
    assert returned.status_code == 400
    accepted = api.post(
        reverse("progress-report-accept", args=[report]), {"comment": "Đạt"}, format="json"
    ).json()
    assert accepted["report_state"] == "accepted" and accepted["reviewed_by"] == "dieu.phoi"
    assert ProgressReport.objects.get(pk=report).figures == [{"label": "HTX", "value": 3.0, "unit": "HTX"}]
    # Outside the scope: absent.
    api.force_authenticate(assigned["other_commune"])
    assert api.get(reverse("progress-report-detail", args=[report])).status_code == 404
    assert api.get(reverse("reporting-period-detail", args=[period])).status_code == 404


def test_a_report_is_created_only_for_a_period_in_scope(api, assigned):
    period = assigned["assignment_a"].periods.get(start=D(2025, 1, 1))
    api.force_authenticate(assigned["other_department"])
    response = api.post(
        reverse("progress-report-list"),
        {"period": period.pk, "progress": "completed", "text": "x"},
        format="json",
    )
    assert response.status_code == 403


def test_calendar_items(api, assigned):
    api.force_authenticate(assigned["coordinator"])
    items = api.get(
        reverse("calendar-item-list"),
        {"today": "2026-01-20", "start": "2025-01-01", "end": "2025-12-31", "kind": "task_report"},
    ).json()
    states = {(i["label"], i["agency"]["code"]): i["timeliness"] for i in items}
    assert states[("Năm 2025", "so-moi")] == "overdue"
    assert all(i["item_kind"] == "task_report" for i in items)
    api.force_authenticate(assigned["commune"])
    assert api.get(reverse("calendar-item-list"), {"kind": "task_report"}).json() == []


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _book(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _calendar_rows(book) -> list[tuple]:
    """(due, item, period, agency) of the calendar sheet (the note, a blank row, the header, then items)."""
    return [
        (r[0].date(), r[2], r[3], r[4]) for r in book["Lịch báo cáo"].iter_rows(min_row=4, values_only=True)
    ]


def _listed(items) -> list[tuple]:
    return [(D.fromisoformat(i["due"]), i["title"], i["label"], i["agency"]["name"]) for i in items]


def test_calendar_export_is_the_pages_workbook(api, client, assigned, monkeypatch):
    from hoptac.tasks import views

    monkeypatch.setattr(views, "_today", lambda: D(2026, 1, 20))
    api.force_authenticate(assigned["coordinator"])
    response = api.get(reverse("calendar-item-export"), {"today": "2026-01-20"})
    assert response["Content-Disposition"] == 'attachment; filename="hoptac-lich-bao-cao-20260120.xlsx"'
    book = _book(response)
    client.force_login(assigned["coordinator"])
    page = openpyxl.load_workbook(io.BytesIO(client.get(reverse("tasks:export")).content))
    assert book.sheetnames == page.sheetnames
    for name in book.sheetnames:
        assert list(book[name].values) == list(page[name].values), name


def test_calendar_export_has_the_lists_filtered_rows(api, assigned):
    api.force_authenticate(assigned["coordinator"])
    query = {"today": "2026-01-20", "start": "2025-01-01", "end": "2025-12-31", "kind": "task_report"}
    items = api.get(reverse("calendar-item-list"), query).json()
    rows = _calendar_rows(_book(api.get(reverse("calendar-item-export"), query)))
    assert rows and rows == _listed(items)
    assert all(D(2025, 1, 1) <= row[0] <= D(2025, 12, 31) for row in rows)
    everything = _calendar_rows(_book(api.get(reverse("calendar-item-export"), {"today": "2026-01-20"})))
    assert len(everything) > len(rows)
    one_agency = {**query, "agency": "so-khac"}
    rows = _calendar_rows(_book(api.get(reverse("calendar-item-export"), one_agency)))
    assert rows and {row[3] for row in rows} == {"Sở Công Thương"}
    assert rows == _listed(api.get(reverse("calendar-item-list"), one_agency).json())
    assert api.get(reverse("calendar-item-export"), {"agency": "nowhere"}).status_code == 400


def test_calendar_export_stays_in_the_users_scope(api, assigned):
    query = {"today": "2026-01-20"}
    api.force_authenticate(assigned["coordinator"])
    province = _book(api.get(reverse("calendar-item-export"), query))
    assert "Sở Công Thương" in {row[3] for row in _calendar_rows(province)}
    assert "Sở Công Thương" in {
        r[0] for r in province["Quá hạn theo cơ quan"].iter_rows(min_row=4, values_only=True)
    }
    api.force_authenticate(assigned["commune"])
    commune = _book(api.get(reverse("calendar-item-export"), query))
    assert _calendar_rows(commune) == _listed(api.get(reverse("calendar-item-list"), query).json())
    assert "Sở Công Thương" not in {row[3] for row in _calendar_rows(commune)}
    assert list(commune["Quá hạn theo cơ quan"].iter_rows(min_row=4, values_only=True)) == []
    api.force_authenticate(None)
    assert api.get(reverse("calendar-item-export")).status_code in (401, 403)


def test_an_agency_code_with_a_control_character_names_no_agency(api, world):
    """Found by the API contract test on PostgreSQL: a NUL in a code reached the database (a 500 there)."""
    api.force_authenticate(world["viewer"])
    row = api.get(reverse("task-assignment-list")).json()["results"][0]
    api.force_authenticate(world["coordinator"])
    url = reverse("task-assignment-assign", args=[row["id"]])
    for code in ("so-\x00moi", "so-moi\x01", "so-\ud800moi"):
        # json.dumps writes a lone surrogate as the escape "\\ud800", as a client may send it.
        response = api.post(url, json.dumps({"lead_agency": code}), content_type="application/json")
        assert response.status_code == 400, code
        assert "lead_agency" in response.json()
