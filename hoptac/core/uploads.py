"""The one check of an uploaded file (progress-report attachments, scoring evidence, registry imports, scoring
scheme files): its extension is one the use allows, it is not empty nor larger than the use's limit, and its
content is what the extension says — the first bytes of a PDF or an image, an Office Open XML archive of the
right kind for .docx/.xlsx, an OLE2 compound file for a legacy Excel .xls, UTF-8 text for .yaml and, for .csv,
text in one of the encodings officials' spreadsheets save (`decode_text`: UTF-8 with or without BOM, UTF-16,
Windows-1258, Windows-1252, detected with charset-normalizer). A refusal names the file and the reason.

Each use passes its own allowed extensions and size limit:

    content_type = check_upload(file, allowed=ATTACHMENT_TYPES, max_bytes=10 * MB)
"""

import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charset_normalizer import from_bytes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

from .downloads import DOCX, XLSX

MB = 1024 * 1024
TEXT_SAMPLE = 64 * 1024  # bytes of a text file looked at for NUL bytes (binary content)

REFUSED_TYPE = _("File “%(name)s” was not accepted: only %(allowed)s files are accepted.")
REFUSED_EMPTY = _("File “%(name)s” was not accepted: it is empty.")
REFUSED_TOO_BIG = _("File “%(name)s” was not accepted: it is larger than %(limit)s MB.")
REFUSED_REQUEST_TOO_BIG = _(
    "The upload was not accepted: it is larger than %(limit)s MB. Split the file or attach a smaller one."
)
REFUSED_CONTENT = _("File “%(name)s” was not accepted: its content is not a %(kind)s file.")


@dataclass(frozen=True)
class FileKind:
    """What a file with this extension must hold: one of `magic` at the start; for an Office archive, the
    `member` that makes it a document or a workbook; for `text`, UTF-8 without NUL bytes."""

    label: str
    content_type: str
    magic: tuple[bytes, ...] = ()
    member: str = ""
    text: bool = False
    any_encoding: bool = False  # text in any encoding decode_text() detects, not only UTF-8


PDF = FileKind("PDF", "application/pdf", (b"%PDF-",))
JPEG = FileKind("JPEG", "image/jpeg", (b"\xff\xd8\xff",))
PNG = FileKind("PNG", "image/png", (b"\x89PNG\r\n\x1a\n",))
WORD = FileKind("Word (.docx)", DOCX, (b"PK\x03\x04",), member="word/document.xml")
EXCEL = FileKind("Excel (.xlsx)", XLSX, (b"PK\x03\x04",), member="xl/workbook.xml")
LEGACY_EXCEL = FileKind(
    "Excel 97–2003 (.xls)", "application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
)
CSV = FileKind("CSV", "text/csv", text=True, any_encoding=True)
YAML = FileKind("YAML (UTF-8)", "application/x-yaml", text=True)

KINDS: dict[str, FileKind] = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".docx": WORD,
    ".xlsx": EXCEL,
    ".xls": LEGACY_EXCEL,
    ".csv": CSV,
    ".yaml": YAML,
    ".yml": YAML,
}

# The allowed extensions of each use.
DOCUMENT_TYPES = (".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png")  # attachments and evidence
IMPORT_TYPES = (".xlsx", ".xls", ".csv")
DATA_FILE_TYPES = (".yaml", ".yml")


def allowed_text(allowed: Iterable[str]) -> str:
    """ "PDF, Word (.docx), JPEG" for (".pdf", ".docx", ".jpg", ".jpeg"): each kind once, in order."""
    labels: list[str] = []
    for extension in allowed:
        label = KINDS[extension].label
        if label not in labels:
            labels.append(label)
    return ", ".join(labels)


# The encodings a CSV saved by a spreadsheet on an official's computer comes in: Excel's "CSV UTF-8" (with a BOM),
# "Unicode text" (UTF-16), and the Windows code pages of Vietnamese (1258) and Western (1252) Windows.
TEXT_ENCODINGS = ("utf_8", "utf_16", "utf_16_le", "utf_16_be", "cp1258", "cp1252")
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_text(content: bytes) -> tuple[str, str] | None:
    """(text, encoding) of a text file in one of TEXT_ENCODINGS, or None if it is in none of them. A BOM or
    valid UTF-8 decides at once; otherwise charset-normalizer picks among the encodings. The text is NFC:
    Windows-1258 writes tones as combining marks."""
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            try:
                return unicodedata.normalize("NFC", content.decode(encoding)), encoding
            except UnicodeDecodeError:
                return None
    try:
        return unicodedata.normalize("NFC", content.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(content, cp_isolation=list(TEXT_ENCODINGS)).best()
    if best is None:
        return None
    text = str(best)
    if "\x00" in text:
        return None
    return unicodedata.normalize("NFC", text), best.encoding


def _content_matches(file: Any, kind: FileKind) -> bool:
    file.seek(0)
    if kind.any_encoding:
        content = file.read()
        file.seek(0)
        return decode_text(content) is not None
    if kind.text:
        sample = file.read(TEXT_SAMPLE)
        rest = file.read()
        file.seek(0)
        if b"\x00" in sample:
            return False
        try:
            (sample + rest).decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
        return True
    head = file.read(8)
    file.seek(0)
    if not any(head.startswith(magic) for magic in kind.magic):
        return False
    if kind.member:
        try:
            with zipfile.ZipFile(file) as archive:
                return kind.member in archive.namelist()
        except zipfile.BadZipFile:
            return False
        finally:
            file.seek(0)
    return True


def check_upload(file: Any, *, allowed: Iterable[str], max_bytes: int, field: str | None = "file") -> str:
    """Refuse `file` (an UploadedFile or any file object with `name` and `size`) unless its extension is
    in `allowed`, it is not empty nor over `max_bytes`, and its content is what the extension says.
    Raises ValidationError({field: message}) naming the file (a plain ValidationError(message) with
    `field=None`, for a form's clean_<field>); returns the content type."""

    def refuse(message: str) -> ValidationError:
        return ValidationError({field: message}) if field else ValidationError(message)

    allowed = tuple(allowed)
    name = Path(file.name or "").name
    extension = Path(name).suffix.lower()
    if extension not in allowed:
        raise refuse(REFUSED_TYPE % {"name": name, "allowed": allowed_text(allowed)})
    if not file.size:
        raise refuse(REFUSED_EMPTY % {"name": name})
    if file.size > max_bytes:
        limit = f"{max_bytes / MB:g}".replace(".", ",")
        raise refuse(REFUSED_TOO_BIG % {"name": name, "limit": limit})
    kind = KINDS[extension]
    if not _content_matches(file, kind):
        raise refuse(REFUSED_CONTENT % {"name": name, "kind": kind.label})
    return kind.content_type


class UploadSizeLimitMiddleware:
    """Refuse a request whose body is larger than settings.HOPTAC_MAX_UPLOAD_BYTES from its Content-Length,
    before anything reads the body (CSRF, a form or a parser would otherwise read it all, to a temporary file,
    before `check_upload` could refuse it): 413 with a Vietnamese message, JSON under /api/. The per-use limits
    of `check_upload` are smaller and still apply; the reverse proxy caps bodies without a Content-Length
    (client_max_body_size, docs/deployment.md)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.HOPTAC_MAX_UPLOAD_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit and length > limit:
            message = str(REFUSED_REQUEST_TOO_BIG % {"limit": f"{limit / MB:g}".replace(".", ",")})
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
