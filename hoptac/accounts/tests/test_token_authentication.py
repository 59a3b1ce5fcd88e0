"""API tokens at the door (issue 13): a missing, wrong or expired token is a 401 that names the scheme to use
(WWW-Authenticate: Token), never a 403; and using a token writes nothing to the database."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AREAS = "/api/v1/areas/"  # an endpoint that records nothing (no personal data: accounts/audit.py)


def _client(token: str | None = None, *, header: str | None = None) -> APIClient:
    api = APIClient()
    if header is not None:
        api.credentials(HTTP_AUTHORIZATION=header)
    elif token is not None:
        api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def _assert_challenge(response) -> None:
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == "Token"
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "header",
    [
        "Token 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",  # unknown
        "Token ",  # no token
        "Token two words",  # malformed
        "Token zz",  # not even hexadecimal
    ],
    ids=["unknown", "empty", "spaces", "garbage"],
)
def test_a_bad_token_answers_401_with_the_scheme(header):
    _assert_challenge(_client(header=header).get(AREAS))


def test_an_expired_token_answers_401_with_the_scheme():
    user = UserFactory(role=Role.PROVINCE)
    instance, token = AuthToken.objects.create(user=user)
    assert _client(token).get(AREAS).status_code == 200
    AuthToken.objects.filter(pk=instance.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    _assert_challenge(_client(token).get(AREAS))


def test_a_revoked_token_answers_401_with_the_scheme():
    user = UserFactory(role=Role.PROVINCE)
    _instance, token = AuthToken.objects.create(user=user)
    AuthToken.objects.filter(user=user).delete()
    _assert_challenge(_client(token).get(AREAS))


def test_no_credentials_at_all_answers_401_with_the_scheme():
    _assert_challenge(APIClient().get(AREAS))


def test_the_error_is_in_vietnamese():
    response = _client(header="Token zz").get(AREAS, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.json()["detail"] == "Mã truy cập (token) không hợp lệ hoặc đã hết hạn."


def test_a_session_still_works_without_a_token(client):
    client.force_login(UserFactory(role=Role.PROVINCE))
    assert client.get(AREAS).status_code == 200


def test_a_get_with_a_token_writes_nothing():
    """knox neither refreshes the expiry nor records a use: a GET is only reads (AUTO_REFRESH off)."""
    user = UserFactory(role=Role.PROVINCE)
    instance, token = AuthToken.objects.create(user=user)
    api = _client(token)
    assert api.get(AREAS).status_code == 200  # warm up (caches, throttles)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert api.get(AREAS).status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
    ]
    assert not writes, writes
    expiry = instance.expiry
    instance.refresh_from_db()
    assert instance.expiry == expiry
