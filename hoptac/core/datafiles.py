"""Data files: plans, scoring schemes, size classes, agencies… written in YAML, checked against a JSON Schema
and then by their kind's own checks. A wrong file is refused whole, with one Problem per mistake naming the
line, the key path and the reason, in the interface language.

One pipeline for every kind (docs/decisions/0008-data-files.md):

* `parse(text, schema, name=)` reads the YAML (dates stay text, so an impossible date is a problem, never a
  traceback), checks the schema and returns a `Document` that knows the line of every key path;
* a kind's own checks collect further problems with `Problems` (`problems.add(path, message)`) and raise them
  all at once (`problems.raise_if_any()`);
* each kind is a `DataKind` registered from its app's `data_kinds.py`; `load(kind, content=…, name=…)` checks and
  writes one file in one transaction (or only checks it, `dry_run=True`). The `load_data` command, the pages
  that accept a file and the demo all go through `load()`.
* shipped files live in `settings.HOPTAC_DATA_DIR/<kind>/`.
"""

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from jsonschema import Draft202012Validator, FormatChecker

if TYPE_CHECKING:
    from .scoping import AnyUser

# Messages, as constants that tests assert on.
FILE_REFUSED = gettext_lazy("The file %(name)s was refused; nothing was loaded:")
FILE_NOT_FOUND = gettext_lazy("file not found")
FILE_NOT_UTF8 = gettext_lazy("The file must be UTF-8 text.")
NOT_YAML = gettext_lazy("not valid YAML: %(error)s")
NOT_MAPPING = gettext_lazy("the file is empty or is not a mapping of keys")
UNKNOWN_FORMAT = gettext_lazy("unknown file format “%(value)s”; expected one of: %(known)s")
KEY_MISSING = gettext_lazy("the key “%(key)s” is missing")
KEY_UNKNOWN = gettext_lazy("unknown key “%(key)s” (allowed: %(keys)s)")
WRONG_TYPE = gettext_lazy("expected %(expected)s, found %(found)s")
NOT_IN_CHOICES = gettext_lazy("“%(value)s” is not one of: %(choices)s")
MUST_BE = gettext_lazy("must be %(value)s")
TOO_SMALL = gettext_lazy("must be at least %(limit)s")
TOO_LARGE = gettext_lazy("must be at most %(limit)s")
NOT_ABOVE = gettext_lazy("must be more than %(limit)s")
NOT_BELOW = gettext_lazy("must be less than %(limit)s")
TOO_LONG = gettext_lazy("must be at most %(limit)s characters long")
WRONG_FORM = gettext_lazy("“%(value)s” does not have the expected form")
EMPTY = gettext_lazy("must not be empty")
INVALID_VALUE = gettext_lazy("invalid value (%(detail)s)")
DATE_INVALID = gettext_lazy("“%(value)s” is not a valid date (write YYYY-MM-DD)")
MONTH_DAY_INVALID = gettext_lazy("“%(value)s” is not a valid day of the year (write MM-DD)")
DUPLICATE_CODE = gettext_lazy("the code “%(code)s” is used twice (first at line %(line)s)")
TYPE_NAMES = {
    "string": gettext_lazy("a text"),
    "integer": gettext_lazy("a whole number"),
    "number": gettext_lazy("a number"),
    "boolean": gettext_lazy("true or false"),
    "array": gettext_lazy("a list"),
    "object": gettext_lazy("a mapping of keys"),
    "null": gettext_lazy("nothing"),
}
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
CHECKED = gettext_lazy("no problem found (dry run: nothing was written)")
STATUS_LABELS = {
    CREATED: gettext_lazy("loaded"),
    UPDATED: gettext_lazy("updated"),
    UNCHANGED: gettext_lazy("unchanged"),
}

# ---------------------------------------------------------------------------------------------
# Schema pieces shared by the kinds. Dates are text in the file (YYYY-MM-DD) and checked as real dates.

DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTH_DAY_PATTERN = re.compile(r"\d{2}-\d{2}")
DATE: dict[str, Any] = {"type": "string", "format": "date"}
MONTH_DAY: dict[str, Any] = {"type": "string", "format": "month-day"}
TEXT: dict[str, Any] = {"type": "string", "minLength": 1}  # a text that may not be empty
YEAR: dict[str, Any] = {"type": "integer", "minimum": 1990, "maximum": 2100}

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(DATE_PATTERN.fullmatch(value)) and bool(datetime.date.fromisoformat(value))


@FORMATS.checks("month-day", raises=ValueError)
def _is_month_day(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(MONTH_DAY_PATTERN.fullmatch(value)) and bool(datetime.date.fromisoformat(f"2024-{value}"))


def to_date(value: str | None) -> datetime.date | None:
    """A date the schema has checked (`DATE`), as a date."""
    return datetime.date.fromisoformat(value) if value else None


# ---------------------------------------------------------------------------------------------
# Problems.


@dataclass
class Problem:
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("file")
        return f"{where} — {self.path or '/'}: {self.message}"


class DataFileError(ValidationError):
    """A file was refused: `problems` says where and why, ordered by line. A ValidationError, so pages,
    forms and the API treat it as any refused input."""

    def __init__(self, problems: list[Problem], name: str = ""):
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        self.name = name
        super().__init__([str(p) for p in self.problems])

    def __str__(self) -> str:
        return "\n".join(self.messages)

    def describe(self, name: str = "") -> str:
        """A header naming the file, then one problem per line."""
        head = str(FILE_REFUSED) % {"name": name or self.name}
        return "\n".join([head, *(f"  - {m}" for m in self.messages)])


# ---------------------------------------------------------------------------------------------
# Reading a file.


class _Loader(yaml.SafeLoader):
    """Safe YAML where dates stay text: the schema checks them (`DATE`) and reports a wrong one with its line."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _timestamp_as_text(loader: _Loader, node: yaml.Node) -> Any:
    return loader.construct_yaml_str(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)  # an explicit !!timestamp too


def plain(value: Any) -> Any:
    """Keys become text, so the document is plain JSON."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _index(node: yaml.Node, path: tuple, lines: dict[tuple, int], keys: dict[tuple, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, child in node.value:
            if isinstance(key, yaml.ScalarNode):
                keys[(*path, key.value)] = key.start_mark.line + 1
                _index(child, (*path, key.value), lines, keys)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _index(child, (*path, i), lines, keys)


@dataclass
class Document:
    """A data file read and checked against its schema: the plain data, and where each key path sits."""

    name: str
    text: str
    data: dict[str, Any]
    lines: dict[tuple, int]  # line of the value at each key path
    key_lines: dict[tuple, int]  # line of each mapping key

    def line(self, path: tuple, *, key: bool = False) -> int | None:
        """The line of `path` (of its key with `key=True`), or of its nearest parent present in the file."""
        path = tuple(path)
        if key and path in self.key_lines:
            return self.key_lines[path]
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def readable(self, path: tuple) -> str:
        """The key path, a list entry named by its code where it has one: criteria[G1].children[TC1].max_points
        reads better than criteria[0].children[0].max_points."""
        text, node = "", self.data
        for part in path:
            child: Any = None
            if isinstance(node, dict):
                child = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                child = node[part]
            if isinstance(part, int):
                code = child.get("code") if isinstance(child, dict) else None
                text += f"[{code}]" if isinstance(code, str) else f"[{part}]"
            else:
                text += f".{part}" if text else str(part)
            node = child
        return text

    def problem(self, path: tuple, message: Any, *, key: bool = False) -> Problem:
        return Problem(self.line(path, key=key), self.readable(path), str(message))


class Problems:
    """The problems found in one document, collected and raised together."""

    def __init__(self, document: Document):
        self.document = document
        self.items: list[Problem] = []

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, path: tuple, message: Any, *, key: bool = False) -> None:
        self.items.append(self.document.problem(path, message, key=key))

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    def first_use(self, seen: dict[str, int], path: tuple, code: str) -> bool:
        """Record `code` (found at `path`) in `seen`; report it and return False when it was seen before."""
        if code in seen:
            self.add(path, DUPLICATE_CODE % {"code": code, "line": seen[code]})
            return False
        seen[code] = self.document.line(path) or 0
        return True

    def unique(self, path: tuple, key: str = "code") -> set[str]:
        """Report every entry of the list at `path` whose `key` repeats an earlier entry's; the set of keys."""
        seen: dict[str, int] = {}
        items: Any = self.document.data
        for part in path:
            items = items.get(part, []) if isinstance(items, dict) else []
        for i, item in enumerate(items):
            self.first_use(seen, (*path, i, key), item[key])
        return set(seen)

    def raise_if_any(self) -> None:
        if self.items:
            raise DataFileError(self.items, self.document.name)


def _type_name(value: Any) -> str:
    if value is None:
        kind = "null"
    elif isinstance(value, bool):
        kind = "boolean"
    elif isinstance(value, int):
        kind = "integer"
    elif isinstance(value, float):
        kind = "number"
    elif isinstance(value, str):
        kind = "string"
    elif isinstance(value, list):
        kind = "array"
    else:
        kind = "object"
    return str(TYPE_NAMES[kind])


def _schema_problem(error, problems: Problems) -> None:
    """A jsonschema error as sentences an officer understands, at the right line."""
    path = tuple(error.absolute_path)
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        missing = [k for k in expected if isinstance(error.instance, dict) and k not in error.instance]
        for key in missing or ["?"]:
            problems.add(path, KEY_MISSING % {"key": key})
    elif kind == "additionalProperties":
        allowed = error.schema.get("properties", {})
        for extra in sorted(set(error.instance) - set(allowed)):
            problems.add(
                (*path, extra), KEY_UNKNOWN % {"key": extra, "keys": ", ".join(sorted(allowed))}, key=True
            )
    elif kind == "type":
        names = " / ".join(
            str(TYPE_NAMES[t]) for t in (expected if isinstance(expected, list) else [expected])
        )
        problems.add(path, WRONG_TYPE % {"expected": names, "found": _type_name(error.instance)})
    elif kind == "enum":
        problems.add(
            path, NOT_IN_CHOICES % {"value": error.instance, "choices": ", ".join(map(str, expected))}
        )
    elif kind == "const":
        problems.add(path, MUST_BE % {"value": expected})
    elif kind == "minimum":
        problems.add(path, TOO_SMALL % {"limit": expected})
    elif kind == "maximum":
        problems.add(path, TOO_LARGE % {"limit": expected})
    elif kind == "exclusiveMinimum":
        problems.add(path, NOT_ABOVE % {"limit": expected})
    elif kind == "exclusiveMaximum":
        problems.add(path, NOT_BELOW % {"limit": expected})
    elif kind == "maxLength":
        problems.add(path, TOO_LONG % {"limit": expected})
    elif kind == "pattern":
        problems.add(path, WRONG_FORM % {"value": error.instance})
    elif kind == "format":
        message = MONTH_DAY_INVALID if expected == "month-day" else DATE_INVALID
        problems.add(path, message % {"value": error.instance})
    elif kind in ("minItems", "minLength"):
        problems.add(path, EMPTY)
    else:
        problems.add(path, INVALID_VALUE % {"detail": error.message})


def _text(content: str | bytes, name: str) -> str:
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError([Problem(None, "", str(FILE_NOT_UTF8))], name) from exc


def parse(content: str | bytes, schema: dict[str, Any], *, name: str = "") -> Document:
    """Read a YAML data file and check it against `schema`. Returns the Document; raises DataFileError with
    every problem found."""
    text = _text(content, name)
    loader = None
    try:
        loader = _Loader(text)  # the reader already refuses non-printable characters
        node = loader.get_single_node()
        data = plain(loader.construct_document(node)) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        error = getattr(exc, "problem", None) or str(exc)
        raise DataFileError(
            [Problem(mark.line + 1 if mark else None, "", str(NOT_YAML % {"error": error}))], name
        ) from exc
    finally:
        if loader is not None:
            loader.dispose()
    if node is None or not isinstance(data, dict):
        raise DataFileError([Problem(1, "", str(NOT_MAPPING))], name)
    lines: dict[tuple, int] = {}
    keys: dict[tuple, int] = {}
    _index(node, (), lines, keys)
    document = Document(name=name, text=text, data=data, lines=lines, key_lines=keys)
    problems = Problems(document)
    validator = Draft202012Validator(schema, format_checker=FORMATS)
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        _schema_problem(error, problems)
    problems.raise_if_any()
    return document


# ---------------------------------------------------------------------------------------------
# Kinds of data file, and loading one file of a kind.


@dataclass
class Loaded:
    """What loading one file did: the object written, whether it was new, and a one-line summary."""

    obj: Any
    status: str  # CREATED, UPDATED or UNCHANGED
    summary: str
    kind: str = ""  # the kind's name, and the file's name, set by load()
    name: str = ""


@dataclass(frozen=True)
class DataKind:
    """A kind of data file. `name` is the command's word and the folder of the shipped files
    (`HOPTAC_DATA_DIR/<name>/`); `load(*, text, name, user)` checks the whole file and writes it, returning a
    `Loaded`, or raises DataFileError; `format` is the value of the top-level `format` key that marks files
    of this kind when a page accepts several kinds."""

    name: str
    label: Any
    load: Callable[..., Loaded]
    format: str = ""


_KINDS: dict[str, DataKind] = {}
_discovered = False


def register(kind: DataKind) -> DataKind:
    """Called from an app's `data_kinds.py` (found by `kinds()`)."""
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, DataKind]:
    """Every registered kind, by name (the apps' `data_kinds.py` modules are imported on first use)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("data_kinds")
        _discovered = True
    return dict(sorted(_KINDS.items()))


def get_kind(name: str) -> DataKind:
    try:
        return kinds()[name]
    except KeyError:
        raise LookupError(f"unknown data-file kind {name!r}; known: {', '.join(kinds())}") from None


def detect(content: str | bytes, name: str, candidates: Sequence[str]) -> DataKind:
    """The kind among `candidates` whose `format` the file's top-level `format` key names."""
    document = parse(content, {"type": "object"}, name=name)
    value = document.data.get("format")
    options = [get_kind(c) for c in candidates]
    for kind in options:
        if kind.format and value == kind.format:
            return kind
    known = ", ".join(k.format for k in options if k.format)
    raise DataFileError(
        [document.problem(("format",), UNKNOWN_FORMAT % {"value": value, "known": known})], name
    )


def load(
    kind: str | Sequence[str],
    *,
    content: str | bytes,
    name: str,
    user: "AnyUser | None" = None,
    dry_run: bool = False,
) -> Loaded:
    """Check one file of `kind` (or of whichever of several kinds its `format` names) and write it, in one
    transaction; with `dry_run`, check everything (the database included) and write nothing. Raises
    DataFileError listing every problem; PermissionDenied when `user` may not load it."""
    if isinstance(kind, str):
        chosen = get_kind(kind)
        if chosen.format:  # a file of another kind is refused on its `format` alone, not on every key
            detect(content, name, [kind])
    else:
        chosen = detect(content, name, kind)
    text = _text(content, name)
    with transaction.atomic():
        loaded = chosen.load(text=text, name=name, user=user)
        if dry_run:
            transaction.set_rollback(True)
    return replace(loaded, kind=chosen.name, name=name)


def load_path(
    kind: str | Sequence[str], path: str | Path, *, user: "AnyUser | None" = None, dry_run: bool = False
) -> Loaded:
    path = Path(path)
    if not path.is_file():
        raise DataFileError([Problem(None, "", str(FILE_NOT_FOUND))], str(path))
    return load(kind, content=path.read_bytes(), name=str(path), user=user, dry_run=dry_run)


def data_dir() -> Path:
    return Path(settings.HOPTAC_DATA_DIR)


def shipped_files(kind: str) -> list[Path]:
    """The files of `kind` shipped with HợpTác: HOPTAC_DATA_DIR/<kind>/*.yaml."""
    folder = data_dir() / get_kind(kind).name
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def load_shipped(kind: str, *, user: "AnyUser | None" = None, dry_run: bool = False) -> list[Loaded]:
    return [load_path(kind, path, user=user, dry_run=dry_run) for path in shipped_files(kind)]
