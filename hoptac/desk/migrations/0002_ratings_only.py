"""The desk's review tally keeps only ratings (docs/decisions/0056-report-tally.md): the yearly data waiting are
read from the registry's tally of yearly reports (registry migration 0010). The triggers of migration 0001 are
dropped (DROP_SQL, frozen: what `tally_drop_sql` gave for them), the desk's new ones created (TALLY_SQL) and the
tally filled again (FILL_SQL: its yearly cells go). TALLY_SQL and FILL_SQL are what `hoptac.desk.tallies.SPEC`
generated from the models of this migration's time (a test asserts they are still equal)."""

import importlib

from django.db import migrations

DROP_SQL = {
    "postgresql": [
        "DROP FUNCTION IF EXISTS hoptac_tally_rebuild() CASCADE",
        "DROP FUNCTION IF EXISTS hoptac_tally_registry_organisation() CASCADE",
        "DROP FUNCTION IF EXISTS hoptac_tally_registry_yearlyreport() CASCADE",
        "DROP FUNCTION IF EXISTS hoptac_tally_scoring_assessment() CASCADE",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS hoptac_tally_{table}_{event}"
        for table in ("registry_organisation", "registry_yearlyreport", "scoring_assessment")
        for event in ("insert", "update", "delete")
    ],
}

TALLY_SQL = {'postgresql': ['CREATE OR REPLACE FUNCTION hoptac_tally_rebuild() RETURNS void LANGUAGE plpgsql AS $$\n'
                'BEGIN\n'
                '  DELETE FROM "desk_reviewtally";\n'
                '  INSERT INTO "desk_reviewtally" ("kind", "state", "year", "commune_legacy", '
                '"commune_current", "n") SELECT \'rating\', i."state", i."year", '
                'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), count(*) FROM '
                '"scoring_assessment" i JOIN "registry_organisation" o ON o."id" = i."organisation_id" WHERE '
                'i."state" IN (\'submitted\', \'reviewed\', \'reopened\') GROUP BY i."state", i."year", '
                'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0);\n'
                'END $$',
                'CREATE OR REPLACE FUNCTION hoptac_tally_registry_organisation() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                '  PERFORM 1 FROM core_dataversion WHERE id = 1 FOR UPDATE;\n'
                '  IF TG_OP = \'INSERT\' THEN WITH d AS (SELECT "kind", "state", "year", "commune_legacy", '
                '"commune_current", sum(c.d) AS n FROM (SELECT \'rating\', i."state", i."year", '
                'r."commune_legacy", r."commune_current", r.d FROM (SELECT o."id", '
                'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), 1 FROM hoptac_new '
                'o) AS r(id, "commune_legacy", "commune_current", d) JOIN "scoring_assessment" i ON '
                'i."organisation_id" = r.id WHERE i."state" IN (\'submitted\', \'reviewed\', \'reopened\')) '
                'AS c("kind", "state", "year", "commune_legacy", "commune_current", d) GROUP BY "kind", '
                '"state", "year", "commune_legacy", "commune_current"), fewer AS (UPDATE "desk_reviewtally" '
                't SET n = t.n + d.n FROM d WHERE d.n < 0 AND t."kind" = d."kind" AND t."state" = d."state" '
                'AND t."year" = d."year" AND t."commune_legacy" = d."commune_legacy" AND t."commune_current" '
                '= d."commune_current") INSERT INTO "desk_reviewtally" AS t ("kind", "state", "year", '
                '"commune_legacy", "commune_current", n) SELECT d."kind", d."state", d."year", '
                'd."commune_legacy", d."commune_current", d.n FROM d WHERE d.n > 0 ON CONFLICT ("kind", '
                '"state", "year", "commune_legacy", "commune_current") DO UPDATE SET n = t.n + EXCLUDED.n;\n'
                '  ELSIF TG_OP = \'DELETE\' THEN WITH d AS (SELECT "kind", "state", "year", '
                '"commune_legacy", "commune_current", sum(c.d) AS n FROM (SELECT \'rating\', i."state", '
                'i."year", r."commune_legacy", r."commune_current", r.d FROM (SELECT o."id", '
                'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), -1 FROM hoptac_old '
                'o) AS r(id, "commune_legacy", "commune_current", d) JOIN "scoring_assessment" i ON '
                'i."organisation_id" = r.id WHERE i."state" IN (\'submitted\', \'reviewed\', \'reopened\')) '
                'AS c("kind", "state", "year", "commune_legacy", "commune_current", d) GROUP BY "kind", '
                '"state", "year", "commune_legacy", "commune_current"), fewer AS (UPDATE "desk_reviewtally" '
                't SET n = t.n + d.n FROM d WHERE d.n < 0 AND t."kind" = d."kind" AND t."state" = d."state" '
                'AND t."year" = d."year" AND t."commune_legacy" = d."commune_legacy" AND t."commune_current" '
                '= d."commune_current") INSERT INTO "desk_reviewtally" AS t ("kind", "state", "year", '
                '"commune_legacy", "commune_current", n) SELECT d."kind", d."state", d."year", '
                'd."commune_legacy", d."commune_current", d.n FROM d WHERE d.n > 0 ON CONFLICT ("kind", '
                '"state", "year", "commune_legacy", "commune_current") DO UPDATE SET n = t.n + EXCLUDED.n;\n'
                '  ELSIF TG_OP = \'UPDATE\' THEN WITH d AS (SELECT "kind", "state", "year", '
                '"commune_legacy", "commune_current", sum(c.d) AS n FROM (SELECT \'rating\', i."state", '
                'i."year", r."commune_legacy", r."commune_current", r.d FROM (SELECT o."id", '
                'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), -1 FROM hoptac_old '
                'o WHERE NOT EXISTS (SELECT 1 FROM hoptac_new x WHERE x."id" = o."id" AND '
                'x."commune_legacy_id" IS NOT DISTINCT FROM o."commune_legacy_id" AND x."commune_current_id" '
                'IS NOT DISTINCT FROM o."commune_current_id") UNION ALL SELECT o."id", '
                'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), 1 FROM hoptac_new '
                'o WHERE NOT EXISTS (SELECT 1 FROM hoptac_old x WHERE x."id" = o."id" AND '
                'x."commune_legacy_id" IS NOT DISTINCT FROM o."commune_legacy_id" AND x."commune_current_id" '
                'IS NOT DISTINCT FROM o."commune_current_id")) AS r(id, "commune_legacy", "commune_current", '
                'd) JOIN "scoring_assessment" i ON i."organisation_id" = r.id WHERE i."state" IN '
                '(\'submitted\', \'reviewed\', \'reopened\')) AS c("kind", "state", "year", '
                '"commune_legacy", "commune_current", d) GROUP BY "kind", "state", "year", "commune_legacy", '
                '"commune_current"), fewer AS (UPDATE "desk_reviewtally" t SET n = t.n + d.n FROM d WHERE '
                'd.n < 0 AND t."kind" = d."kind" AND t."state" = d."state" AND t."year" = d."year" AND '
                't."commune_legacy" = d."commune_legacy" AND t."commune_current" = d."commune_current") '
                'INSERT INTO "desk_reviewtally" AS t ("kind", "state", "year", "commune_legacy", '
                '"commune_current", n) SELECT d."kind", d."state", d."year", d."commune_legacy", '
                'd."commune_current", d.n FROM d WHERE d.n > 0 ON CONFLICT ("kind", "state", "year", '
                '"commune_legacy", "commune_current") DO UPDATE SET n = t.n + EXCLUDED.n;\n'
                '  ELSE PERFORM hoptac_tally_rebuild();\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE OR REPLACE FUNCTION hoptac_tally_scoring_assessment() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                '  PERFORM 1 FROM core_dataversion WHERE id = 1 FOR UPDATE;\n'
                '  IF TG_OP = \'INSERT\' THEN WITH d AS (SELECT "kind", "state", "year", "commune_legacy", '
                '"commune_current", sum(c.d) AS n FROM (SELECT \'rating\', r.state, r.year, '
                'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), r.d FROM (SELECT '
                'i."state", i."year", i."organisation_id", 1 FROM hoptac_new i WHERE i."state" IN '
                "('submitted', 'reviewed', 'reopened')) AS r(state, year, organisation_id, d) JOIN "
                '"registry_organisation" o ON o."id" = r.organisation_id) AS c("kind", "state", "year", '
                '"commune_legacy", "commune_current", d) GROUP BY "kind", "state", "year", "commune_legacy", '
                '"commune_current"), fewer AS (UPDATE "desk_reviewtally" t SET n = t.n + d.n FROM d WHERE '
                'd.n < 0 AND t."kind" = d."kind" AND t."state" = d."state" AND t."year" = d."year" AND '
                't."commune_legacy" = d."commune_legacy" AND t."commune_current" = d."commune_current") '
                'INSERT INTO "desk_reviewtally" AS t ("kind", "state", "year", "commune_legacy", '
                '"commune_current", n) SELECT d."kind", d."state", d."year", d."commune_legacy", '
                'd."commune_current", d.n FROM d WHERE d.n > 0 ON CONFLICT ("kind", "state", "year", '
                '"commune_legacy", "commune_current") DO UPDATE SET n = t.n + EXCLUDED.n;\n'
                '  ELSIF TG_OP = \'DELETE\' THEN WITH d AS (SELECT "kind", "state", "year", '
                '"commune_legacy", "commune_current", sum(c.d) AS n FROM (SELECT \'rating\', r.state, '
                'r.year, COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), r.d FROM '
                '(SELECT i."state", i."year", i."organisation_id", -1 FROM hoptac_old i WHERE i."state" IN '
                "('submitted', 'reviewed', 'reopened')) AS r(state, year, organisation_id, d) JOIN "
                '"registry_organisation" o ON o."id" = r.organisation_id) AS c("kind", "state", "year", '
                '"commune_legacy", "commune_current", d) GROUP BY "kind", "state", "year", "commune_legacy", '
                '"commune_current"), fewer AS (UPDATE "desk_reviewtally" t SET n = t.n + d.n FROM d WHERE '
                'd.n < 0 AND t."kind" = d."kind" AND t."state" = d."state" AND t."year" = d."year" AND '
                't."commune_legacy" = d."commune_legacy" AND t."commune_current" = d."commune_current") '
                'INSERT INTO "desk_reviewtally" AS t ("kind", "state", "year", "commune_legacy", '
                '"commune_current", n) SELECT d."kind", d."state", d."year", d."commune_legacy", '
                'd."commune_current", d.n FROM d WHERE d.n > 0 ON CONFLICT ("kind", "state", "year", '
                '"commune_legacy", "commune_current") DO UPDATE SET n = t.n + EXCLUDED.n;\n'
                '  ELSIF TG_OP = \'UPDATE\' THEN WITH d AS (SELECT "kind", "state", "year", '
                '"commune_legacy", "commune_current", sum(c.d) AS n FROM (SELECT \'rating\', r.state, '
                'r.year, COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), r.d FROM '
                '(SELECT i."state", i."year", i."organisation_id", -1 FROM hoptac_old i WHERE i."state" IN '
                "('submitted', 'reviewed', 'reopened') AND NOT EXISTS (SELECT 1 FROM hoptac_new x WHERE "
                'x."id" = i."id" AND x."state" = i."state" AND x."year" = i."year" AND x."organisation_id" = '
                'i."organisation_id") UNION ALL SELECT i."state", i."year", i."organisation_id", 1 FROM '
                'hoptac_new i WHERE i."state" IN (\'submitted\', \'reviewed\', \'reopened\') AND NOT EXISTS '
                '(SELECT 1 FROM hoptac_old x WHERE x."id" = i."id" AND x."state" = i."state" AND x."year" = '
                'i."year" AND x."organisation_id" = i."organisation_id")) AS r(state, year, organisation_id, '
                'd) JOIN "registry_organisation" o ON o."id" = r.organisation_id) AS c("kind", "state", '
                '"year", "commune_legacy", "commune_current", d) GROUP BY "kind", "state", "year", '
                '"commune_legacy", "commune_current"), fewer AS (UPDATE "desk_reviewtally" t SET n = t.n + '
                'd.n FROM d WHERE d.n < 0 AND t."kind" = d."kind" AND t."state" = d."state" AND t."year" = '
                'd."year" AND t."commune_legacy" = d."commune_legacy" AND t."commune_current" = '
                'd."commune_current") INSERT INTO "desk_reviewtally" AS t ("kind", "state", "year", '
                '"commune_legacy", "commune_current", n) SELECT d."kind", d."state", d."year", '
                'd."commune_legacy", d."commune_current", d.n FROM d WHERE d.n > 0 ON CONFLICT ("kind", '
                '"state", "year", "commune_legacy", "commune_current") DO UPDATE SET n = t.n + EXCLUDED.n;\n'
                '  ELSE PERFORM hoptac_tally_rebuild();\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_tally_insert AFTER INSERT ON "registry_organisation" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_tally_registry_organisation()',
                'CREATE TRIGGER hoptac_tally_update AFTER UPDATE ON "registry_organisation" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_tally_registry_organisation()',
                'CREATE TRIGGER hoptac_tally_delete AFTER DELETE ON "registry_organisation" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_tally_registry_organisation()',
                'CREATE TRIGGER hoptac_tally_truncate AFTER TRUNCATE ON "registry_organisation" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_tally_registry_organisation()',
                'CREATE TRIGGER hoptac_tally_insert AFTER INSERT ON "scoring_assessment" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION hoptac_tally_scoring_assessment()',
                'CREATE TRIGGER hoptac_tally_update AFTER UPDATE ON "scoring_assessment" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_tally_scoring_assessment()',
                'CREATE TRIGGER hoptac_tally_delete AFTER DELETE ON "scoring_assessment" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION hoptac_tally_scoring_assessment()',
                'CREATE TRIGGER hoptac_tally_truncate AFTER TRUNCATE ON "scoring_assessment" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_tally_scoring_assessment()'],
 'sqlite': ['CREATE TRIGGER hoptac_tally_scoring_assessment_insert AFTER INSERT ON "scoring_assessment" FOR '
            'EACH ROW WHEN NEW."state" IN (\'submitted\', \'reviewed\', \'reopened\') BEGIN INSERT INTO '
            '"desk_reviewtally" ("kind", "state", "year", "commune_legacy", "commune_current", n) SELECT '
            '\'rating\', NEW."state", NEW."year", COALESCE(o."commune_legacy_id", 0), '
            'COALESCE(o."commune_current_id", 0), 1 FROM "registry_organisation" o WHERE o."id" = '
            'NEW."organisation_id" AND NEW."state" IN (\'submitted\', \'reviewed\', \'reopened\') ON '
            'CONFLICT ("kind", "state", "year", "commune_legacy", "commune_current") DO UPDATE SET n = n + '
            'excluded.n; END',
            'CREATE TRIGGER hoptac_tally_scoring_assessment_update AFTER UPDATE ON "scoring_assessment" FOR '
            'EACH ROW WHEN (OLD."state" IN (\'submitted\', \'reviewed\', \'reopened\') OR NEW."state" IN '
            '(\'submitted\', \'reviewed\', \'reopened\')) AND (OLD."state" IS NOT NEW."state" OR OLD."year" '
            'IS NOT NEW."year" OR OLD."organisation_id" IS NOT NEW."organisation_id") BEGIN UPDATE '
            '"desk_reviewtally" SET n = n - 1 WHERE OLD."state" IN (\'submitted\', \'reviewed\', '
            '\'reopened\') AND kind = \'rating\' AND state = OLD."state" AND year = OLD."year" AND '
            '("commune_legacy", "commune_current") = (SELECT COALESCE(o."commune_legacy_id", 0), '
            'COALESCE(o."commune_current_id", 0) FROM "registry_organisation" o WHERE o."id" = '
            'OLD."organisation_id"); INSERT INTO "desk_reviewtally" ("kind", "state", "year", '
            '"commune_legacy", "commune_current", n) SELECT \'rating\', NEW."state", NEW."year", '
            'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), 1 FROM '
            '"registry_organisation" o WHERE o."id" = NEW."organisation_id" AND NEW."state" IN '
            '(\'submitted\', \'reviewed\', \'reopened\') ON CONFLICT ("kind", "state", "year", '
            '"commune_legacy", "commune_current") DO UPDATE SET n = n + excluded.n; END',
            'CREATE TRIGGER hoptac_tally_scoring_assessment_delete AFTER DELETE ON "scoring_assessment" FOR '
            'EACH ROW WHEN OLD."state" IN (\'submitted\', \'reviewed\', \'reopened\') BEGIN UPDATE '
            '"desk_reviewtally" SET n = n - 1 WHERE OLD."state" IN (\'submitted\', \'reviewed\', '
            '\'reopened\') AND kind = \'rating\' AND state = OLD."state" AND year = OLD."year" AND '
            '("commune_legacy", "commune_current") = (SELECT COALESCE(o."commune_legacy_id", 0), '
            'COALESCE(o."commune_current_id", 0) FROM "registry_organisation" o WHERE o."id" = '
            'OLD."organisation_id"); END',
            'CREATE TRIGGER hoptac_tally_registry_organisation_insert AFTER INSERT ON '
            '"registry_organisation" FOR EACH ROW BEGIN INSERT INTO "desk_reviewtally" ("kind", "state", '
            '"year", "commune_legacy", "commune_current", n) SELECT \'rating\', i."state", i."year", '
            'COALESCE(NEW."commune_legacy_id", 0), COALESCE(NEW."commune_current_id", 0), count(*) FROM '
            '"scoring_assessment" i WHERE i."organisation_id" = NEW."id" AND i."state" IN (\'submitted\', '
            '\'reviewed\', \'reopened\') GROUP BY i."state", i."year" ON CONFLICT ("kind", "state", "year", '
            '"commune_legacy", "commune_current") DO UPDATE SET n = n + excluded.n; END',
            'CREATE TRIGGER hoptac_tally_registry_organisation_update AFTER UPDATE ON '
            '"registry_organisation" FOR EACH ROW WHEN OLD."id" IS NOT NEW."id" OR OLD."commune_legacy_id" '
            'IS NOT NEW."commune_legacy_id" OR OLD."commune_current_id" IS NOT NEW."commune_current_id" '
            'BEGIN UPDATE "desk_reviewtally" SET n = n - (SELECT count(*) FROM "scoring_assessment" i WHERE '
            'i."organisation_id" = OLD."id" AND i."state" = "desk_reviewtally".state AND i."year" = '
            '"desk_reviewtally".year) WHERE kind = \'rating\' AND "commune_legacy" = '
            'COALESCE(OLD."commune_legacy_id", 0) AND "commune_current" = COALESCE(OLD."commune_current_id", '
            '0); INSERT INTO "desk_reviewtally" ("kind", "state", "year", "commune_legacy", '
            '"commune_current", n) SELECT \'rating\', i."state", i."year", COALESCE(NEW."commune_legacy_id", '
            '0), COALESCE(NEW."commune_current_id", 0), count(*) FROM "scoring_assessment" i WHERE '
            'i."organisation_id" = NEW."id" AND i."state" IN (\'submitted\', \'reviewed\', \'reopened\') '
            'GROUP BY i."state", i."year" ON CONFLICT ("kind", "state", "year", "commune_legacy", '
            '"commune_current") DO UPDATE SET n = n + excluded.n; END',
            'CREATE TRIGGER hoptac_tally_registry_organisation_delete AFTER DELETE ON '
            '"registry_organisation" FOR EACH ROW BEGIN UPDATE "desk_reviewtally" SET n = n - (SELECT '
            'count(*) FROM "scoring_assessment" i WHERE i."organisation_id" = OLD."id" AND i."state" = '
            '"desk_reviewtally".state AND i."year" = "desk_reviewtally".year) WHERE kind = \'rating\' AND '
            '"commune_legacy" = COALESCE(OLD."commune_legacy_id", 0) AND "commune_current" = '
            'COALESCE(OLD."commune_current_id", 0); END']}

FILL_SQL = ['DELETE FROM "desk_reviewtally"',
 'INSERT INTO "desk_reviewtally" ("kind", "state", "year", "commune_legacy", "commune_current", "n") SELECT '
 '\'rating\', i."state", i."year", COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0), '
 'count(*) FROM "scoring_assessment" i JOIN "registry_organisation" o ON o."id" = i."organisation_id" WHERE '
 'i."state" IN (\'submitted\', \'reviewed\', \'reopened\') GROUP BY i."state", i."year", '
 'COALESCE(o."commune_legacy_id", 0), COALESCE(o."commune_current_id", 0)']


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def ratings_only(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, DROP_SQL.get(vendor, []))
    _run(schema_editor, TALLY_SQL.get(vendor, []))
    _run(schema_editor, FILL_SQL)  # the yearly cells go, the ratings' are counted again


def yearly_and_ratings(apps, schema_editor):
    """Back to migration 0001: its triggers and its filling."""
    first = importlib.import_module("hoptac.desk.migrations.0001_review_tally")
    vendor = schema_editor.connection.vendor
    _run(schema_editor, DROP_SQL.get(vendor, []))
    _run(schema_editor, first.TALLY_SQL.get(vendor, []))
    _run(schema_editor, first.FILL_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_review_tally"),
        ("registry", "0010_report_tally"),
    ]

    operations = [migrations.RunPython(ratings_only, yearly_and_ratings)]
