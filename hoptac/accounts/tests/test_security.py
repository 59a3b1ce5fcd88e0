"""Authentication hardening (issue 13): lockout across usernames, 429 answers, throttling, hashed expiring
tokens revoked on sign-out and password change, sessions of a working day, schema behind sign-in."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
TOKEN = "/api/v1/auth/token/"


def test_one_password_sprayed_across_usernames_locks_the_address(client):
    for n in range(settings.AXES_IP_FAILURE_LIMIT):
        UserFactory(username=f"canbo{n}")
        response = client.post(LOGIN, {"username": f"canbo{n}", "password": "Matkhau@2025"})
        # Each account failed once only; the address as a whole is locked at its limit.
        assert response.status_code == (429 if n == settings.AXES_IP_FAILURE_LIMIT - 1 else 200), n
    victim = UserFactory(username="nan.nhan")
    response = client.post(LOGIN, {"username": "nan.nhan", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    other = client.post(LOGIN, {"username": "nan.nhan", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302 and int(client.session["_auth_user_id"]) == victim.pk


def test_a_few_typos_from_a_shared_office_address_do_not_lock_others(client):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        UserFactory(username=f"vanphong{n}")
        client.post(LOGIN, {"username": f"vanphong{n}", "password": "sai"})
    UserFactory(username="dong.nghiep")
    response = client.post(LOGIN, {"username": "dong.nghiep", "password": PASSWORD})
    assert response.status_code == 302


def test_token_endpoint_answers_429_in_vietnamese_when_locked():
    UserFactory(username="canbo.xa")
    api = APIClient()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert api.post(TOKEN, {"username": "canbo.xa", "password": "sai"}).status_code == 400
    response = api.post(TOKEN, {"username": "canbo.xa", "password": "sai"})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.json()["detail"]
    response = api.post(TOKEN, {"username": "canbo.xa", "password": PASSWORD})
    assert response.status_code == 429
    assert not AuthToken.objects.exists()
    assert AccessAttempt.objects.filter(username="canbo.xa").exists()


def test_token_endpoint_gives_a_hashed_expiring_token():
    user = UserFactory(username="canbo.tinh", role=Role.PROVINCE)
    response = APIClient().post(TOKEN, {"username": "canbo.tinh", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    stored = AuthToken.objects.get(user=user)
    assert token != stored.digest and stored.digest != token
    expiry = stored.expiry
    assert expiry is not None
    assert expiry - timezone.now() <= datetime.timedelta(days=30)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/areas/").status_code == 200
    # Expired: refused.
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    assert api.get("/api/v1/areas/").status_code in (401, 403)


def _token_for(user) -> APIClient:
    _instance, token = AuthToken.objects.create(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_signing_out_of_the_pages_revokes_api_tokens(client):
    user = UserFactory()
    api = _token_for(user)
    assert api.get("/api/v1/areas/").status_code == 200
    client.force_login(user)
    client.post(reverse("accounts:logout"))
    assert api.get("/api/v1/areas/").status_code in (401, 403)


def test_api_sign_out_revokes_the_token():
    user = UserFactory()
    api = _token_for(user)
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert api.get("/api/v1/areas/").status_code in (401, 403)


def test_password_change_revokes_api_tokens():
    user = UserFactory()
    api = _token_for(user)
    user.set_password("Mat-khau-moi-2026")
    user.save()
    assert api.get("/api/v1/areas/").status_code in (401, 403)


def test_saving_a_user_without_a_new_password_keeps_tokens():
    user = UserFactory()
    api = _token_for(user)
    user.first_name = "An"
    user.save()
    assert api.get("/api/v1/areas/").status_code == 200


def test_api_throttling_answers_429_in_vietnamese(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "3/minute"},
    }
    api = APIClient()
    api.force_authenticate(UserFactory())
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        from rest_framework.throttling import UserRateThrottle

        UserRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        answers = [api.get("/api/v1/areas/").status_code for _n in range(4)]
        assert answers == [200, 200, 200, 429]
        response = api.get("/api/v1/areas/")
        assert "Quá nhiều yêu cầu" in response.json()["detail"]
        assert int(response["Retry-After"]) >= 1
    finally:
        from rest_framework.throttling import SimpleRateThrottle

        UserRateThrottle.THROTTLE_RATES = SimpleRateThrottle.THROTTLE_RATES


def test_the_token_endpoint_has_a_stricter_throttle():
    UserFactory(username="canbo.tinh")
    api = APIClient()
    limit = int(settings.API_THROTTLE_RATES["login"].split("/")[0])
    answers = [
        api.post(TOKEN, {"username": f"khong.co.{n}", "password": "x"}).status_code for n in range(limit + 1)
    ]
    assert answers[-1] == 429 and 429 not in answers[:-1]


def test_sessions_last_a_working_day(client):
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    UserFactory(username="canbo.tinh")
    response = client.post(LOGIN, {"username": "canbo.tinh", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert client.session.get_expiry_age() == 9 * 60 * 60


@pytest.mark.parametrize("path", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"])
def test_schema_and_docs_need_a_signed_in_user(client, path, settings):
    assert client.get(path).status_code in (401, 403)
    client.force_login(UserFactory())
    assert client.get(path).status_code == 200
    client.logout()
    settings.API_SCHEMA_PUBLIC = True
    assert client.get(path).status_code == 200
