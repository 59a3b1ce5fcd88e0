import datetime

import factory
from factory.django import DjangoModelFactory

from hoptac.areas.models import AdminMap
from hoptac.plans.models import Plan, PlanSection, PlanTask
from hoptac.tasks.choices import AgencyKind
from hoptac.tasks.models import Agency

D = datetime.date


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"co-quan-{n}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    kind = AgencyKind.DEPARTMENT


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ["code"]

    code = "ke-hoach-thu"
    number = "99/KH-UBND"
    title = "Kế hoạch thử nghiệm"
    short_title = "Kế hoạch thử nghiệm"
    issued_on = D(2022, 10, 13)
    issuer = "UBND tỉnh"
    scope_map = AdminMap.LEGACY
    baseline_year = 2022


def plan_task(plan: Plan, code: str, **kwargs) -> PlanTask:
    section, _created = PlanSection.objects.get_or_create(
        plan=plan, code="III.1", defaults={"title": "Định hướng"}
    )
    kwargs.setdefault("text", f"Nhiệm vụ {code} như kế hoạch ghi.")
    return PlanTask.objects.create(
        plan=plan, section=section, code=code, order=PlanTask.objects.count(), **kwargs
    )
