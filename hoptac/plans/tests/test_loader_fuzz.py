"""Fuzzing the plan loader (hypothesis): whatever YAML it is given — random mutations of the shipped plan
files, random scalars, types and dates at random places — `plan_load` either loads the file or refuses it with
its own DataFileError (line-numbered problems), never another exception; and a refused file writes nothing."""

import copy
import datetime

import pytest
import yaml
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from hoptac.core.datafiles import DataFileError
from hoptac.plans.models import Plan, ReferenceSeries, ReferenceValue, Target
from hoptac.plans.services import plan_load

pytestmark = pytest.mark.django_db
PLANS = sorted((settings.HOPTAC_DATA_DIR / "plans").glob("*.yaml"))
BASE = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in PLANS}

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "2023-02-30",
            "2023-13-01",
            "2023-00-10",
            "0000-01-01",
            "9999-12-31",
            "2023-2-3",
            "13/10/2022",
            "",
            "∞",
        ]
    ),
    st.dates(min_value=datetime.date(1, 1, 1)).map(str),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def _set(doc, path, value):
    node = doc
    for part in path[:-1]:
        node = node[part]
    if path:
        node[path[-1]] = value
        return doc
    return value


@st.composite
def mutated_plans(draw):
    name = draw(st.sampled_from(sorted(BASE)))
    doc = copy.deepcopy(BASE[name])
    paths = list(_paths(doc))
    for _i in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "delete", "duplicate"]))
        try:
            if action == "replace":
                doc = _set(doc, path, draw(SCALARS))
            elif action == "delete" and path:
                parent = doc
                for part in path[:-1]:
                    parent = parent[part]
                del parent[path[-1]]
            elif action == "duplicate" and path and isinstance(path[-1], int):
                parent = doc
                for part in path[:-1]:
                    parent = parent[part]
                parent.append(copy.deepcopy(parent[path[-1]]))
        except (KeyError, IndexError, TypeError, AttributeError):
            pass  # an earlier mutation removed or replaced that place
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _state():
    return (
        Plan.objects.count(),
        Target.objects.count(),
        ReferenceSeries.objects.count(),
        ReferenceValue.objects.count(),
    )


def _check(text: str) -> None:
    before = _state()
    try:
        plan_load(text=text, source="fuzz.yaml")
    except DataFileError as exc:
        assert exc.problems, "a refusal names at least one problem"
        assert _state() == before, "nothing is written on refusal"


@hsettings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=mutated_plans())
def test_mutated_plan_files_load_or_are_refused_with_line_numbers(text):
    _check(text)


@hsettings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.one_of(st.text(max_size=200), SCALARS.map(lambda v: yaml.safe_dump(v))))
def test_random_text_is_refused_cleanly(text):
    _check(text)
