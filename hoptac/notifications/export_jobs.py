"""Exports as background jobs (docs/decisions/0038-exports.md): an export larger than
hoptac.core.downloads.inline_rows() rows is not answered at once; its page or API call starts a job here, the task
worker (django-tasks; `manage.py db_worker`) writes the file into MEDIA_ROOT/exports/ with the export registered
under the job's `kind`, its progress on the job's row, and the owner is notified with a link to the job's page,
where they download it. Only the owner sees a job (ExportJob.scope); files are removed EXPORT_KEEP_DAYS days
later (`export_jobs_clean`: every worker run, and the `clean_exports` command)."""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from hoptac.accounts.models import User
from hoptac.core.downloads import Params, export_kind

from .models import Event, ExportJob
from .services import notify

logger = logging.getLogger(__name__)

# A job "running" with no progress written for this long lost its worker (killed, out of memory, restarted).
STALE_MINUTES = 30


def export_directory() -> Path:
    """Where export files are kept: MEDIA_ROOT/exports/ (not served as media; downloaded through the app)."""
    return Path(settings.MEDIA_ROOT) / "exports"


# Why the queueing, the worker and the clean-up reach every job: they handle a job by its id, whoever owns it
# (the owner was the user who asked, checked when it was queued); users reach only their own (export_job_list).
BY_JOB_ID = "the queue, the worker and the clean-up handle a job by its id, whoever owns it"


def export_job_path(job: ExportJob) -> Path | None:
    return export_directory() / job.file if job.file else None


def export_job_list(*, user: User) -> QuerySet[ExportJob]:
    """The user's own exports, newest first."""
    return ExportJob.objects.restrict(user, "view")


def export_job_get(*, user: User, pk: int) -> ExportJob:
    """The user's own export; 404 for anyone else's."""
    return get_object_or_404(export_job_list(user=user), pk=pk)


def export_job_file(*, user: User, pk: int) -> tuple[ExportJob, Path]:
    """The file of the user's own finished export; 404 when it is not (or no longer) there."""
    job = export_job_get(user=user, pk=pk)
    path = export_job_path(job)
    if job.state != ExportJob.State.DONE or path is None or not path.is_file():
        raise Http404
    return job, path


def export_job_start(*, user: User, kind: str, params: Params) -> ExportJob:
    """Queue the export `kind` of the rows `params` ask for, for `user` (the worker writes it in their scope).
    The rows are counted now, to show the progress."""
    export = export_kind(kind)
    params = [(str(name), str(value)) for name, value in params]
    job = ExportJob.objects.unrestricted(BY_JOB_ID).create(
        user=user,
        kind=kind,
        params=[list(pair) for pair in params],
        label=str(export.label)[:255],
        filename=export.filename(timezone.localdate())[:255],
        total=export.count(user, params),
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    result = run_export_job.enqueue(job_id=job_id)
    task_id = getattr(result, "id", "")
    if task_id:
        ExportJob.objects.unrestricted(BY_JOB_ID).filter(pk=job_id).update(task_id=str(task_id)[:64])


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Write a queued export: claim it (one worker only), write the file beside its final name and rename it
    (a worker killed on the way leaves no half file under the name), record the end, tell the owner."""
    now = timezone.now()
    if (
        not ExportJob.objects.unrestricted(BY_JOB_ID)
        .filter(pk=job_id, state=ExportJob.State.QUEUED)
        .update(state=ExportJob.State.RUNNING, started_at=now, updated_at=now)
    ):
        return None  # run (or being run) by someone else
    job = ExportJob.objects.unrestricted(BY_JOB_ID).select_related("user").get(pk=job_id)
    directory = export_directory()
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{job.pk}-{job.filename}"
    partial = directory / f".{name}.partial"

    def progress(done: int) -> None:
        ExportJob.objects.unrestricted(BY_JOB_ID).filter(pk=job_id).update(
            done=done, updated_at=timezone.now()
        )

    try:
        export = export_kind(job.kind)
        params = [(str(key), str(value)) for key, value in job.params]
        with translation.override(settings.LANGUAGE_CODE):
            rows = export.write(job.user, params, partial, progress)
        os.replace(partial, directory / name)
    except Exception as exc:  # noqa: BLE001 — whatever went wrong, the job ends failed and says why
        logger.exception("export %s failed", job_id)
        partial.unlink(missing_ok=True)
        ExportJob.objects.unrestricted(BY_JOB_ID).filter(pk=job_id).update(
            state=ExportJob.State.FAILED,
            error=str(exc)[:2000],
            finished_at=timezone.now(),
        )
        return ExportJob.objects.unrestricted(BY_JOB_ID).get(pk=job_id)
    ExportJob.objects.unrestricted(BY_JOB_ID).filter(pk=job_id).update(
        state=ExportJob.State.DONE,
        file=name,
        size=(directory / name).stat().st_size,
        done=rows,
        total=rows,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            [job.user],
            event=Event.EXPORT_READY,
            title=_("Your export is ready: %(label)s") % {"label": job.label},
            body=_("%(rows)s rows. The file is kept for %(days)s days.")
            % {"rows": rows, "days": settings.EXPORT_KEEP_DAYS},
            link=reverse("notifications:export_job", args=[job.pk]),
        )
    return job


def export_jobs_clean(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Fail the jobs whose worker died (no progress for STALE_MINUTES); remove the exports (rows and files)
    created more than `days` (EXPORT_KEEP_DAYS) days ago, and files in the directory that no job names any
    more (a worker killed while writing). Returns the jobs removed."""
    now = now or timezone.now()
    ExportJob.objects.unrestricted(BY_JOB_ID).filter(
        state=ExportJob.State.RUNNING, updated_at__lt=now - datetime.timedelta(minutes=STALE_MINUTES)
    ).update(
        state=ExportJob.State.FAILED,
        error=_("The export stopped without finishing (its background worker stopped). Export it again."),
        finished_at=now,
    )
    limit = now - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS if days is None else days)
    old = (
        ExportJob.objects.unrestricted(BY_JOB_ID)
        .filter(created_at__lt=limit)
        .exclude(Q(state=ExportJob.State.RUNNING) & Q(started_at__gte=limit))
    )
    removed = 0
    for job in old:
        path = export_job_path(job)
        if path is not None:
            path.unlink(missing_ok=True)
        job.delete()
        removed += 1
    directory = export_directory()
    if directory.is_dir():
        kept = set(ExportJob.objects.unrestricted(BY_JOB_ID).exclude(file="").values_list("file", flat=True))
        for path in directory.iterdir():
            written = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
            if path.name not in kept and written < limit:
                path.unlink(missing_ok=True)
    return removed


@task()
def run_export_job(job_id: int) -> None:
    export_jobs_clean()  # a worker picking up work removes the files past their time
    export_job_run(job_id=job_id)
