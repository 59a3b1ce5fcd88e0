"""File downloads (pages and API alike): the content types and an attachment response, in memory (`attachment`)
or from a file on disk (`file_attachment`: a large export written to a temporary file, sent in chunks); the
exports that may run in the background (`ExportKind`, `register_export`: docs/decisions/0038-exports.md); and
generated files written to disk by commands, whole or not at all (`write_files`)."""

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"


def attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """`content` as a file the browser saves under `filename` (ASCII names: Vietnamese ones go without
    accents, as officials' files usually are)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def temporary_file(suffix: str = ".xlsx") -> Path:
    """A new empty file in the temporary directory, for an export to be written into and sent."""
    handle, name = tempfile.mkstemp(prefix="hoptac-", suffix=suffix)
    os.close(handle)
    return Path(name)


def file_attachment(path: Path, *, content_type: str, filename: str, temporary: bool = False) -> FileResponse:
    """The file at `path` as an attachment saved under `filename`, sent in chunks (never read whole into
    memory). A `temporary` file is removed at once: the open handle keeps it readable until it is sent."""
    handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it once sent
    if temporary:
        path.unlink(missing_ok=True)
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def written_attachment(write: Callable[[Path], Any], *, content_type: str, filename: str) -> FileResponse:
    """A file written by `write(path)` into a temporary file, then sent from it (`file_attachment`) and
    removed: an export of any size, in the memory of one row at a time."""
    path = temporary_file(Path(filename).suffix or ".bin")
    try:
        write(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return file_attachment(path, content_type=content_type, filename=filename, temporary=True)


# ----------------------------------------------------------------------------------------------------
# Exports that may run in the background. An app declares each of its large exports once (`register_export`
# in its AppConfig.ready): how many rows the request asks for, and how to write them to a file. The page or the
# API answers the file at once up to `inline_rows()` rows and otherwise starts a background export job
# (hoptac.accounts.export_jobs), whose worker finds the export here by its name. `params` are the request's
# query parameters as a list of (name, value) pairs, so that the worker rebuilds exactly the same rows.

Params = list[tuple[str, str]]


@dataclass(frozen=True)
class ExportKind:
    """One export: `count(user, params)` the rows it would write, `write(user, params, path, progress)` writes
    them to `path` (calling `progress(rows_done)` now and then; returns the rows written), `filename(today)`
    the name it is saved under, `content_type` its type, `view_name` the URL name of the page or API export
    it comes from (for the audit trail), `label` what the user reads."""

    name: str
    label: Any
    count: Callable[[Any, Params], int]
    write: Callable[[Any, Params, Path, Callable[[int], None] | None], int]
    filename: Callable[[Any], str]
    view_name: str
    content_type: str = XLSX


_EXPORTS: dict[str, ExportKind] = {}


def register_export(kind: ExportKind) -> ExportKind:
    _EXPORTS[kind.name] = kind
    return kind


def export_kind(name: str) -> ExportKind:
    """The export registered under `name` (KeyError when there is none)."""
    return _EXPORTS[name]


def export_kinds() -> dict[str, ExportKind]:
    return dict(_EXPORTS)


def inline_rows() -> int:
    """Up to how many rows an export is answered at once (settings.EXPORT_INLINE_ROWS); above, it runs in the
    background."""
    return int(getattr(settings, "EXPORT_INLINE_ROWS", 20_000))


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
