# ruff: noqa: F811  (the fixtures of test_views, imported)
"""Plan figures are cached by data version (hoptac.core.dataversion): a figure on the plan page, on /plans/
and in the targets API equals a fresh evaluation after every kind of write — a model save, a
`QuerySet.update`, a `bulk_create`, a delete, a raw statement — and a repeated request does not evaluate
the plan again. Writes here are committed (transaction=True), as in production."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from hoptac.core import dataversion
from hoptac.core.testing import response_content
from hoptac.plans import selectors, tables
from hoptac.plans.evaluation import breakdown, evaluate_plan
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

from .test_views import DEC_2023, card_value, login, plan, plan_url, registry, users  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def evaluations(monkeypatch):
    """How many times the plan is really evaluated (not read from the cache)."""
    calls = []
    real = selectors.evaluate_plan

    def counting(*args, **kwargs):
        calls.append(kwargs.get("as_of"))
        return real(*args, **kwargs)

    monkeypatch.setattr(selectors, "evaluate_plan", counting)
    cache.clear()
    return calls


def fresh(plan, code: str) -> str:
    """The card value a fresh evaluation gives (no cache), as the page shows it."""
    results = evaluate_plan(plan, as_of=DEC_2023)
    result = next(r for r in results if r.target.code == code)
    return tables.target_card(result, plan).value


def page_value(client, plan, code: str) -> str:
    return card_value(client.get(plan_url(plan, as_of="31/12/2023")).content.decode(), code)


def test_the_page_reads_the_cache_until_the_data_changes(client, plan, registry, users, evaluations):
    login(client, users["province"])
    assert page_value(client, plan, "2030.HTX") == "3" == fresh(plan, "2030.HTX")
    assert page_value(client, plan, "2030.CNC") == "33,3%"
    assert len(evaluations) == 1  # the second request was served from the cache

    # A save (a new cooperative founded in 2020).
    OrganisationFactory(name="Hợp tác xã Mới", commune_legacy=registry["hai_minh"])
    assert page_value(client, plan, "2030.HTX") == "4" == fresh(plan, "2030.HTX")
    assert len(evaluations) == 2

    # A bulk update (QuerySet.update sends no signal): the third cooperative now uses high technology.
    YearlyReport.objects.unrestricted("test").filter(organisation=registry["b"], year=2023).update(
        high_tech=True
    )
    assert page_value(client, plan, "2030.CNC") == fresh(plan, "2030.CNC") != "33,3%"

    # A bulk insert and a delete.
    YearlyReport.objects.unrestricted("test").bulk_create(
        [YearlyReport(organisation=registry["c"], year=2022, state="accepted", high_tech=True)]
    )
    assert page_value(client, plan, "2030.CNC") == fresh(plan, "2030.CNC")
    Organisation.objects.unrestricted("test").filter(name="Hợp tác xã Mới").delete()
    assert page_value(client, plan, "2030.HTX") == "3" == fresh(plan, "2030.HTX")

    # A raw statement.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_organisation SET kind = 'tht' WHERE id = %s", [registry["a"].pk])
    assert page_value(client, plan, "2030.HTX") == "2" == fresh(plan, "2030.HTX")
    evaluated = len(evaluations)
    page_value(client, plan, "2030.HTX")
    assert len(evaluations) == evaluated  # unchanged data: from the cache again


def test_plan_list_and_the_api_follow_the_data(client, plan, registry, users, evaluations):
    login(client, users["province"])
    api = f"/api/v1/plans/{plan.pk}/targets/?as_of=2023-12-31"

    def api_value(code):
        return next(t for t in client.get(api).json()["targets"] if t["code"] == code)["latest"]["value"]

    assert api_value("2030.HTX") == 3
    assert client.get(reverse("plans:plan_list")).status_code == 200
    client.get(reverse("plans:plan_list"))
    calls = len(evaluations)
    client.get(reverse("plans:plan_list"))
    assert len(evaluations) == calls  # the summary is computed once per data version
    YearlyReportFactory(state="accepted", organisation=registry["c"], year=2022)
    OrganisationFactory(name="Hợp tác xã Mới", commune_legacy=registry["hai_minh"])
    assert (
        api_value("2030.HTX")
        == 4
        == next(r.value for r in evaluate_plan(plan, as_of=DEC_2023) if r.target.code == "2030.HTX")
    )


def test_a_writing_transaction_reads_its_own_writes(plan, registry, evaluations):
    from django.db import transaction

    before = selectors.plan_evaluate(plan=plan, as_of=DEC_2023)
    version = dataversion.current()
    with transaction.atomic():
        OrganisationFactory(name="Hợp tác xã Mới", commune_legacy=registry["hai_minh"])
        assert dataversion.has_uncommitted_writes(connection)
        inside = selectors.plan_evaluate(plan=plan, as_of=DEC_2023)
        OrganisationFactory(name="Hợp tác xã Mới 2", commune_legacy=registry["hai_minh"])
        assert dataversion.current() == version + 1  # raised once per transaction
    value = {r.target.code: r.value for r in inside}
    assert value["2030.HTX"] == {r.target.code: r.value for r in before}["2030.HTX"] + 1
    after = {r.target.code: r.value for r in selectors.plan_evaluate(plan=plan, as_of=DEC_2023)}
    assert after["2030.HTX"] == value["2030.HTX"] + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        OrganisationFactory(name="Hợp tác xã bỏ", commune_legacy=registry["hai_minh"])
        raise RuntimeError
    assert dataversion.current() == version + 1  # rolled back with the data


def test_breakdowns_follow_the_data_and_each_users_reach(plan, registry, users):
    cache.clear()
    target = selectors.target_get(plan=plan, code="2030.HTX")

    def cached_rows(user):
        rows = selectors.plan_breakdown(
            plan=plan, targets=[target], as_of=DEC_2023, group_by="commune_legacy", user=user
        )
        return {row.name: row.measure(target).value for row in rows}

    def fresh_rows(user):
        groups = breakdown(plan, [target], as_of=DEC_2023, group_by="commune_legacy", user=user)
        return {
            row.name: row.measure(target).value for row in selectors._breakdown_rows("commune_legacy", groups)
        }

    province, commune = users["province"], users["commune"]
    assert cached_rows(province) == fresh_rows(province) and len(fresh_rows(province)) == 2
    assert cached_rows(commune) == fresh_rows(commune) and len(fresh_rows(commune)) == 1  # Hải Minh only
    OrganisationFactory(name="Hợp tác xã Mới", commune_legacy=registry["hai_minh"])
    for user in (province, commune):
        assert cached_rows(user) == fresh_rows(user)
    assert list(cached_rows(commune).values()) == [3]  # two cooperatives of Hải Minh in 2023, and the new one


def test_the_plan_export_follows_the_data(plan, registry, users):
    import io

    import openpyxl

    from hoptac.plans import exports

    cache.clear()

    def cells(content: bytes) -> list:
        book = openpyxl.load_workbook(io.BytesIO(content))
        return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]

    def both(user):
        kwargs = {"plan": plan, "as_of": DEC_2023, "admin_map": "legacy", "user": user, "provisional": False}
        return cells(exports.plan_export(**kwargs)), cells(exports._plan_export(**kwargs))

    cached, fresh_cells = both(users["commune"])
    assert cached == fresh_cells
    assert both(users["commune"])[0] == cached  # from the cache
    OrganisationFactory(name="Hợp tác xã Mới", commune_legacy=registry["hai_minh"])
    after, fresh_after = both(users["commune"])
    assert after == fresh_after != cached
    province, fresh_province = both(users["province"])
    assert province == fresh_province != after  # the province's breakdowns count both communes


def test_the_registry_export_follows_the_data(client, registry, users):
    """The registry's list export follows the data: it is written afresh from the scoped query on every
    request (streamed, not cached: docs/decisions/0038-exports.md)."""
    import io

    import openpyxl

    cache.clear()
    login(client, users["commune"])

    def names() -> set:
        content = response_content(client.get(reverse("registry:organisation_export")))
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        return {cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)}

    before = names()
    assert "Hợp tác xã Hải Minh" in before and "Hợp tác xã Giao Xuân" not in before  # the commune's scope
    Organisation.objects.unrestricted("test").filter(pk=registry["a"].pk).update(name="Hợp tác xã Đổi Tên")
    after = names()
    assert "Hợp tác xã Đổi Tên" in after and "Hợp tác xã Hải Minh" not in after


def _summary(results) -> list:
    """Everything a result says, point by point (the desk and /plans/ show parts of it)."""
    return [
        (
            r.target.code,
            r.status,
            r.reason,
            r.value,
            [(p.year, p.as_of, p.partial, vars(p.measure)) for p in r.points],
        )
        for r in results
    ]


def test_plans_evaluated_together_follow_every_write(plan, registry, evaluations):
    """The desk's and /plans/' evaluation of several plans together (decision 0044) equals a fresh evaluation
    of each plan after every kind of write, and leaves each plan's own cache entry filled."""
    from django.conf import settings

    from hoptac.core.datafiles import load_path
    from hoptac.registry.models import StatusChange

    national = load_path(
        "plans", settings.HOPTAC_DATA_DIR / "plans/nq-20-nq-tw-2022-kinh-te-tap-the.yaml"
    ).obj
    plans = [plan, national]

    def together() -> dict:
        return {
            pk: _summary(results)
            for pk, results in selectors.plans_evaluate(plans=plans, as_of=DEC_2023).items()
        }

    def fresh_each() -> dict:
        return {
            p.pk: _summary(
                selectors._plan_evaluate(
                    plan=p, as_of=DEC_2023, targets=None, with_series=True, provisional=False
                )
            )
            for p in plans
        }

    cache.clear()
    first = together()
    assert first == fresh_each()
    evaluations.clear()
    selectors.plan_evaluate(plan=plan, as_of=DEC_2023)
    selectors.plan_evaluate(plan=national, as_of=DEC_2023)
    assert evaluations == []  # read from the entries the evaluation together filled

    # A save, a bulk update, a status change, a raw statement: each time equal to a fresh evaluation.
    OrganisationFactory(name="Hợp tác xã Mới", commune_legacy=registry["hai_minh"])
    second = together()
    assert second == fresh_each() != first
    YearlyReport.objects.unrestricted("test").filter(organisation=registry["b"], year=2023).update(
        high_tech=True
    )
    third = together()
    assert third == fresh_each() != second
    StatusChange.objects.create(
        organisation=registry["c"], status="dissolved", effective_from=DEC_2023.replace(day=1)
    )
    fourth = together()
    assert fourth == fresh_each() != third
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_organisation SET kind = 'tht' WHERE id = %s", [registry["a"].pk])
    assert together() == fresh_each() != fourth
