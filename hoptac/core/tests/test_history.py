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


def _rows(queryset, *, drop=()):
    dropped = {"id", "history_id", "history_date", "registration_code", "name", *drop}
    return [{k: v for k, v in row.items() if k not in dropped} for row in queryset.values()]


def test_insert_with_history_writes_what_simple_history_writes():
    """The importer's fast insert (docs/decisions/0024): the same records and history records, value for
    value, as simple-history's bulk_create_with_history, with the keys set on the objects."""
    import datetime

    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from hoptac.core.history import insert_with_history
    from hoptac.registry.models import Organisation, YearlyReport
    from hoptac.registry.tests.factories import YearlyReportFactory

    user = UserFactory()
    when = timezone.now() - datetime.timedelta(days=1)
    fast, orm = OrganisationFactory.build_batch(3), OrganisationFactory.build_batch(3)
    for a, b in zip(fast, orm, strict=True):
        b.commune_legacy, b.commune_current = a.commune_legacy, a.commune_current
    for organisations in (fast, orm):
        organisations[0].short_name, organisations[1].registration_date = "Thử", None
        for o in organisations:
            o.fill_derived_fields()
    insert_with_history(fast, Organisation, user=user, when=when)
    bulk_create_with_history(orm, Organisation, default_user=user, default_date=when)
    assert all(o.pk and not o._state.adding for o in fast)
    fast_qs = Organisation.objects.filter(pk__in=[o.pk for o in fast]).order_by("pk")
    orm_qs = Organisation.objects.filter(pk__in=[o.pk for o in orm]).order_by("pk")
    assert _rows(fast_qs, drop={"name_folded", "name_sort", "created_at", "updated_at"}) == _rows(
        orm_qs, drop={"name_folded", "name_sort", "created_at", "updated_at"}
    )
    assert [o.name for o in fast_qs] == [o.name for o in fast]
    history = Organisation.history.filter(id__in=[o.pk for o in fast]).order_by("id")
    assert [h.id for h in history] == [o.pk for o in fast]
    assert {(h.history_user, h.history_type, h.history_date) for h in history} == {(user, "+", when)}
    assert _rows(history) == _rows(Organisation.history.filter(id__in=[o.pk for o in orm]).order_by("id"))

    reports = [YearlyReportFactory.build(organisation=o, revenue=1_250_500_000, profit=None) for o in fast]
    copies = [YearlyReportFactory.build(organisation=o, revenue=1_250_500_000, profit=None) for o in orm]
    insert_with_history(reports, YearlyReport, user=None)
    bulk_create_with_history(copies, YearlyReport)
    strip = {"organisation_id", "created_at", "updated_at"}
    assert _rows(
        YearlyReport.objects.filter(pk__in=[r.pk for r in reports]).order_by("pk"), drop=strip
    ) == _rows(YearlyReport.objects.filter(pk__in=[r.pk for r in copies]).order_by("pk"), drop=strip)
    assert _rows(
        YearlyReport.history.filter(id__in=[r.pk for r in reports]).order_by("id"), drop=strip
    ) == _rows(YearlyReport.history.filter(id__in=[r.pk for r in copies]).order_by("id"), drop=strip)
    assert not YearlyReport.history.filter(id__in=[r.pk for r in reports]).exclude(history_user=None).exists()


def test_copy_with_history_writes_what_simple_history_writes_and_raises_the_data_version():
    """The national generator's insert (decision 0034; COPY on PostgreSQL, `insert_with_history` elsewhere): the
    same records and history records as bulk_create_with_history, keys set, the reason kept, and the data
    version raised in the transaction although COPY is not an INSERT the watcher sees."""
    import datetime

    from django.db import connection
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    from hoptac.core import dataversion
    from hoptac.core.history import copy_with_history
    from hoptac.registry.models import Organisation

    user = UserFactory()
    when = timezone.now() - datetime.timedelta(days=1)
    fast, orm = OrganisationFactory.build_batch(3), OrganisationFactory.build_batch(3)
    for a, b in zip(fast, orm, strict=True):
        b.commune_legacy, b.commune_current = a.commune_legacy, a.commune_current
    for organisations in (fast, orm):
        organisations[0].short_name, organisations[1].registration_date = "Thử", None
        for o in organisations:
            o.fill_derived_fields()
    assert not dataversion.has_uncommitted_writes(connection)
    before = dataversion.current()
    copy_with_history(fast, Organisation, user=user, when=when, reason="Sinh dữ liệu")
    assert dataversion.has_uncommitted_writes(connection)
    assert dataversion.current() == before + 1
    bulk_create_with_history(orm, Organisation, default_user=user, default_date=when)
    assert all(o.pk and not o._state.adding for o in fast)
    drop = {"name_folded", "name_sort", "created_at", "updated_at"}
    fast_qs = Organisation.objects.filter(pk__in=[o.pk for o in fast]).order_by("pk")
    orm_qs = Organisation.objects.filter(pk__in=[o.pk for o in orm]).order_by("pk")
    assert _rows(fast_qs, drop=drop) == _rows(orm_qs, drop=drop)
    assert [o.name for o in fast_qs] == [o.name for o in fast]
    history = Organisation.history.filter(id__in=[o.pk for o in fast]).order_by("id")
    assert [h.id for h in history] == [o.pk for o in fast]
    assert {(h.history_user, h.history_type, h.history_date) for h in history} == {(user, "+", when)}
    assert _rows(history, drop={"history_change_reason"}) == _rows(
        Organisation.history.filter(id__in=[o.pk for o in orm]).order_by("id"), drop={"history_change_reason"}
    )
