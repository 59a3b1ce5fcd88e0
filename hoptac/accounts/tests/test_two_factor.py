"""Two-step sign-in (TOTP, django-otp) for administrators and provincial officers: enrolment from the profile,
the second sign-in step on the web and the API, code guessing locked by django-axes, mandatory roles, turning
it off with the password, and the audit trail."""

import re
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from rest_framework.test import APIClient

from hoptac.accounts.models import AuditEvent, AuditKind, Role
from hoptac.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGIN_CODE = reverse("accounts:login_code")
TWO_FACTOR = reverse("accounts:two_factor")
TOKEN = "/api/v1/auth/token/"


def code_at(device: TOTPDevice, steps: int = 0) -> str:
    """The code the authenticator app shows `steps` time steps from now (django-otp accepts one step of drift
    and never the same step twice, so each use in a test takes the next step)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)
    return device


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_an_officer_sets_it_up_from_the_profile(client):
    user = UserFactory(username="tinh.canbo", role=Role.PROVINCE)
    AuthToken.objects.create(user=user)  # made on the password alone, before two-step sign-in
    client.force_login(user)
    assert "Xác thực hai bước" in client.get(reverse("accounts:profile")).content.decode()
    client.post(TWO_FACTOR, {"action": "start"})
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    page = client.get(TWO_FACTOR).content.decode()
    # The QR code is an image (a data URI), not drawn by a script; the secret is there as text too.
    assert 'src="data:image/svg+xml;base64,' in page
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert len(secret.replace(" ", "")) == 32

    wrong = client.post(TWO_FACTOR, {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 200
    assert "Mã không đúng hoặc đã hết hạn" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    failure = AuditEvent.objects.get(kind=AuditKind.LOGIN_FAILED)
    assert failure.username == "tinh.canbo" and failure.detail == "wrong verification code"

    response = client.post(TWO_FACTOR, {"action": "confirm", "code": code_at(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert not AuthToken.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(kind=AuditKind.TWO_FACTOR_ON, username="tinh.canbo").count() == 1
    assert "Đang bật" in client.get(reverse("accounts:profile")).content.decode()


def test_sign_in_asks_for_the_code_after_the_password(client):
    user = UserFactory(username="quan.tri", role=Role.ADMIN)
    device = enrolled(user)
    response = client.post(
        LOGIN, {"username": "quan.tri", "password": PASSWORD, "next": "/accounts/profile/"}
    )
    assert response.status_code == 302 and response["Location"] == LOGIN_CODE
    assert not signed_in(client)
    page = client.get(LOGIN_CODE)
    assert "Nhập mã sáu chữ số" in page.content.decode()
    assert "data:image" not in page.content.decode()  # the secret is never shown again

    wrong = client.post(LOGIN_CODE, {"code": "123456" if code_at(device) != "123456" else "654321"})
    assert wrong.status_code == 200 and not signed_in(client)
    assert "Mã không đúng hoặc đã hết hạn" in wrong.content.decode()

    used = code_at(device)
    right = client.post(LOGIN_CODE, {"code": used})
    assert right.status_code == 302 and right["Location"] == "/accounts/profile/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN, username="quan.tri").count() == 1
    # The same code is refused a second time (a code seen over a shoulder cannot be replayed): the code used
    # above, not the one of the time step reached meanwhile (which would be a new code).
    client.logout()
    client.post(LOGIN, {"username": "quan.tri", "password": PASSWORD})
    assert client.post(LOGIN_CODE, {"code": used}).status_code == 200
    assert not signed_in(client)


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client):
    response = client.get(LOGIN_CODE)
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_code_guessing_is_locked_like_password_guessing(client):
    user = UserFactory(username="doan.ma", role=Role.PROVINCE)
    device = enrolled(user)
    client.post(LOGIN, {"username": "doan.ma", "password": PASSWORD})
    right = code_at(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    statuses = [
        client.post(LOGIN_CODE, {"code": wrong}).status_code for _n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = client.post(LOGIN_CODE, {"code": right})
    assert locked.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in locked.content.decode()
    assert not signed_in(client)
    assert AuditEvent.objects.filter(kind=AuditKind.LOCKED_OUT, username="doan.ma").exists()
    # The password step is locked too.
    assert client.post(LOGIN, {"username": "doan.ma", "password": PASSWORD}).status_code == 429


def test_the_api_gives_a_token_only_after_the_code():
    user = UserFactory(username="api.tinh", role=Role.PROVINCE)
    device = enrolled(user)
    api = APIClient()
    missing = api.post(TOKEN, {"username": "api.tinh", "password": PASSWORD})
    assert missing.status_code == 400 and "otp_token" in missing.json()["detail"]
    right = code_at(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    bad = api.post(TOKEN, {"username": "api.tinh", "password": PASSWORD, "otp_token": wrong})
    assert bad.status_code == 400 and "Mã không đúng" in bad.json()["detail"]
    assert not AuthToken.objects.exists()
    good = api.post(TOKEN, {"username": "api.tinh", "password": PASSWORD, "otp_token": right})
    assert good.status_code == 200
    assert (
        APIClient(HTTP_AUTHORIZATION=f"Token {good.json()['token']}")
        .get("/api/v1/organisations/")
        .status_code
        == 200
    )


def test_code_guessing_through_the_api_answers_429():
    user = UserFactory(username="api.doan", role=Role.ADMIN)
    device = enrolled(user)
    api = APIClient()
    wrong = f"{(int(code_at(device)) + 1) % 1_000_000:06d}"
    statuses = [
        api.post(TOKEN, {"username": "api.doan", "password": PASSWORD, "otp_token": wrong}).status_code
        for _n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = api.post(TOKEN, {"username": "api.doan", "password": PASSWORD, "otp_token": code_at(device)})
    assert response.status_code == 429 and not AuthToken.objects.exists()


def test_mandatory_for_a_role_enrols_at_sign_in(client, settings):
    settings.HOPTAC_REQUIRE_2FA_ROLES = ["province"]
    user = UserFactory(username="bat.buoc", role=Role.PROVINCE)
    assert APIClient().post(TOKEN, {"username": "bat.buoc", "password": PASSWORD}).status_code == 403
    response = client.post(LOGIN, {"username": "bat.buoc", "password": PASSWORD})
    assert response["Location"] == LOGIN_CODE and not signed_in(client)
    page = client.get(LOGIN_CODE).content.decode()
    assert "bắt buộc" in page and 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(LOGIN_CODE, {"code": code_at(device)}).status_code == 302
    assert signed_in(client) and TOTPDevice.objects.get(pk=device.pk).confirmed
    # Mandatory: it cannot be turned off.
    client.post(TWO_FACTOR, {"action": "remove", "password": PASSWORD})
    assert TOTPDevice.objects.filter(user=user).exists()
    # Another role is not concerned.
    UserFactory(username="xa.canbo", role=Role.COMMUNE)
    client.logout()
    assert client.post(LOGIN, {"username": "xa.canbo", "password": PASSWORD})["Location"] != LOGIN_CODE


def test_turning_it_off_needs_the_password(client):
    user = UserFactory(username="tat.di", role=Role.ADMIN)
    enrolled(user)
    client.force_login(user)
    wrong = client.post(TWO_FACTOR, {"action": "remove", "password": "sai-mat-khau"})
    assert wrong.status_code == 200 and "Mật khẩu không đúng" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists()
    response = client.post(TWO_FACTOR, {"action": "remove", "password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(kind=AuditKind.TWO_FACTOR_OFF, username="tat.di").count() == 1
    client.logout()
    assert client.post(LOGIN, {"username": "tat.di", "password": PASSWORD})["Location"] != LOGIN_CODE


@pytest.mark.parametrize("role", [Role.COMMUNE, Role.REPRESENTATIVE, Role.VIEWER])
def test_other_roles_do_not_get_it(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(TWO_FACTOR).status_code == 403
    assert client.post(TWO_FACTOR, {"action": "start"}).status_code == 403
    assert not TOTPDevice.objects.exists()
    assert "Xác thực hai bước" not in client.get(reverse("accounts:profile")).content.decode()


def test_mandatory_reaches_sessions_and_tokens_made_before(client, settings):
    user = UserFactory(username="cu.phien", role=Role.ADMIN)
    client.force_login(user)
    _instance, token = AuthToken.objects.create(user=user)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/organisations/").status_code == 200
    assert client.get(reverse("registry:organisation_list")).status_code == 200
    settings.HOPTAC_REQUIRE_2FA_ROLES = ["admin"]
    refused = api.get("/api/v1/organisations/")
    # The token no longer authenticates: 401 with the token challenge (the API's first authentication class).
    assert refused.status_code == 401 and "bắt buộc" in refused.json()["detail"]
    assert refused["WWW-Authenticate"].startswith("Token")
    response = client.get(reverse("registry:organisation_list"))
    assert response.status_code == 302 and response["Location"] == TWO_FACTOR
    assert client.get("/api/v1/organisations/").status_code == 403
    assert client.get(TWO_FACTOR).status_code == 200
    client.post(TWO_FACTOR, {"action": "start"})
    device = TOTPDevice.objects.get(user=user)
    client.post(TWO_FACTOR, {"action": "confirm", "code": code_at(device)})
    assert client.get(reverse("registry:organisation_list")).status_code == 200
