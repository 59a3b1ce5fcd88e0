"""The API contract (issue 13): schemathesis over the whole OpenAPI schema, as an administrator and as a commune
officer of the world of hoptac/tests/world.py. Every operation of /api/v1/schema/ is called with generated
requests (valid and invalid ones, a bounded number an operation; the schema's boundary cases too with
HOPTAC_API_CONTRACT_FULL=1); every
answer must be no server error, documented (status code and content type) and conform to the documented
schema. Reproducible: the seed is fixed and generation is deterministic; each request runs in a savepoint
rolled back afterwards, so one request's writes never change what the next one sees.

The schema is served by the application itself (GET /api/v1/schema/ through the WSGI handler, with the
role's token), as a client reads it."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode
from schemathesis.pytest.lazy import get_all_tests
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

ROLES = ["admin", "commune"]
SCHEMA_PATH = "/api/v1/schema/?format=json"
# Generated requests per operation (valid and invalid ones), on top of the schema's own examples: bounded for
# `make test` (docs/decisions/0025-api-contract.md).
MAX_EXAMPLES = int(os.environ.get("HOPTAC_API_CONTRACT_EXAMPLES") or 10)
# HOPTAC_API_CONTRACT_FULL=1: also schemathesis's coverage phase (every parameter's boundary and invalid
# values, hundreds of requests an operation: about ten minutes a role), for an audit of the contract.
FULL = os.environ.get("HOPTAC_API_CONTRACT_FULL", "") not in ("", "0", "false")
SEED = 20261206

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

CONFIG = {
    "seed": SEED,
    "generation": {
        "mode": "all",  # valid requests and invalid ones (which must be documented 4xx answers)
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "database": "none",
        "no-shrink": True,
    },
    "phases": {
        "coverage": {"enabled": FULL},
        "stateful": {"enabled": False},
    },
}


@pytest.fixture(scope="module")
def _no_connection_closing():
    """Django closes the database connection at the start and end of every request it handles; the requests
    here run inside the test's transaction, which that would end. Django's test client does the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def tokens(module_world, django_db_blocker):
    """An API token (django-rest-knox) for each role tested, made once for the module."""
    from knox.models import AuthToken

    with django_db_blocker.unblock():
        return {role: AuthToken.objects.create(user=module_world.users[role])[1] for role in ROLES}


@pytest.fixture(scope="module")
def api_schema(tokens, _no_connection_closing, django_db_blocker):
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi(
            SCHEMA_PATH,
            get_wsgi_application(),
            config=SchemathesisConfig.from_dict(CONFIG),
            headers={"Authorization": f"Token {tokens['admin']}"},
        )


# Each role's contract is checked on one database (decision 0057): the administrator, who reaches every
# operation, on PostgreSQL (production's database), the commune officer on SQLite (the embedded default).
# The examples per operation stay at MAX_EXAMPLES: each database is fuzzed as deeply as before, by one role.
@pytest.fixture(
    params=[
        pytest.param("admin", marks=pytest.mark.one_database("postgresql")),
        pytest.param("commune", marks=pytest.mark.one_database("sqlite")),
    ]
)
def role(request):
    return request.param


@pytest.fixture(scope="module")
def known_ids(module_world, django_db_blocker):
    """For each path of one object, a record of the world in both roles' scope (commune A): valid requests
    read and write it (`{id}` drawn at random would almost always be a 404); invalid ones keep their ids."""
    a = module_world.sides["in"]
    with django_db_blocker.unblock():
        series = module_world.plan.reference_series.first()
    return {
        "agencies": a.agency.code,
        "areas": a.commune_current.pk,
        "assessments": a.assessment.pk,
        "imports": None,  # the role's own import: known_ids_of
        "organisations": a.organisation.pk,
        "plans": module_world.plan.pk,
        "progress-reports": a.report.pk,
        "reference-series": series.pk if series else None,
        "reporting-periods": a.period.pk,
        "satisfaction-surveys": a.survey.pk,
        "scoring-schemes": module_world.scheme.pk,
        "task-assignments": module_world.assignment.pk,
        "yearly-reports": a.yearly_draft.pk,
    }


def _call(case, token, ids):
    for name in ("id", "code"):
        if name in (case.path_parameters or {}) and case.meta.generation.mode == GenerationMode.POSITIVE:
            known = ids.get(case.operation.path.split("/")[3])
            if known is not None:
                case.path_parameters[name] = known
    cache.clear()  # throttling counts requests in the cache; the contract, not the rate, is tested here
    with transaction.atomic():
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
        transaction.set_rollback(True)


def test_api_contract(api_schema, role, tokens, known_ids, module_world):
    """Every operation of the schema, each with its own Hypothesis test (schemathesis's examples and fuzzing
    phases, and the coverage phase when FULL); the failures of all operations are reported together."""
    failures = []
    operations = 0
    for result in get_all_tests(schema=api_schema, test_func=_call, settings=None, given_kwargs=None):
        if not isinstance(result, Ok):
            failures.append(f"The schema is not valid: {result.err()}")
            continue
        operation, run = result.ok()
        operations += 1
        try:
            run(token=tokens[role], ids={**known_ids, "imports": module_world.jobs[role].pk})
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis reports its failures in a group
            failures.append(f"{operation.label}: {exc}")
    assert operations > 70, "every operation of /api/v1/ is in the schema"
    assert not failures, f"{len(failures)} of {operations} operations break the contract as {role}:\n\n" + (
        "\n\n".join(failures)
    )
