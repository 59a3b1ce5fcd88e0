"""The side doors of issue 13, each as found: related ids outside the user's scope, a write that places an
organisation in another commune, control characters, server-owned fields, numbers in query parameters
that overflow, and an export of a control character already stored. Built on the world of the access
matrix (hoptac/tests/world.py): the users' scope is commune A, commune B is outside it."""

import io

import openpyxl
import pytest
from django.urls import reverse

from hoptac.registry.choices import OrganisationKind
from hoptac.registry.models import Organisation
from hoptac.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _detail(pk: int) -> str:
    return reverse("organisation-detail", args=[pk])


@pytest.fixture
def outside(module_world):
    """An LHHTX and a THT in commune B (outside the commune officer's scope)."""
    commune = module_world.sides["out"].commune
    return {
        "union": OrganisationFactory(
            kind=OrganisationKind.LHHTX, name="Liên hiệp Betaunion", commune_legacy=commune
        ),
        "converted_from": OrganisationFactory(
            kind=OrganisationKind.THT, name="Tổ hợp tác Betatht", commune_legacy=commune
        ),
    }


@pytest.mark.parametrize("field", ["union", "converted_from"])
def test_related_id_outside_scope_reads_as_missing(module_world, module_clients, outside, field):
    organisation = module_world.sides["in"].organisation
    client = module_clients["commune"]
    response = client.patch(_detail(organisation.pk), {field: outside[field].pk}, content_type=JSON)
    assert response.status_code == 400, response.content
    organisation.refresh_from_db()
    assert getattr(organisation, f"{field}_id") is None
    # The same answer as an id that does not exist at all: nothing is revealed.
    missing = client.patch(_detail(organisation.pk), {field: 10**12}, content_type=JSON)
    assert missing.status_code == 400
    assert response.json()[field] == [
        m.replace(str(10**12), str(outside[field].pk)) for m in missing.json()[field]
    ]


@pytest.mark.parametrize("field", ["union", "converted_from"])
def test_related_id_of_the_wrong_kind_reads_as_missing(module_world, module_clients, field):
    """An organisation in scope but of another kind is refused with the message of a missing id, so that
    walking ids does not tell which kinds exist."""
    organisation = module_world.sides["in"].organisation
    other_in_scope = OrganisationFactory(commune_legacy=module_world.sides["in"].commune)
    client = module_clients["commune"]
    response = client.patch(_detail(organisation.pk), {field: other_in_scope.pk}, content_type=JSON)
    missing = client.patch(_detail(organisation.pk), {field: 10**12}, content_type=JSON)
    assert response.status_code == missing.status_code == 400
    assert response.json()[field] == [
        m.replace(str(10**12), str(other_in_scope.pk)) for m in missing.json()[field]
    ]


def _another_commune(module_world):
    out = module_world.sides["out"]
    return {"commune_legacy": out.commune.code, "commune_current": out.commune_current.code}


def test_commune_officer_cannot_move_an_organisation_out_of_scope(module_world, module_clients):
    organisation = module_world.sides["in"].organisation
    response = module_clients["commune"].patch(
        _detail(organisation.pk), _another_commune(module_world), content_type=JSON
    )
    assert response.status_code == 400, response.content
    organisation.refresh_from_db()
    assert organisation.commune_legacy_id == module_world.sides["in"].commune.pk


def test_commune_officer_cannot_move_only_the_new_commune_out_of_scope(module_world, module_clients):
    organisation = module_world.sides["in"].organisation
    out = module_world.sides["out"]
    response = module_clients["commune"].patch(
        _detail(organisation.pk), {"commune_current": out.commune_current.code}, content_type=JSON
    )
    assert response.status_code == 400, response.content
    organisation.refresh_from_db()
    assert organisation.commune_current_id == module_world.sides["in"].commune_current.pk


def test_commune_officer_cannot_create_in_another_commune(module_world, module_clients):
    body = {
        "kind": "htx",
        "name": "Hợp tác xã Lạc chỗ",
        "sector": "agriculture",
        **_another_commune(module_world),
    }
    response = module_clients["commune"].post(reverse("organisation-list"), body, content_type=JSON)
    assert response.status_code == 400, response.content
    assert not Organisation.objects.unrestricted("test").filter(name="Hợp tác xã Lạc chỗ").exists()


@pytest.mark.parametrize("value", ["Số 1\x01 đường A", "Số 1\x7f", "Số 1\x00"])
def test_control_characters_are_refused_naming_the_field(module_world, module_clients, value):
    organisation = module_world.sides["in"].organisation
    response = module_clients["commune"].patch(
        _detail(organisation.pk), {"address": value}, content_type=JSON
    )
    assert response.status_code == 400, response.content
    assert "address" in response.json()
    assert "ký tự điều khiển" in response.json()["address"][0]


def test_newlines_and_tabs_stay_allowed_in_multi_line_text(module_world, module_clients):
    organisation = module_world.sides["in"].organisation
    response = module_clients["commune"].patch(
        _detail(organisation.pk), {"notes": "Dòng 1\n\tDòng 2\r\n"}, content_type=JSON
    )
    assert response.status_code == 200, response.content


def test_newline_refused_in_a_single_line_field(module_world, module_clients):
    organisation = module_world.sides["in"].organisation
    response = module_clients["commune"].patch(
        _detail(organisation.pk), {"address": "A\nB"}, content_type=JSON
    )
    assert response.status_code == 400, response.content


def test_every_text_field_has_the_control_character_check():
    from django.apps import apps
    from django.db import models

    from hoptac.core.validators import no_control_characters

    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("hoptac.")
        for field in model._meta.get_fields()
        if isinstance(field, (models.CharField, models.TextField))
        and not any(getattr(v, "code", None) == no_control_characters.code for v in field.validators)
    ]
    assert not missing


def test_export_survives_a_control_character_stored_directly(module_world, module_clients):
    organisation = module_world.sides["in"].organisation
    Organisation.objects.filter(pk=organisation.pk).update(address="Số 1\x01 đường \x1bA")
    response = module_clients["province"].get(reverse("organisation-export"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert any("Số 1 đường A" in c or "Số 1đường A" in c or "Số 1 đường A" in c for c in cells)


# Server-owned fields: never written by a client; naming one in a write is a 400 naming it.


@pytest.mark.parametrize(
    "field,value", [("created_at", "2020-01-01T00:00:00Z"), ("current_status", "dissolved")]
)
def test_server_owned_organisation_field_is_refused(module_world, module_clients, field, value):
    organisation = module_world.sides["in"].organisation
    response = module_clients["commune"].patch(_detail(organisation.pk), {field: value}, content_type=JSON)
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize("field", ["submitted_at", "state", "reviewed_at"])
def test_server_owned_yearly_report_field_is_refused(module_world, module_clients, field):
    report = module_world.sides["in"].yearly_draft
    value = "accepted" if field == "state" else "2020-01-01T00:00:00Z"
    response = module_clients["commune"].patch(
        reverse("yearly-report-detail", args=[report.pk]), {field: value}, content_type=JSON
    )
    assert response.status_code == 400, response.content
    assert field in response.json()
    report.refresh_from_db()
    assert str(getattr(report, field)) != value


def test_representative_writing_an_officer_field_is_refused(module_world, module_clients):
    organisation = module_world.users["representative"].organisation
    response = module_clients["representative"].patch(
        _detail(organisation.pk), {"name": "Tên mới"}, content_type=JSON
    )
    assert response.status_code == 400, response.content
    assert "name" in response.json()


# Numbers in query parameters: a 400 (API) or an empty list, never a server error.


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/yearly-reports/?organisation=99999999999999999999",
        "/api/v1/assessments/?organisation=99999999999999999999",
        "/api/v1/assessments/?area=99999999999999999999",
        "/api/v1/yearly-reports/?year=99999999999999999999",
        "/api/v1/calendar-items/?area=abc",
        "/api/v1/calendar-items/?area=99999999999999999999",
    ],
)
def test_overflowing_query_numbers_are_a_400(module_clients, url):
    response = module_clients["commune"].get(url)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "url",
    ["/registry/years/?organisation=99999999999999999999", "/registry/years/?year=123456789012345678901"],
)
def test_overflowing_query_numbers_on_pages(module_clients, url):
    response = module_clients["commune"].get(url)
    assert response.status_code in (200, 400)


def test_survey_year_out_of_range_is_a_400(module_world, module_clients):
    survey = module_world.sides["in"].survey
    response = module_clients["commune"].patch(
        reverse("satisfaction-survey-detail", args=[survey.pk]), {"year": 100000}, content_type=JSON
    )
    assert response.status_code == 400, response.content
    assert "year" in response.json()


def test_api_server_error_is_json(module_clients, monkeypatch):
    from hoptac.registry.api import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.selectors, "organisation_list", boom)
    client = module_clients["commune"]
    client.raise_request_exception = False
    try:
        response = client.get(reverse("organisation-list"))
    finally:
        client.raise_request_exception = True
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


# Optimistic concurrency (core/concurrency.py): the second save of a stale record is refused.


def test_api_stale_version_is_a_409_saying_who_and_what(module_world, module_clients):
    organisation = module_world.sides["in"].organisation
    url = _detail(organisation.pk)
    read = module_clients["commune"].get(url)
    version = read.json()["version"]
    assert read["ETag"] == f'"{version}"'
    first = module_clients["province"].patch(
        url, {"phone": "0911111111", "version": version}, content_type=JSON
    )
    assert first.status_code == 200, first.content
    assert first.json()["version"] == version + 1
    second = module_clients["commune"].patch(url, {"short_name": "Cũ", "version": version}, content_type=JSON)
    assert second.status_code == 409, second.content
    message = second.json()["version"][0]
    assert (
        module_world.users["province"].get_username() in message
        or module_world.users["province"].get_full_name() in message
    )
    assert "điện thoại" in message  # the field that changed, by its label
    organisation.refresh_from_db()
    assert organisation.phone == "0911111111" and organisation.short_name != "Cũ"


def test_api_if_match_header(module_world, module_clients):
    report = module_world.sides["in"].yearly_draft
    url = reverse("yearly-report-detail", args=[report.pk])
    etag = module_clients["commune"].get(url)["ETag"]
    ok = module_clients["commune"].patch(url, {"workers": 7}, content_type=JSON, headers={"If-Match": etag})
    assert ok.status_code == 200, ok.content
    stale = module_clients["commune"].patch(
        url, {"workers": 8}, content_type=JSON, headers={"If-Match": etag}
    )
    assert stale.status_code == 409, stale.content
    report.refresh_from_db()
    assert report.workers == 7


def test_page_second_save_of_a_stale_form_is_refused(module_world, module_clients):
    organisation = module_world.sides["in"].organisation
    organisation.refresh_from_db()
    url = reverse("registry:organisation_update", args=[organisation.pk])
    page = module_clients["commune"].get(url)
    assert page.status_code == 200
    form = page.context["form"]
    version = form["version"].value()
    assert version == organisation.version
    assert 'name="version"' in page.content.decode()
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    for name in ("commune_legacy", "commune_current", "union", "converted_from"):
        data[name] = data.get(name) or ""
    first = module_clients["province"].patch(
        _detail(organisation.pk), {"phone": "0922222222"}, content_type=JSON
    )
    assert first.status_code == 200
    second = module_clients["commune"].post(url, {**data, "short_name": "Lỗi thời"})
    assert second.status_code == 200  # the form again, with the message
    assert "đã được thay đổi" in second.content.decode(), second.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.phone == "0922222222" and organisation.short_name != "Lỗi thời"
