import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoptac.accounts.models import Role
from hoptac.accounts.tests.factories import UserFactory
from hoptac.areas.tests.factories import current_commune, legacy_commune
from hoptac.registry import errors, selectors, services
from hoptac.registry.choices import LegalStatus, OrganisationKind, Sector
from hoptac.registry.models import Organisation
from hoptac.registry.tests.factories import OrganisationFactory, YearlyReportFactory

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {
        "kind": OrganisationKind.HTX,
        "name": "Hợp tác xã Muối Văn Lý",
        "founding_date": datetime.date(2012, 5, 4),
        "registration_date": datetime.date(2012, 6, 1),
        "sector": Sector.AGRICULTURE,
        "sub_sector": "salt",
        "commune_legacy": legacy_commune("Xã Hải Đông", "Huyện Hải Hậu"),
        "tax_code": "0600123456",
    }
    return {**data, **overrides}


def test_create_derives_new_commune_records_status_and_history():
    officer = UserFactory(role=Role.PROVINCE)
    org = services.organisation_create(user=officer, data=_data())
    assert org.commune_current.map == "current" and org.commune_current.province.code == "37"
    assert org.status_changes.get().status == LegalStatus.ACTIVE
    assert org.status_changes.get().effective_from == datetime.date(2012, 6, 1)
    record = org.history.get()
    assert record.history_user == officer and record.history_type == "+"


def test_create_refuses_bad_input_with_vietnamese_reasons():
    officer = UserFactory(role=Role.PROVINCE)
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            user=officer,
            data=_data(
                sector=Sector.TRANSPORT,
                tax_code="12ab",
                commune_legacy=None,
                registration_date=datetime.date(2010, 1, 1),
            ),
        )
    assert set(exc.value.message_dict) >= {"sub_sector", "tax_code", "commune_legacy", "registration_date"}
    assert Organisation.objects.filter(name="Hợp tác xã Muối Văn Lý").count() == 0


def test_commune_officer_cannot_register_outside_their_communes():
    officer = UserFactory(role=Role.COMMUNE, areas=[legacy_commune("Xã Giao Xuân", "Huyện Giao Thủy")])
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(user=officer, data=_data())
    assert exc.value.message_dict["commune_legacy"] == [str(errors.COMMUNE_OUT_OF_SCOPE)]
    assert not Organisation.objects.filter(name="Hợp tác xã Muối Văn Lý").exists()


def test_representative_and_viewer_cannot_create():
    for role in (Role.REPRESENTATIVE, Role.VIEWER):
        with pytest.raises(PermissionDenied):
            services.organisation_create(user=UserFactory(role=role), data=_data())


def test_representative_edits_contacts_but_not_identity():
    org = OrganisationFactory()
    rep = UserFactory(role=Role.REPRESENTATIVE, organisation=org)
    with pytest.raises(ValidationError) as refused:
        services.organisation_update(
            user=rep, organisation=org, data={"phone": "0912345678", "name": "Tên khác"}
        )
    assert list(refused.value.message_dict) == ["name"]  # refused naming the field, never silently dropped
    services.organisation_update(user=rep, organisation=org, data={"phone": "0912345678", "name": org.name})
    org.refresh_from_db()
    assert org.phone == "0912345678" and org.name != "Tên khác"
    with pytest.raises(PermissionDenied):
        services.status_change_add(
            user=rep, organisation=org, status=LegalStatus.STOPPED, effective_from=datetime.date(2024, 1, 1)
        )


def test_status_as_of_date():
    officer = UserFactory(role=Role.PROVINCE)
    org = OrganisationFactory(
        founding_date=datetime.date(2010, 1, 1), registration_date=datetime.date(2010, 2, 1)
    )
    services.status_change_add(
        user=officer, organisation=org, status=LegalStatus.SUSPENDED, effective_from=datetime.date(2022, 3, 1)
    )
    services.status_change_add(
        user=officer,
        organisation=org,
        status=LegalStatus.DISSOLVING,
        effective_from=datetime.date(2023, 6, 1),
    )
    services.status_change_add(
        user=officer, organisation=org, status=LegalStatus.DISSOLVED, effective_from=datetime.date(2024, 2, 1)
    )
    assert selectors.status_on(organisation=org, day=datetime.date(2010, 1, 15)) is None
    assert selectors.status_on(organisation=org, day=datetime.date(2021, 12, 31)) == LegalStatus.ACTIVE
    assert selectors.status_on(organisation=org, day=datetime.date(2022, 3, 1)) == LegalStatus.SUSPENDED
    assert selectors.status_on(organisation=org, day=datetime.date(2023, 12, 31)) == LegalStatus.DISSOLVING
    assert selectors.status_on(organisation=org, day=datetime.date(2024, 12, 31)) == LegalStatus.DISSOLVED
    org.refresh_from_db()
    assert org.current_status == LegalStatus.DISSOLVED

    def on_books(day):
        return set(Organisation.objects.existing_on(day).values_list("pk", flat=True))

    assert org.pk in on_books(datetime.date(2023, 12, 31))
    assert org.pk not in on_books(datetime.date(2024, 12, 31))
    assert org.pk not in on_books(datetime.date(2009, 12, 31))
    with pytest.raises(ValidationError):
        services.status_change_add(
            user=officer,
            organisation=org,
            status=LegalStatus.ACTIVE,
            effective_from=datetime.date(2025, 1, 1),
        )


def test_registry_as_of_counts_match_independent_count():
    officer = UserFactory(role=Role.PROVINCE)
    orgs = [
        OrganisationFactory(
            founding_date=datetime.date(2000 + i, 1, 1), registration_date=datetime.date(2000 + i, 1, 1)
        )
        for i in range(8)
    ]
    for org in orgs[:3]:
        services.status_change_add(
            user=officer,
            organisation=org,
            status=LegalStatus.DISSOLVED,
            effective_from=datetime.date(2023, 5, 5),
        )
    day = datetime.date(2023, 12, 31)
    expected = sum(1 for i, _ in enumerate(orgs) if i >= 3)  # founded 2000–2007, three dissolved in 2023
    assert selectors.organisations_as_of(user=officer, day=day).count() == expected
    assert selectors.organisations_as_of(user=officer, day=datetime.date(2003, 6, 1)).count() == 4


def test_yearly_report_is_one_per_year_and_validated():
    org = OrganisationFactory()
    officer = UserFactory(role=Role.PROVINCE)
    report = services.yearly_report_save(
        user=officer, organisation=org, year=2023, data={"revenue": 100, "profit": 5}
    )
    again = services.yearly_report_save(user=officer, organisation=org, year=2023, data={"revenue": 200})
    assert report.pk == again.pk and again.revenue == 200
    with pytest.raises(ValidationError) as exc:
        services.yearly_report_save(
            user=officer, organisation=org, year=2023, data={"profit": 500, "ocop_max_stars": 4}
        )
    assert set(exc.value.message_dict) == {"profit", "ocop_max_stars"}
    assert again.history.first().history_user == officer


def test_yearly_report_outside_scope_is_refused():
    org = OrganisationFactory(commune_legacy=legacy_commune("Xã Giao Xuân", "Huyện Giao Thủy"))
    officer = UserFactory(role=Role.COMMUNE, areas=[current_commune("Xã Hải Anh")])
    with pytest.raises(PermissionDenied):
        services.yearly_report_save(user=officer, organisation=org, year=2023, data={"revenue": 1})


def test_member_totals():
    report = YearlyReportFactory(
        official_individuals=10, official_households=5, official_legal_entities=1, associate_individuals=3
    )
    assert (report.official_members, report.associate_members, report.total_members) == (16, 3, 19)
