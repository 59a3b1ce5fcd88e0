"""Size class of a cooperative (siêu nhỏ / nhỏ / vừa / lớn), derived from its yearly data, never typed.

The thresholds are data (`schemes/size_classes.yaml`, model `SizeClassRules`): TT 01/2020 classes for
years before 1/11/2024 (by members, and separately by total capital); Luật HTX 2023 Điều 16 and NĐ
113/2024 from then (official members AND revenue OR total capital, per sector group). Where the file
marks a class's thresholds as to be completed by the province, the class cannot be decided and the
result says so instead of guessing."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .choices import SizeClass

CLASS_ORDER = [SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL]


@dataclass
class SizeLine:
    basis: str
    size_class: str | None
    explanation: str


@dataclass
class SizeResult:
    rule_set: str
    rule_set_name: str
    lines: list[SizeLine] = field(default_factory=list)

    @property
    def size_class(self) -> str | None:
        """The class recorded on an assessment: the first line's (members for TT 01/2020)."""
        return self.lines[0].size_class if self.lines else None

    @property
    def summary(self) -> str:
        return "; ".join(f"{line.basis}: {line.explanation}" for line in self.lines)


def rule_set_on(definition: dict, day: datetime.date) -> dict | None:
    for rule_set in definition["rule_sets"]:
        start = datetime.date.fromisoformat(rule_set["valid_from"])
        end = datetime.date.fromisoformat(rule_set["valid_to"]) if rule_set.get("valid_to") else None
        if start <= day and (end is None or day <= end):
            return rule_set
    return None


def _label(code: str | None) -> str:
    return str(SizeClass(code).label) if code else "—"


def _undecided(entry: dict) -> str:
    return _("cannot be decided: the threshold of “%(class)s” is to be completed by the province") % {
        "class": _label(entry["class"])
    }


def _first_class(classes: list[dict], reaches) -> tuple[str | None, dict | None]:
    """The largest class whose thresholds are reached (classes from large to small), or micro. A class
    whose thresholds are still to be completed is skipped when a smaller class with known thresholds
    is not reached (its thresholds are at least as high); otherwise the class cannot be decided and
    that class is returned as the blocking one."""
    for index, entry in enumerate(classes):
        if entry["to_be_completed"]:
            below = [c for c in classes[index + 1 :] if not c["to_be_completed"]]
            if any(not reaches(c) for c in below):
                continue
            return None, entry
        if reaches(entry):
            return entry["class"], None
    return SizeClass.MICRO, None


def _by_single(classes: list[dict], value: Decimal | None, what: str) -> SizeLine:
    if value is None:
        return SizeLine(what, None, _("no data"))
    found, blocking = _first_class(classes, lambda entry: value >= Decimal(entry["min"]))
    if blocking is not None:
        return SizeLine(what, None, _undecided(blocking))
    return SizeLine(what, found, _label(found))


def _members(report: Any, which: str) -> int:
    return report.official_members if which == "official" else report.total_members


def classify(definition: dict, *, report: Any, sector: str, year: int) -> SizeResult | None:
    """The size class for `year`, from that year's report and the rule set in force on 31/12."""
    rule_set = rule_set_on(definition, datetime.date(year, 12, 31))
    if rule_set is None:
        return None
    result = SizeResult(rule_set["code"], rule_set["name"])
    if report is None:
        result.lines.append(SizeLine(_("Size"), None, _("no yearly data")))
        return result
    members = _members(report, rule_set.get("members", "official"))
    if rule_set["method"] == "members_or_capital_separately":
        result.lines.append(_by_single(rule_set["by_members"], Decimal(members), _("By members")))
        capital = None if report.total_assets is None else Decimal(report.total_assets)
        result.lines.append(_by_single(rule_set["by_capital"], capital, _("By total capital")))
        return result
    group = next((g for g in rule_set["sector_groups"] if sector in g["sectors"]), None)
    basis = _("Official members and revenue or total capital")
    if group is None:  # pragma: no cover - the loader makes every sector belong to a group
        result.lines.append(SizeLine(basis, None, _("no sector group")))
        return result
    revenue = Decimal(report.revenue) if report.revenue is not None else None
    capital = Decimal(report.total_assets) if report.total_assets is not None else None

    def reaches(entry: dict) -> bool:
        enough_money = (revenue is not None and revenue >= Decimal(entry["min_revenue"])) or (
            capital is not None and capital >= Decimal(entry["min_capital"])
        )
        return members >= int(Decimal(entry["min_members"])) and enough_money

    basis = f"{basis} ({group['name']})"
    found, blocking = _first_class(group["classes"], reaches)
    if blocking is not None:
        result.lines.append(SizeLine(basis, None, _undecided(blocking)))
    else:
        result.lines.append(SizeLine(basis, found, _label(found)))
    return result


def current_definition() -> dict | None:
    from .models import SizeClassRules

    rules = SizeClassRules.objects.order_by("-version", "-pk").first()
    return rules.definition if rules else None


def size_class_for(*, organisation: Any, year: int, report: Any) -> SizeResult | None:
    definition = current_definition()
    if definition is None:
        return None
    return classify(definition, report=report, sector=organisation.sector, year=year)
