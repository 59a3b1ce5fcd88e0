"""Test-wide fixtures. The real administrative map (former Nam Định, Hà Nam, Ninh Bình and today's
Ninh Bình) is loaded once per test database from vietnamadminunits, the same way `make demo` does, and put
back from a copy of its rows after a transactional test's flush (areas/tests/factories.py `ensure_map`;
what keeps the suite's cost down: docs/decisions/0041-suite-under-ten-minutes.md)."""

import os

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from hoptac.areas.tests.factories import ensure_map

    with django_db_blocker.unblock():
        ensure_map()
    yield


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """PBKDF2 costs ~0.2 s a user; tests create many users, module-wide data too (for the whole session)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """API throttling (settings REST_FRAMEWORK) counts requests in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests use live_server, whose transactional tear-down flushes the database (and with it
    the administrative map loaded once per session; _reload_map_after_flush loads it again): in one process
    they run last. Under pytest-xdist (`-n 2 --dist loadgroup`, scripts/run_suites.sh) they are one group that
    a single worker runs, one Chromium at a time, while the other worker runs the rest; so is each module that
    builds a world of its own (hoptac/tests)."""
    under_xdist = "PYTEST_XDIST_WORKER" in os.environ
    from django.db import connection

    # A test marked one_database(vendor) checks something the database does not change: it runs in that
    # database's pass of `make test` and is deselected (not skipped) in the other. Browser tests check what a
    # person sees, the same markup on either database: they run in the SQLite pass (the flows behind them run
    # on both through their view and API tests; docs/decisions/0033-one-pass-for-browser-tests.md).
    def vendor_of(item) -> str | None:
        marker = item.get_closest_marker("one_database")
        if marker is not None:
            return marker.args[0]
        return "sqlite" if item.get_closest_marker("browser") is not None else None

    elsewhere = [item for item in items if vendor_of(item) not in (None, connection.vendor)]
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if item not in elsewhere]
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif "module_world" in item.fixturenames:
            # The world of hoptac/tests is built once per module and worker: keep a module on one worker.
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
    items.sort(key=lambda item: (item.get_closest_marker("browser") is not None) != under_xdist)


@pytest.fixture
def browser():
    """A headless Chromium (hoptac/core/browser.py)."""
    from hoptac.core.browser import start_browser

    yield from start_browser()


@pytest.fixture(autouse=True)
def _reload_map_after_flush(request, django_db_blocker):
    """live_server and other transactional tests (the fault tests' real processes, the tests of caches that
    follow committed writes) flush the database when they end, map included: such a test finds the map at its
    start and leaves it for what follows (areas.tests.factories.ensure_map: the rows loaded at the start of
    the session, bulk-inserted again; a test module needs no fixture of its own for it)."""
    db = request.node.get_closest_marker("django_db")
    transactional = (db is not None and db.kwargs.get("transaction", False)) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if request.node.get_closest_marker("browser") is None and not transactional:
        yield
        return
    from hoptac.areas.tests.factories import ensure_map

    with django_db_blocker.unblock():
        ensure_map()
    yield
    with django_db_blocker.unblock():
        ensure_map()


@pytest.fixture(scope="session")
def _session_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, _session_media):
    """Uploaded and generated files go to this run's temporary folder, never to the project's media/ (the
    SQLite and PostgreSQL runs of `make test` run side by side and would share it)."""
    settings.MEDIA_ROOT = _session_media
