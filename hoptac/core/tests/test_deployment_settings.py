"""The settings of a deployment on several machines (docs/decisions/0039-several-processes-and-machines.md),
read from the environment: the shared cache (DJANGO_CACHE_URL), the read replica (DATABASE_REPLICA_URL) and
its router, which imports run in the request (HOPTAC_IMPORT_INLINE_BYTES). The settings module is run afresh
with each environment."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from psycopg import IsolationLevel

SETTINGS = Path(settings.BASE_DIR) / "hoptac" / "settings.py"
PG = "postgres://hoptac@10.0.0.30:5432/hoptac"


@pytest.fixture
def settings_with(monkeypatch):
    def read(**env: str) -> dict:
        for name in (
            "DJANGO_CACHE_URL",
            "DATABASE_REPLICA_URL",
            "HOPTAC_IMPORT_INLINE_BYTES",
            "DATABASE_URL",
        ):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS))

    return read


def test_the_cache_is_per_process_unless_a_shared_one_is_named(settings_with):
    assert settings_with()["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings_with(DJANGO_CACHE_URL="")["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    database = settings_with(DJANGO_CACHE_URL="dbcache://hoptac_cache")["CACHES"]["default"]
    assert database == {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "hoptac_cache"}
    redis = settings_with(DJANGO_CACHE_URL="redis://10.0.0.20:6379/1")["CACHES"]["default"]
    # Django's own RedisCache (no django-redis package).
    assert redis == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://10.0.0.20:6379/1",
    }


def test_a_replica_adds_an_alias_mirrored_in_tests_and_the_router(settings_with):
    plain = settings_with(DATABASE_URL=PG)
    assert set(plain["DATABASES"]) == {"default"} and "DATABASE_ROUTERS" not in plain
    configured = settings_with(
        DATABASE_URL=PG, DATABASE_REPLICA_URL="postgres://hoptac@10.0.0.31:5432/hoptac"
    )
    replica = configured["DATABASES"]["replica"]
    assert replica["HOST"] == "10.0.0.31" and replica["NAME"] == "hoptac"
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replica["OPTIONS"]["isolation_level"] == IsolationLevel.REPEATABLE_READ
    assert replica["OPTIONS"]["connect_timeout"] == 3
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert replica["CONN_MAX_AGE"] == configured["DATABASES"]["default"]["CONN_MAX_AGE"]
    assert configured["DATABASE_ROUTERS"] == ["hoptac.core.replica.ReplicaRouter"]


def test_which_imports_run_in_the_request(settings_with):
    assert settings_with()["HOPTAC_IMPORT_INLINE_BYTES"] == 64 * 1024
    assert settings_with(HOPTAC_IMPORT_INLINE_BYTES="0")["HOPTAC_IMPORT_INLINE_BYTES"] == 0
