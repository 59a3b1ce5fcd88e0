"""The bell, the list (paged, mark one or all read), the choice of e-mail or in-app only, and the API: each
person reaches only their own notifications."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.notifications.emails import site_url
from hoptac.notifications.models import Event, Notification
from hoptac.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_people():
    me = UserFactory(role=Role.REPRESENTATIVE, email="toi@example.vn")
    other = UserFactory(role=Role.REPRESENTATIVE)
    notify([me], event=Event.RETURNED, title="Số liệu năm 2025 bị trả lại để sửa.", link="/registry/")
    notify([me], event=Event.ACCEPTED, title="Xếp loại năm 2024 đã được phê duyệt.", link="/scoring/")
    notify([other], event=Event.OVERDUE, title="Thư của người khác", link="/tasks/")
    return me, other


def test_the_bell_counts_the_unread_and_the_list_shows_only_mine(client, two_people):
    me, _other = two_people
    client.force_login(me)
    page = client.get(reverse("notifications:list")).content.decode()
    assert '<span class="bell-count">2</span>' in page
    assert "Số liệu năm 2025 bị trả lại để sửa." in page and "Thư của người khác" not in page
    assert "Đánh dấu tất cả là đã đọc" in page


def test_reading_one_opens_its_link_and_reading_all_clears_the_bell(client, two_people):
    me, other = two_people
    client.force_login(me)
    mine = Notification.objects.unrestricted("test").filter(recipient=me).order_by("pk")
    answer = client.post(reverse("notifications:read", args=[mine[0].pk]), {"open": "1"})
    assert answer.status_code == 302 and answer["Location"] == "/registry/"
    assert Notification.objects.unrestricted("test").get(pk=mine[0].pk).read_at is not None
    theirs = Notification.objects.unrestricted("test").get(recipient=other)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.unrestricted("test").filter(recipient=me, read_at__isnull=True).exists()
    assert Notification.objects.unrestricted("test").get(pk=theirs.pk).read_at is None
    page = client.get(reverse("notifications:list")).content.decode()
    assert '<span class="bell-count">0</span>' in page


def test_the_list_is_paged(client):
    me = UserFactory(role=Role.VIEWER)
    for n in range(30):
        notify([me], event=Event.DUE_SOON, title=f"Hạn số {n}")
    client.force_login(me)
    first = client.get(reverse("notifications:list")).content.decode()
    assert "Trang 1/2" in first
    assert "Hạn số 29" in first and "Hạn số 0<" not in first
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert "Hạn số 0<" in second


def test_choosing_in_app_only_on_the_profile(client, two_people):
    me, _other = two_people
    client.force_login(me)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Chỉ trong HợpTác (biểu tượng chuông)" in profile
    client.post(reverse("notifications:preferences"), {"notify_by_email": "0", "next": "/accounts/profile/"})
    me.refresh_from_db()
    assert me.notify_by_email is False
    client.post(reverse("notifications:preferences"), {"notify_by_email": "1"})
    me.refresh_from_db()
    assert me.notify_by_email is True


def test_the_api_lists_and_marks_my_own(two_people, settings):
    settings.HOPTAC_SITE_URL = "https://hoptac.example.vn"
    me, other = two_people
    api = APIClient()
    api.force_authenticate(me)
    rows = api.get("/api/v1/notifications/").json()["results"]
    assert [r["title"] for r in rows] == [
        "Xếp loại năm 2024 đã được phê duyệt.",
        "Số liệu năm 2025 bị trả lại để sửa.",
    ]
    assert rows[0]["url"] == "https://hoptac.example.vn/scoring/"
    theirs = Notification.objects.unrestricted("test").get(recipient=other)
    assert api.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    read = api.post(f"/api/v1/notifications/{rows[0]['id']}/read/").json()
    assert read["read_at"] is not None
    assert len(api.get("/api/v1/notifications/?unread=1").json()["results"]) == 1
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}


def test_site_url_makes_a_path_absolute(settings):
    settings.HOPTAC_SITE_URL = "https://hoptac.example.vn/"
    assert site_url("/tasks/periods/112/") == "https://hoptac.example.vn/tasks/periods/112/"
    assert site_url("") == ""
