"""The words officials write in their lists — header wordings, sector and status words, units, total rows,
address prefixes — read from ONE data file, `data/import-vocabulary/vocabulary.yaml`
(docs/decisions/0018-reading-real-lists.md). The file is checked through the data-file home
(hoptac.core.datafiles.parse: a JSON Schema, problems named by line) the first time it is needed.

Every word is compared by `key()`: folded (lower case, no diacritics, đ → d) with every dash, hyphen, slash, dot
or bracket read as a space.
"""

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from hoptac.core import datafiles
from hoptac.core.text import fold

FILE = "import-vocabulary/vocabulary.yaml"

_WORDS = {"type": "array", "items": {"type": ["string", "number"]}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["format", "headers", "sectors", "sub_sectors", "statuses", "units", "totals", "places"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": "import-vocabulary/1"},
        "headers": {"type": "object", "additionalProperties": _WORDS},
        "sectors": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "minItems": 1,
                "maxItems": 2,
                "items": {"type": "string"},
            },
        },
        "sub_sectors": {"type": "object", "additionalProperties": {"type": "string"}},
        "statuses": {"type": "object", "additionalProperties": {"type": "string"}},
        "units": {
            "type": "object",
            "required": ["money", "count"],
            "additionalProperties": False,
            "properties": {
                "money": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
                "count": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}},
            },
        },
        "totals": _WORDS,
        "places": {
            "type": "object",
            "required": ["commune", "district", "province"],
            "additionalProperties": False,
            "properties": {"commune": _WORDS, "district": _WORDS, "province": _WORDS},
        },
    },
}

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def key(value: Any) -> str:
    """ "Thương mại – dịch vụ", "THUONG MAI-DICH VU" → "thuong mai dich vu"."""
    return _NOT_WORD.sub(" ", fold(str(value) if value is not None else "")).strip()


@dataclass(frozen=True)
class Vocabulary:
    headers: dict[str, str]  # header key → column field
    sectors: dict[str, tuple[str, str]]  # word key → (sector, sub-sector or "")
    sub_sectors: dict[str, str]
    statuses: dict[str, str]
    money_units: dict[str, Decimal]  # unit key → factor to đồng
    count_units: dict[str, Decimal]
    totals: frozenset[str]
    commune_prefixes: tuple[str, ...]  # keys, longest first
    district_prefixes: tuple[str, ...]
    province_prefixes: tuple[str, ...]


def _prefixes(words: list[Any]) -> tuple[str, ...]:
    return tuple(sorted({key(w) for w in words}, key=len, reverse=True))


def parse_vocabulary(content: str | bytes, name: str = FILE) -> Vocabulary:
    """The vocabulary of a file; a wrong file raises datafiles.DataFileError naming its lines."""
    document = datafiles.parse(content, SCHEMA, name=name)
    data = datafiles.plain(document.data)
    headers = {key(word): field for field, words in data["headers"].items() for word in words}
    return Vocabulary(
        headers=headers,
        sectors={key(w): (v[0], v[1] if len(v) > 1 else "") for w, v in data["sectors"].items()},
        sub_sectors={key(w): v for w, v in data["sub_sectors"].items()},
        statuses={key(w): v for w, v in data["statuses"].items()},
        money_units={key(w): Decimal(v) for w, v in data["units"]["money"].items()},
        count_units={key(w): Decimal(v) for w, v in data["units"]["count"].items()},
        totals=frozenset(key(w) for w in data["totals"]),
        commune_prefixes=_prefixes(data["places"]["commune"]),
        district_prefixes=_prefixes(data["places"]["district"]),
        province_prefixes=_prefixes(data["places"]["province"]),
    )


def path() -> Path:
    return datafiles.data_dir() / FILE


@functools.cache
def vocabulary() -> Vocabulary:
    return parse_vocabulary(path().read_bytes(), name=str(path()))
