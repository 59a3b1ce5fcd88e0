"""Fixtures of the project-wide tests: the world of hoptac/tests/world.py, built once per test module."""

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, _session_media):
    """The world, built once for the module inside a transaction rolled back when the module ends; each test
    runs in a savepoint inside it (pytest-django's `db`), so what a test writes is undone after it."""
    from .world import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world(media_root=_session_media)
        yield world
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_clients(module_world, django_db_blocker):
    """A test client per role of hoptac/tests/world.py, signed in once for the module ("anonymous": not)."""
    from django.test import Client

    from .world import ROLES

    clients = {}
    with django_db_blocker.unblock():
        for role in ROLES:
            clients[role] = Client()
            if role != "anonymous":
                clients[role].force_login(module_world.users[role])
    return clients
