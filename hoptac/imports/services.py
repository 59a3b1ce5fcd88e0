"""Imports as jobs: upload → dry run (check) → commit, each run inline for small files and as a background
task (django-tasks) for large ones. Progress is written to a small file beside the upload, because the import
itself runs in one database transaction that other connections cannot see into until it ends."""

import datetime
import json
import logging
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, OperationalError, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
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
# Files up to this size are checked (and imported) at once, larger ones by the background worker
# (settings HOPTAC_IMPORT_INLINE_BYTES: 0 sends every file to the worker).
INLINE_LIMIT: int = settings.HOPTAC_IMPORT_INLINE_BYTES
logger = logging.getLogger(__name__)


def _progress_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / f"job-{job.pk}.progress.json"


def import_job_list(*, user: User) -> QuerySet[ImportJob]:
    """The user's own imports, newest first."""
    return ImportJob.objects.restrict(user, "view")


def import_job_get(*, user: User, pk: int) -> ImportJob:
    return get_object_or_404(import_job_list(user=user), pk=pk)


# How long a job may wait for the background worker, or run without a sign of life, before the page says so
# (waiting) or it is failed (running: its worker was killed; its transaction died with it).
PENDING_MINUTES = 5
STALE_MINUTES = 15
# Waits (seconds) before retrying a run that hit a database lock: SQLite "database is locked" after its busy
# timeout, PostgreSQL lock / serialisation / deadlock errors. After the last one the job fails with the reason.
RETRY_DELAYS = (1.0, 3.0, 9.0)


def job_progress(job: ImportJob) -> dict[str, Any]:
    """{"done": n, "total": n, "state": ...} read from the progress file, else from the row; `waiting` holds
    a message when nobody has picked the job up for a while."""
    import_job_check_stale(job)
    try:
        data = json.loads(_progress_path(job).read_text())
    except (OSError, ValueError):
        data = {"done": job.done, "total": job.total}
    return {
        **data,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "waiting": job_waiting_message(job),
    }


def job_waiting_message(job: ImportJob) -> str:
    """A message when the job has waited longer than PENDING_MINUTES for the background worker."""
    if job.state != ImportJob.State.QUEUED or job.created_at is None:
        return ""
    waited = (timezone.now() - job.created_at).total_seconds() / 60
    if waited < PENDING_MINUTES:
        return ""
    return _(
        "No background worker has picked up this file for %(minutes)s minutes: the worker may be stopped. "
        "Tell the system administrator; the file will be processed as soon as the worker runs again."
    ) % {"minutes": int(waited)}


def _last_sign_of_life(job: ImportJob):
    """When the running job last wrote its progress (or started)."""
    try:
        mtime = _progress_path(job).stat().st_mtime
    except OSError:
        return job.started_at
    written = datetime.datetime.fromtimestamp(mtime, tz=datetime.UTC)
    return max(written, job.started_at) if job.started_at else written


def _task_finished(job: ImportJob) -> bool:
    """The job's background task ended (succeeded or failed) without the job recording its end."""
    if not job.task_id:
        return False
    from django_tasks import TaskResultStatus, default_task_backend
    from django_tasks.exceptions import TaskResultDoesNotExist

    try:
        status = default_task_backend.get_result(job.task_id).status
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):
        return False
    return status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)


def import_job_check_stale(job: ImportJob) -> bool:
    """Fail a job left "running" by a worker that died (killed, out of memory, the machine restarted): no sign
    of life for STALE_MINUTES, or its background task ended without it. Its transaction died with the worker,
    so nothing of it was written; it can be retried. Called on every status check and by every worker run."""
    if job.state != ImportJob.State.RUNNING:
        return False
    seen = _last_sign_of_life(job)
    stale = seen is None or timezone.now() - seen > datetime.timedelta(minutes=STALE_MINUTES)
    if not (stale or _task_finished(job)):
        return False
    reason = _(
        "The import stopped without finishing (its background worker stopped). Nothing was written; "
        "start it again."
    )
    updated = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.RUNNING).update(
        state=ImportJob.State.FAILED, error=reason, finished_at=timezone.now()
    )
    _release_claim(job)
    if updated:
        job.refresh_from_db()
    return bool(updated)


def import_jobs_recover() -> int:
    """Fail every stale running job (a worker starting up calls this): the count failed."""
    return sum(import_job_check_stale(job) for job in ImportJob.objects.filter(state=ImportJob.State.RUNNING))


def _release_claim(job: ImportJob) -> None:
    """A commit that failed frees its checked file to be imported again (a refused or done one does not)."""
    if job.commit:
        ImportJob.objects.filter(commit_job=job).update(commit_job=None)


ALREADY_IMPORTED = _("This file has already been imported (or is being imported); it is imported only once.")


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
        if source.state != ImportJob.State.CHECKED or source.commit:
            raise ValidationError(_("Only a checked file with no refused rows can be imported."))
        with transaction.atomic():
            job = ImportJob.objects.create(
                user=user,
                file=source.file.name,
                filename=source.filename,
                commit=commit,
                year=source.year,
            )
            # The claim: one conditional UPDATE. Of two concurrent commits, the second waits for the first's row
            # lock (PostgreSQL) or the write lock (SQLite), then finds commit_job set and updates nothing.
            claimed = ImportJob.objects.filter(
                pk=source.pk, state=ImportJob.State.CHECKED, commit_job__isnull=True
            ).update(commit_job=job)
            if not claimed:
                transaction.set_rollback(True)
                raise ValidationError(ALREADY_IMPORTED)
    else:
        if upload is None:
            raise ValidationError({"file": _("Choose a file.")})
        check_upload(upload, allowed=IMPORT_TYPES, max_bytes=MAX_UPLOAD)
        # check_upload refused a file without a name (it has no extension).
        job = ImportJob.objects.create(
            user=user, file=upload, filename=upload.name or "", commit=commit, year=year
        )
    _dispatch(job)
    job.refresh_from_db()
    return job


def _dispatch(job: ImportJob) -> None:
    if job.file.size <= INLINE_LIMIT:
        import_job_run(job_id=job.pk)
    else:
        result = run_import_job.enqueue(job_id=job.pk)
        task_id = getattr(result, "id", "")  # a test double may not hand a result back
        if task_id:
            ImportJob.objects.filter(pk=job.pk).update(task_id=str(task_id)[:64])


def import_job_retry(*, user: User, job: ImportJob) -> ImportJob:
    """Run a failed job again (a check, or an import whose file is still unclaimed)."""
    if not can_reach(user, "change", job) or not roles.can_import(user):
        raise PermissionDenied
    if job.state != ImportJob.State.FAILED:
        raise ValidationError(_("Only a failed import can be started again."))
    if job.commit:
        source = ImportJob.objects.filter(
            user=job.user, file=job.file.name, commit=False, state=ImportJob.State.CHECKED
        ).first()
        claimed = (
            source is not None
            and ImportJob.objects.filter(pk=source.pk, commit_job__isnull=True).update(commit_job=job) == 1
        )
        if not claimed:
            raise ValidationError(ALREADY_IMPORTED)
    ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.FAILED).update(
        state=ImportJob.State.QUEUED, error="", attempts=0, started_at=None, finished_at=None
    )
    job.refresh_from_db()
    _dispatch(job)
    job.refresh_from_db()
    return job


def is_lock_error(exc: BaseException) -> bool:
    """A database error that passes: a lock held by someone else (SQLite "database is locked" / "database
    table is locked", PostgreSQL lock_not_available 55P03), a serialisation failure (40001), a deadlock (40P01),
    or any OperationalError (a dropped connection too). Django's wrapped errors and the drivers' own count."""
    if isinstance(exc, OperationalError):
        return True
    code = getattr(exc, "pgcode", None) or getattr(getattr(exc, "__cause__", None), "pgcode", None) or ""
    if code in {"40001", "40P01", "55P03"}:
        return True
    return type(exc).__name__ == "OperationalError" or (
        isinstance(exc, DatabaseError) and "lock" in str(exc).lower()
    )


def _save_end(job: ImportJob, **fields: Any) -> None:
    """Record the job's end, retrying through a lock (the job's end must not be lost to one)."""
    for delay in (*RETRY_DELAYS, None):
        try:
            ImportJob.objects.filter(pk=job.pk).update(**fields)
            return
        except Exception as exc:
            if delay is None or not is_lock_error(exc):
                raise
            time.sleep(delay)


def import_job_run(*, job_id: int) -> None:
    """Run a queued job: claim it, import (retrying a database lock with backoff), record the outcome. Every
    failure ends the job as failed with the reason; the import's transaction leaves nothing behind."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    now = timezone.now()
    if not ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, started_at=now
    ):
        return  # run (or being run) by someone else
    job.started_at = now
    progress_file = _progress_path(job)
    progress_file.parent.mkdir(parents=True, exist_ok=True)

    def progress(done: int, total: int, stage: str) -> None:
        if stage != "check" or done % 50 == 0:
            progress_file.write_text(json.dumps({"done": done, "total": total, "stage": stage}))

    with job.file.open("rb") as handle:
        content = handle.read()
    state, error, result = ImportJob.State.CHECKED, "", None
    attempts = 0
    for delay in (*RETRY_DELAYS, None):
        attempts += 1
        try:
            result = import_registry(
                user=job.user,
                content=content,
                filename=job.filename,
                commit=job.commit,
                progress=progress,
                year=job.year,
            )
            state, error = ImportJob.State.CHECKED, ""
            if job.commit:
                state = ImportJob.State.COMMITTED
            elif result.errors:
                state = ImportJob.State.REFUSED
        except ImportRefused as exc:
            result, state, error = exc.result, ImportJob.State.REFUSED, ""
        except (ValidationError, PermissionDenied) as exc:
            result, state, error = (
                None,
                ImportJob.State.FAILED,
                "; ".join(getattr(exc, "messages", [str(exc)])),
            )
        except Exception as exc:  # noqa: BLE001 — whatever went wrong, the transaction rolled back; say so
            result, state = None, ImportJob.State.FAILED
            if not (is_lock_error(exc) or isinstance(exc, DatabaseError)):
                logger.exception("import %s failed", job.pk)
                error = _("Unexpected error: %(error)s") % {"error": exc}
                break
            if is_lock_error(exc) and delay is not None:
                logger.warning("import %s: database busy (%s), retrying in %s s", job.pk, exc, delay)
                time.sleep(delay)
                continue
            if is_lock_error(exc):
                error = _(
                    "The database was busy (locked by another task) and the import was tried %(n)s times; "
                    "nothing was written. Start it again later. (%(error)s)"
                ) % {"n": attempts, "error": exc}
            else:
                logger.exception("import %s failed", job.pk)
                error = _("Database error, nothing was written: %(error)s") % {"error": exc}
        break
    payload: dict[str, Any] = {}
    if result is not None:
        payload = {
            "header_row": result.header_row,
            "header_rows": result.header_rows,
            "header_rows_shown": result.header_rows_shown,
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
                    "cells": [list(c) for c in r.cells],
                }
                for r in result.rows
            ],
        }
    total = len(payload.get("rows", []))
    if state == ImportJob.State.FAILED:
        _release_claim(job)
    _save_end(
        job,
        state=state,
        result=payload,
        error=error,
        done=total,
        total=total,
        attempts=attempts,
        finished_at=timezone.now(),
    )
    progress_file.unlink(missing_ok=True)


@task()
def run_import_job(job_id: int) -> None:
    import_jobs_recover()  # a worker picking up work fails the jobs a dead worker left running
    import_job_run(job_id=job_id)
