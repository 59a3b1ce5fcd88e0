"""The error pages with DEBUG off: Vietnamese, in the site's layout; the 500 page renders with the bare
context Django gives it (no request, no context processors)."""

from unittest import mock

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.errors import server_error

pytestmark = pytest.mark.django_db

LAYOUT = '<header class="site-header">'


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def vi(client, url):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="vi")


def test_a_wrong_address_is_a_vietnamese_404_in_the_layout(client):
    client.force_login(UserFactory(role=Role.PROVINCE))
    response = vi(client, "/khong-co-trang-nay/")
    text = response.content.decode()
    assert response.status_code == 404
    assert LAYOUT in text and "Không tìm thấy trang" in text
    assert "Page not found" not in text and "Traceback" not in text and "URLconf" not in text


def test_the_read_only_user_typing_the_import_address_gets_a_vietnamese_403(client):
    client.force_login(UserFactory(role=Role.VIEWER))
    response = vi(client, reverse("imports:import_start"))
    text = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in text and 'type="file"' not in text
    assert "Bạn không có quyền nhập dữ liệu vào sổ đăng ký." in text
    # An officer still gets the form.
    client.force_login(UserFactory(role=Role.PROVINCE))
    assert 'type="file"' in vi(client, reverse("imports:import_start")).content.decode()


def test_a_crash_is_a_vietnamese_500_in_the_layout():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(role=Role.PROVINCE))
    with mock.patch("hoptac.notifications.views.NotificationListView.get_queryset", side_effect=RuntimeError):
        response = vi(client, reverse("notifications:list"))
    text = response.content.decode()
    assert response.status_code == 500
    assert LAYOUT in text and "Lỗi máy chủ" in text and "RuntimeError" not in text


def test_the_500_page_needs_no_context_processor():
    # Django's server_error renders 500.html with a bare Context: no request, no user, no processors.
    with mock.patch("hoptac.accounts.context_processors.user_role", side_effect=AssertionError):
        response = server_error(RequestFactory().get("/registry/"))
    assert response.status_code == 500 and LAYOUT in response.content.decode()
