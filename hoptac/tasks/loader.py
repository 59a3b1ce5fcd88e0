"""The agencies file (YAML): agencies with their validity dates and successors, People's Committees of the
new communes generated from the map, and standing reporting obligations. Validated by JSON Schema and
cross-checks through the data-file pipeline (hoptac.core.datafiles); a wrong file is refused whole with one
message per problem (line, key path, reason).
Format: docs/decisions/0004-tasks.md and the file data/agencies/agencies-nam-dinh.yaml."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from hoptac.areas.models import AdminMap, AdminUnit, CommuneSuccession, Level
from hoptac.core.datafiles import DATE, TEXT, YEAR, Problems, parse, to_date

from .choices import AgencyKind, Every, ItemKind

_CODE = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}
_AREA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["map", "code"],
    "properties": {"map": {"enum": AdminMap.values}, "code": TEXT},
}
_RECURRENCE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["every"],
    "properties": {
        "every": {"enum": Every.values},
        "month": {"type": "integer", "minimum": 1, "maximum": 12},
        "day": {"type": "integer", "minimum": 1, "maximum": 31},
        "from_year": YEAR,
        "to_year": YEAR,
    },
}
_PROVENANCE = {"source": {"type": "string"}, "note": {"type": "string"}, "verified": {"type": "boolean"}}

AGENCY_FILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["schema_version", "agencies"],
    "properties": {
        "schema_version": {"const": 1},
        "description": {"type": "string"},
        "agencies": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "kind"],
                "properties": {
                    "code": _CODE,
                    "name": TEXT,
                    "short_name": {"type": "string"},
                    "kind": {"enum": AgencyKind.values},
                    "area": _AREA,
                    "valid_from": DATE,
                    "valid_to": DATE,
                    "successor": _CODE,
                    "coordinates": {"type": "boolean"},
                    "email": {"type": "string"},
                    **_PROVENANCE,
                },
            },
        },
        "commune_committees": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["successors_of", "code_prefix", "valid_from"],
                "properties": {
                    "successors_of": _AREA,
                    "code_prefix": {"type": "string", "pattern": r"^[a-z0-9-]+$"},
                    "valid_from": DATE,
                    **_PROVENANCE,
                },
            },
        },
        "obligations": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "kind", "recurrence"],
                "properties": {
                    "code": _CODE,
                    "name": TEXT,
                    "description": {"type": "string"},
                    "kind": {"enum": [ItemKind.SUMMARY_REPORT.value, ItemKind.LOCAL_REPORT.value]},
                    "agency": _CODE,
                    "agency_kinds": {"type": "array", "minItems": 1, "items": {"enum": AgencyKind.values}},
                    "recipient": {"type": "string"},
                    "plan": {"type": "string"},
                    "recurrence": _RECURRENCE,
                    **_PROVENANCE,
                },
            },
        },
    },
}


@dataclass
class AgencyRow:
    code: str
    values: dict[str, Any]
    successor: str = ""
    line: int | None = None


@dataclass
class ParsedFile:
    agencies: list[AgencyRow] = field(default_factory=list)
    obligations: list[dict[str, Any]] = field(default_factory=list)


def _commune_committee_name(unit: AdminUnit) -> tuple[str, str]:
    """ "Xã Hải Anh" → ("Ủy ban nhân dân xã Hải Anh", "UBND xã Hải Anh")."""
    local = unit.name[:1].lower() + unit.name[1:]
    return f"Ủy ban nhân dân {local}", f"UBND {local}"


def parse_agency_file(text: str, name: str = "") -> ParsedFile:
    """Parse, validate and resolve the file against the database (areas, existing agencies, plans).
    Raises DataFileError listing every problem; writes nothing."""
    parsed_document = parse(text, AGENCY_FILE_SCHEMA, name=name)
    document = parsed_document.data
    problems = Problems(parsed_document)
    problem = problems.add

    def unit_of(path: tuple, area: dict) -> AdminUnit | None:
        unit = AdminUnit.objects.filter(map=area["map"], code=area["code"]).order_by("level").first()
        if unit is None:
            problem(
                path,
                _("no administrative unit has the code '%(code)s' on this map (run load_admin_units first?)")
                % {"code": area["code"]},
            )
        return unit

    parsed = ParsedFile()
    seen: dict[str, AgencyRow] = {}
    first_lines: dict[str, int] = {}
    for i, item in enumerate(document["agencies"]):
        base = ("agencies", i)
        if not problems.first_use(first_lines, (*base, "code"), item["code"]):
            continue
        valid_from, valid_to = to_date(item.get("valid_from")), to_date(item.get("valid_to"))
        if valid_from and valid_to and valid_to < valid_from:
            problem((*base, "valid_to"), _("the agency ends before it begins"))
        if item.get("successor") and not valid_to:
            problem((*base, "valid_to"), _("an agency with a successor needs the day it ceased to exist"))
        if item.get("successor") == item["code"]:
            problem((*base, "successor"), _("an agency cannot be its own successor"))
        row = AgencyRow(
            code=item["code"],
            successor=item.get("successor", ""),
            line=parsed_document.line(base),
            values={
                "name": item["name"],
                "short_name": item.get("short_name", ""),
                "kind": item["kind"],
                "area": unit_of((*base, "area"), item["area"]) if item.get("area") else None,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "coordinates": item.get("coordinates", False),
                "email": item.get("email", ""),
                "source": item.get("source", ""),
                "note": item.get("note", ""),
                "verified": item.get("verified", True),
            },
        )
        seen[row.code] = row
        parsed.agencies.append(row)

    for i, rule in enumerate(document.get("commune_committees", [])):
        base = ("commune_committees", i)
        within = unit_of((*base, "successors_of"), rule["successors_of"])
        if within is None:
            continue
        if within.map != AdminMap.LEGACY:
            problem(
                (*base, "successors_of", "map"),
                _("the new communes succeed units of the map before 1/7/2025"),
            )
            continue
        old = AdminUnit.objects.filter(level=Level.COMMUNE, map=AdminMap.LEGACY)
        old = old.filter(parent=within) if within.level == Level.DISTRICT else old.filter(province=within)
        if within.level == Level.COMMUNE:
            old = AdminUnit.objects.filter(pk=within.pk)
        new_ids = CommuneSuccession.objects.filter(old_commune__in=old).values_list("new_commune", flat=True)
        units = AdminUnit.objects.filter(pk__in=new_ids).order_by("code")
        if not units:
            problem((*base, "successors_of"), _("no commune of the new map succeeds this unit"))
        for unit in units:
            code = f"{rule['code_prefix']}{unit.code}"
            if code in seen:
                continue  # listed explicitly: the explicit entry wins
            name, short_name = _commune_committee_name(unit)
            row = AgencyRow(
                code=code,
                line=parsed_document.line(base),
                values={
                    "name": name,
                    "short_name": short_name,
                    "kind": AgencyKind.COMMUNE_COMMITTEE,
                    "area": unit,
                    "valid_from": to_date(rule["valid_from"]),
                    "valid_to": None,
                    "coordinates": False,
                    "email": "",
                    "source": rule.get("source", ""),
                    "note": rule.get("note", ""),
                    "verified": rule.get("verified", True),
                },
            )
            seen[code] = row
            parsed.agencies.append(row)

    from .models import Agency

    existing = {a.code: a for a in Agency.objects.all()}

    def dates_of(code: str) -> tuple[datetime.date | None, datetime.date | None]:
        if code in seen:
            return seen[code].values["valid_from"], seen[code].values["valid_to"]
        return existing[code].valid_from, existing[code].valid_to

    for i, item in enumerate(document["agencies"]):
        successor = item.get("successor")
        if not successor or item["code"] not in seen or successor == item["code"]:
            continue
        path = ("agencies", i, "successor")
        if successor not in seen and successor not in existing:
            problem(path, _("no agency has the code '%(code)s'") % {"code": successor})
            continue
        if seen[item["code"]].values["valid_to"] is None:
            continue  # reported above
        handover = seen[item["code"]].values["valid_to"] + datetime.timedelta(days=1)
        start, end = dates_of(successor)
        if (start and start > handover) or (end and end < handover):
            problem(
                path,
                _("the successor does not exist on %(date)s, the day after this agency ends")
                % {"date": handover.strftime("%d/%m/%Y")},
            )
    # No cycles in successions.
    successors = {row.code: row.successor for row in parsed.agencies if row.successor}
    for i, item in enumerate(document["agencies"]):
        code, visited = item["code"], set()
        while code in successors and code not in visited:
            visited.add(code)
            code = successors[code]
        if code in visited:
            problem(("agencies", i, "successor"), _("the successions form a loop"))

    from hoptac.plans.models import Plan

    problems.unique(("obligations",))
    for i, item in enumerate(document.get("obligations", [])):
        base = ("obligations", i)
        if bool(item.get("agency")) == bool(item.get("agency_kinds")):
            problem(base, _("give either 'agency' or 'agency_kinds'"))
        if item.get("agency") and item["agency"] not in seen and item["agency"] not in existing:
            problem((*base, "agency"), _("no agency has the code '%(code)s'") % {"code": item["agency"]})
        plan = None
        if item.get("plan"):
            plan = Plan.objects.filter(code=item["plan"]).first()
            if plan is None:
                problem(
                    (*base, "plan"),
                    _("no plan has the code '%(code)s' (load the plan first)") % {"code": item["plan"]},
                )
        recurrence = item["recurrence"]
        if (
            recurrence.get("from_year")
            and recurrence.get("to_year")
            and recurrence["to_year"] < recurrence["from_year"]
        ):
            problem((*base, "recurrence", "to_year"), _("the last year is before the first year"))
        parsed.obligations.append({**item, "plan_obj": plan})
    problems.raise_if_any()
    return parsed
