# HợpTác — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# The developer targets (demo, test, lint, check, bench, messages) run in debug mode with the built-in key:
# the settings default to production mode and refuse to start without DJANGO_SECRET_KEY there.
# `make serve` runs production settings (scripts/serve sets DJANGO_DEBUG=false unless told otherwise).
export DJANGO_DEBUG ?= true

.PHONY: check-wheels demo test install lint check pytest pytest-pg browser-deps messages serve clean bench bench-load bench-scale

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_admin_units
	$(PY) manage.py load_demo
	$(PY) manage.py load_data plans --shipped
	$(PY) manage.py load_data scoring-schemes --shipped
	$(PY) manage.py load_data size-classes --shipped
	$(PY) manage.py load_data agencies --shipped
	$(PY) manage.py load_data import-vocabulary --shipped
	$(PY) manage.py load_demo_scoring
	$(PY) manage.py load_demo_tasks
	$(PY) manage.py demo_logins
	@echo "The background worker (reminders, large imports) runs beside the server; Ctrl-C stops both."
	$(PY) manage.py db_worker & WORKER=$$!; trap "kill $$WORKER" EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole package is type-checked (migrations and tests aside: pyproject.toml [tool.mypy]).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy hoptac

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

browser-deps:
	@bash scripts/ensure_chromium.sh

# One run alone: spread over two pytest-xdist workers (`make test` runs SQLite and PostgreSQL side by side).
pytest: install
	$(VENV)/bin/pytest -q -n 2 --dist loadgroup

pytest-pg: install
	@bash scripts/run_pg_suite.sh "$(PG_URL)"

# The checks (lint, check) run beside the two test runs, at a lower priority (scripts/run_suites.sh,
# docs/decisions/0041-suite-under-ten-minutes.md): on two cores they fill the idle moments of the runs.
test: install browser-deps
	@bash scripts/run_suites.sh "$(PG_URL)" $(MAKE) --no-print-directory lint check

# Apps with their own locale/ keep their own catalogue; the project catalogue (hoptac/locale) has the rest.
APP_CATALOGUES := scoring plans tasks reports
messages: install
	cd hoptac && ../$(PY) ../manage.py makemessages -l vi --no-obsolete $(foreach a,$(APP_CATALOGUES),--ignore=$(a)/*)
	for a in $(APP_CATALOGUES); do (cd hoptac/$$a && ../../$(PY) ../../manage.py makemessages -l vi --no-obsolete); done
	cd hoptac && ../$(PY) ../manage.py compilemessages -l vi

# Benchmarks write their figures under benchmarks/results/ (commit them). A scratch SQLite database is used.
bench: install
	mkdir -p benchmarks/.work
	rm -f benchmarks/.work/bench.sqlite3*
	DATABASE_URL=sqlite:///$(CURDIR)/benchmarks/.work/bench.sqlite3 $(PY) benchmarks/plan_evaluation.py
	rm -f benchmarks/.work/report.sqlite3*
	DATABASE_URL=sqlite:///$(CURDIR)/benchmarks/.work/report.sqlite3 $(PY) benchmarks/report_generation.py
	rm -f benchmarks/.work/import.sqlite3*
	DATABASE_URL=sqlite:///$(CURDIR)/benchmarks/.work/import.sqlite3 $(PY) benchmarks/import_registry.py
	rm -f benchmarks/.work/desk.sqlite3*
	DATABASE_URL=sqlite:///$(CURDIR)/benchmarks/.work/desk.sqlite3 $(PY) benchmarks/desk_pages.py
	rm -f benchmarks/.work/exports.sqlite3*
	DATABASE_URL=sqlite:///$(CURDIR)/benchmarks/.work/exports.sqlite3 $(PY) benchmarks/exports.py
	@bash scripts/bench_pg_import.sh "$(PG_URL)"
	$(PY) benchmarks/scale.py "$(PG_URL)"
	@bash scripts/bench_load.sh "$(PG_URL)"

# Pages and plan evaluation by registry size (issue 15; benchmarks/scale.py). Small by default (BENCH_SCALES=1,10);
# the national size: BENCH_SCALES=1,10,50,national BENCH_REUSE=1 make bench-scale (databases hoptac_bench_*).
bench-scale: install
	$(PY) benchmarks/scale.py "$(PG_URL)"

# The load test alone: 50 officers on the production command (scripts/bench_load.sh, benchmarks/load/).
bench-load: install
	@bash scripts/bench_load.sh "$(PG_URL)"

# Production mode (docs/deployment.md): collectstatic, migrate, check --deploy, then gunicorn (several workers)
# and the task worker. Needs DJANGO_SECRET_KEY, DATABASE_URL (PostgreSQL) and DJANGO_ALLOWED_HOSTS, from the
# environment or .env; HOPTAC_BIND (default 127.0.0.1:8000), WEB_CONCURRENCY (default 2 × cores + 1).
serve: install
	DJANGO_DEBUG=false bash scripts/serve all

clean:
	rm -rf $(VENV) db.sqlite3* .pytest_cache

# Does every pinned dependency (runtime, dev, bench) have a wheel for Python 3.12 and 3.13? (needs PyPI)
check-wheels:
	@bash scripts/check_wheels.sh $(WHEEL_PYTHONS)
