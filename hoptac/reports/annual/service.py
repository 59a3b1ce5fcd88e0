"""The yearly report of a plan as the page (hoptac.reports.annual_views) and the API (hoptac.reports.api) make
it: who may generate it, the years it may cover, and the files."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.plans.models import Plan

from .build import AnnualReportFiles, build_annual_report

NOT_ALLOWED = _("Only provincial officers and administrators generate the yearly report.")


class PlanNotFound(Exception):
    """No plan has this code or number; the message (Vietnamese) lists the plans there are."""


def plan_by_reference(reference: str) -> Plan:
    """The plan whose code ("nam-dinh-139-kh-ubnd-2022") or number ("139/KH-UBND", any case and spacing)
    is `reference`. PlanNotFound, with the codes and numbers there are, when none or several match."""
    text = " ".join(reference.split())
    plan = Plan.objects.filter(code=text).first()
    if plan is not None:
        return plan
    compact = text.replace(" ", "").upper()
    matches = [p for p in Plan.objects.order_by("code") if p.number.replace(" ", "").upper() == compact]
    if len(matches) == 1:
        return matches[0]
    known = "; ".join(f"{p.number} (mã {p.code})" for p in Plan.objects.order_by("code"))
    if matches:
        raise PlanNotFound(
            f"Có {len(matches)} kế hoạch số '{text}': "
            + ", ".join(p.code for p in matches)
            + ". Hãy ghi mã kế hoạch."
        )
    raise PlanNotFound(
        f"Không có kế hoạch mã hoặc số '{text}'. Các kế hoạch hiện có: {known or 'chưa có kế hoạch nào'}."
    )


def default_year(today: datetime.date) -> int:
    """The last year whose yearly update (15 December) has closed."""
    return today.year if today >= datetime.date(today.year, 12, 15) else today.year - 1


def report_years(plan: Plan, today: datetime.date) -> range:
    """The years a report may cover, latest first: this year back to the plan's baseline year."""
    return range(today.year, plan.baseline_year - 1, -1)


def annual_report_generate(
    *,
    user: User,
    plan: Plan,
    year: int,
    today: datetime.date | None = None,
    number: str = "",
    signer_name: str = "",
    provisional: bool = False,
) -> AnnualReportFiles:
    """The report (.docx) and its annexes (.xlsx) of `year`; `number` and `signer_name` fill the letterhead
    and the signature block (empty: left to fill in Word). PermissionDenied for other roles; ValueError for a
    year outside report_years()."""
    if not roles.can_manage_plans(user):
        raise PermissionDenied(NOT_ALLOWED)
    today = today or timezone.localdate()
    if year not in report_years(plan, today):
        raise ValueError(f"year {year} outside {plan.baseline_year}–{today.year}")
    return build_annual_report(
        plan,
        year,
        today=today,
        letterhead={"number": number, "signer_name": signer_name},
        provisional=provisional,
    )
