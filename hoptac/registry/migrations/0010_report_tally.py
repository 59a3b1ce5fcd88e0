"""The tally of yearly reports (docs/decisions/0056-report-tally.md): registry_reporttally, the triggers that keep
it exact on the organisations and the yearly reports, and its filling from the data already there. TALLY_SQL and
FILL_SQL are what `hoptac.registry.tallies.SPEC` (`hoptac.core.tallies.TallySpec.tally_sql`, `rebuild_sql`)
generated from the models of this migration's time (a test asserts they are still equal: a change needs a new
migration)."""

from django.db import migrations, models

TALLY_SQL = {'postgresql': ['CREATE OR REPLACE FUNCTION hoptac_rtally_rebuild() RETURNS void LANGUAGE plpgsql AS $$\n'
                'BEGIN\n'
                '  DELETE FROM "registry_reporttally";\n'
                '  INSERT INTO "registry_reporttally" ("state", "year", "commune_legacy", "commune_current", '
                '"n") SELECT i."state", i."year", COALESCE(o."commune_legacy_id", 0), '
                'COALESCE(o."commune_current_id", 0), count(*) FROM "registry_yearlyreport" i JOIN '
                '"registry_organisation" o ON o."id" = i."organisation_id" GROUP BY i."state", i."year", '
                'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0);\n'
                'END $$',
                'CREATE OR REPLACE FUNCTION hoptac_rtally_registry_organisation() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                '  PERFORM 1 FROM core_dataversion WHERE id = 1 FOR UPDATE;\n'
                '  IF TG_OP = \'INSERT\' THEN WITH d AS (SELECT "state", "year", "commune_legacy", '
                '"commune_current", sum(c.d) AS n FROM (SELECT i."state", i."year", r."commune_legacy", '
                'r."commune_current", r.d FROM (SELECT o."id", COALESCE(o."commune_legacy_id", 0), '
                'COALESCE(o."commune_current_id", 0), 1 FROM hoptac_new o) AS r(id, "commune_legacy", '
                '"commune_current", d) JOIN "registry_yearlyreport" i ON i."organisation_id" = r.id) AS '
                'c("state", "year", "commune_legacy", "commune_current", d) GROUP BY "state", "year", '
                '"commune_legacy", "commune_current"), fewer AS (UPDATE "registry_reporttally" t SET n = t.n '
                '+ d.n FROM d WHERE d.n < 0 AND t."state" = d."state" AND t."year" = d."year" AND '
                't."commune_legacy" = d."commune_legacy" AND t."commune_current" = d."commune_current") '
                'INSERT INTO "registry_reporttally" AS t ("state", "year", "commune_legacy", '
                '"commune_current", n) SELECT d."state", d."year", d."commune_legacy", d."commune_current", '
                'd.n FROM d WHERE d.n > 0 ON CONFLICT ("state", "year", "commune_legacy", "commune_current") '
                'DO UPDATE SET n = t.n + EXCLUDED.n;\n'
                '  ELSIF TG_OP = \'DELETE\' THEN WITH d AS (SELECT "state", "year", "commune_legacy", '
                '"commune_current", sum(c.d) AS n FROM (SELECT i."state", i."year", r."commune_legacy", '
                'r."commune_current", r.d FROM (SELECT o."id", COALESCE(o."commune_legacy_id", 0), '
                'COALESCE(o."commune_current_id", 0), -1 FROM hoptac_old o) AS r(id, "commune_legacy", '
                '"commune_current", d) JOIN "registry_yearlyreport" i ON i."organisation_id" = r.id) AS '
                'c("state", "year", "commune_legacy", "commune_current", d) GROUP BY "state", "year", '
                '"commune_legacy", "commune_current"), fewer AS (UPDATE "registry_reporttally" t SET n = t.n '
                '+ d.n FROM d WHERE d.n < 0 AND t."state" = d."state" AND t."year" = d."year" AND '
                't."commune_legacy" = d."commune_legacy" AND t."commune_current" = d."commune_current") '
                'INSERT INTO "registry_reporttally" AS t ("state", "year", "commune_legacy", '
                '"commune_current", n) SELECT d."state", d."year", d."commune_legacy", d."commune_current", '
                'd.n FROM d WHERE d.n > 0 ON CONFLICT ("state", "year", "commune_legacy", "commune_current") '
                'DO UPDATE SET n = t.n + EXCLUDED.n;\n'
                '  ELSIF TG_OP = \'UPDATE\' THEN WITH d AS (SELECT "state", "year", "commune_legacy", '
                '"commune_current", sum(c.d) AS n FROM (SELECT i."state", i."year", r."commune_legacy", '
                'r."commune_current", r.d FROM (SELECT o."id", COALESCE(o."commune_legacy_id", 0), '
                'COALESCE(o."commune_current_id", 0), -1 FROM hoptac_old o WHERE NOT EXISTS (SELECT 1 FROM '
                'hoptac_new x WHERE x."id" = o."id" AND x."commune_legacy_id" IS NOT DISTINCT FROM '
                'o."commune_legacy_id" AND x."commune_current_id" IS NOT DISTINCT FROM '
                'o."commune_current_id") UNION ALL SELECT o."id", COALESCE(o."commune_legacy_id", 0), '
                'COALESCE(o."commune_current_id", 0), 1 FROM hoptac_new o WHERE NOT EXISTS (SELECT 1 FROM '
                'hoptac_old x WHERE x."id" = o."id" AND x."commune_legacy_id" IS NOT DISTINCT FROM '
                'o."commune_legacy_id" AND x."commune_current_id" IS NOT DISTINCT FROM '
                'o."commune_current_id")) AS r(id, "commune_legacy", "commune_current", d) JOIN '
                '"registry_yearlyreport" i ON i."organisation_id" = r.id) AS c("state", "year", '
                '"commune_legacy", "commune_current", d) GROUP BY "state", "year", "commune_legacy", '
                '"commune_current"), fewer AS (UPDATE "registry_reporttally" t SET n = t.n + d.n FROM d '
                'WHERE d.n < 0 AND t."state" = d."state" AND t."year" = d."year" AND t."commune_legacy" = '
                'd."commune_legacy" AND t."commune_current" = d."commune_current") INSERT INTO '
                '"registry_reporttally" AS t ("state", "year", "commune_legacy", "commune_current", n) '
                'SELECT d."state", d."year", d."commune_legacy", d."commune_current", d.n FROM d WHERE d.n > '
                '0 ON CONFLICT ("state", "year", "commune_legacy", "commune_current") DO UPDATE SET n = t.n '
                '+ EXCLUDED.n;\n'
                '  ELSE PERFORM hoptac_rtally_rebuild();\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE OR REPLACE FUNCTION hoptac_rtally_registry_yearlyreport() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                '  PERFORM 1 FROM core_dataversion WHERE id = 1 FOR UPDATE;\n'
                '  IF TG_OP = \'INSERT\' THEN WITH d AS (SELECT "state", "year", "commune_legacy", '
                '"commune_current", sum(c.d) AS n FROM (SELECT r.state, r.year, '
                'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), r.d FROM (SELECT '
                'i."state", i."year", i."organisation_id", 1 FROM hoptac_new i) AS r(state, year, '
                'organisation_id, d) JOIN "registry_organisation" o ON o."id" = r.organisation_id) AS '
                'c("state", "year", "commune_legacy", "commune_current", d) GROUP BY "state", "year", '
                '"commune_legacy", "commune_current"), fewer AS (UPDATE "registry_reporttally" t SET n = t.n '
                '+ d.n FROM d WHERE d.n < 0 AND t."state" = d."state" AND t."year" = d."year" AND '
                't."commune_legacy" = d."commune_legacy" AND t."commune_current" = d."commune_current") '
                'INSERT INTO "registry_reporttally" AS t ("state", "year", "commune_legacy", '
                '"commune_current", n) SELECT d."state", d."year", d."commune_legacy", d."commune_current", '
                'd.n FROM d WHERE d.n > 0 ON CONFLICT ("state", "year", "commune_legacy", "commune_current") '
                'DO UPDATE SET n = t.n + EXCLUDED.n;\n'
                '  ELSIF TG_OP = \'DELETE\' THEN WITH d AS (SELECT "state", "year", "commune_legacy", '
                '"commune_current", sum(c.d) AS n FROM (SELECT r.state, r.year, '
                'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), r.d FROM (SELECT '
                'i."state", i."year", i."organisation_id", -1 FROM hoptac_old i) AS r(state, year, '
                'organisation_id, d) JOIN "registry_organisation" o ON o."id" = r.organisation_id) AS '
                'c("state", "year", "commune_legacy", "commune_current", d) GROUP BY "state", "year", '
                '"commune_legacy", "commune_current"), fewer AS (UPDATE "registry_reporttally" t SET n = t.n '
                '+ d.n FROM d WHERE d.n < 0 AND t."state" = d."state" AND t."year" = d."year" AND '
                't."commune_legacy" = d."commune_legacy" AND t."commune_current" = d."commune_current") '
                'INSERT INTO "registry_reporttally" AS t ("state", "year", "commune_legacy", '
                '"commune_current", n) SELECT d."state", d."year", d."commune_legacy", d."commune_current", '
                'd.n FROM d WHERE d.n > 0 ON CONFLICT ("state", "year", "commune_legacy", "commune_current") '
                'DO UPDATE SET n = t.n + EXCLUDED.n;\n'
                '  ELSIF TG_OP = \'UPDATE\' THEN WITH d AS (SELECT "state", "year", "commune_legacy", '
                '"commune_current", sum(c.d) AS n FROM (SELECT r.state, r.year, '
                'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), r.d FROM (SELECT '
                'i."state", i."year", i."organisation_id", -1 FROM hoptac_old i WHERE NOT EXISTS (SELECT 1 '
                'FROM hoptac_new x WHERE x."id" = i."id" AND x."state" = i."state" AND x."year" = i."year" '
                'AND x."organisation_id" = i."organisation_id") UNION ALL SELECT i."state", i."year", '
                'i."organisation_id", 1 FROM hoptac_new i WHERE NOT EXISTS (SELECT 1 FROM hoptac_old x WHERE '
                'x."id" = i."id" AND x."state" = i."state" AND x."year" = i."year" AND x."organisation_id" = '
                'i."organisation_id")) AS r(state, year, organisation_id, d) JOIN "registry_organisation" o '
                'ON o."id" = r.organisation_id) AS c("state", "year", "commune_legacy", "commune_current", '
                'd) GROUP BY "state", "year", "commune_legacy", "commune_current"), fewer AS (UPDATE '
                '"registry_reporttally" t SET n = t.n + d.n FROM d WHERE d.n < 0 AND t."state" = d."state" '
                'AND t."year" = d."year" AND t."commune_legacy" = d."commune_legacy" AND t."commune_current" '
                '= d."commune_current") INSERT INTO "registry_reporttally" AS t ("state", "year", '
                '"commune_legacy", "commune_current", n) SELECT d."state", d."year", d."commune_legacy", '
                'd."commune_current", d.n FROM d WHERE d.n > 0 ON CONFLICT ("state", "year", '
                '"commune_legacy", "commune_current") DO UPDATE SET n = t.n + EXCLUDED.n;\n'
                '  ELSE PERFORM hoptac_rtally_rebuild();\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_rtally_insert AFTER INSERT ON "registry_organisation" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_rtally_registry_organisation()',
                'CREATE TRIGGER hoptac_rtally_update AFTER UPDATE ON "registry_organisation" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_rtally_registry_organisation()',
                'CREATE TRIGGER hoptac_rtally_delete AFTER DELETE ON "registry_organisation" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_rtally_registry_organisation()',
                'CREATE TRIGGER hoptac_rtally_truncate AFTER TRUNCATE ON "registry_organisation" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_rtally_registry_organisation()',
                'CREATE TRIGGER hoptac_rtally_insert AFTER INSERT ON "registry_yearlyreport" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_rtally_registry_yearlyreport()',
                'CREATE TRIGGER hoptac_rtally_update AFTER UPDATE ON "registry_yearlyreport" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_rtally_registry_yearlyreport()',
                'CREATE TRIGGER hoptac_rtally_delete AFTER DELETE ON "registry_yearlyreport" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_rtally_registry_yearlyreport()',
                'CREATE TRIGGER hoptac_rtally_truncate AFTER TRUNCATE ON "registry_yearlyreport" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_rtally_registry_yearlyreport()'],
 'sqlite': ['CREATE TRIGGER hoptac_rtally_registry_yearlyreport_insert AFTER INSERT ON '
            '"registry_yearlyreport" FOR EACH ROW BEGIN INSERT INTO "registry_reporttally" ("state", "year", '
            '"commune_legacy", "commune_current", n) SELECT NEW."state", NEW."year", '
            'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), 1 FROM '
            '"registry_organisation" o WHERE o."id" = NEW."organisation_id" ON CONFLICT ("state", "year", '
            '"commune_legacy", "commune_current") DO UPDATE SET n = n + excluded.n; END',
            'CREATE TRIGGER hoptac_rtally_registry_yearlyreport_update AFTER UPDATE ON '
            '"registry_yearlyreport" FOR EACH ROW WHEN (OLD."state" IS NOT NEW."state" OR OLD."year" IS NOT '
            'NEW."year" OR OLD."organisation_id" IS NOT NEW."organisation_id") BEGIN UPDATE '
            '"registry_reporttally" SET n = n - 1 WHERE state = OLD."state" AND year = OLD."year" AND '
            '("commune_legacy", "commune_current") = (SELECT COALESCE(o."commune_legacy_id", 0), '
            'COALESCE(o."commune_current_id", 0) FROM "registry_organisation" o WHERE o."id" = '
            'OLD."organisation_id"); INSERT INTO "registry_reporttally" ("state", "year", "commune_legacy", '
            '"commune_current", n) SELECT NEW."state", NEW."year", COALESCE(o."commune_legacy_id", 0), '
            'COALESCE(o."commune_current_id", 0), 1 FROM "registry_organisation" o WHERE o."id" = '
            'NEW."organisation_id" ON CONFLICT ("state", "year", "commune_legacy", "commune_current") DO '
            'UPDATE SET n = n + excluded.n; END',
            'CREATE TRIGGER hoptac_rtally_registry_yearlyreport_delete AFTER DELETE ON '
            '"registry_yearlyreport" FOR EACH ROW BEGIN UPDATE "registry_reporttally" SET n = n - 1 WHERE '
            'state = OLD."state" AND year = OLD."year" AND ("commune_legacy", "commune_current") = (SELECT '
            'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0) FROM '
            '"registry_organisation" o WHERE o."id" = OLD."organisation_id"); END',
            'CREATE TRIGGER hoptac_rtally_registry_organisation_insert AFTER INSERT ON '
            '"registry_organisation" FOR EACH ROW BEGIN INSERT INTO "registry_reporttally" ("state", "year", '
            '"commune_legacy", "commune_current", n) SELECT i."state", i."year", '
            'COALESCE(NEW."commune_legacy_id", 0), COALESCE(NEW."commune_current_id", 0), count(*) FROM '
            '"registry_yearlyreport" i WHERE i."organisation_id" = NEW."id" GROUP BY i."state", i."year" ON '
            'CONFLICT ("state", "year", "commune_legacy", "commune_current") DO UPDATE SET n = n + '
            'excluded.n; END',
            'CREATE TRIGGER hoptac_rtally_registry_organisation_update AFTER UPDATE ON '
            '"registry_organisation" FOR EACH ROW WHEN OLD."id" IS NOT NEW."id" OR OLD."commune_legacy_id" '
            'IS NOT NEW."commune_legacy_id" OR OLD."commune_current_id" IS NOT NEW."commune_current_id" '
            'BEGIN UPDATE "registry_reporttally" SET n = n - (SELECT count(*) FROM "registry_yearlyreport" i '
            'WHERE i."organisation_id" = OLD."id" AND i."state" = "registry_reporttally".state AND i."year" '
            '= "registry_reporttally".year) WHERE "commune_legacy" = COALESCE(OLD."commune_legacy_id", 0) '
            'AND "commune_current" = COALESCE(OLD."commune_current_id", 0); INSERT INTO '
            '"registry_reporttally" ("state", "year", "commune_legacy", "commune_current", n) SELECT '
            'i."state", i."year", COALESCE(NEW."commune_legacy_id", 0), COALESCE(NEW."commune_current_id", '
            '0), count(*) FROM "registry_yearlyreport" i WHERE i."organisation_id" = NEW."id" GROUP BY '
            'i."state", i."year" ON CONFLICT ("state", "year", "commune_legacy", "commune_current") DO '
            'UPDATE SET n = n + excluded.n; END',
            'CREATE TRIGGER hoptac_rtally_registry_organisation_delete AFTER DELETE ON '
            '"registry_organisation" FOR EACH ROW BEGIN UPDATE "registry_reporttally" SET n = n - (SELECT '
            'count(*) FROM "registry_yearlyreport" i WHERE i."organisation_id" = OLD."id" AND i."state" = '
            '"registry_reporttally".state AND i."year" = "registry_reporttally".year) WHERE "commune_legacy" '
            '= COALESCE(OLD."commune_legacy_id", 0) AND "commune_current" = '
            'COALESCE(OLD."commune_current_id", 0); END']}

FILL_SQL = ['DELETE FROM "registry_reporttally"',
 'INSERT INTO "registry_reporttally" ("state", "year", "commune_legacy", "commune_current", "n") SELECT '
 'i."state", i."year", COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), count(*) '
 'FROM "registry_yearlyreport" i JOIN "registry_organisation" o ON o."id" = i."organisation_id" GROUP BY '
 'i."state", i."year", COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0)']


def create_triggers(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for statement in TALLY_SQL.get(schema_editor.connection.vendor, []):
            cursor.execute(statement)
        for statement in FILL_SQL:  # a database that already holds data is exact right after migrate
            cursor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            for statement in TALLY_SQL[vendor]:
                if statement.startswith("CREATE OR REPLACE FUNCTION hoptac_rtally_"):
                    cursor.execute(f"DROP FUNCTION IF EXISTS {statement.split()[4]} CASCADE")
        elif vendor == "sqlite":
            for statement in TALLY_SQL[vendor]:
                cursor.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_durable_figure"),
        ('registry', '0009_waiting_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('state', models.CharField(max_length=12, verbose_name='state')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('commune_legacy', models.BigIntegerField(verbose_name='commune (map before 1/7/2025)')),
                ('commune_current', models.BigIntegerField(verbose_name='commune (map from 1/7/2025)')),
                ('n', models.BigIntegerField(verbose_name='count')),
            ],
            options={
                'verbose_name': 'yearly report tally',
                'verbose_name_plural': 'yearly report tallies',
                'constraints': [models.UniqueConstraint(fields=('state', 'year', 'commune_legacy', 'commune_current'), name='one_report_tally'), models.CheckConstraint(condition=models.Q(('n__gte', 0)), name='report_tally_not_negative')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
