"""The role module (hoptac.accounts.roles): every capability per role, and the rules that keep it the only
place where roles are read and the scoping framework the only way to a user's rows."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from hoptac.accounts import roles
from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.core.scoping import scoped_models

PACKAGE = Path(__file__).resolve().parents[2]

CAPABILITIES = [
    "is_officer",
    "is_province_wide",
    "can_register_organisations",
    "can_import",
    "edits_contact_details_only",
    "can_review_yearly_data",
    "can_reopen_yearly_data",
    "can_self_assess",
    "can_review_ratings",
    "can_approve_ratings",
    "can_manage_plans",
]
# Per user kind: the capabilities it has (all others: not).
EXPECTED = {
    "admin": set(CAPABILITIES) - {"edits_contact_details_only"},
    "superuser": set(CAPABILITIES) - {"edits_contact_details_only"},
    "province": set(CAPABILITIES) - {"edits_contact_details_only"},
    "commune": {
        "is_officer",
        "can_register_organisations",
        "can_import",
        "can_review_yearly_data",
        "can_self_assess",
        "can_review_ratings",
    },
    "representative": {"can_import", "edits_contact_details_only", "can_self_assess"},
    "viewer": set(),
    "inactive_province": set(),
    "anonymous": set(),
}


def _user(kind: str):
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "superuser":
        return UserFactory(role=Role.VIEWER, is_superuser=True)
    if kind == "inactive_province":
        return UserFactory(role=Role.PROVINCE, is_active=False)
    if kind == "representative":
        from hoptac.registry.tests.factories import OrganisationFactory

        return UserFactory(role=Role.REPRESENTATIVE, organisation=OrganisationFactory())
    return UserFactory(role=kind)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_capabilities_per_role(kind):
    user = _user(kind)
    assert {name for name in CAPABILITIES if getattr(roles, name)(user)} == EXPECTED[kind]


@pytest.mark.django_db
def test_a_superuser_is_an_administrator_whatever_its_role_field_says():
    assert roles.role_of(UserFactory(role=Role.REPRESENTATIVE, is_superuser=True)) == Role.ADMIN


# ---------------------------------------------------------------------------------------------
# The rules that keep one way of doing it.


def _modules(*, skip=()):
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or "demo" in relative:
            continue
        if any(relative.endswith(s) for s in skip):
            continue
        yield relative, ast.parse(path.read_text(encoding="utf-8"))


ROLE_MODULES = ("hoptac/accounts/roles.py", "hoptac/accounts/models.py", "hoptac/accounts/admin.py")


def test_no_role_is_read_outside_the_role_module():
    """`user.role`, `user.is_superuser`, `Role.X` and `user.areas` decide rights only in accounts/roles.py;
    everything else asks it (demo data, which creates users, and tests aside)."""
    found = []
    for relative, tree in _modules(skip=ROLE_MODULES):
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("role", "is_superuser"):
                found.append(f"{relative}:{node.lineno}: .{node.attr}")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "Role"
            ):
                found.append(f"{relative}:{node.lineno}: Role.{node.attr}")
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "areas"
                and isinstance(node.value, ast.Name | ast.Attribute)
                and getattr(node.value, "id", getattr(node.value, "attr", "")) == "user"
                and relative != "hoptac/accounts/views.py"  # the profile page lists the user's own areas
            ):
                found.append(f"{relative}:{node.lineno}: user.areas")
    templates = [
        f"{path.relative_to(PACKAGE.parent)}"
        for path in PACKAGE.rglob("*.html")
        if any(
            word in path.read_text(encoding="utf-8") for word in ("user.role", "user.is_superuser", "Role.")
        )
    ]
    assert found + templates == []


def test_reads_of_scoped_models_go_through_the_scoping_framework():
    """Outside services (which check the scope before they write) and the models' own query methods, a
    read of a scoped model starts from `restrict(user, action)`, or says why it reads everything with
    `unrestricted("…")`, or goes through an object already in scope (`organisation.yearly_reports`)."""
    names = {model.__name__ for model in scoped_models()}
    found = []
    for relative, tree in _modules(skip=("/services.py", "/models.py")):
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "objects"
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id in names
                and node.attr not in ("restrict", "unrestricted", "none")
            ):
                found.append(f"{relative}:{node.lineno}: {node.value.value.id}.objects.{node.attr}")
    assert found == []


def test_api_serializers_choose_related_objects_within_scope():
    """Every model serializer is a ScopedModelSerializer, so an id outside the user's scope reads "does
    not exist", exactly like an id that does not exist."""
    found = []
    for relative, tree in _modules(skip=("hoptac/core/api.py",)):
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for base in node.bases:
                    if isinstance(base, ast.Attribute) and base.attr == "ModelSerializer":
                        found.append(f"{relative}:{node.lineno}: {node.name}")
    assert found == []
