"""The related-field matrix: every related field of every serializer, form and filter of the project, found by
introspection, tried as every role of the world (hoptac/tests/world.py), inside and outside the user's scope.

What is walked (no list to keep up to date, no exceptions):

* every DRF serializer defined in a hoptac module, and every serializer class a viewset of the API router
  (hoptac/api_urls.py) answers for any of its actions, with their nested serializers;
* every Django form defined in a hoptac module (ModelForms, and plain forms with model choices);
* the form of every django-filter FilterSet defined in a hoptac module (the list pages' and the API's filters).

Every writable related field (PrimaryKeyRelatedField, SlugRelatedField, their many= forms, ModelChoiceField,
ModelMultipleChoiceField, a writable id given as a bare integer) must be one of the project's scoped related
fields (core/api.py ScopedRelatedField, core/forms.py ScopedChoiceMixin), which offer
`hoptac.core.scoping.choices_for`. For each role, each field:

* offers only objects in the user's scope (`Model.objects.restrict(user, action)`, for a scoped model);
* refuses an object it does not offer with exactly the message of an id or code that does not exist (the
  value itself aside): "not found" and "not yours" cannot be told apart;
* accepts an object it offers.

The second half checks the same "not found reads like not yours" through the other doors: the detail pages and
API answers of the access matrix, the API's writes naming another commune, and the import's messages.
"""

import contextlib
import importlib
import pkgutil
import re
from dataclasses import dataclass
from typing import Any

import django_filters
import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Max
from django.test import RequestFactory
from django.urls import resolve, reverse
from rest_framework import serializers
from rest_framework.request import Request

import hoptac
from hoptac.core.api import ScopedRelatedField
from hoptac.core.forms import ScopedChoiceMixin
from hoptac.core.scoping import is_scoped
from hoptac.core.testing import url_routes

from .test_access_matrix import ENDPOINTS, MATRIX, Visit
from .world import ROLES, YEAR, World

pytestmark = pytest.mark.django_db


def _project_modules() -> None:
    """Import every module of the project (tests, migrations and commands aside), so that every serializer,
    form and filter class exists."""
    for module in pkgutil.walk_packages(hoptac.__path__, "hoptac."):
        name = module.name
        if (
            any(part in name.split(".") for part in ("tests", "migrations", "management"))
            or name == "hoptac.wsgi"
        ):
            continue
        importlib.import_module(name)


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def _ours(cls: type) -> bool:
    return cls.__module__.startswith("hoptac.") and ".tests" not in cls.__module__


_project_modules()

FILTERSETS = sorted(
    (c for c in _subclasses(django_filters.FilterSet) if _ours(c) and c._meta.model is not None),
    key=lambda c: f"{c.__module__}.{c.__name__}",
)
# A filter's form (and the forms it is built on) is walked through its FilterSet, which gives it its fields.
_FILTER_FORMS = [f._meta.form for f in FILTERSETS]


def _is_filter_form(cls: type) -> bool:
    return any(issubclass(form, cls) for form in _FILTER_FORMS)


FORMS = sorted(
    (c for c in _subclasses(forms.BaseForm) if _ours(c) and not _is_filter_form(c)),
    key=lambda c: f"{c.__module__}.{c.__name__}",
)


def _concrete_serializer(cls: type) -> bool:
    if issubclass(cls, serializers.ListSerializer):
        return False
    # A ModelSerializer base without Meta (core/api.py ScopedModelSerializer) is not a serializer of its own.
    return not (issubclass(cls, serializers.ModelSerializer) and not hasattr(cls, "Meta"))


def _router_serializers() -> set[type]:
    """The serializer classes the API's viewsets answer with, action by action (get_serializer_class)."""
    found: set[type] = set()
    request = Request(RequestFactory().get("/api/v1/"))
    for route in url_routes().values():
        viewset = getattr(route.callback, "cls", None)
        actions = getattr(route.callback, "actions", None)
        if viewset is None or actions is None or not hasattr(viewset, "get_serializer_class"):
            continue
        for action in actions.values():
            view = viewset(action=action, request=request, kwargs={}, format_kwarg=None, args=())
            # A viewset without serializer_class asserts; its actions name theirs (below).
            with contextlib.suppress(AssertionError):
                found.add(view.get_serializer_class())
            extra = getattr(getattr(viewset, action, None), "kwargs", {}).get("serializer_class")
            if extra is not None:
                found.add(extra)
    return found


ROUTER_SERIALIZERS = _router_serializers()
SERIALIZERS = sorted(
    {c for c in _subclasses(serializers.BaseSerializer) if _ours(c) and _concrete_serializer(c)}
    | {c for c in ROUTER_SERIALIZERS if _concrete_serializer(c)},
    key=lambda c: f"{c.__module__}.{c.__name__}",
)


def _name(cls: type) -> str:
    return f"{cls.__module__.removeprefix('hoptac.')}.{cls.__name__}"


# How to build what a form, filter or serializer needs, by the name of its keyword argument. A new required
# argument gets a line here (test_every_class_can_be_built says which).
BUILD: dict[str, Any] = {
    "user": lambda world, user: user,
    "today": lambda world, user: world.today,
    "plan": lambda world, user: world.plan,
    "series_list": lambda world, user: list(world.plan.reference_series.all()),
    "schemes": lambda world, user: _schemes(),
    "sheet": lambda world, user: _sheet(world),
    "years": lambda world, user: [YEAR - 1, YEAR],
}


def _schemes():
    from hoptac.scoring.models import Scheme

    return Scheme.objects.all()


def _sheet(world: World):
    from hoptac.scoring.selectors import assessment_sheet

    return assessment_sheet(assessment=world.sides["in"].assessment)


def _required(cls: type) -> list[str]:
    import inspect

    parameters = inspect.signature(cls.__init__).parameters.values()
    return [p.name for p in parameters if p.kind is p.KEYWORD_ONLY and p.default is p.empty]


def _build(cls: type, world: World, user, **extra):
    kwargs = {name: BUILD[name](world, user) for name in _required(cls)}
    return cls(**kwargs, **extra)


def test_every_class_can_be_built():
    unknown = {
        _name(cls): sorted(set(_required(cls)) - set(BUILD)) for cls in [*FORMS, *SERIALIZERS, *FILTERSETS]
    }
    unknown = {name: args for name, args in unknown.items() if args}
    assert not unknown, f"teach BUILD how to make these arguments: {unknown}"


def test_the_walk_finds_the_project_classes():
    """The introspection finds what it must (so that a broken walk cannot pass by finding nothing)."""
    from hoptac.registry.api.serializers import OrganisationSerializer
    from hoptac.registry.filters import OrganisationFilter
    from hoptac.registry.forms import OrganisationForm
    from hoptac.tasks.api.serializers import AssignInput

    assert {OrganisationSerializer, AssignInput} <= set(SERIALIZERS)
    assert OrganisationSerializer in ROUTER_SERIALIZERS
    assert OrganisationForm in FORMS
    assert OrganisationFilter in FILTERSETS


# ---------------------------------------------------------------------------------------------
# The fields.


@dataclass
class Found:
    where: str
    field: Any  # the related field (a ManyRelatedField's child), or a bare id field
    bare: bool = False


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _serializer_fields(serializer: serializers.Serializer, where: str):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        path = f"{where}.{name}"
        if isinstance(field, serializers.ManyRelatedField):
            yield Found(path, field.child_relation)
        elif isinstance(field, serializers.RelatedField):
            yield Found(path, field)
        elif isinstance(field, serializers.ListSerializer):
            yield from _serializer_fields(field.child, f"{path}[]")
        elif isinstance(field, serializers.Serializer):
            yield from _serializer_fields(field, path)
        elif _is_bare_id(name, field):
            yield Found(path, field, bare=True)


def _is_bare_id(name: str, field: serializers.Field) -> bool:
    """An object named by a plain number: an integer field called `…_id`, or a list of integers."""
    if isinstance(field, serializers.IntegerField) and name.endswith("_id"):
        return True
    return isinstance(field, serializers.ListField) and isinstance(field.child, serializers.IntegerField)


def _form_fields(form: forms.BaseForm, where: str):
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            yield Found(f"{where}.{name}", field)


def _user(world: World, role: str):
    return AnonymousUser() if role == "anonymous" else world.users[role]


def _messages(error: Exception) -> list[str]:
    if isinstance(error, serializers.ValidationError):
        detail = error.detail
        return [str(m) for m in (detail if isinstance(detail, list) else [detail])]
    assert isinstance(error, ValidationError)
    return [str(m) for m in error.messages]


def _normalised(messages: list[str], value: Any) -> list[str]:
    return [m.replace(str(value), "<value>") for m in messages]


@dataclass
class Trial:
    """How to submit a value to a field and read the object back."""

    offered: Any  # the queryset the field offers the user
    action: str
    key: str  # the object's field a client sends ("pk", or a code)
    submit: Any  # value → the object (or raises the field's error)
    missing: Any  # a value naming no object at all

    def value_of(self, obj) -> Any:
        return getattr(obj, self.key)

    def outside(self):
        """An object the field does not offer (nor any object with the same value: codes repeat across maps)."""
        rows = self.offered.model._default_manager.exclude(pk__in=self.offered.values("pk"))
        if self.key != "pk":
            rows = rows.exclude(**{f"{self.key}__in": self.offered.values(self.key)})
        return rows.order_by("pk").first()


def _trial(found: Found) -> Trial:
    field = found.field
    if isinstance(field, ScopedRelatedField):
        offered = field.get_queryset()
        if isinstance(field, serializers.SlugRelatedField):
            return Trial(
                offered, field.scope_action, field.slug_field, field.to_internal_value, "khong-co-ma-nay-999"
            )
        return Trial(offered, field.scope_action, "pk", field.to_internal_value, _missing_pk(offered.model))
    assert isinstance(field, ScopedChoiceMixin) and isinstance(field, forms.ModelChoiceField)
    offered = field.queryset
    key = field.to_field_name or "pk"
    submit = field.clean
    if isinstance(field, forms.ModelMultipleChoiceField):
        submit = lambda value: list(field.clean([value]))[0]  # noqa: E731
    return Trial(offered, field.scope_action, key, submit, _missing_pk(offered.model))


def _missing_pk(model) -> int:
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1_000_000


def _problems(found: Found, user) -> list[str]:
    where, field = found.where, found.field
    if found.bare:
        return [f"{where}: an object named by a bare number; declare a scoped related field (core/api.py)"]
    if not isinstance(field, ScopedRelatedField | ScopedChoiceMixin):
        return [
            f"{where}: {type(field).__name__} is not a scoped related field (core/api.py ScopedRelatedField, "
            "core/forms.py ScopedModelChoiceField)"
        ]
    try:
        trial = _trial(found)
    except ImproperlyConfigured as exc:
        return [f"{where}: {exc}"]
    problems = []
    model = trial.offered.model
    offered = set(trial.offered.values_list("pk", flat=True))
    if is_scoped(model):
        reach = set(model._default_manager.restrict(user, trial.action).values_list("pk", flat=True))
        if offered - reach:
            problems.append(
                f"{where}: offers {len(offered - reach)} {model._meta.label} outside the user's scope"
            )
    try:
        trial.submit(trial.missing)
        problems.append(f"{where}: accepts {trial.missing!r}, which names nothing")
        return problems
    except (serializers.ValidationError, ValidationError) as exc:
        not_found = _normalised(_messages(exc), trial.missing)
    outside = trial.outside()
    if outside is not None:
        value = trial.value_of(outside)
        try:
            trial.submit(value)
            problems.append(f"{where}: accepts {model._meta.label} {value!r}, which it does not offer")
        except (serializers.ValidationError, ValidationError) as exc:
            not_yours = _normalised(_messages(exc), value)
            if not_yours != not_found:
                problems.append(f"{where}: 'not yours' reads {not_yours}, 'not found' reads {not_found}")
    inside = trial.offered.first()
    if inside is not None:
        try:
            got = trial.submit(trial.value_of(inside))
        except (serializers.ValidationError, ValidationError) as exc:
            problems.append(f"{where}: refuses {inside!r}, which it offers: {_messages(exc)}")
        else:
            if got != inside:
                problems.append(f"{where}: {inside!r} read back as {got!r}")
    return problems


def _api_request(user) -> Request:
    request = Request(_request(user))
    request.user = user  # as the authentication of a real request would
    return request


def _serializer_found(cls, world: World, user) -> list[Found]:
    serializer = _build(cls, world, user, context={"request": _api_request(user), "today": world.today})
    return list(_serializer_fields(serializer, _name(cls)))


def _form_found(cls, world: World, user) -> list[Found]:
    return list(_form_fields(_build(cls, world, user), _name(cls)))


def _filterset_found(cls, world: World, user) -> list[Found]:
    filterset = cls(data=None, queryset=cls._meta.model._default_manager.none(), request=_request(user))
    return list(_form_fields(filterset.form, _name(cls)))


CLASSES = (
    [pytest.param(_serializer_found, c, id=_name(c)) for c in SERIALIZERS]
    + [pytest.param(_form_found, c, id=_name(c)) for c in FORMS]
    + [pytest.param(_filterset_found, c, id=_name(c)) for c in FILTERSETS]
)


@pytest.fixture(scope="module")
def world(module_world, django_db_blocker):
    """The world, with a cooperative union (LHHTX) and a cooperative group (THT) on each side, so that the
    fields choosing a union or the group a cooperative came from have objects in and out of scope."""
    from hoptac.registry.choices import OrganisationKind
    from hoptac.registry.tests.factories import OrganisationFactory

    with django_db_blocker.unblock():
        for side in module_world.sides.values():
            for kind in (OrganisationKind.LHHTX, OrganisationKind.THT):
                OrganisationFactory(kind=kind, name=f"{kind} {side.marker}", commune_legacy=side.commune)
    return module_world


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("walk", "cls"), CLASSES)
def test_related_fields(world, walk, cls, role):
    user = _user(world, role)
    problems = [p for found in walk(cls, world, user) for p in _problems(found, user)]
    assert not problems, "\n".join(problems)


def test_scoped_fields_meet_objects_outside_the_scope(world):
    """The matrix proves something: every field over a scoped model meets, for the commune officer, an object
    it must refuse, and one it must accept."""
    user = world.users["commune"]
    checked = []
    for walk, cls in [p.values for p in CLASSES]:
        for found in walk(cls, world, user):
            if found.bare or not isinstance(found.field, ScopedRelatedField | ScopedChoiceMixin):
                continue
            trial = _trial(found)
            if not is_scoped(trial.offered.model):
                continue
            assert trial.outside() is not None and trial.offered.exists(), found.where
            checked.append(found.where)
    assert len(checked) >= 6, checked


# ---------------------------------------------------------------------------------------------
# "Not found" and "not yours" through the other doors.

# Whatever changes between two renderings of the same page: form tokens, script nonces.
_VOLATILE = re.compile(r'(csrfmiddlewaretoken" value="|csrf[-_]token" content="|nonce=")[^"]*')


def _missing_url(url_in: str, url_out: str) -> tuple[str, list[str]]:
    """The out-of-scope URL with the arguments naming its object (those that differ from the in-scope URL)
    replaced by values that name nothing; and the replaced values."""
    path, _sep, query = url_out.partition("?")
    match_in, match_out = resolve(url_in.partition("?")[0]), resolve(path)
    replaced = []
    kwargs = dict(match_out.kwargs)
    for key, value in match_out.kwargs.items():
        if match_in.kwargs.get(key) != value:
            kwargs[key] = 987654321 if str(value).isdigit() else "khong-co-ma-nay"
            replaced.append(str(value))
    args = list(match_out.args)
    for i, value in enumerate(match_out.args):
        if match_in.args[i] != value:
            args[i] = 987654321 if str(value).isdigit() else "khong-co-ma-nay"
            replaced.append(str(value))
    url = reverse(match_out.view_name, args=args or None, kwargs=kwargs or None)
    return (f"{url}?{query}" if query else url), replaced


def _body(response, paths: list[str]) -> str:
    text = response.content.decode("utf-8", "replace")
    for path in paths:
        text = text.replace(path, "<path>")
    return _VOLATILE.sub(r"\1…", text)


NOT_YOURS = [
    pytest.param(name, role, id=f"{name}-{role}")
    for name, endpoint in ENDPOINTS.items()
    if endpoint.detail
    for role in ("commune", "representative", "viewer_area")
    if MATRIX[name][role][1] == "404"
]


@pytest.mark.parametrize(("name", "role"), NOT_YOURS)
def test_an_object_outside_the_scope_reads_like_one_that_does_not_exist(
    module_world, module_clients, name, role
):
    url = ENDPOINTS[name].url
    url_in = url(Visit(module_world, role, "in"))
    url_out = url(Visit(module_world, role, "out"))
    url_missing, values = _missing_url(url_in, url_out)
    assert values, f"{name}: the in- and out-of-scope URLs are the same"
    client = module_clients[role]
    out, missing = client.get(url_out), client.get(url_missing)
    assert out.status_code == missing.status_code == 404
    paths = [url_out.partition("?")[0], url_missing.partition("?")[0]]
    assert _body(out, paths) == _body(missing, paths)


def test_the_api_refuses_another_communes_code_like_an_unknown_one(module_world, module_clients):
    """The finding: a commune officer placed an organisation in another commune through the API (PATCH 200,
    POST 201). Now the other commune's codes read like codes that do not exist, and nothing changes."""
    a, b = module_world.sides["in"], module_world.sides["out"]
    client = module_clients["commune"]
    url = reverse("organisation-detail", args=[a.organisation.pk])

    def patch(legacy, current):
        response = client.patch(
            url, {"commune_legacy": legacy, "commune_current": current}, content_type="application/json"
        )
        return response.status_code, {
            k: _normalised(v, legacy if k == "commune_legacy" else current)
            for k, v in response.json().items()
        }

    other = patch(b.commune.code, b.commune_current.code)
    unknown = patch("99998", "99999")
    assert other == unknown
    assert other[0] == 400 and set(other[1]) == {"commune_legacy", "commune_current"}
    a.organisation.refresh_from_db()
    assert a.organisation.commune_legacy_id == a.commune.pk
    created = client.post(
        reverse("organisation-list"),
        {
            "kind": "htx",
            "name": "Hợp tác xã Ngoài xã",
            "founding_date": "2015-03-01",
            "sector": "agriculture",
            "commune_legacy": b.commune.code,
        },
        content_type="application/json",
    )
    assert created.status_code == 400
    assert set(created.json()) == {"commune_legacy"}


def test_an_import_row_naming_another_commune_reads_like_an_unknown_commune(module_world):
    from hoptac.imports.importer import import_registry
    from hoptac.imports.tests.test_importer import HEADER, xlsx

    b = module_world.sides["out"]

    def row(code: str, commune: str) -> list[str]:
        return [code, "Hợp tác xã Nhập thử", "HTX", "13/10/2012", commune, "", "Nông nghiệp", "", "", ""]

    content = xlsx([HEADER, row("0607999001", b.commune.code), row("0607999002", "99998")])
    preview = import_registry(
        user=module_world.users["commune"], content=content, filename="x.xlsx", commit=False
    )
    other, unknown = preview.rows
    assert other.action == unknown.action == "error"
    commune_column = HEADER[4]
    other_errors = [e.replace(b.commune.code, "<code>").replace("Dòng 2", "Dòng <n>") for e in other.errors]
    unknown_errors = [e.replace("99998", "<code>").replace("Dòng 3", "Dòng <n>") for e in unknown.errors]
    assert other_errors == unknown_errors
    assert any(commune_column in e for e in other_errors), other_errors
