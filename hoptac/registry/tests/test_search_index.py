"""The registry's search with trigram indexes on PostgreSQL (migration 0006, docs/decisions/0037): the same
results as the plain reading of the rule — the folded name contains the folded query, or a code contains the
query whatever its case — on both databases; and on PostgreSQL the indexes can answer the search's LIKEs."""

import pytest
from django.db import connection

from hoptac.core.text import fold
from hoptac.registry.models import Organisation, YearlyReport, search_condition
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db

QUERIES = ["hai anh", "Hải", "HTX", "đông", "0710", "ab-1", "xa", "a", "  ", "%", "_", "Dịch vụ", "x9"]


@pytest.fixture
def organisations(db):
    rows = [
        ("Hợp tác xã Hải Anh", "0710000123", "0600111222", "HTX Hải Anh"),
        ("Hợp tác xã Đông Hải", "AB-1", "", ""),
        ("Tổ hợp tác rau sạch", "", "ab-12", "THT rau"),
        ("Hợp tác xã 100% sạch", "x_9", "", ""),
        ("Quỹ tín dụng nhân dân Xuân", "0710999", "", ""),
    ]
    return [
        OrganisationFactory(name=name, registration_code=code, tax_code=tax, short_name=short)
        for name, code, tax, short in rows
    ]


def expected(query):
    """The rule read plainly, in Python."""
    folded, code = fold(query), query.strip().lower()
    if not folded:
        return None
    return {
        org.pk
        for org in Organisation.objects.all()
        if folded in org.name_folded or code in org.registration_code.lower() or code in org.tax_code.lower()
    }


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_what_the_rule_says(organisations, query):
    want = expected(query)
    condition = search_condition(query)
    if want is None:
        assert condition is None
        return
    assert set(Organisation.objects.filter(condition).values_list("pk", flat=True)) == want
    for org in organisations:
        YearlyReportFactory(organisation=org, year=2024)
    found = YearlyReport.objects.filter(search_condition(query, prefix="organisation__"))
    assert set(found.values_list("organisation_id", flat=True)) == want


@pytest.mark.one_database("postgresql")
def test_postgresql_answers_the_search_from_the_trigram_indexes(organisations):
    queryset = Organisation.objects.filter(search_condition("hai anh 0710")).order_by()
    with connection.cursor() as cursor:
        # A tiny table: make the planner show that it can (without reading every row, nor another index).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in (
        "registry_org_name_folded_trgm",
        "registry_org_regcode_upper_trgm",
        "registry_org_taxcode_upper_trgm",
    ):
        assert index in plan, plan
