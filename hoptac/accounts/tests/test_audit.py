"""The audit trail (issue 13): sign-ins and failures, changes, exports, personal-data views; the admin-only page
with filters and its .xlsx export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hoptac.accounts.models import AuditEvent, AuditKind, Role
from hoptac.accounts.tests.factories import PASSWORD, UserFactory
from hoptac.core.testing import response_content
from hoptac.registry import services as registry_services
from hoptac.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

AUDIT = reverse("accounts:audit_list")
AUDIT_EXPORT = reverse("accounts:audit_export")


def test_sign_ins_failures_and_sign_outs_are_recorded(client):
    UserFactory(username="canbo.tinh", role=Role.PROVINCE)
    client.post(reverse("accounts:login"), {"username": "canbo.tinh", "password": "sai"})
    client.post(reverse("accounts:login"), {"username": "canbo.tinh", "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    kinds = list(
        AuditEvent.objects.filter(username="canbo.tinh").order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == [AuditKind.LOGIN_FAILED, AuditKind.LOGIN, AuditKind.LOGOUT]
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN, ip_address="127.0.0.1").exists()


def test_every_change_of_a_record_is_recorded_with_its_user():
    officer = UserFactory(role=Role.ADMIN, username="quantri")
    org = OrganisationFactory(name="HTX Hải Anh")
    registry_services.organisation_update(
        user=officer, organisation=org, data={"phone": "0912345678"}, reason="sửa"
    )
    event = AuditEvent.objects.filter(kind=AuditKind.CHANGE, object_id=str(org.pk)).latest("pk")
    assert event.username == "quantri" and event.object_type == "registry.Organisation"
    assert "HTX Hải Anh" in event.object_repr and "sửa" in event.detail


def test_personal_data_views_and_exports_are_recorded(client):
    officer = UserFactory(role=Role.PROVINCE, username="canbo.tinh")
    org = OrganisationFactory(representative_name="Nguyễn Văn An")
    client.force_login(officer)
    assert client.get(reverse("registry:organisation_detail", args=[org.pk])).status_code == 200
    assert client.get(reverse("registry:organisation_export")).status_code == 200
    viewed = AuditEvent.objects.get(kind=AuditKind.PERSONAL_DATA)
    assert viewed.username == "canbo.tinh" and viewed.path.endswith(f"/{org.pk}/")
    exported = AuditEvent.objects.get(kind=AuditKind.EXPORT)
    assert "organisation_export" in exported.detail and "personal data" in exported.detail


def test_the_audit_page_is_for_administrators_only(client):
    for role in (Role.PROVINCE, Role.COMMUNE, Role.REPRESENTATIVE, Role.VIEWER):
        client.force_login(UserFactory(role=role))
        assert client.get(AUDIT).status_code == 403, role
        assert client.get(AUDIT_EXPORT).status_code == 403, role
    client.logout()
    assert client.get(AUDIT).status_code == 302


def test_the_audit_page_filters_and_exports(client):
    admin = UserFactory(role=Role.ADMIN, username="quantri")
    UserFactory(username="canbo.xa")
    client.post(reverse("accounts:login"), {"username": "canbo.xa", "password": "sai"})
    client.force_login(admin)
    page = client.get(AUDIT)
    text = page.content.decode()
    assert "Nhật ký hệ thống" in text and "Đăng nhập sai" in text and "canbo.xa" in text
    page = client.get(AUDIT, {"kind": AuditKind.LOGIN})
    assert "canbo.xa" not in page.content.decode()
    response = client.get(AUDIT_EXPORT, {"kind": AuditKind.LOGIN_FAILED})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response_content(response))).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Nhật ký hệ thống"
    assert any(row[1] == "Đăng nhập sai" and row[2] == "canbo.xa" for row in values)
    # The export itself is in the trail.
    assert AuditEvent.objects.filter(kind=AuditKind.EXPORT, username="quantri").exists()
