"""Addresses as officials write them: "X. Giao Thiện, H. Giao Thủy", "TT Ngô Đồng - Giao Thủy - Nam Định",
"Phường Hạ Long, TP Nam Định", "Giao Thiện" alone, or a commune code — on the old map (before 1/7/2025) or the
new one. `split_place()` cuts a combined cell into commune, district and province; `Communes.find()` finds the
one commune meant, or says which candidates it could be.

The prefixes and their abbreviations (X., P., TT., H., Q., TX., TP., with or without dot or space) come from
the import vocabulary (data/import-vocabulary/vocabulary.yaml).
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.utils.translation import gettext as _

from hoptac.areas.models import AdminMap, AdminUnit, CommuneSuccession, Level, map_period
from hoptac.core.text import fold

from .vocabulary import key, vocabulary


class PlaceError(Exception):
    """The reason a place cannot be matched, in the interface language."""


@dataclass(frozen=True)
class Place:
    commune: str
    district: str = ""
    province: str = ""

    def __str__(self) -> str:
        return ", ".join(p for p in (self.commune, self.district, self.province) if p)


def _letters(text: str) -> str:
    """Lower case without diacritics, one character for each character of NFC `text` (positions kept)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        out.append("d" if ch in "đĐ" else base.lower())
    return "".join(out)


def strip_prefix(text: str, prefixes: tuple[str, ...]) -> tuple[str, str]:
    """("xa", "Giao Thiện") for "X. Giao Thiện", "Xã Giao Thiện", "X.Giao Thiện", "XÃ GIAO THIỆN"; an
    abbreviation glued to the name only when both read so ("TTNgô Đồng"). ("", text) without a prefix."""
    text = unicodedata.normalize("NFC", text).strip()
    letters = _letters(text)
    for prefix in prefixes:  # longest first: "thi tran" before "t"
        pattern = r"\s*".join(re.escape(word) for word in prefix.split())
        found = re.match(rf"{pattern}(?:\s*\.\s*|\s+)", letters)
        if found and found.end() < len(text):
            return prefix, text[found.end() :].strip()
        glued = re.match(rf"{pattern}", letters)
        if (
            glued
            and glued.end() < len(text)
            and text[: glued.end()].isupper()
            and len(prefix) <= 2
            and text[glued.end()].isupper()
            and text[glued.end() + 1 : glued.end() + 2].islower()
        ):
            return prefix, text[glued.end() :].strip()
    return "", text


def split_place(text: str) -> Place:
    """A combined address cell cut into its parts: "X. Giao Thiện, H. Giao Thủy, T. Nam Định" →
    Place("Giao Thiện"…). Parts are separated by commas, semicolons or dashes between spaces; the first part
    with a commune prefix is the commune (an address before it — "Thôn 3, xã …" — is dropped), the next are the
    district and the province. Prefixes are kept off; the parts keep their diacritics."""
    words = vocabulary()
    parts = [p.strip() for p in re.split(r"\s*[,;]\s*|\s+[-–—]\s+", text or "") if p.strip()]
    if not parts:
        return Place("")
    start = next((i for i, p in enumerate(parts) if strip_prefix(p, words.commune_prefixes)[0]), 0)
    parts = parts[start:]
    commune = strip_prefix(parts[0], words.commune_prefixes)[1] if start or len(parts) > 1 else parts[0]
    district = province = ""
    for part in parts[1:]:
        kind, name = strip_prefix(part, words.province_prefixes)
        if kind in ("tinh", "t") or (not district and kind == "" and _is_province(name) and len(parts) == 2):
            province = province or name
            continue
        _kind, name = strip_prefix(part, words.district_prefixes)
        if not district:
            district = name
        elif not province:
            province = name
    return Place(commune, district, province)


def _is_province(name: str) -> bool:
    return key(name) in _province_names()


_PROVINCES: set[str] | None = None


def _province_names() -> set[str]:
    global _PROVINCES  # noqa: PLW0603 — a small cache of the provinces' names, filled once per process
    if _PROVINCES is None:
        _PROVINCES = set()
        for name, short in AdminUnit.objects.filter(level=Level.PROVINCE).values_list("name", "short_name"):
            _PROVINCES |= {key(name), key(short)}
    return _PROVINCES


def _exact(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower().strip()


def _describe(unit: AdminUnit) -> str:
    parent = unit.parent.name if unit.parent else ""
    where = f"{parent}, " if parent and unit.parent and unit.parent.level != Level.PROVINCE else ""
    return f"{unit.name} ({where}{_('map')} {map_period(unit.map)}, {_('code')} {unit.code})"


class Communes:
    """Every commune of both maps, indexed once per import by code and by name (exact, then without accents:
    "Trực Hùng" and "Trực Hưng" fold to the same letters, so the exact name is tried first), with each lookup
    remembered. `year` is the year of the list's data: it tells the maps apart when a code or a name is on both.
    `allowed` (ids), when given, are the only communes a row may name: any other reads exactly like a commune
    that does not exist (the importer passes the communes its user may place an organisation in)."""

    def __init__(self, year: int | None = None, allowed: Collection[int] | None = None):
        self.year = year
        self.allowed = None if allowed is None else frozenset(allowed)
        units = list(
            AdminUnit.objects.filter(level=Level.COMMUNE)
            .select_related("parent", "province")
            .only(
                "id",
                "code",
                "map",
                "level",
                "name",
                "short_name",
                "name_folded",
                "parent__name",
                "parent__short_name",
                "parent__level",
                "province__name",
                "province__short_name",
            )
        )
        self.by_id = {unit.pk: unit for unit in units}
        self.by_code: dict[str, list[AdminUnit]] = defaultdict(list)
        self.by_exact: dict[str, list[AdminUnit]] = defaultdict(list)
        self.by_folded: dict[str, list[AdminUnit]] = defaultdict(list)
        prefixes = vocabulary().commune_prefixes
        for unit in units:
            self.by_code[unit.code].append(unit)
            names = {n for n in (unit.name, unit.short_name) if n}
            names |= {strip_prefix(n, prefixes)[1] for n in set(names)}
            for name in {_exact(n) for n in names}:
                self.by_exact[name].append(unit)
            for name in {fold(n) for n in names}:
                self.by_folded[name].append(unit)
        self._memo: dict[tuple[str, str, str], AdminUnit | PlaceError] = {}
        self._successors: dict[int, AdminUnit] | None = None

    # -- matching

    @staticmethod
    def _same_area(wanted: str, *units: AdminUnit | None) -> bool:
        """Whether `wanted` ("H. Giao Thủy", "Giao Thuy", "Huyện Giao Thủy") names one of `units`."""
        words = vocabulary()
        prefixes = words.district_prefixes + words.province_prefixes
        wanted_key = key(strip_prefix(wanted, prefixes)[1])
        for unit in units:
            if unit is None:
                continue
            names = {unit.name, unit.short_name}
            if any(wanted_key == key(strip_prefix(n, prefixes)[1]) for n in names if n):
                return True
        return False

    def _by_name(self, commune: str, *, exact: bool) -> list[AdminUnit]:
        kind, name = strip_prefix(commune, vocabulary().commune_prefixes)
        index, norm = (self.by_exact, _exact) if exact else (self.by_folded, fold)
        found = list(index.get(norm(commune), [])) or list(index.get(norm(name), []))
        if kind and len(found) > 1:  # "P. Hạ Long" is the ward, not a commune of the same name
            typed = [u for u in found if _letters(u.name).startswith(kind.replace(" ", ""))]
            found = typed or found
        return found

    def _by_map(self, found: list[AdminUnit]) -> list[AdminUnit]:
        """A name or code on both maps: the year of the list decides; else the old commune whose successor is
        the new one (it gives both)."""
        maps = {u.map for u in found}
        if len(found) < 2 or len(maps) < 2:
            return found
        if self.year is not None and self.year <= 2024:
            return [u for u in found if u.map == AdminMap.LEGACY]
        if self.year is not None and self.year >= 2026:
            return [u for u in found if u.map == AdminMap.CURRENT]
        legacy = [u for u in found if u.map == AdminMap.LEGACY]
        current = [u for u in found if u.map == AdminMap.CURRENT]
        if len(legacy) == 1 and all(self.successor(legacy[0]) == u for u in current):
            return legacy
        if len(legacy) == 1 and not self.year:
            return legacy
        return found

    def _find(self, commune: str, district: str, province: str) -> AdminUnit:
        commune = commune.strip()
        if re.fullmatch(r"\d{4,5}", commune):
            found = list(self.by_code.get(commune.zfill(5), []))
        else:
            found = self._by_name(commune, exact=True) or self._by_name(commune, exact=False)
        if district:  # a district only exists on the old map
            found = [u for u in found if u.map == AdminMap.LEGACY and self._same_area(district, u.parent)]
        if province:
            found = [u for u in found if self._same_area(province, u.province, u.parent)]
        if self.allowed is not None:
            found = [u for u in found if u.pk in self.allowed]
        found = self._by_map(found)
        where = str(Place(commune, district, province))
        if not found:
            raise PlaceError(_("no commune '%(value)s' on either map") % {"value": where})
        if len(found) > 1:
            names = "; ".join(_describe(u) for u in sorted(found, key=lambda u: (u.map, u.code)))
            if district:
                advice = _("give the commune code")
            else:
                advice = _("give the district (old map) or the commune code")
            raise PlaceError(
                _("'%(value)s' may be %(count)s communes: %(names)s; %(advice)s")
                % {"value": where, "count": len(found), "names": names, "advice": advice}
            )
        return found[0]

    def find(self, commune: str, district: str = "", province: str = "") -> AdminUnit:
        memo_key = (commune, district, province)
        if memo_key not in self._memo:
            try:
                self._memo[memo_key] = self._find(commune, district, province)
            except PlaceError as exc:
                self._memo[memo_key] = exc
        found = self._memo[memo_key]
        if isinstance(found, PlaceError):
            raise found
        return found

    def successor(self, old_commune: AdminUnit) -> AdminUnit | None:
        """The default new commune of an old one (areas.selectors.commune_successor), from one query."""
        if self._successors is None:
            self._successors = {}
            successions = CommuneSuccession.objects.order_by(
                "old_commune_id", "-is_default", "new_commune__code"
            )
            for old_id, new_id in successions.values_list("old_commune_id", "new_commune_id"):
                if new_id in self.by_id:
                    self._successors.setdefault(old_id, self.by_id[new_id])
        return self._successors.get(old_commune.pk)
