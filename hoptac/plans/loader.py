"""The plan file format (YAML) and its validation, through the data-file pipeline (hoptac.core.datafiles).
A wrong file is refused whole, with one message per problem naming the line, the key path and the reason,
in Vietnamese. See docs/plan-file.md."""

import math
from typing import Any

from django.utils.translation import gettext as _

from hoptac.core.datafiles import DATE, TEXT, YEAR, Document, Problems, parse
from hoptac.registry.choices import LegalStatus, OrganisationKind, Sector, SubSector

from .choices import Comparator, IndicatorKind

# Yearly-data conditions an indicator may use (fields of registry.YearlyReport, or derived).
YEARLY_FLAGS = [
    "enterprise_link",
    "in_value_chain",
    "high_tech",
    "traceability",
    "accounting_software",
    "e_invoice",
    "e_commerce",
    "has_website",
    "state_support",
    "ocop",
    "digital_any",
]
# Yearly figures a `sum` or `per_capita` indicator may add up.
YEARLY_FIGURES = [
    "members",
    "official_members",
    "household_members",
    "workers",
    "revenue",
    "profit",
    "total_assets",
    "equity",
]
RATING_BANDS = ["good", "fair", "average", "weak"]
# `plan.scope.areas: all`: the plan covers every province of its map (the national plan of NQ 20-NQ/TW).
ALL_PROVINCES = "all"
NUMBER: dict[str, Any] = {"type": "number"}
# A condition on one yearly figure of an organisation: bounds on the data year's value, or on its average
# over the `average_years` years ending with the data year.
FIGURE_CONDITION: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {
        "at_least": NUMBER,
        "at_most": NUMBER,
        "average_years": {"type": "integer", "minimum": 1, "maximum": 10},
    },
}

_CONDITIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "kinds": {"type": "array", "minItems": 1, "items": {"enum": OrganisationKind.values}},
        "sectors": {"type": "array", "minItems": 1, "items": {"enum": Sector.values}},
        "sub_sectors": {"type": "array", "minItems": 1, "items": {"enum": SubSector.values}},
        "statuses": {"type": "array", "minItems": 1, "items": {"enum": LegalStatus.values}},
        "rating": {"type": "array", "minItems": 1, "items": {"enum": RATING_BANDS}},
        **{flag: {"type": "boolean"} for flag in YEARLY_FLAGS},
        # Conditions on yearly figures: {revenue: {at_least: 5000000000, average_years: 3}}.
        "figures": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {name: FIGURE_CONDITION for name in YEARLY_FIGURES},
        },
    },
}

PLAN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["schema_version", "plan", "sections", "targets", "tasks"],
    "properties": {
        "schema_version": {"const": 1},
        "plan": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "code",
                "number",
                "title",
                "short_title",
                "issued_on",
                "issuer",
                "scope",
                "baseline_year",
            ],
            "properties": {
                "code": {"type": "string", "pattern": r"^[a-z0-9-]+$", "maxLength": 80},
                "number": TEXT,
                "title": TEXT,
                "short_title": TEXT,
                "issued_on": DATE,
                "issuer": TEXT,
                "signer": {"type": "string"},
                "signer_title": {"type": "string"},
                "implements": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["number", "title"],
                        "properties": {
                            "number": TEXT,
                            "date": DATE,
                            "issuer": {"type": "string"},
                            "title": TEXT,
                        },
                    },
                },
                "scope": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["map", "areas"],
                    "properties": {
                        "map": {"enum": ["legacy", "current"]},
                        # Codes of units on the map, or "all": every province of the map (a national plan).
                        "areas": {
                            "anyOf": [
                                {"type": "array", "minItems": 1, "items": {"type": "string"}},
                                {"const": ALL_PROVINCES},
                            ]
                        },
                        "description": {"type": "string"},
                    },
                },
                "baseline_year": YEAR,
                "max_missing_share": {"type": "number", "minimum": 0, "maximum": 1},
            },
        },
        "reference_data": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "source"],
                "properties": {
                    "code": {"type": "string", "pattern": r"^[a-z0-9-_]+$", "maxLength": 60},
                    "name": TEXT,
                    "unit": {"type": "string"},
                    "source": TEXT,
                    "source_date": DATE,
                    "supplier": TEXT,
                    "values": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["map", "area", "year", "value"],
                            "properties": {
                                "map": {"enum": ["legacy", "current"]},
                                "area": {"type": "string"},
                                "year": YEAR,
                                "value": {"type": "number", "exclusiveMinimum": 0},
                                "source": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "title"],
                "properties": {"code": TEXT, "title": TEXT, "parent": {"type": "string"}},
            },
        },
        "targets": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "section", "name", "text", "deadline_year", "indicator"],
                "properties": {
                    "code": TEXT,
                    "section": TEXT,
                    "name": TEXT,
                    "text": TEXT,
                    "deadline_year": YEAR,
                    "unit": {"type": "string"},
                    "interpretation": {"type": "string"},
                    "data_needed": TEXT,
                    "scaled_from": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["text", "value", "factor"],
                        "properties": {
                            "text": TEXT,
                            "value": NUMBER,
                            "factor": {"type": "number", "exclusiveMinimum": 0},
                            "decimals": {"type": "integer", "minimum": 0, "maximum": 6},
                        },
                    },
                    "indicator": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["kind"],
                        "properties": {
                            "kind": {"enum": IndicatorKind.values},
                            "population": _CONDITIONS,
                            "within": _CONDITIONS,
                            "of": _CONDITIONS,
                            "field": {"enum": YEARLY_FIGURES},
                            "reference": {"type": "string"},
                        },
                    },
                    "target": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["comparator"],
                        "properties": {
                            "comparator": {"enum": Comparator.values},
                            "value": {"type": "number"},
                            "min": {"type": "number"},
                            "max": {"type": "number"},
                            "tolerance": {"type": "number", "exclusiveMinimum": 0},
                            "tolerance_below": {"type": "number", "minimum": 0},
                            "tolerance_above": {"type": "number", "minimum": 0},
                            "strict": {"type": "boolean"},
                        },
                    },
                },
            },
        },
        "tasks": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "text", "assignment_known"],
                "properties": {
                    "code": TEXT,
                    "section": {"type": "string"},
                    "text": TEXT,
                    "assignment_known": {"type": "boolean"},
                    "lead": {"type": ["string", "null"]},
                    "cooperating": {"type": "array", "items": {"type": "string"}},
                    "deadline": DATE,
                    "recurrence": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["every"],
                        "properties": {
                            "every": {"enum": ["year", "half_year", "quarter", "month"]},
                            "month": {"type": "integer", "minimum": 1, "maximum": 12},
                            "day": {"type": "integer", "minimum": 1, "maximum": 31},
                            "from_year": {"type": "integer"},
                            "to_year": {"type": "integer"},
                        },
                    },
                    "expected_output": {"type": "string"},
                    "targets": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def parse_plan_file(text: str, name: str = "") -> tuple[Document, Problems]:
    """Parse and validate the structure and the references. Returns the document and the problems found so
    far, for the loader to add those it finds in the database before refusing the file."""
    document = parse(text, PLAN_SCHEMA, name=name)
    problems = Problems(document)
    _check_finite(document.data, (), problems)
    problems.raise_if_any()
    check_references(document.data, problems)
    return document, problems


def _check_finite(node: Any, path: tuple, problems: Problems) -> None:
    """YAML reads `.nan` and `.inf` as numbers; no figure of a plan is one."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_finite(value, (*path, key), problems)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_finite(value, (*path, i), problems)
    elif isinstance(node, float) and not math.isfinite(node):
        problems.add(path, _("“%(value)s” is not a number a plan can use") % {"value": node})


def check_references(doc: dict[str, Any], problems: Problems) -> None:
    """Checks the schema cannot express: unique codes, references between parts, coherent targets."""
    problem = problems.add
    sections, targets = problems.unique(("sections",)), problems.unique(("targets",))
    problems.unique(("tasks",))
    references = problems.unique(("reference_data",))
    for i, series in enumerate(doc.get("reference_data", [])):
        if not series.get("values") and not series.get("supplier"):
            problem(
                ("reference_data", i),
                _("no values: give 'values', or 'supplier' (who will supply them) if they are still missing"),
            )
        seen: dict[str, int] = {}
        for j, value in enumerate(series.get("values", [])):
            problems.first_use(
                seen, ("reference_data", i, "values", j), f"{value['map']}/{value['area']}/{value['year']}"
            )
    for i, section in enumerate(doc["sections"]):
        if section.get("parent") and section["parent"] not in sections:
            problem(
                ("sections", i, "parent"),
                _("no section has the code '%(code)s'") % {"code": section["parent"]},
            )
    baseline = doc["plan"]["baseline_year"]
    for i, target in enumerate(doc["targets"]):
        base = ("targets", i)
        if target["section"] not in sections:
            problem((*base, "section"), _("no section has the code '%(code)s'") % {"code": target["section"]})
        if target["deadline_year"] < baseline:
            problem((*base, "deadline_year"), _("the deadline is before the baseline year"))
        _check_indicator(target, base, problems, references)
    for i, task in enumerate(doc["tasks"]):
        if task.get("section") and task["section"] not in sections:
            problem(
                ("tasks", i, "section"), _("no section has the code '%(code)s'") % {"code": task["section"]}
            )
        for j, code in enumerate(task.get("targets", [])):
            if code not in targets:
                problem(("tasks", i, "targets", j), _("no target has the code '%(code)s'") % {"code": code})
        if task["assignment_known"] and not task.get("lead"):
            problem(("tasks", i, "lead"), _("the plan states the assignment, so the lead agency is required"))


def _check_indicator(target: dict, base: tuple, problems: Problems, references: set[str]) -> None:
    def problem(path: tuple, message: str) -> None:
        problems.add((*base, *path), message)

    indicator, goal = target["indicator"], target.get("target")
    kind = indicator["kind"]
    if kind == IndicatorKind.QUALITATIVE:
        if goal:
            problem(("target",), _("a qualitative target has no numeric target"))
        if not target.get("data_needed"):
            problem(
                ("data_needed",),
                _("a qualitative target names the data that would make it measurable ('data_needed')"),
            )
        return
    if "data_needed" in target:
        problem(("data_needed",), _("only a qualitative target uses 'data_needed'"))
    _check_formats_extras(target, base, problems)
    if not goal:
        problem(("target",), _("a numeric target needs 'target' with its comparator"))
    else:
        comparator = goal["comparator"]
        if comparator == Comparator.RANGE:
            if "min" not in goal or "max" not in goal:
                problem(("target",), _("a range needs 'min' and 'max'"))
            elif goal["min"] > goal["max"]:
                problem(("target", "min"), _("'min' is larger than 'max'"))
        elif "value" not in goal:
            problem(("target",), _("the comparator '%(c)s' needs 'value'") % {"c": comparator})
        one_sided = "tolerance_below" in goal or "tolerance_above" in goal
        if comparator == Comparator.ABOUT and "tolerance" not in goal and not one_sided:
            problem(("target",), _("'about' needs a 'tolerance' (in the target's unit)"))
        if comparator != Comparator.ABOUT and ("tolerance" in goal or one_sided):
            problem(("target",), _("only 'about' has a tolerance"))
    if kind == IndicatorKind.SHARE and "of" not in indicator:
        problem(("indicator",), _("a share needs 'of': the condition counted"))
    if kind in (IndicatorKind.SUM, IndicatorKind.PER_CAPITA) and "field" not in indicator:
        problem(("indicator",), _("this indicator needs 'field': the yearly figure added up"))
    if kind == IndicatorKind.PER_CAPITA:
        if indicator.get("reference") not in references:
            problem(("indicator", "reference"), _("no reference data has this code"))
    elif "reference" in indicator:
        problem(("indicator", "reference"), _("only a ratio to reference data uses 'reference'"))
    if kind not in (IndicatorKind.SHARE,) and ("of" in indicator or "within" in indicator):
        problem(("indicator",), _("'of' and 'within' are only used by a share"))
    if kind == IndicatorKind.FLOW and "statuses" in indicator.get("population", {}):
        problem(
            ("indicator", "population", "statuses"), _("a flow counts organisations established in the year")
        )


def _check_formats_extras(target: dict, base: tuple, problems: Problems) -> None:
    """Scaled targets and figure conditions: what the schema cannot say."""
    indicator, goal = target["indicator"], target.get("target") or {}
    for part in ("population", "within", "of"):
        for name, condition in indicator.get(part, {}).get("figures", {}).items():
            path = (*base, "indicator", part, "figures", name)
            if "at_least" not in condition and "at_most" not in condition:
                problems.add(path, _("a condition on a figure needs 'at_least' or 'at_most'"))
            elif condition.get("at_least", -math.inf) > condition.get("at_most", math.inf):
                problems.add((*path, "at_least"), _("'at_least' is larger than 'at_most'"))
    scaled = target.get("scaled_from")
    if scaled is None:
        return
    if not (target.get("interpretation") or "").strip():
        problems.add(
            (*base, "scaled_from"),
            _("a target scaled from another figure says how in 'interpretation'"),
        )
    value = goal.get("value", goal.get("min"))
    expected = round(scaled["value"] * scaled["factor"], scaled.get("decimals", 0))
    if value is not None and math.isfinite(expected) and abs(value - expected) > 1e-9 * max(1, abs(expected)):
        problems.add(
            (*base, "target"),
            _("the target value %(value)s is not %(scaled)s × %(factor)s = %(expected)s (scaled_from)")
            % {"value": value, "scaled": scaled["value"], "factor": scaled["factor"], "expected": expected},
        )
