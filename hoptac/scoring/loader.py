"""Scheme files and size-class files (YAML), read through the data-file pipeline (hoptac.core.datafiles).

The pipeline reads the file and checks its shape against the JSON Schemas below; the functions here check
the rules a schema cannot say (points add up, bands ordered and covering 0 to the total, codes unique,
dates ordered, computable rules naming known figures...), each problem a core `Problem` with the line in
the file and the key path. A file with any problem is refused whole. The kinds are registered in
`data_kinds.py`.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hoptac.core.datafiles import DATE, KEY_MISSING, MONTH_DAY, TEXT, YEAR, Document, Problems, parse, to_date
from hoptac.registry.choices import OrganisationKind, Sector

from . import errors
from .choices import SCORE_BANDS, Band, ExclusionType, InputKind, SizeClass
from .engine import Node, SchemeTree
from .metrics import METRICS

SCHEME_FORMAT = "hoptac-scoring-scheme/1"
SIZE_FORMAT = "hoptac-size-classes/1"
CODE_PATTERN = r"^[A-Z][A-Z0-9_]{1,49}$"
NODE_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$"

_texts = {"type": "array", "items": TEXT}
_date_schema = {**DATE, "type": ["string", "null"]}
_points = {"type": "number", "minimum": 0}
_amount = {"type": ["number", "null"]}

SCHEME_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "format",
        "code",
        "version",
        "name",
        "short_name",
        "applies_to",
        "total_points",
        "bands",
        "criteria",
    ],
    "properties": {
        "format": {"const": SCHEME_FORMAT},
        "code": {"type": "string", "pattern": CODE_PATTERN},
        "version": {"type": "integer", "minimum": 1},
        "name": TEXT,
        "short_name": TEXT,
        "description": {"type": "string"},
        "status_note": {"type": "string"},
        "legal_basis": _texts,
        "sources": _texts,
        "valid_from": _date_schema,
        "valid_to": _date_schema,
        "applies_to": {
            "type": "object",
            "additionalProperties": False,
            "required": ["kinds", "years"],
            "properties": {
                "kinds": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"enum": [k.value for k in OrganisationKind]},
                },
                "sectors": {"type": "array", "minItems": 1, "items": {"enum": [s.value for s in Sector]}},
                "years": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["from"],
                    "properties": {
                        "from": YEAR,
                        "to": {**YEAR, "type": ["integer", "null"]},
                    },
                },
            },
        },
        "priority": {"type": "integer", "minimum": 0, "maximum": 1000},
        "editable_by_province": {"type": "boolean"},
        "evidence_required_for_manual": {"type": "boolean"},
        "deadlines": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "self_assessment": MONTH_DAY,
                "review": MONTH_DAY,
                "approval": MONTH_DAY,
            },
        },
        "total_points": {"type": "number", "exclusiveMinimum": 0},
        "bands": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["band", "min"],
                "properties": {"band": {"enum": [b.value for b in SCORE_BANDS]}, "min": _points},
            },
        },
        "exclusions": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "type", "result", "text"],
                "properties": {
                    "code": {"type": "string", "pattern": NODE_CODE_PATTERN},
                    "type": {"enum": [t.value for t in ExclusionType]},
                    "months": {"type": "integer", "minimum": 1, "maximum": 120},
                    "statuses": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                    "result": {"enum": [b.value for b in Band]},
                    "text": TEXT,
                },
            },
        },
        "criteria": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/node"}},
    },
    "$defs": {
        "node": {
            "type": "object",
            "additionalProperties": False,
            "required": ["code", "name"],
            "properties": {
                "code": {"type": "string", "pattern": NODE_CODE_PATTERN},
                "number": {"type": "string"},
                "group": {"type": "boolean"},
                "name": TEXT,
                "description": {"type": "string"},
                "max_points": {"type": ["number", "null"], "minimum": 0},
                "to_be_completed_by_province": {"type": "boolean"},
                "note": {"type": "string"},
                "input": {"enum": [InputKind.MANUAL.value, InputKind.SURVEY.value]},
                "rule": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["metric", "bands"],
                    "properties": {
                        "metric": {"type": "string"},
                        "data_note": {"type": "string"},
                        "bands": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["points"],
                                "properties": {
                                    "from": _amount,
                                    "to": _amount,
                                    "from_inclusive": {"type": "boolean"},
                                    "to_inclusive": {"type": "boolean"},
                                    "points": _points,
                                    "text": {"type": "string"},
                                },
                            },
                        },
                    },
                },
                "guidance": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["text"],
                        "properties": {"text": TEXT, "points": {"type": ["number", "null"], "minimum": 0}},
                    },
                },
                "allowed_points": {"type": "array", "minItems": 1, "items": _points},
                "evidence_required": {"type": "boolean"},
                "hints": {"type": "array", "items": {"type": "string"}},
                "children": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/node"}},
            },
        }
    },
}

_size_class = {
    "type": "object",
    "additionalProperties": False,
    "required": ["class"],
    "properties": {
        "class": {"enum": [SizeClass.LARGE.value, SizeClass.MEDIUM.value, SizeClass.SMALL.value]},
        "min": _amount,
        "min_members": {"type": ["integer", "null"], "minimum": 0},
        "min_revenue": _amount,
        "min_capital": _amount,
        "to_be_completed_by_province": {"type": "boolean"},
        "note": {"type": "string"},
    },
}
SIZE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["format", "code", "version", "name", "rule_sets"],
    "properties": {
        "format": {"const": SIZE_FORMAT},
        "code": {"type": "string", "pattern": CODE_PATTERN},
        "version": {"type": "integer", "minimum": 1},
        "name": TEXT,
        "description": {"type": "string"},
        "rule_sets": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "valid_from", "method"],
                "properties": {
                    "code": {"type": "string", "pattern": CODE_PATTERN},
                    "name": TEXT,
                    "legal_basis": _texts,
                    "sources": _texts,
                    "note": {"type": "string"},
                    "valid_from": DATE,
                    "valid_to": _date_schema,
                    "method": {"enum": ["members_or_capital_separately", "members_and_revenue_or_capital"]},
                    "members": {"enum": ["official", "all"]},
                    "by_members": {"type": "array", "items": _size_class},
                    "by_capital": {"type": "array", "items": _size_class},
                    "sector_groups": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["code", "name", "sectors", "classes"],
                            "properties": {
                                "code": {"type": "string", "pattern": NODE_CODE_PATTERN},
                                "name": TEXT,
                                "sectors": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": {"enum": [s.value for s in Sector]},
                                },
                                "classes": {"type": "array", "items": _size_class},
                                "note": {"type": "string"},
                            },
                        },
                    },
                },
            },
        },
    },
}


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _fmt(value: Decimal | None) -> str:
    from hoptac.core.templatetags.vn import format_number

    if value is None:
        return "—"
    value = Decimal(value)
    return format_number(value, 0 if value == value.to_integral_value() else 2)


# ---------------------------------------------------------------------------------------------
# Scheme files.


@dataclass
class ParsedScheme:
    name: str
    text: str
    data: dict  # the file as read (JSON-able)
    definition: dict  # normalised: Decimals, dates, defaults
    tree: SchemeTree
    content_hash: str
    structure_hash: str
    document: Document  # where each key sits, for problems found when storing
    nodes: list[dict] = field(default_factory=list)  # flat, in order, with parent codes

    @property
    def code(self) -> str:
        return self.definition["code"]

    @property
    def version(self) -> int:
        return self.definition["version"]


def _node_from(raw: dict, kind: str, evidence_default: bool) -> Node:
    children = raw.get("children") or []
    rule = raw.get("rule")
    node = Node(
        code=raw["code"],
        number=raw.get("number", ""),
        name=raw["name"],
        kind=kind,
        max_points=_dec(raw.get("max_points")),
        to_be_completed=bool(raw.get("to_be_completed_by_province", False)),
        note=raw.get("note", ""),
        input=InputKind.COMPUTED if rule else raw.get("input", InputKind.MANUAL),
        rule=_normal_rule(rule) if rule else None,
        allowed_points=[Decimal(str(p)) for p in raw["allowed_points"]]
        if raw.get("allowed_points")
        else None,
        evidence_required=raw.get("evidence_required", evidence_default),
    )
    child_kind = "item" if kind != "group" else "criterion"
    node.children = [_node_from(child, child_kind, evidence_default) for child in children]
    return node


def _normal_rule(rule: dict) -> dict:
    return {
        "metric": rule["metric"],
        "data_note": rule.get("data_note", ""),
        "bands": [
            {
                "from": None if b.get("from") is None else str(Decimal(str(b["from"]))),
                "to": None if b.get("to") is None else str(Decimal(str(b["to"]))),
                "from_inclusive": b.get("from_inclusive", True),
                "to_inclusive": b.get("to_inclusive", False),
                "points": str(Decimal(str(b["points"]))),
                "text": b.get("text", ""),
            }
            for b in rule["bands"]
        ],
    }


def _root_kind(raw: dict) -> str:
    """A top-level entry marked `group: true` is a group of criteria (Nhóm I, II, III); else a criterion."""
    return "group" if raw.get("group") else "criterion"


def _check_rule(raw: dict, path: tuple, max_points: Decimal | None, problems: Problems) -> None:
    rule = raw["rule"]
    if raw.get("children"):
        problems.add((*path, "rule"), str(errors.RULE_ON_GROUP))
    if rule["metric"] not in METRICS:
        problems.add(
            (*path, "rule", "metric"),
            str(errors.METRIC_UNKNOWN) % {"metric": rule["metric"], "known": ", ".join(sorted(METRICS))},
        )
    if max_points is None:
        problems.add((*path, "rule"), str(errors.RULE_NEEDS_MAX))
    bands = rule["bands"]
    if bands[0].get("from") is not None or bands[-1].get("to") is not None:
        problems.add((*path, "rule", "bands"), str(errors.RULE_OPEN_ENDS))
    for index, band in enumerate(bands):
        points = Decimal(str(band["points"]))
        if max_points is not None and points > max_points:
            problems.add(
                (*path, "rule", "bands", index, "points"),
                str(errors.RULE_POINTS_ABOVE_MAX) % {"points": _fmt(points), "max": _fmt(max_points)},
            )
        if index + 1 < len(bands):
            following = bands[index + 1]
            upper, lower = band.get("to"), following.get("from")
            upper_in = band.get("to_inclusive", False)
            lower_in = following.get("from_inclusive", True)
            if (
                upper is None
                or lower is None
                or Decimal(str(upper)) != Decimal(str(lower))
                or upper_in == lower_in
            ):
                problems.add(
                    (*path, "rule", "bands", index + 1),
                    str(errors.RULE_GAP) % {"value": _fmt(_dec(lower if lower is not None else upper))},
                )


def _check_nodes(items: list[dict], path: tuple, problems: Problems, seen: dict[str, int]) -> bool:
    """Check every node of the criteria tree; False when a code is used twice (the sums are then left out)."""
    unique = True
    for index, raw in enumerate(items):
        here = (*path, index)
        unique = problems.first_use(seen, (*here, "code"), raw["code"]) and unique
        max_points = _dec(raw.get("max_points"))
        flagged = raw.get("to_be_completed_by_province", False)
        if max_points is None and not flagged:
            problems.add(
                (*here, "max_points") if "max_points" in raw else here, str(errors.MAX_MISSING_NOT_FLAGGED)
            )
        if flagged and not raw.get("note", "").strip():
            problems.add((*here, "to_be_completed_by_province"), str(errors.TO_BE_COMPLETED_NEEDS_NOTE))
        if raw.get("rule"):
            _check_rule(raw, here, max_points, problems)
        if raw.get("group") and not raw.get("children"):
            problems.add((*here, "group"), str(errors.GROUP_WITHOUT_CRITERIA))
        if raw.get("input") == InputKind.SURVEY and raw.get("children"):
            problems.add((*here, "input"), str(errors.SURVEY_ON_GROUP))
        for point_index, points in enumerate(raw.get("allowed_points") or []):
            if max_points is not None and Decimal(str(points)) > max_points:
                problems.add(
                    (*here, "allowed_points", point_index),
                    str(errors.ALLOWED_ABOVE_MAX) % {"points": _fmt(_dec(points)), "max": _fmt(max_points)},
                )
        for hint_index, hint in enumerate(raw.get("hints") or []):
            if hint not in METRICS:
                problems.add(
                    (*here, "hints", hint_index),
                    str(errors.METRIC_UNKNOWN) % {"metric": hint, "known": ", ".join(sorted(METRICS))},
                )
        if raw.get("children"):
            unique = _check_nodes(raw["children"], (*here, "children"), problems, seen) and unique
    return unique


def _check_sums(tree: SchemeTree, raw_criteria: list[dict], problems: Problems) -> None:
    """Known maxima add up: exactly when no part is to be completed, else leaving something for it."""
    paths: dict[str, tuple] = {}

    def index(items: list[dict], path: tuple) -> None:
        for i, raw in enumerate(items):
            paths[raw["code"]] = (*path, i)
            if raw.get("children"):
                index(raw["children"], (*path, i, "children"))

    index(raw_criteria, ("criteria",))
    checks: list[tuple[str, Decimal, tuple]] = [("", tree.total, ("total_points",))]
    checks += [
        (node.code, node.max_points, (*paths[node.code], "max_points"))
        for node in tree.walk()
        if node.children and node.max_points is not None
    ]
    for key, maximum, path in checks:
        known = tree.frontier_sum(key)
        has_pool = key in tree.pools
        values = {"sum": _fmt(known), "max": _fmt(maximum), "total": _fmt(maximum)}
        if not has_pool and known != maximum:
            problems.add(path, (errors.TOTAL_SUM if key == "" else errors.CHILDREN_SUM) % values)
        elif has_pool and known >= maximum:
            problems.add(
                path,
                (errors.TOTAL_LEAVES_NOTHING if key == "" else errors.CHILDREN_SUM_LEAVES_NOTHING) % values,
            )


def _check_bands(bands: list[dict], total: Decimal, problems: Problems) -> None:
    names = [b["band"] for b in bands]
    if sorted(names) != sorted(b.value for b in SCORE_BANDS):
        problems.add(("bands",), str(errors.BANDS_SET))
        return
    if names != [b.value for b in SCORE_BANDS] or any(
        Decimal(str(bands[i]["min"])) <= Decimal(str(bands[i + 1]["min"])) for i in range(len(bands) - 1)
    ):
        problems.add(("bands",), str(errors.BANDS_ORDER))
    if Decimal(str(bands[-1]["min"])) != 0:
        problems.add(("bands", len(bands) - 1, "min"), str(errors.BANDS_BOTTOM))
    top = Decimal(str(bands[0]["min"]))
    if top > total:
        problems.add(("bands", 0, "min"), str(errors.BANDS_TOP) % {"min": _fmt(top), "total": _fmt(total)})


def _structure(definition: dict, tree: SchemeTree) -> str:
    """What assessments depend on: any change here needs a new version once the scheme is used."""
    nodes = [
        [
            n.code,
            tree.parent.get(n.code),
            str(n.max_points),
            n.rule,
            [str(p) for p in n.allowed_points or []],
            n.input,
        ]
        for n in tree.walk()
    ]
    payload = [str(tree.total), definition["bands"], definition["exclusions"], nodes]
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def parse_scheme(text: str, name: str = "<scheme>") -> ParsedScheme:
    """Read and check a scheme file; raises DataFileError listing every problem."""
    document = parse(text, SCHEME_SCHEMA, name=name)
    data = document.data
    problems = Problems(document)
    valid_from, valid_to = to_date(data.get("valid_from")), to_date(data.get("valid_to"))
    if valid_from and valid_to and valid_to < valid_from:
        problems.add(("valid_to",), errors.DATES_ORDER)
    years = data["applies_to"]["years"]
    if years.get("to") is not None and years["to"] < years["from"]:
        problems.add(("applies_to", "years", "to"), errors.YEARS_ORDER)
    total = Decimal(str(data["total_points"]))
    _check_bands(data["bands"], total, problems)
    codes: dict[str, int] = {}
    for index, exclusion in enumerate(data.get("exclusions") or []):
        here = ("exclusions", index)
        problems.first_use(codes, (*here, "code"), exclusion["code"])
        if exclusion["type"] != ExclusionType.ADMINISTRATIVE_FINE and "months" not in exclusion:
            problems.add(here, errors.EXCLUSION_MONTHS)
    unique = _check_nodes(data["criteria"], ("criteria",), problems, {})

    evidence_default = data.get("evidence_required_for_manual", True)
    roots = [_node_from(raw, _root_kind(raw), evidence_default) for raw in data["criteria"]]
    tree = SchemeTree(roots, total)
    if unique:
        _check_sums(tree, data["criteria"], problems)
    problems.raise_if_any()

    definition = {
        "code": data["code"],
        "version": data["version"],
        "name": data["name"],
        "short_name": data["short_name"],
        "description": data.get("description", ""),
        "status_note": data.get("status_note", ""),
        "legal_basis": data.get("legal_basis", []),
        "sources": data.get("sources", []),
        "valid_from": valid_from,
        "valid_to": valid_to,
        "kinds": data["applies_to"]["kinds"],
        "sectors": data["applies_to"].get("sectors", []),
        "year_from": years["from"],
        "year_to": years.get("to"),
        "priority": data.get("priority", 0),
        "editable_by_province": data.get("editable_by_province", False),
        "deadlines": data.get("deadlines", {}),
        "total_points": total,
        "bands": [{"band": b["band"], "min": str(Decimal(str(b["min"])))} for b in data["bands"]],
        "exclusions": [
            {
                "code": e["code"],
                "type": e["type"],
                "months": e.get("months"),
                "statuses": e.get("statuses"),
                "result": e["result"],
                "text": e["text"],
            }
            for e in data.get("exclusions") or []
        ],
    }
    return ParsedScheme(
        name=name,
        text=text,
        data=data,
        definition=definition,
        tree=tree,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        structure_hash=_structure(definition, tree),
        nodes=_raw_nodes(data["criteria"]),
        document=document,
    )


def _raw_nodes(items: list[dict], parent: str | None = None, kind: str | None = None) -> list[dict]:
    """Per node, the presentation extras kept beside the tree (description, guidance, hints...)."""
    rows = []
    for raw in items:
        rows.append(
            {
                "code": raw["code"],
                "parent": parent,
                "description": raw.get("description", ""),
                "guidance": [
                    {
                        "text": g["text"],
                        "points": None if g.get("points") is None else str(Decimal(str(g["points"]))),
                    }
                    for g in raw.get("guidance") or []
                ],
                "hints": raw.get("hints") or [],
            }
        )
        rows += _raw_nodes(raw.get("children") or [], raw["code"])
    return rows


# ---------------------------------------------------------------------------------------------
# Size-class files.


@dataclass
class ParsedSizeRules:
    name: str
    text: str
    definition: dict
    content_hash: str

    @property
    def code(self) -> str:
        return self.definition["code"]

    @property
    def version(self) -> int:
        return self.definition["version"]


CLASS_ORDER = [SizeClass.LARGE.value, SizeClass.MEDIUM.value, SizeClass.SMALL.value]


def _check_classes(classes: list[dict], path: tuple, keys: list[str], problems: Problems) -> list[dict]:
    if [c["class"] for c in classes] != CLASS_ORDER:
        problems.add(path, str(errors.SIZE_CLASS_ORDER))
        return []
    normal = []
    for index, entry in enumerate(classes):
        flagged = entry.get("to_be_completed_by_province", False)
        given = [entry.get(k) is not None for k in keys]
        if (flagged and any(given)) or (not flagged and not all(given)):
            problems.add((*path, index), str(errors.SIZE_MISSING_THRESHOLDS))
        if flagged and not entry.get("note", "").strip():
            problems.add(
                (*path, index, "to_be_completed_by_province"), str(errors.TO_BE_COMPLETED_NEEDS_NOTE)
            )
        normal.append(
            {
                "class": entry["class"],
                "to_be_completed": flagged,
                "note": entry.get("note", ""),
                **{k: None if entry.get(k) is None else str(Decimal(str(entry[k]))) for k in keys},
            }
        )
    known = [c for c in normal if not c["to_be_completed"] and all(c[k] is not None for k in keys)]
    for bigger, smaller in zip(known, known[1:], strict=False):
        if any(Decimal(bigger[k]) < Decimal(smaller[k]) for k in keys):
            problems.add(path, str(errors.SIZE_THRESHOLDS_ORDER))
            break
    return normal


def parse_size_rules(text: str, name: str = "<size classes>") -> ParsedSizeRules:
    """Read and check a size-class file; raises DataFileError listing every problem."""
    document = parse(text, SIZE_SCHEMA, name=name)
    data = document.data
    problems = Problems(document)
    rule_sets = []
    periods: list[tuple[datetime.date, datetime.date | None, str, tuple]] = []
    codes: dict[str, int] = {}
    for index, raw in enumerate(data["rule_sets"]):
        here = ("rule_sets", index)
        problems.first_use(codes, (*here, "code"), raw["code"])
        start, end = to_date(raw["valid_from"]), to_date(raw.get("valid_to"))
        if start and end and end < start:
            problems.add((*here, "valid_to"), str(errors.DATES_ORDER))
        if start:
            periods.append((start, end, raw["code"], here))
        entry: dict[str, Any] = {
            "code": raw["code"],
            "name": raw["name"],
            "legal_basis": raw.get("legal_basis", []),
            "sources": raw.get("sources", []),
            "note": raw.get("note", ""),
            "valid_from": raw["valid_from"],
            "valid_to": raw.get("valid_to"),
            "method": raw["method"],
            "members": raw.get("members", "official"),
        }
        if raw["method"] == "members_or_capital_separately":
            for key, thresholds in (("by_members", ["min"]), ("by_capital", ["min"])):
                if key not in raw:
                    problems.add(here, KEY_MISSING % {"key": key})
                else:
                    entry[key] = _check_classes(raw[key], (*here, key), thresholds, problems)
        else:
            if "sector_groups" not in raw:
                problems.add(here, KEY_MISSING % {"key": "sector_groups"})
            else:
                groups = []
                seen: dict[str, str] = {}
                for group_index, group in enumerate(raw["sector_groups"]):
                    group_path = (*here, "sector_groups", group_index)
                    for sector_index, sector in enumerate(group["sectors"]):
                        if sector in seen:
                            problems.add(
                                (*group_path, "sectors", sector_index),
                                str(errors.SIZE_SECTOR_TWICE) % {"sector": sector},
                            )
                        seen[sector] = group["code"]
                    groups.append(
                        {
                            "code": group["code"],
                            "name": group["name"],
                            "note": group.get("note", ""),
                            "sectors": group["sectors"],
                            "classes": _check_classes(
                                group["classes"],
                                (*group_path, "classes"),
                                ["min_members", "min_revenue", "min_capital"],
                                problems,
                            ),
                        }
                    )
                missing = [s.value for s in Sector if s.value not in seen]
                if missing:
                    problems.add(
                        (*here, "sector_groups"),
                        str(errors.SIZE_SECTOR_MISSING) % {"sectors": ", ".join(missing)},
                    )
                entry["sector_groups"] = groups
        rule_sets.append(entry)
    periods.sort(key=lambda p: p[0])
    for (_start_a, end_a, code_a, _path_a), (start_b, _end_b, code_b, path_b) in zip(
        periods, periods[1:], strict=False
    ):
        if end_a is None or end_a >= start_b:
            problems.add(
                (*path_b, "valid_from"),
                str(errors.SIZE_PERIODS_OVERLAP) % {"first": code_a, "second": code_b},
            )
    problems.raise_if_any()
    definition = {
        "code": data["code"],
        "version": data["version"],
        "name": data["name"],
        "description": data.get("description", ""),
        "rule_sets": rule_sets,
    }
    return ParsedSizeRules(name, text, definition, hashlib.sha256(text.encode()).hexdigest())
