"""Trigram indexes for the registry's search on PostgreSQL (docs/decisions/0037-registry-lists-at-scale.md).

The search stays what it is on both databases — `name_folded LIKE '%…%'` and `UPPER(code) LIKE UPPER('%…%')`
(hoptac.registry.models.search_condition) — and PostgreSQL answers those LIKEs from GIN indexes of trigrams
(pg_trgm) instead of reading every row. The index is the same search, faster: no result changes. On SQLite
the migration does nothing (it has no such index; its search reads the rows as before)."""

from django.db import migrations

# (index name, indexed expression): the expressions exactly as the ORM writes the searched columns, so the
# planner matches them (`UPPER(col::text)` is what `__icontains` produces).
INDEXES = [
    ("registry_org_name_folded_trgm", '"name_folded" gin_trgm_ops'),
    ("registry_org_regcode_upper_trgm", 'UPPER("registration_code"::text) gin_trgm_ops'),
    ("registry_org_taxcode_upper_trgm", 'UPPER("tax_code"::text) gin_trgm_ops'),
]


# Statistics of the upper-cased codes: without them the planner guesses how many rows a code search finds
# (hundreds where there are a few) and walks the whole name index instead of asking the trigram index.
STATISTICS = [
    ("registry_org_regcode_upper_stats", 'UPPER("registration_code"::text)'),
    ("registry_org_taxcode_upper_stats", 'UPPER("tax_code"::text)'),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "registry_organisation" USING gin ({expression})'
        )
    for name, expression in STATISTICS:
        schema_editor.execute(
            f'CREATE STATISTICS IF NOT EXISTS "{name}" ON ({expression}) FROM "registry_organisation"'
        )
    schema_editor.execute('ANALYZE "registry_organisation"')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _expression in STATISTICS:
        schema_editor.execute(f'DROP STATISTICS IF EXISTS "{name}"')
    for name, _expression in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    # The extension stays: other database objects may use it, and it costs nothing unused.


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_yearly_report_no_default_ordering")]

    operations = [migrations.RunPython(create, drop)]
