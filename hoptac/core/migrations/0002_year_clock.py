"""The per-year clock (docs/decisions/0050-durable-plan-points.md): core_yearversion and the triggers that raise
it on every clocked table. CLOCK_SQL is what `hoptac.core.dataversion.clock_sql` generated from the models of
this migration's time (a test asserts they are still equal: a new column or table needs a new migration)."""

from django.db import migrations, models

CLOCK_SQL = {'postgresql': ['CREATE OR REPLACE FUNCTION hoptac_clock_raise(x integer) RETURNS void LANGUAGE plpgsql AS '
                '$$\n'
                'BEGIN\n'
                '  IF x IS NULL OR x > 2100 THEN RETURN; END IF;\n'
                '  PERFORM 1 FROM core_dataversion WHERE id = 1 FOR UPDATE;\n'
                '  INSERT INTO core_yearversion (year, value) VALUES (GREATEST(x, 2000), 1)\n'
                '    ON CONFLICT (year) DO UPDATE SET value = core_yearversion.value + 1;\n'
                'END $$',
                'CREATE OR REPLACE FUNCTION hoptac_clock_registry_organisation() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(LEAST(CAST(EXTRACT(YEAR "
                'FROM n."founding_date") AS integer), (SELECT CAST(EXTRACT(YEAR FROM min(s.effective_from)) '
                'AS integer) FROM "registry_statuschange" s WHERE s.organisation_id = n."id"))) FROM '
                'hoptac_new n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT "
                'min(LEAST(CAST(EXTRACT(YEAR FROM o."founding_date") AS integer), (SELECT CAST(EXTRACT(YEAR '
                'FROM min(s.effective_from)) AS integer) FROM "registry_statuschange" s WHERE '
                's.organisation_id = o."id"))) FROM hoptac_old o));\n'
                '  ELSIF TG_OP = \'UPDATE\' THEN PERFORM hoptac_clock_raise((SELECT min(CASE WHEN n."id" IS '
                'NULL THEN LEAST(CAST(EXTRACT(YEAR FROM o."founding_date") AS integer), (SELECT '
                'CAST(EXTRACT(YEAR FROM min(s.effective_from)) AS integer) FROM "registry_statuschange" s '
                'WHERE s.organisation_id = o."id")) WHEN o."id" IS NULL THEN LEAST(CAST(EXTRACT(YEAR FROM '
                'n."founding_date") AS integer), (SELECT CAST(EXTRACT(YEAR FROM min(s.effective_from)) AS '
                'integer) FROM "registry_statuschange" s WHERE s.organisation_id = n."id")) ELSE CASE WHEN '
                '(o."id" IS DISTINCT FROM n."id" OR o."kind" IS DISTINCT FROM n."kind" OR o."founding_date" '
                'IS DISTINCT FROM n."founding_date" OR o."commune_legacy_id" IS DISTINCT FROM '
                'n."commune_legacy_id" OR o."commune_current_id" IS DISTINCT FROM n."commune_current_id" OR '
                'o."sector" IS DISTINCT FROM n."sector" OR o."sub_sector" IS DISTINCT FROM n."sub_sector") '
                'THEN LEAST(LEAST(CAST(EXTRACT(YEAR FROM o."founding_date") AS integer), (SELECT '
                'CAST(EXTRACT(YEAR FROM min(s.effective_from)) AS integer) FROM "registry_statuschange" s '
                'WHERE s.organisation_id = o."id")), LEAST(CAST(EXTRACT(YEAR FROM n."founding_date") AS '
                'integer), (SELECT CAST(EXTRACT(YEAR FROM min(s.effective_from)) AS integer) FROM '
                '"registry_statuschange" s WHERE s.organisation_id = n."id"))) END END) FROM hoptac_new n '
                'FULL JOIN hoptac_old o ON o."id" = n."id"));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "registry_organisation" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_registry_organisation()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "registry_organisation" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_registry_organisation()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "registry_organisation" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_registry_organisation()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "registry_organisation" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_registry_organisation()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_registry_statuschange() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(LEAST(CAST(EXTRACT(YEAR "
                'FROM n."effective_from") AS integer), CAST(EXTRACT(YEAR FROM n."effective_to") AS '
                'integer))) FROM hoptac_new n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT "
                'min(LEAST(CAST(EXTRACT(YEAR FROM o."effective_from") AS integer), CAST(EXTRACT(YEAR FROM '
                'o."effective_to") AS integer))) FROM hoptac_old o));\n'
                '  ELSIF TG_OP = \'UPDATE\' THEN PERFORM hoptac_clock_raise((SELECT min(CASE WHEN n."id" IS '
                'NULL THEN LEAST(CAST(EXTRACT(YEAR FROM o."effective_from") AS integer), CAST(EXTRACT(YEAR '
                'FROM o."effective_to") AS integer)) WHEN o."id" IS NULL THEN LEAST(CAST(EXTRACT(YEAR FROM '
                'n."effective_from") AS integer), CAST(EXTRACT(YEAR FROM n."effective_to") AS integer)) ELSE '
                'CASE WHEN (o."id" IS DISTINCT FROM n."id" OR o."organisation_id" IS DISTINCT FROM '
                'n."organisation_id" OR o."status" IS DISTINCT FROM n."status" OR o."decision" IS DISTINCT '
                'FROM n."decision" OR o."note" IS DISTINCT FROM n."note") THEN LEAST(LEAST(CAST(EXTRACT(YEAR '
                'FROM o."effective_from") AS integer), CAST(EXTRACT(YEAR FROM o."effective_to") AS '
                'integer)), LEAST(CAST(EXTRACT(YEAR FROM n."effective_from") AS integer), CAST(EXTRACT(YEAR '
                'FROM n."effective_to") AS integer))) ELSE LEAST(CASE WHEN (o."effective_from" IS DISTINCT '
                'FROM n."effective_from") THEN LEAST(CAST(EXTRACT(YEAR FROM o."effective_from") AS integer), '
                'CAST(EXTRACT(YEAR FROM n."effective_from") AS integer)) END, CASE WHEN (o."effective_to" IS '
                'DISTINCT FROM n."effective_to") THEN LEAST(CAST(EXTRACT(YEAR FROM o."effective_to") AS '
                'integer), CAST(EXTRACT(YEAR FROM n."effective_to") AS integer)) END) END END) FROM '
                'hoptac_new n FULL JOIN hoptac_old o ON o."id" = n."id"));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "registry_statuschange" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_registry_statuschange()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "registry_statuschange" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_registry_statuschange()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "registry_statuschange" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_registry_statuschange()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "registry_statuschange" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_registry_statuschange()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_registry_yearlyreport() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                '  IF TG_OP = \'INSERT\' THEN PERFORM hoptac_clock_raise((SELECT min(n."year") FROM '
                'hoptac_new n));\n'
                '  ELSIF TG_OP = \'DELETE\' THEN PERFORM hoptac_clock_raise((SELECT min(o."year") FROM '
                'hoptac_old o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT "
                'n."year" FROM hoptac_new n UNION ALL SELECT o."year" FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "registry_yearlyreport" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_registry_yearlyreport()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "registry_yearlyreport" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_registry_yearlyreport()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "registry_yearlyreport" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_registry_yearlyreport()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "registry_yearlyreport" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_registry_yearlyreport()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_areas_adminunit() RETURNS trigger LANGUAGE plpgsql '
                'AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "areas_adminunit" REFERENCING NEW TABLE '
                'AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_areas_adminunit()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "areas_adminunit" REFERENCING OLD TABLE '
                'AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_areas_adminunit()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "areas_adminunit" REFERENCING OLD TABLE '
                'AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_areas_adminunit()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "areas_adminunit" FOR EACH STATEMENT '
                'EXECUTE FUNCTION hoptac_clock_areas_adminunit()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_areas_communesuccession() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "areas_communesuccession" REFERENCING '
                'NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_areas_communesuccession()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "areas_communesuccession" REFERENCING '
                'OLD TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_areas_communesuccession()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "areas_communesuccession" REFERENCING '
                'OLD TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_areas_communesuccession()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "areas_communesuccession" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_areas_communesuccession()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_plans_plan_scope_areas() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "plans_plan_scope_areas" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_plan_scope_areas()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "plans_plan_scope_areas" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_plan_scope_areas()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "plans_plan_scope_areas" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_plan_scope_areas()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "plans_plan_scope_areas" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_plans_plan_scope_areas()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_plans_plan() RETURNS trigger LANGUAGE plpgsql AS '
                '$$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "plans_plan" REFERENCING NEW TABLE AS '
                'hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_plans_plan()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "plans_plan" REFERENCING OLD TABLE AS '
                'hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_plan()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "plans_plan" REFERENCING OLD TABLE AS '
                'hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_plans_plan()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "plans_plan" FOR EACH STATEMENT '
                'EXECUTE FUNCTION hoptac_clock_plans_plan()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_plans_plansection() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "plans_plansection" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_plans_plansection()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "plans_plansection" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_plansection()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "plans_plansection" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_plans_plansection()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "plans_plansection" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_plans_plansection()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_plans_target() RETURNS trigger LANGUAGE plpgsql AS '
                '$$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "plans_target" REFERENCING NEW TABLE AS '
                'hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_plans_target()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "plans_target" REFERENCING OLD TABLE AS '
                'hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_target()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "plans_target" REFERENCING OLD TABLE AS '
                'hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_plans_target()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "plans_target" FOR EACH STATEMENT '
                'EXECUTE FUNCTION hoptac_clock_plans_target()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_plans_plantask_targets() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "plans_plantask_targets" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_plantask_targets()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "plans_plantask_targets" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_plantask_targets()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "plans_plantask_targets" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_plantask_targets()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "plans_plantask_targets" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_plans_plantask_targets()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_plans_plantask() RETURNS trigger LANGUAGE plpgsql '
                'AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "plans_plantask" REFERENCING NEW TABLE '
                'AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_plans_plantask()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "plans_plantask" REFERENCING OLD TABLE '
                'AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_plantask()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "plans_plantask" REFERENCING OLD TABLE '
                'AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_plans_plantask()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "plans_plantask" FOR EACH STATEMENT '
                'EXECUTE FUNCTION hoptac_clock_plans_plantask()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_plans_referenceseries() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "plans_referenceseries" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_referenceseries()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "plans_referenceseries" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_referenceseries()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "plans_referenceseries" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_referenceseries()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "plans_referenceseries" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_plans_referenceseries()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_plans_referencevalue() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "plans_referencevalue" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_plans_referencevalue()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "plans_referencevalue" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_referencevalue()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "plans_referencevalue" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_plans_referencevalue()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "plans_referencevalue" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_plans_referencevalue()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_plans_qualitativeassessment() RETURNS trigger '
                'LANGUAGE plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "plans_qualitativeassessment" '
                'REFERENCING NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_qualitativeassessment()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "plans_qualitativeassessment" '
                'REFERENCING OLD TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE '
                'FUNCTION hoptac_clock_plans_qualitativeassessment()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "plans_qualitativeassessment" '
                'REFERENCING OLD TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_plans_qualitativeassessment()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "plans_qualitativeassessment" FOR '
                'EACH STATEMENT EXECUTE FUNCTION hoptac_clock_plans_qualitativeassessment()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_scoring_scheme() RETURNS trigger LANGUAGE plpgsql '
                'AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "scoring_scheme" REFERENCING NEW TABLE '
                'AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_scheme()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "scoring_scheme" REFERENCING OLD TABLE '
                'AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_scheme()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "scoring_scheme" REFERENCING OLD TABLE '
                'AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_scheme()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "scoring_scheme" FOR EACH STATEMENT '
                'EXECUTE FUNCTION hoptac_clock_scoring_scheme()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_scoring_criterion() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "scoring_criterion" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_criterion()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "scoring_criterion" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_criterion()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "scoring_criterion" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_criterion()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "scoring_criterion" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_criterion()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_scoring_sizeclassrules() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "scoring_sizeclassrules" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_sizeclassrules()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "scoring_sizeclassrules" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_sizeclassrules()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "scoring_sizeclassrules" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_sizeclassrules()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "scoring_sizeclassrules" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_sizeclassrules()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_scoring_assessment() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                '  IF TG_OP = \'INSERT\' THEN PERFORM hoptac_clock_raise((SELECT min(n."year") FROM '
                'hoptac_new n));\n'
                '  ELSIF TG_OP = \'DELETE\' THEN PERFORM hoptac_clock_raise((SELECT min(o."year") FROM '
                'hoptac_old o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT "
                'n."year" FROM hoptac_new n UNION ALL SELECT o."year" FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "scoring_assessment" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_assessment()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "scoring_assessment" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_assessment()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "scoring_assessment" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_assessment()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "scoring_assessment" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_assessment()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_scoring_criterionscore() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "scoring_criterionscore" REFERENCING NEW '
                'TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_criterionscore()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "scoring_criterionscore" REFERENCING OLD '
                'TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_criterionscore()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "scoring_criterionscore" REFERENCING OLD '
                'TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_criterionscore()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "scoring_criterionscore" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_criterionscore()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_scoring_evidence() RETURNS trigger LANGUAGE plpgsql '
                'AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "scoring_evidence" REFERENCING NEW TABLE '
                'AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_evidence()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "scoring_evidence" REFERENCING OLD TABLE '
                'AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_evidence()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "scoring_evidence" REFERENCING OLD TABLE '
                'AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_evidence()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "scoring_evidence" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_evidence()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_scoring_assessmentevent() RETURNS trigger LANGUAGE '
                'plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "scoring_assessmentevent" REFERENCING '
                'NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_assessmentevent()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "scoring_assessmentevent" REFERENCING '
                'OLD TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_assessmentevent()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "scoring_assessmentevent" REFERENCING '
                'OLD TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_assessmentevent()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "scoring_assessmentevent" FOR EACH '
                'STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_assessmentevent()',
                'CREATE OR REPLACE FUNCTION hoptac_clock_scoring_satisfactionsurvey() RETURNS trigger '
                'LANGUAGE plpgsql AS $$\n'
                'BEGIN\n'
                "  IF TG_OP = 'INSERT' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_new "
                'n));\n'
                "  ELSIF TG_OP = 'DELETE' THEN PERFORM hoptac_clock_raise((SELECT min(2000) FROM hoptac_old "
                'o));\n'
                "  ELSIF TG_OP = 'UPDATE' THEN PERFORM hoptac_clock_raise((SELECT min(y) FROM (SELECT 2000 "
                'FROM hoptac_new n UNION ALL SELECT 2000 FROM hoptac_old o) AS t(y)));\n'
                '  ELSE PERFORM hoptac_clock_raise(2000);\n'
                '  END IF;\n'
                '  RETURN NULL;\n'
                'END $$',
                'CREATE TRIGGER hoptac_clock_insert AFTER INSERT ON "scoring_satisfactionsurvey" REFERENCING '
                'NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_satisfactionsurvey()',
                'CREATE TRIGGER hoptac_clock_update AFTER UPDATE ON "scoring_satisfactionsurvey" REFERENCING '
                'OLD TABLE AS hoptac_old NEW TABLE AS hoptac_new FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_satisfactionsurvey()',
                'CREATE TRIGGER hoptac_clock_delete AFTER DELETE ON "scoring_satisfactionsurvey" REFERENCING '
                'OLD TABLE AS hoptac_old FOR EACH STATEMENT EXECUTE FUNCTION '
                'hoptac_clock_scoring_satisfactionsurvey()',
                'CREATE TRIGGER hoptac_clock_truncate AFTER TRUNCATE ON "scoring_satisfactionsurvey" FOR '
                'EACH STATEMENT EXECUTE FUNCTION hoptac_clock_scoring_satisfactionsurvey()'],
 'sqlite': ['CREATE TRIGGER hoptac_clock_registry_organisation_insert AFTER INSERT ON '
            '"registry_organisation" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            "max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (CAST(strftime('%Y', "
            'NEW."founding_date") AS INTEGER)) AS v UNION ALL SELECT ((SELECT CAST(strftime(\'%Y\', '
            'min(s.effective_from)) AS INTEGER) FROM "registry_statuschange" s WHERE s.organisation_id = '
            'NEW."id")) AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET '
            'value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_registry_organisation_update AFTER UPDATE ON '
            '"registry_organisation" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (CASE WHEN (OLD."id" IS NOT NEW."id" OR OLD."kind" IS NOT '
            'NEW."kind" OR OLD."founding_date" IS NOT NEW."founding_date" OR OLD."commune_legacy_id" IS NOT '
            'NEW."commune_legacy_id" OR OLD."commune_current_id" IS NOT NEW."commune_current_id" OR '
            'OLD."sector" IS NOT NEW."sector" OR OLD."sub_sector" IS NOT NEW."sub_sector") THEN (SELECT '
            'min(v) FROM (SELECT ((SELECT min(v) FROM (SELECT (CAST(strftime(\'%Y\', OLD."founding_date") AS '
            "INTEGER)) AS v UNION ALL SELECT ((SELECT CAST(strftime('%Y', min(s.effective_from)) AS INTEGER) "
            'FROM "registry_statuschange" s WHERE s.organisation_id = OLD."id")) AS v))) AS v UNION ALL '
            'SELECT ((SELECT min(v) FROM (SELECT (CAST(strftime(\'%Y\', NEW."founding_date") AS INTEGER)) AS '
            "v UNION ALL SELECT ((SELECT CAST(strftime('%Y', min(s.effective_from)) AS INTEGER) FROM "
            '"registry_statuschange" s WHERE s.organisation_id = NEW."id")) AS v))) AS v)) END) AS y) WHERE '
            'y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_registry_organisation_delete AFTER DELETE ON '
            '"registry_organisation" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            "max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (CAST(strftime('%Y', "
            'OLD."founding_date") AS INTEGER)) AS v UNION ALL SELECT ((SELECT CAST(strftime(\'%Y\', '
            'min(s.effective_from)) AS INTEGER) FROM "registry_statuschange" s WHERE s.organisation_id = '
            'OLD."id")) AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET '
            'value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_registry_statuschange_insert AFTER INSERT ON '
            '"registry_statuschange" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            "max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (CAST(strftime('%Y', "
            'NEW."effective_from") AS INTEGER)) AS v UNION ALL SELECT (CAST(strftime(\'%Y\', '
            'NEW."effective_to") AS INTEGER)) AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT '
            '(year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_registry_statuschange_update AFTER UPDATE ON '
            '"registry_statuschange" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (CASE WHEN (OLD."id" IS NOT NEW."id" OR OLD."organisation_id" IS '
            'NOT NEW."organisation_id" OR OLD."status" IS NOT NEW."status" OR OLD."decision" IS NOT '
            'NEW."decision" OR OLD."note" IS NOT NEW."note") THEN (SELECT min(v) FROM (SELECT ((SELECT '
            'min(v) FROM (SELECT (CAST(strftime(\'%Y\', OLD."effective_from") AS INTEGER)) AS v UNION ALL '
            'SELECT (CAST(strftime(\'%Y\', OLD."effective_to") AS INTEGER)) AS v))) AS v UNION ALL SELECT '
            '((SELECT min(v) FROM (SELECT (CAST(strftime(\'%Y\', NEW."effective_from") AS INTEGER)) AS v '
            'UNION ALL SELECT (CAST(strftime(\'%Y\', NEW."effective_to") AS INTEGER)) AS v))) AS v)) ELSE '
            '(SELECT min(v) FROM (SELECT (CASE WHEN (OLD."effective_from" IS NOT NEW."effective_from") THEN '
            '(SELECT min(v) FROM (SELECT (CAST(strftime(\'%Y\', OLD."effective_from") AS INTEGER)) AS v '
            'UNION ALL SELECT (CAST(strftime(\'%Y\', NEW."effective_from") AS INTEGER)) AS v)) END) AS v '
            'UNION ALL SELECT (CASE WHEN (OLD."effective_to" IS NOT NEW."effective_to") THEN (SELECT min(v) '
            'FROM (SELECT (CAST(strftime(\'%Y\', OLD."effective_to") AS INTEGER)) AS v UNION ALL SELECT '
            '(CAST(strftime(\'%Y\', NEW."effective_to") AS INTEGER)) AS v)) END) AS v)) END) AS y) WHERE y '
            'IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_registry_statuschange_delete AFTER DELETE ON '
            '"registry_statuschange" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            "max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (CAST(strftime('%Y', "
            'OLD."effective_from") AS INTEGER)) AS v UNION ALL SELECT (CAST(strftime(\'%Y\', '
            'OLD."effective_to") AS INTEGER)) AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT '
            '(year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_registry_yearlyreport_insert AFTER INSERT ON '
            '"registry_yearlyreport" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (NEW."year") AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT '
            '(year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_registry_yearlyreport_update AFTER UPDATE ON '
            '"registry_yearlyreport" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (OLD."year") AS v UNION ALL SELECT '
            '(NEW."year") AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET '
            'value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_registry_yearlyreport_delete AFTER DELETE ON '
            '"registry_yearlyreport" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (OLD."year") AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT '
            '(year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_areas_adminunit_insert AFTER INSERT ON "areas_adminunit" FOR EACH '
            'ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) '
            'AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_areas_adminunit_update AFTER UPDATE ON "areas_adminunit" FOR EACH '
            'ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT '
            '((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) AS v))) AS y) WHERE y IS NOT '
            'NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_areas_adminunit_delete AFTER DELETE ON "areas_adminunit" FOR EACH '
            'ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) '
            'AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_areas_communesuccession_insert AFTER INSERT ON '
            '"areas_communesuccession" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_areas_communesuccession_update AFTER UPDATE ON '
            '"areas_communesuccession" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) '
            'AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value '
            '+ 1; END',
            'CREATE TRIGGER hoptac_clock_areas_communesuccession_delete AFTER DELETE ON '
            '"areas_communesuccession" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plan_scope_areas_insert AFTER INSERT ON '
            '"plans_plan_scope_areas" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plan_scope_areas_update AFTER UPDATE ON '
            '"plans_plan_scope_areas" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) '
            'AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value '
            '+ 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plan_scope_areas_delete AFTER DELETE ON '
            '"plans_plan_scope_areas" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plan_insert AFTER INSERT ON "plans_plan" FOR EACH ROW BEGIN '
            'INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) AS y) '
            'WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plan_update AFTER UPDATE ON "plans_plan" FOR EACH ROW BEGIN '
            'INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT ((SELECT min(v) '
            'FROM (SELECT (2000) AS v UNION ALL SELECT (2000) AS v))) AS y) WHERE y IS NOT NULL AND y <= '
            '2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plan_delete AFTER DELETE ON "plans_plan" FOR EACH ROW BEGIN '
            'INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) AS y) '
            'WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plansection_insert AFTER INSERT ON "plans_plansection" FOR '
            'EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT '
            '(2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + '
            '1; END',
            'CREATE TRIGGER hoptac_clock_plans_plansection_update AFTER UPDATE ON "plans_plansection" FOR '
            'EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT '
            '((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) AS v))) AS y) WHERE y IS NOT '
            'NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plansection_delete AFTER DELETE ON "plans_plansection" FOR '
            'EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT '
            '(2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + '
            '1; END',
            'CREATE TRIGGER hoptac_clock_plans_target_insert AFTER INSERT ON "plans_target" FOR EACH ROW '
            'BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) AS '
            'y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_target_update AFTER UPDATE ON "plans_target" FOR EACH ROW '
            'BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT ((SELECT '
            'min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) AS v))) AS y) WHERE y IS NOT NULL AND y '
            '<= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_target_delete AFTER DELETE ON "plans_target" FOR EACH ROW '
            'BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) AS '
            'y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plantask_targets_insert AFTER INSERT ON '
            '"plans_plantask_targets" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plantask_targets_update AFTER UPDATE ON '
            '"plans_plantask_targets" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) '
            'AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value '
            '+ 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plantask_targets_delete AFTER DELETE ON '
            '"plans_plantask_targets" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plantask_insert AFTER INSERT ON "plans_plantask" FOR EACH ROW '
            'BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) AS '
            'y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plantask_update AFTER UPDATE ON "plans_plantask" FOR EACH ROW '
            'BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT ((SELECT '
            'min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) AS v))) AS y) WHERE y IS NOT NULL AND y '
            '<= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_plantask_delete AFTER DELETE ON "plans_plantask" FOR EACH ROW '
            'BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) AS '
            'y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_referenceseries_insert AFTER INSERT ON '
            '"plans_referenceseries" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_referenceseries_update AFTER UPDATE ON '
            '"plans_referenceseries" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) '
            'AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value '
            '+ 1; END',
            'CREATE TRIGGER hoptac_clock_plans_referenceseries_delete AFTER DELETE ON '
            '"plans_referenceseries" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_referencevalue_insert AFTER INSERT ON "plans_referencevalue" '
            'FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM '
            '(SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = '
            'value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_referencevalue_update AFTER UPDATE ON "plans_referencevalue" '
            'FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM '
            '(SELECT ((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) AS v))) AS y) WHERE y '
            'IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_referencevalue_delete AFTER DELETE ON "plans_referencevalue" '
            'FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM '
            '(SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = '
            'value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_qualitativeassessment_insert AFTER INSERT ON '
            '"plans_qualitativeassessment" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) '
            'SELECT max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT '
            '(year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_qualitativeassessment_update AFTER UPDATE ON '
            '"plans_qualitativeassessment" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) '
            'SELECT max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT '
            '(2000) AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = '
            'value + 1; END',
            'CREATE TRIGGER hoptac_clock_plans_qualitativeassessment_delete AFTER DELETE ON '
            '"plans_qualitativeassessment" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) '
            'SELECT max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT '
            '(year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_scheme_insert AFTER INSERT ON "scoring_scheme" FOR EACH ROW '
            'BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) AS '
            'y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_scheme_update AFTER UPDATE ON "scoring_scheme" FOR EACH ROW '
            'BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT ((SELECT '
            'min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) AS v))) AS y) WHERE y IS NOT NULL AND y '
            '<= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_scheme_delete AFTER DELETE ON "scoring_scheme" FOR EACH ROW '
            'BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) AS '
            'y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_criterion_insert AFTER INSERT ON "scoring_criterion" FOR '
            'EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT '
            '(2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + '
            '1; END',
            'CREATE TRIGGER hoptac_clock_scoring_criterion_update AFTER UPDATE ON "scoring_criterion" FOR '
            'EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT '
            '((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) AS v))) AS y) WHERE y IS NOT '
            'NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_criterion_delete AFTER DELETE ON "scoring_criterion" FOR '
            'EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT '
            '(2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + '
            '1; END',
            'CREATE TRIGGER hoptac_clock_scoring_sizeclassrules_insert AFTER INSERT ON '
            '"scoring_sizeclassrules" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_sizeclassrules_update AFTER UPDATE ON '
            '"scoring_sizeclassrules" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) '
            'AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value '
            '+ 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_sizeclassrules_delete AFTER DELETE ON '
            '"scoring_sizeclassrules" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_assessment_insert AFTER INSERT ON "scoring_assessment" FOR '
            'EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT '
            '(NEW."year") AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = '
            'value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_assessment_update AFTER UPDATE ON "scoring_assessment" FOR '
            'EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT '
            '((SELECT min(v) FROM (SELECT (OLD."year") AS v UNION ALL SELECT (NEW."year") AS v))) AS y) '
            'WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_assessment_delete AFTER DELETE ON "scoring_assessment" FOR '
            'EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT '
            '(OLD."year") AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = '
            'value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_criterionscore_insert AFTER INSERT ON '
            '"scoring_criterionscore" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_criterionscore_update AFTER UPDATE ON '
            '"scoring_criterionscore" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) '
            'AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value '
            '+ 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_criterionscore_delete AFTER DELETE ON '
            '"scoring_criterionscore" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_evidence_insert AFTER INSERT ON "scoring_evidence" FOR EACH '
            'ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) '
            'AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_evidence_update AFTER UPDATE ON "scoring_evidence" FOR EACH '
            'ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT '
            '((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) AS v))) AS y) WHERE y IS NOT '
            'NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_evidence_delete AFTER DELETE ON "scoring_evidence" FOR EACH '
            'ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT max(y, 2000), 1 FROM (SELECT (2000) '
            'AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_assessmentevent_insert AFTER INSERT ON '
            '"scoring_assessmentevent" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_assessmentevent_update AFTER UPDATE ON '
            '"scoring_assessmentevent" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT (2000) '
            'AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = value '
            '+ 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_assessmentevent_delete AFTER DELETE ON '
            '"scoring_assessmentevent" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) SELECT '
            'max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) '
            'DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_satisfactionsurvey_insert AFTER INSERT ON '
            '"scoring_satisfactionsurvey" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) '
            'SELECT max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT '
            '(year) DO UPDATE SET value = value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_satisfactionsurvey_update AFTER UPDATE ON '
            '"scoring_satisfactionsurvey" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) '
            'SELECT max(y, 2000), 1 FROM (SELECT ((SELECT min(v) FROM (SELECT (2000) AS v UNION ALL SELECT '
            '(2000) AS v))) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT (year) DO UPDATE SET value = '
            'value + 1; END',
            'CREATE TRIGGER hoptac_clock_scoring_satisfactionsurvey_delete AFTER DELETE ON '
            '"scoring_satisfactionsurvey" FOR EACH ROW BEGIN INSERT INTO core_yearversion (year, value) '
            'SELECT max(y, 2000), 1 FROM (SELECT (2000) AS y) WHERE y IS NOT NULL AND y <= 2100 ON CONFLICT '
            '(year) DO UPDATE SET value = value + 1; END']}


def create_triggers(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for statement in CLOCK_SQL.get(schema_editor.connection.vendor, []):
            cursor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS hoptac_clock_raise(integer) CASCADE")
            for statement in CLOCK_SQL[vendor]:
                if statement.startswith("CREATE OR REPLACE FUNCTION hoptac_clock_") and "_raise(" not in statement[:60]:
                    name = statement.split()[4]
                    cursor.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")
        elif vendor == "sqlite":
            for statement in CLOCK_SQL[vendor]:
                cursor.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_data_version"),
        ("areas", "0001_initial"),
        ("registry", "0008_yearly_report_year_index"),
        ("plans", "0003_merge_0002_a_verdicts_0002_b_reference_per_plan"),
        ("scoring", "0003_versions"),
    ]

    operations = [
        migrations.CreateModel(
            name="YearVersion",
            fields=[
                ("year", models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name="year")),
                ("value", models.BigIntegerField(default=0, verbose_name="value")),
            ],
            options={"verbose_name": "year version", "verbose_name_plural": "year versions"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
