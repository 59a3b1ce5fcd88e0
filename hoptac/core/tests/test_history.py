"""hoptac.core.history: who acted and why, in django-simple-history's records."""

import pytest
from django.contrib.auth.models import AnonymousUser

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.history import REASON_MAX_LENGTH, acting_user, set_history_user
from hoptac.registry import services
from hoptac.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_acting_user_is_none_for_commands_and_anonymous_users():
    user = UserFactory()
    assert acting_user(user) == user
    assert acting_user(None) is None
    assert acting_user(AnonymousUser()) is None


def test_the_next_save_records_the_user_and_the_reason_cut_to_what_the_history_keeps():
    user = UserFactory()
    organisation = OrganisationFactory()
    organisation.notes = "Đã kiểm tra"
    set_history_user(organisation, user, reason="Sửa theo biên bản " + "x" * 200)
    organisation.save()
    record = organisation.history.latest()
    assert record.history_user == user
    assert len(record.history_change_reason) == REASON_MAX_LENGTH
    assert record.history_change_reason.startswith("Sửa theo biên bản")
    set_history_user(organisation, AnonymousUser())
    organisation.save()
    assert organisation.history.latest().history_user is None


def test_a_service_records_the_acting_user_and_its_reason():
    officer = UserFactory(role=Role.PROVINCE)
    organisation = OrganisationFactory()
    services.organisation_update(
        user=officer, organisation=organisation, data={"short_name": "HTX HA"}, reason="Theo đơn"
    )
    record = organisation.history.latest()
    assert (record.history_user, record.history_change_reason, record.short_name) == (
        officer,
        "Theo đơn",
        "HTX HA",
    )
