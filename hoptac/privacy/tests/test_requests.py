"""A data subject's request (Law 91/2025/QH15): find everything stored about a person, export it, correct it
through the registry's services, erase it (history included, statistics untouched); attributable and audited;
administrators only, on the pages and the API."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from hoptac.accounts.models import AuditEvent, AuditKind, Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.privacy import services
from hoptac.privacy.models import DataSubjectRequest, RequestKind, RequestState
from hoptac.privacy.selectors import person_data
from hoptac.registry import services as registry_services
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/data-requests/"
NAME = "Nguyễn Văn An"
EMAIL = "an.nguyen@example.vn"


@pytest.fixture
def people():
    """The person (Nguyễn Văn An) represents one cooperative, used to represent another, has an account; a
    namesake-like Nguyễn Văn Anh and another representative must stay as they are."""
    admin = UserFactory(username="quantri", role=Role.ADMIN)
    own = OrganisationFactory(
        name="HTX An Phú",
        representative_name=NAME,
        representative_title="Giám đốc",
        phone="0912 345 678",
        email=EMAIL,
    )
    registry_services.organisation_update(user=admin, organisation=own, data={"phone": "0912.345.678"})
    former = OrganisationFactory(name="HTX Bình Minh", representative_name=NAME, phone="0228 3000 111")
    registry_services.organisation_update(
        user=admin,
        organisation=former,
        data={"representative_name": "Trần Thị Bình", "phone": "0228 3000 222"},
    )
    other = OrganisationFactory(name="HTX Hải An", representative_name="Nguyễn Văn Anh", phone="0987 000 111")
    account = UserFactory(
        username="an.daidien", role=Role.REPRESENTATIVE, last_name="Nguyễn Văn", first_name="An", email=EMAIL
    )
    report = YearlyReportFactory(organisation=own)
    return {
        "admin": admin,
        "own": own,
        "former": former,
        "other": other,
        "account": account,
        "report": report,
    }


def make_request(admin, kind=RequestKind.ACCESS, **subject):
    subject = subject or {"subject_name": "nguyen van an"}
    return services.request_create(
        user=admin, data={"kind": kind, "requester": "Ông Nguyễn Văn An, đơn ngày 2/1/2026", **subject}
    )


def test_everything_stored_about_the_person_is_found(people):
    found = person_data(make_request(people["admin"]))
    assert [o.pk for o in found.organisations] == [people["own"].pk]
    # Every past version that names the person: two of their own cooperative's, one of the former one's.
    assert sorted((h.id, h.representative_name) for h in found.history) == sorted(
        [(people["own"].pk, NAME)] * 2 + [(people["former"].pk, NAME)]
    )
    assert [u.username for u in found.users] == ["an.daidien"]
    # By phone, whatever the writing (+84, dots, spaces), and by email.
    by_phone = person_data(make_request(people["admin"], subject_phone="+84 912 345 678"))
    assert [o.pk for o in by_phone.organisations] == [people["own"].pk] and not by_phone.users
    by_email = person_data(make_request(people["admin"], subject_email="AN.NGUYEN@example.vn"))
    assert [o.pk for o in by_email.organisations] == [people["own"].pk]
    assert [u.username for u in by_email.users] == ["an.daidien"]


def test_a_request_names_at_least_one_identifier(people):
    with pytest.raises(ValidationError) as error:
        make_request(people["admin"], subject_name="", subject_phone=" ")
    assert "ít nhất một" in str(error.value)


def test_the_request_page_shows_and_exports_the_data_and_is_audited(client, people):
    client.force_login(people["admin"])
    response = client.post(
        reverse("privacy:request_create"),
        {"kind": "access", "requester": "Ông An", "received_on": "02/01/2026", "subject_email": EMAIL},
    )
    request_obj = DataSubjectRequest.objects.get()
    assert response.status_code == 302 and request_obj.reference == "YC-2026-0001"
    assert request_obj.submitted_by == people["admin"] and request_obj.state == RequestState.RECEIVED
    assert AuditEvent.objects.filter(kind=AuditKind.DATA_REQUEST, detail__startswith="YC-2026-0001").exists()
    assert "YC-2026-0001" in client.get(reverse("privacy:request_list")).content.decode()

    page = client.get(reverse("privacy:request_detail", args=[request_obj.pk])).content.decode()
    assert "HTX An Phú" in page and "0912.345.678" in page and "an.daidien" in page
    assert "HTX Hải An" not in page
    viewed = AuditEvent.objects.get(kind=AuditKind.PERSONAL_DATA)
    assert viewed.detail == "privacy:request_detail" and viewed.username == "quantri"
    # The audit trail names the request by its reference only.
    assert NAME not in "".join(AuditEvent.objects.values_list("object_repr", flat=True))

    export = client.get(reverse("privacy:request_export", args=[request_obj.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(export.content))
    values = {str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value}
    assert {"HTX An Phú", NAME, EMAIL, "an.daidien", "Giám đốc"} <= values
    assert AuditEvent.objects.filter(
        kind=AuditKind.EXPORT, detail="privacy:request_export (personal data)"
    ).exists()

    url = reverse("privacy:request_detail", args=[request_obj.pk])
    # The review steps are the project's one workflow (hoptac.core.review): its panel on the page.
    assert 'value="accept"' in page and 'value="refuse"' in page and 'value="complete"' not in page
    client.post(url, {"decision": "accept", "comment": "Đúng người yêu cầu"})
    request_obj.refresh_from_db()
    assert request_obj.state == RequestState.ACCEPTED and request_obj.reviewed_by == people["admin"]
    assert request_obj.review_comment == "Đúng người yêu cầu" and request_obj.reviewed_at is not None
    assert 'value="complete"' in client.get(url).content.decode()
    client.post(url, {"decision": "complete", "comment": "Đã gửi"})
    request_obj.refresh_from_db()
    assert request_obj.state == RequestState.DONE and request_obj.outcome == "Đã gửi"
    assert request_obj.review_comment == "Đúng người yêu cầu"  # the decision's reason stays
    assert request_obj.done_by == people["admin"] and request_obj.done_at is not None
    steps = AuditEvent.objects.filter(kind=AuditKind.DATA_REQUEST).values_list("detail", flat=True)
    assert {"YC-2026-0001: accept (received → accepted)", "YC-2026-0001: complete (accepted → done)"} <= set(
        steps
    )
    page = client.get(url).content.decode()
    assert "Đã gửi" in page and 'value="complete"' not in page


def test_a_correction_goes_through_the_registry_history(client, people):
    admin, own = people["admin"], people["own"]
    request_obj = make_request(admin, kind=RequestKind.CORRECTION)
    url = reverse("privacy:request_detail", args=[request_obj.pk])
    client.force_login(admin)
    prefix = f"org{own.pk}"
    correction = {
        "action": "correct",
        "organisation": own.pk,
        f"{prefix}-representative_name": NAME,
        f"{prefix}-representative_title": "Chủ tịch HĐQT",
        f"{prefix}-phone": "0912 999 888",
        f"{prefix}-email": EMAIL,
    }
    client.post(url, correction)
    own.refresh_from_db()
    assert own.phone == "0912.345.678"  # not accepted yet: nothing changed
    client.post(url, {"decision": "accept"})
    client.post(url, correction)
    own.refresh_from_db()
    assert (own.phone, own.representative_title) == ("0912 999 888", "Chủ tịch HĐQT")
    latest = own.history.latest()
    assert (
        latest.history_user == admin
        and latest.history_change_reason == f"{request_obj.reference}: correction"
    )
    # An organisation that holds nothing of the person is not corrected here.
    other = people["other"]
    client.post(url, {**correction, "organisation": other.pk, f"org{other.pk}-phone": "0900 000 000"})
    other.refresh_from_db()
    assert other.phone == "0987 000 111"


def test_erasure_blanks_the_person_everywhere_and_keeps_the_statistics(client, people):
    admin, own, former, other, account = (people[k] for k in ("admin", "own", "former", "other", "account"))
    request_obj = make_request(admin, kind=RequestKind.ERASURE, subject_name=NAME, subject_email=EMAIL)
    url = reverse("privacy:request_detail", args=[request_obj.pk])
    client.force_login(admin)
    client.post(url, {"action": "erase"})
    assert Organisation.objects.get(pk=own.pk).representative_name == NAME  # not decided: refused
    refused = client.post(url, {"decision": "refuse"}, follow=True)
    assert "Hãy nêu lý do" in refused.content.decode()
    assert DataSubjectRequest.objects.get().state == RequestState.RECEIVED
    # An erasure is not marked carried out by hand: only the erase button carries it out.
    client.post(url, {"decision": "accept", "comment": "Đúng người"})
    assert 'value="complete"' not in client.get(url).content.decode()
    assert client.post(url, {"decision": "complete"}).status_code == 403
    organisations, reports = Organisation.objects.count(), list(YearlyReport.objects.values())
    client.post(url, {"action": "erase"})

    own.refresh_from_db()
    assert (own.representative_name, own.representative_title, own.phone, own.email) == ("", "", "", "")
    assert own.name == "HTX An Phú"
    history = Organisation.history.model.objects
    assert not history.filter(representative_name=NAME).exists()
    assert not history.filter(email__iexact=EMAIL).exists()
    assert not history.filter(phone__in=["0912 345 678", "0912.345.678", "0228 3000 111"]).exists()
    # Someone else's data stays: the former cooperative's new representative, the namesake.
    former.refresh_from_db()
    other.refresh_from_db()
    assert (former.representative_name, former.phone) == ("Trần Thị Bình", "0228 3000 222")
    assert (other.representative_name, other.phone) == ("Nguyễn Văn Anh", "0987 000 111")
    account.refresh_from_db()
    assert (account.first_name, account.last_name, account.email, account.username) == (
        "",
        "",
        "",
        "an.daidien",
    )
    # The registry's figures are untouched.
    assert Organisation.objects.count() == organisations
    assert list(YearlyReport.objects.values()) == reports
    # Attributable: the erasure is in the organisation's history and the audit trail with the reference.
    assert own.history.latest().history_change_reason == f"{request_obj.reference}: erasure"
    event = AuditEvent.objects.get(kind=AuditKind.ERASURE)
    assert event.detail.startswith(
        f"{request_obj.reference}: erased: 1 organisations, 3 history rows, 1 accounts"
    )
    assert event.username == "quantri"
    request_obj.refresh_from_db()
    assert request_obj.done_by == admin and "3 phiên bản lịch sử" in request_obj.outcome
    assert request_obj.state == RequestState.DONE and request_obj.review_comment == "Đúng người"
    # Once done, it is done.
    again = client.post(url, {"action": "erase"}, follow=True)
    assert "đã được thực hiện" in again.content.decode()
    assert AuditEvent.objects.filter(kind=AuditKind.ERASURE).count() == 1


def test_the_api_handles_a_request_end_to_end(people):
    api = APIClient()
    api.force_authenticate(people["admin"])
    created = api.post(
        API, {"kind": "erasure", "requester": "Ông An", "subject_name": NAME, "subject_phone": "0912345678"}
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["reference"].startswith("YC-") and created.json()["submitted_by"] == "quantri"
    data = api.get(f"{API}{pk}/data/").json()
    assert [o["name"] for o in data["organisations"]] == ["HTX An Phú"]
    assert len(data["history"]) == 3 and data["users"][0]["username"] == "an.daidien"
    assert AuditEvent.objects.filter(kind=AuditKind.PERSONAL_DATA, detail="data-request-data").exists()
    export = api.get(f"{API}{pk}/export/")
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    early = api.post(f"{API}{pk}/erase/")
    assert early.status_code == 400
    refused = api.post(f"{API}{pk}/refuse/")
    assert refused.status_code == 400 and "comment" in refused.json()
    accepted = api.post(f"{API}{pk}/accept/", {"comment": "Đúng người"}).json()
    assert (accepted["state"], accepted["reviewed_by"], accepted["review_comment"]) == (
        "accepted",
        "quantri",
        "Đúng người",
    )
    assert api.post(f"{API}{pk}/complete/").status_code == 403  # an erasure: the erase action
    erased = api.post(f"{API}{pk}/erase/")
    assert erased.status_code == 200 and erased.json()["organisations"] == 1
    done = api.get(f"{API}{pk}/").json()
    assert (done["done_by"], done["state"]) == ("quantri", "done")
    assert Organisation.objects.get(pk=people["own"].pk).phone == ""


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.COMMUNE, Role.REPRESENTATIVE, Role.VIEWER])
def test_only_administrators_handle_requests(client, people, role):
    request_obj = make_request(people["admin"])
    user = UserFactory(role=role)
    client.force_login(user)
    for name, args in [("request_list", []), ("request_create", []), ("request_detail", [request_obj.pk])]:
        assert client.get(reverse(f"privacy:{name}", args=args)).status_code == 403
    api = APIClient()
    api.force_authenticate(user)
    assert api.get(API).status_code == 403
    assert api.get(f"{API}{request_obj.pk}/data/").status_code == 403
    assert api.post(f"{API}{request_obj.pk}/accept/").status_code == 403
    assert DataSubjectRequest.objects.get().state == RequestState.RECEIVED


def test_the_organisation_history_api_is_a_personal_data_view(people):
    api = APIClient()
    api.force_authenticate(people["admin"])
    assert api.get(f"/api/v1/organisations/{people['own'].pk}/history/").status_code == 200
    assert AuditEvent.objects.filter(kind=AuditKind.PERSONAL_DATA, detail="organisation-history").exists()
