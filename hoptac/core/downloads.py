"""File downloads (pages and API alike): the content types and an attachment response; and generated files
written to disk by commands, whole or not at all (`write_files`)."""

import os
import tempfile
from pathlib import Path

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


def write_files(files: dict[Path, bytes]) -> list[Path]:
    """Write generated files (a command's report, annexes) so that a process killed on the way never leaves a
    truncated one: each goes to a hidden temporary file beside its target, flushed to disk, then renamed over
    it (a rename is atomic). A kill leaves at most a `.<name>.partial` file and the targets as they were (with
    several files, only the instant between two renames can see some renamed and not the others); an error
    removes the temporary files."""
    temporaries: dict[Path, Path] = {}
    try:
        for target, content in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
            temporaries[target] = Path(name)
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
        for target, temporary in temporaries.items():
            os.replace(temporary, target)
    finally:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
    return list(files)
