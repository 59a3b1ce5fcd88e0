import datetime

import factory
from factory.django import DjangoModelFactory

from hoptac.areas.models import AdminMap, AdminUnit, Level
from hoptac.areas.selectors import commune_successor
from hoptac.areas.tests.factories import hai_minh_and_giao_xuan
from hoptac.registry.choices import LegalStatus, OrganisationKind, Sector
from hoptac.registry.models import Organisation, StatusChange, YearlyReport


def _default_commune(n: int) -> AdminUnit:
    """Communes of Huyện Vụ Bản in turn: deterministic, and away from the Hải Hậu and Giao Thủy communes
    that scoping tests set explicitly."""
    communes = AdminUnit.objects.filter(
        map=AdminMap.LEGACY, level=Level.COMMUNE, province__code="36", parent__name="Huyện Vụ Bản"
    ).order_by("code")
    return communes[n % communes.count()]


class OrganisationFactory(DjangoModelFactory):
    """An organisation with an initial 'active' status from its founding date."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = OrganisationKind.HTX
    name = factory.Sequence(lambda n: f"Hợp tác xã Dịch vụ nông nghiệp Thử nghiệm {n}")
    registration_code = factory.Sequence(lambda n: f"0710{n:06d}")
    founding_date = datetime.date(2015, 3, 1)
    registration_date = datetime.date(2015, 3, 15)
    sector = Sector.AGRICULTURE
    commune_legacy = factory.Sequence(_default_commune)
    commune_current = factory.LazyAttribute(
        lambda o: commune_successor(old_commune=o.commune_legacy) if o.commune_legacy else None
    )

    @factory.post_generation
    def status(obj, create, extracted, **kwargs):
        if not create:
            return
        StatusChange.objects.create(
            organisation=obj,
            status=extracted or LegalStatus.ACTIVE,
            effective_from=obj.registration_date or obj.founding_date,
        )
        Organisation.objects.filter(pk=obj.pk).update(current_status=extracted or LegalStatus.ACTIVE)
        obj.current_status = extracted or LegalStatus.ACTIVE


class StatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = StatusChange

    organisation = factory.SubFactory(OrganisationFactory)
    status = LegalStatus.SUSPENDED
    effective_from = datetime.date(2020, 1, 1)


class YearlyReportFactory(DjangoModelFactory):
    class Meta:
        model = YearlyReport

    organisation = factory.SubFactory(OrganisationFactory)
    year = 2023
    official_individuals = 120
    official_households = 30
    workers = 12
    revenue = 2_500_000_000
    profit = 150_000_000
    total_assets = 4_000_000_000
    equity = 1_500_000_000
    average_worker_income = 60_000_000


def hai_anh_and_giao_xuan() -> tuple[Organisation, Organisation]:
    """Hợp tác xã Hải Anh in Xã Hải Minh (Huyện Hải Hậu) and Hợp tác xã Giao Xuân in Xã Giao Xuân (Huyện Giao
    Thủy): one organisation in each of two communes of two districts (`hai_minh_and_giao_xuan`)."""
    hai_minh, giao_xuan = hai_minh_and_giao_xuan()
    return (
        OrganisationFactory(name="Hợp tác xã Hải Anh", commune_legacy=hai_minh),
        OrganisationFactory(name="Hợp tác xã Giao Xuân", commune_legacy=giao_xuan),
    )
