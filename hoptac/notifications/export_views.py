"""The page of a background export (its progress, then its download link) and the download itself; only the
export's owner reaches either (hoptac.notifications.export_jobs)."""

import contextlib
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http.response import HttpResponseBase
from django.views import View
from django.views.generic import TemplateView

from hoptac.accounts.http import SignedInRequest
from hoptac.core.downloads import export_kind, file_attachment

from . import export_jobs
from .models import ExportJob

# While the export is being written, its page reloads itself every this many seconds.
REFRESH_SECONDS = 3


class ExportJobView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/export_job.html"
    request: SignedInRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = export_jobs.export_job_get(user=self.request.user, pk=self.kwargs["pk"])
        context["job"] = job
        context["working"] = job.state in (ExportJob.State.QUEUED, ExportJob.State.RUNNING)
        context["refresh_seconds"] = REFRESH_SECONDS
        return context


def audit_as(request: Any, kind: str) -> None:
    """The audit trail records the download as the export it is (its page or API export's URL name, which
    says whether it holds personal data: hoptac.accounts.audit)."""
    with contextlib.suppress(KeyError):
        request.audit_view_name = export_kind(kind).view_name


class ExportJobDownloadView(LoginRequiredMixin, View):
    request: SignedInRequest

    def get(self, request: SignedInRequest, pk: int) -> HttpResponseBase:
        job, path = export_jobs.export_job_file(user=request.user, pk=pk)
        audit_as(request, job.kind)
        return file_attachment(path, content_type=export_kind(job.kind).content_type, filename=job.filename)
