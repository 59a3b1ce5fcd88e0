"""The scoping framework itself (hoptac.core.scoping): declarations fail loudly, every model that belongs to
a scoped model is scoped too, and a scope narrows, widens and judges unsaved rows as its rule says."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import legacy_commune
from hoptac.core.scoping import Reach, Scope, ScopedManager, ScopedModel, is_scoped, scope_of, scoped_models
from hoptac.registry.models import Organisation, YearlyReport
from hoptac.registry.tests.factories import OrganisationFactory

# Every scoped model of the project and the rule it answers to. A new model that belongs to one of these
# must be scoped (test_models_owned_by_a_scoped_model_are_scoped) and listed here.
EXPECTED = {
    "registry.Organisation": "organisation_reach",
    "registry.StatusChange": "organisation_reach",
    "registry.YearlyReport": "organisation_reach",
    "scoring.Assessment": "organisation_reach",
    "scoring.CriterionScore": "organisation_reach",
    "scoring.Evidence": "organisation_reach",
    "scoring.AssessmentEvent": "organisation_reach",
    "scoring.SatisfactionSurvey": "organisation_reach",
    "plan_tasks.ReportingPeriod": "agency_reach",
    "plan_tasks.ProgressReport": "agency_reach",
    "plan_tasks.Attachment": "agency_reach",
    "imports.ImportJob": "owner_reach",
    "notifications.Notification": "owner_reach",
    "notifications.ExportJob": "owner_reach",
    "privacy.DataSubjectRequest": "data_request_reach",
}


def test_the_scoped_models_and_their_rules():
    found = {model._meta.label: scope_of(model).rule.__name__ for model in scoped_models()}
    assert found == EXPECTED


def _project_models():
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("hoptac.") and not model.__name__.startswith("Historical")
    ]


def test_models_owned_by_a_scoped_model_are_scoped():
    """A row that lives and dies with a scoped row (ON DELETE CASCADE) is only as visible as its owner: it
    must declare a scope (usually `Owner.scope.via("owner_field")`)."""
    unscoped = []
    for model in _project_models():
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.many_to_one
                and is_scoped(field.related_model)
                and field.remote_field.on_delete is models.CASCADE
                and not is_scoped(model)
            ):
                unscoped.append(f"{model._meta.label}.{field.name} → {field.related_model._meta.label}")
    assert unscoped == []


@isolate_apps("hoptac.core")
def test_a_scoped_model_without_a_scope_fails_when_it_is_defined():
    with pytest.raises(ImproperlyConfigured, match="declares no `scope"):

        class Forgotten(ScopedModel):  # noqa: DJ008
            name = models.CharField(max_length=10)

            class Meta:
                app_label = "core"


@isolate_apps("hoptac.core")
def test_a_scoped_manager_without_a_scope_fails_too():
    with pytest.raises(ImproperlyConfigured):

        class Forgotten(models.Model):  # noqa: DJ008
            objects = ScopedManager()

            class Meta:
                app_label = "core"


@isolate_apps("hoptac.core")
def test_a_declared_scope_is_accepted_and_inherited_through_via():
    class Owner(ScopedModel):  # noqa: DJ008
        scope = Scope(lambda user, action: Reach.all(), {"owners": ("pk",)})

        class Meta:
            app_label = "core"

    class Owned(ScopedModel):  # noqa: DJ008
        owner = models.ForeignKey(Owner, on_delete=models.CASCADE)
        scope = Owner.scope.via("owner")

        class Meta:
            app_label = "core"

    assert dict(Owned.scope.lookups) == {"owners": ("owner",)}
    assert is_scoped(Owned)


def test_a_rule_granting_a_name_the_scope_does_not_map_is_refused():
    scope = Scope(lambda user, action: Reach.of(agencies=[1]), {"communes": ("commune",)})
    with pytest.raises(ImproperlyConfigured, match="agencies"):
        scope.condition(None, "view")


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError):
        Organisation.scope.condition(None, "delete")


@pytest.mark.django_db
def test_unrestricted_reads_must_say_why():
    with pytest.raises(ValueError):
        Organisation.objects.unrestricted("")
    assert Organisation.objects.unrestricted("a test of the framework").count() == 0


@pytest.mark.django_db
def test_restrict_narrows_and_via_follows_the_relation():
    here, there = legacy_commune("Xã Hải Minh"), legacy_commune("Xã Giao Thiện")
    mine, other = OrganisationFactory(commune_legacy=here), OrganisationFactory(commune_legacy=there)
    YearlyReport.objects.create(organisation=mine, year=2024)
    YearlyReport.objects.create(organisation=other, year=2024)
    officer = UserFactory(role=Role.COMMUNE, areas=[here])
    assert list(Organisation.objects.restrict(officer, "change")) == [mine]
    assert [r.organisation for r in YearlyReport.objects.restrict(officer, "view")] == [mine]
    # A related manager of a scoped model restricts too.
    assert list(mine.yearly_reports.restrict(officer)) == list(mine.yearly_reports.all())
    assert not other.yearly_reports.restrict(officer).exists()


@pytest.mark.django_db
def test_covers_judges_a_row_on_the_values_about_to_be_saved():
    here, there = legacy_commune("Xã Hải Minh"), legacy_commune("Xã Giao Thiện")
    officer = UserFactory(role=Role.COMMUNE, areas=[here])
    unsaved = Organisation(commune_legacy=there)
    assert not Organisation.scope.covers(officer, "change", unsaved)
    unsaved.commune_legacy = here
    assert Organisation.scope.covers(officer, "change", unsaved)
    province = UserFactory(role=Role.PROVINCE)
    assert Organisation.scope.covers(province, "change", Organisation(commune_legacy=there))
