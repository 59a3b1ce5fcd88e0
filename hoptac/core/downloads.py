"""File downloads (pages and API alike): the content types and an attachment response."""

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"


def attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """`content` as a file the browser saves under `filename` (ASCII names: Vietnamese ones go without
    accents, as officials' files usually are)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
