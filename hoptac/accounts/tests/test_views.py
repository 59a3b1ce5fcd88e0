"""Sign-in (with the django-axes lockout), sign-out and the profile page with the API token."""

import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import PASSWORD, UserFactory
from hoptac.areas.tests.factories import legacy_commune
from hoptac.registry.tests.factories import OrganisationFactory
from hoptac.tasks.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
PROFILE = reverse("accounts:profile")


def html(response) -> str:
    return response.content.decode()


def test_login_page_is_in_vietnamese(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = html(response)
    assert "Đăng nhập" in page and "Tên đăng nhập" in page and "Mật khẩu" in page
    assert 'autocomplete="current-password"' in page


def test_login_with_the_right_password_opens_the_desk(client):
    user = UserFactory(username="canbo.tinh", role=Role.PROVINCE)
    response = client.post(LOGIN, {"username": "canbo.tinh", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:home")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_password_shows_a_vietnamese_error(client):
    UserFactory(username="canbo.xa")
    response = client.post(LOGIN, {"username": "canbo.xa", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác." in html(response)


def test_five_wrong_passwords_lock_the_account(client):
    UserFactory(username="canbo.xa")
    for _attempt in range(4):
        response = client.post(LOGIN, {"username": "canbo.xa", "password": "sai-mat-khau"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"username": "canbo.xa", "password": "sai-mat-khau"})
    assert response.status_code == 429
    page = html(response)
    assert "Tài khoản tạm thời bị khóa" in page
    assert "Mật khẩu đã bị nhập sai 5 lần liên tiếp" in page
    # Even the right password is refused while the lock lasts.
    response = client.post(LOGIN, {"username": "canbo.xa", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client):
    client.force_login(UserFactory())
    assert client.get(LOGOUT).status_code == 405
    response = client.post(LOGOUT)
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get(PROFILE).status_code == 302


def test_header_shows_the_user_role_language_switch_and_logout(client):
    client.force_login(UserFactory(username="canbo.tinh", role=Role.PROVINCE))
    page = html(client.get(PROFILE))
    assert "canbo.tinh" in page and "Cán bộ cấp tỉnh" in page
    assert f'action="{LOGOUT}"' in page and "Đăng xuất" in page
    assert f'action="{reverse("set_language")}"' in page
    assert 'value="en"' in page and 'value="vi"' in page


def test_profile_shows_role_and_scope_of_a_commune_officer(client):
    hai_minh = legacy_commune("Xã Hải Minh")
    OrganisationFactory(commune_legacy=hai_minh)
    OrganisationFactory(commune_legacy=legacy_commune("Xã Giao Thiện"))
    client.force_login(
        UserFactory(
            role=Role.COMMUNE,
            areas=[hai_minh],
            agency=AgencyFactory(code="ubnd-xa-hai-anh", name="UBND xã Hải Anh"),
        )
    )
    page = html(client.get(PROFILE))
    assert "Cán bộ cấp xã" in page
    assert "UBND xã Hải Anh" in page
    assert "Bạn được xem và sửa các tổ chức đặt trụ sở tại các địa bàn dưới đây." in page
    assert "Xã Hải Minh, Huyện Hải Hậu" in page
    assert "Bạn xem được 1 tổ chức." in page


def test_profile_of_a_representative_links_their_organisation(client):
    org = OrganisationFactory(name="Hợp tác xã Hải Anh")
    client.force_login(UserFactory(role=Role.REPRESENTATIVE, organisation=org))
    page = html(client.get(PROFILE))
    assert "Người đại diện tổ chức" in page
    assert reverse("registry:organisation_detail", args=[org.pk]) in page
    assert "Hợp tác xã Hải Anh" in page


def test_api_token_is_shown_once_and_stored_only_as_a_digest(client):
    user = UserFactory()
    client.force_login(user)
    page = html(client.get(PROFILE))
    assert "Bạn chưa có mã truy cập API." in page
    response = client.post(PROFILE)
    assert response.status_code == 302
    page = html(client.get(PROFILE))
    assert "Đã tạo mã API mới." in page
    first = page.split('id="api-token" class="token" type="text" value="')[1].split('"')[0]
    stored = AuthToken.objects.get(user=user)
    assert len(first) == 64 and first not in (stored.digest, stored.token_key)
    assert stored.expiry is not None
    # Shown once: the next visit no longer has it.
    assert first not in html(client.get(PROFILE))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api.get("/api/v1/areas/").status_code == 200
    client.post(PROFILE)
    assert AuthToken.objects.filter(user=user).count() == 1
    assert api.get("/api/v1/areas/").status_code in (401, 403)


def test_profile_requires_login(client):
    response = client.get(PROFILE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
