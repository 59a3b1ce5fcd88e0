"""The one home of the registration-code rule (used by Organisation.clean(), hence by the forms, the API and
the import, which all run full_clean()).

Source: Luật Hợp tác xã 2023 (Luật số 17/2023/QH15) and Nghị định 92/2024/NĐ-CP of 18/7/2024 on the
registration of cooperative groups, cooperatives and unions of cooperatives: every cooperative (HTX) and union
of cooperatives (LHHTX) receives one unique code, the "mã số hợp tác xã / liên hiệp hợp tác xã", which is at
the same time its tax code ("đồng thời là mã số thuế"). An organisation's tax code has 10 digits (Thông tư
86/2024/TT-BTC on tax registration; the 13-digit form NNNNNNNNNN-NNN belongs to branches and dependent units,
which are not registry records). So the registration code of an HTX or LHHTX is exactly 10 digits; the first
two are the province's tax-office code (e.g. 06 in the demo data), the rest the sequence.

Cooperative groups (THT) register with the commune and people's credit funds (QTDND) are licensed as credit
institutions: their numbers follow other forms and are not checked here.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import OrganisationKind

REGISTRATION_CODE_RE = re.compile(r"\d{10}")
CHECKED_KINDS = frozenset({OrganisationKind.HTX, OrganisationKind.LHHTX})
REGISTRATION_CODE_FORMAT = _(
    "The registration code of a cooperative or a union of cooperatives has exactly 10 digits "
    "(it is also its tax code, Decree 92/2024/NĐ-CP); '%(code)s' does not."
)


def normalise_registration_code(code: str) -> str:
    """The code as stored: spaces, dots and dashes that people type between digit groups removed
    ("0607 000 001", "06.07.000001"); any other text is kept, to be refused by the check."""
    text = (code or "").strip()
    compact = re.sub(r"[\s.\-]", "", text)
    return compact if compact.isdigit() else text


def registration_code_errors(kind: str, code: str) -> list[str]:
    """The reasons `code` is not a valid registration code for an organisation of `kind` (empty if it is)."""
    if not code or kind not in CHECKED_KINDS:
        return []
    if REGISTRATION_CODE_RE.fullmatch(code):
        return []
    return [str(REGISTRATION_CODE_FORMAT % {"code": code})]


def validate_registration_code(kind: str, code: str) -> None:
    messages = registration_code_errors(kind, code)
    if messages:
        raise ValidationError({"registration_code": messages})
