"""The agencies file's sources and notes are for the administrators who keep it, not on users' pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_agency_s_source_and_note_are_shown_only_to_administrators(client, world):
    agency = world["other"]
    agency.source = "domain.md §1.5 (https://caobang.gov.vn/...)"
    agency.note = "Chưa kiểm chứng với KH 139"
    agency.verified = False
    agency.save()
    url = reverse("tasks:agency_detail", args=[agency.code])
    for user in (world["coordinator"], world["commune"], world["viewer"]):
        client.force_login(user)
        for page in (client.get(url), client.get(reverse("tasks:agency_list"))):
            text = page.content.decode()
            assert "domain.md" not in text and "caobang.gov.vn" not in text and "Chưa kiểm chứng" not in text
    client.force_login(world["admin"])
    text = client.get(url).content.decode()
    assert "domain.md §1.5" in text and "Chưa kiểm chứng với KH 139" in text
