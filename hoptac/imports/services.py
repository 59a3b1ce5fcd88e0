"""Imports as jobs: upload → dry run (check) → commit, each run inline for small files and as a background
task (django-tasks) for large ones. Progress is written to a small file beside the upload, because the import
itself runs in one database transaction that other connections cannot see into until it ends."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from hoptac.accounts import roles
from hoptac.accounts.models import User
from hoptac.core.scoping import can_reach
from hoptac.core.uploads import IMPORT_TYPES, check_upload
from hoptac.imports.importer import ImportRefused, import_registry

from .models import ImportJob

MAX_UPLOAD = 20 * 1024 * 1024
INLINE_LIMIT = 64 * 1024  # files smaller than this are checked at once, larger ones in the background


def _progress_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / f"job-{job.pk}.progress.json"


def import_job_list(*, user: User) -> QuerySet[ImportJob]:
    """The user's own imports, newest first."""
    return ImportJob.objects.restrict(user, "view")


def import_job_get(*, user: User, pk: int) -> ImportJob:
    try:
        return import_job_list(user=user).get(pk=pk)
    except ImportJob.DoesNotExist as exc:
        raise Http404 from exc


def job_progress(job: ImportJob) -> dict[str, Any]:
    """{"done": n, "total": n, "state": ...} read from the progress file, else from the row."""
    try:
        data = json.loads(_progress_path(job).read_text())
    except (OSError, ValueError):
        data = {"done": job.done, "total": job.total}
    return {**data, "state": job.state, "state_label": str(job.get_state_display())}


def import_job_start(
    *,
    user: User,
    upload: UploadedFile | None = None,
    source: ImportJob | None = None,
    commit: bool = False,
    year: int | None = None,
) -> ImportJob:
    """Start checking an uploaded file, or committing a file already checked (`source`, with its year).
    `year` is the year of the data for a list that says it nowhere (reading.parse_year_option)."""
    if not roles.can_import(user):
        raise PermissionDenied(_("You may not import into the registry."))
    if source is not None:
        if not can_reach(user, "change", source):
            raise PermissionDenied
        job = ImportJob.objects.create(
            user=user, file=source.file.name, filename=source.filename, commit=commit, year=source.year
        )
    else:
        if upload is None:
            raise ValidationError({"file": _("Choose a file.")})
        check_upload(upload, allowed=IMPORT_TYPES, max_bytes=MAX_UPLOAD)
        # check_upload refused a file without a name (it has no extension).
        job = ImportJob.objects.create(
            user=user, file=upload, filename=upload.name or "", commit=commit, year=year
        )
    if job.file.size <= INLINE_LIMIT:
        import_job_run(job_id=job.pk)
    else:
        run_import_job.enqueue(job_id=job.pk)
    job.refresh_from_db()
    return job


def import_job_run(*, job_id: int) -> None:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.state not in (ImportJob.State.QUEUED,):
        return
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING)
    progress_file = _progress_path(job)
    progress_file.parent.mkdir(parents=True, exist_ok=True)

    def progress(done: int, total: int, stage: str) -> None:
        if stage != "check" or done % 50 == 0:
            progress_file.write_text(json.dumps({"done": done, "total": total, "stage": stage}))

    with job.file.open("rb") as handle:
        content = handle.read()
    state, error = ImportJob.State.CHECKED, ""
    try:
        result = import_registry(
            user=job.user,
            content=content,
            filename=job.filename,
            commit=job.commit,
            progress=progress,
            year=job.year,
        )
        if job.commit:
            state = ImportJob.State.COMMITTED
        elif result.errors:
            state = ImportJob.State.REFUSED
    except ImportRefused as exc:
        result, state = exc.result, ImportJob.State.REFUSED
    except (ValidationError, PermissionDenied) as exc:
        result, state, error = None, ImportJob.State.FAILED, "; ".join(getattr(exc, "messages", [str(exc)]))
    except Exception as exc:  # noqa: BLE001 — whatever went wrong, the transaction rolled back; say so
        result, state, error = None, ImportJob.State.FAILED, _("Unexpected error: %(error)s") % {"error": exc}
    payload: dict[str, Any] = {}
    if result is not None:
        payload = {
            "header_row": result.header_row,
            "columns": result.columns,
            "ignored": result.ignored,
            "file_errors": result.file_errors,
            "notes": result.notes,
            "skipped": result.skipped,
            "counts": {a: result.count(a) for a in ("create", "update", "unchanged", "error")},
            "rows": [
                {
                    "row": r.row,
                    "action": r.action,
                    "organisation": r.organisation,
                    "changes": [list(c) for c in r.changes],
                    "errors": r.errors,
                }
                for r in result.rows
            ],
        }
    total = len(payload.get("rows", []))
    ImportJob.objects.filter(pk=job.pk).update(
        state=state, result=payload, error=error, done=total, total=total, finished_at=timezone.now()
    )
    progress_file.unlink(missing_ok=True)


@task()
def run_import_job(job_id: int) -> None:
    import_job_run(job_id=job_id)
