"""Data files (plans, agencies, …) written in YAML and checked against a JSON Schema. A wrong file is refused
whole, with one Problem per mistake naming the line, the key path and the reason, in Vietnamese."""

import datetime
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator


@dataclass
class Problem:
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("file")
        return f"{where} — {self.path or '/'}: {self.message}"


class DataFileError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def plain(value: Any) -> Any:
    """YAML dates become ISO strings, so the document is plain JSON."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def line_index(node: yaml.Node, path: tuple = (), index: dict | None = None) -> dict[tuple, int]:
    """The line of every key path of a composed YAML document."""
    index = {} if index is None else index
    index[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, child in node.value:
            index[(*path, key.value)] = key.start_mark.line + 1
            line_index(child, (*path, key.value), index)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            line_index(child, (*path, i), index)
    return index


def line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def dotted(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def problem_at(lines: dict[tuple, int], path: tuple, message: str) -> Problem:
    return Problem(line_of(lines, path), dotted(path), message)


def schema_message(error) -> str:
    """A jsonschema error as a sentence an officer understands."""
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return _("the key '%(key)s' is required") % {"key": missing}
    if error.validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        unknown = [str(k) for k in error.instance if k not in allowed]
        return _("unknown key '%(key)s' (allowed: %(keys)s)") % {
            "key": "', '".join(unknown),
            "keys": ", ".join(sorted(allowed)),
        }
    if error.validator == "enum":
        return _("'%(value)s' is not one of: %(allowed)s") % {
            "value": error.instance,
            "allowed": ", ".join(map(str, error.validator_value)),
        }
    if error.validator == "type":
        return _("expected %(type)s, found '%(value)s'") % {
            "type": error.validator_value,
            "value": error.instance,
        }
    if error.validator == "pattern":
        return _("'%(value)s' does not have the expected form") % {"value": error.instance}
    if error.validator in ("minItems", "minLength"):
        return _("must not be empty")
    if error.validator in ("minimum", "maximum", "exclusiveMinimum"):
        return _("'%(value)s' is out of range") % {"value": error.instance}
    if error.validator == "const":
        return _("must be %(value)s") % {"value": error.validator_value}
    return error.message


def load_yaml(
    text: str, schema: dict[str, Any], error: type[DataFileError]
) -> tuple[dict[str, Any], dict[tuple, int]]:
    """Parse `text` and check it against `schema`. Returns the plain document and the line of every key path;
    raises `error` with every problem found."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        document = plain(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise error(
            [Problem(mark.line + 1 if mark else None, "", _("not valid YAML: %(error)s") % {"error": exc})]
        ) from exc
    if node is None or not isinstance(document, dict):
        raise error([Problem(1, "", _("the file is empty or is not a mapping of keys"))])
    lines = line_index(node)
    errors = sorted(
        Draft202012Validator(schema).iter_errors(document), key=lambda e: list(map(str, e.absolute_path))
    )
    if errors:
        raise error([problem_at(lines, tuple(e.absolute_path), schema_message(e)) for e in errors])
    return document, lines
