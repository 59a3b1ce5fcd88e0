"""Test-wide fixtures. The real administrative map (former Nam Định, Hà Nam, Ninh Bình and today's
Ninh Bình) is loaded once per test database from vietnamadminunits, the same way `make demo` does."""

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from hoptac.areas.services import admin_units_load

    with django_db_blocker.unblock():
        admin_units_load(province_codes=["37"])
    yield
