"""Pages of the import: upload, check (dry run) with a preview and an annotated copy, commit."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from hoptac.accounts import roles
from hoptac.accounts.http import SignedInRequest
from hoptac.core.downloads import XLSX, attachment

from . import services
from .forms import ImportUploadForm
from .models import ImportJob
from .workbooks import annotated_copy, import_template


def _job(request: SignedInRequest, pk: int) -> ImportJob:
    return services.import_job_get(user=request.user, pk=pk)


class ImportStartView(LoginRequiredMixin, FormView):
    """The upload form: only for those who may import (a read-only user typing its address gets 403)."""

    request: SignedInRequest
    form_class = ImportUploadForm
    template_name = "imports/import_start.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not roles.can_import(request.user):
            raise PermissionDenied(_("You may not import into the registry."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(jobs=services.import_job_list(user=self.request.user)[:10], **kwargs)

    def form_valid(self, form):
        try:
            job = services.import_job_start(
                user=self.request.user, upload=form.cleaned_data["file"], year=form.cleaned_data.get("year")
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        return redirect("imports:import_job", pk=job.pk)


class ImportJobView(LoginRequiredMixin, TemplateView):
    request: SignedInRequest
    template_name = "imports/import_job.html"

    def get_context_data(self, **kwargs):
        job = _job(self.request, kwargs["pk"])
        rows = job.result.get("rows", [])
        may_import = roles.can_import(self.request.user)  # a viewer keeps old jobs but may not import now
        return super().get_context_data(
            job=job,
            progress=services.job_progress(job),
            counts=job.result.get("counts", {}),
            refused=[r for r in rows if r["errors"]],
            changed=[r for r in rows if not r["errors"] and r["action"] in ("create", "update")],
            can_commit=may_import
            and job.state == ImportJob.State.CHECKED
            and not job.commit
            and job.commit_job_id is None,
            can_retry=may_import and job.state == ImportJob.State.FAILED,
            done=job.state == ImportJob.State.COMMITTED,
            **kwargs,
        )

    def post(self, request, pk):
        source = _job(request, pk)
        if "retry" in request.POST:
            try:
                job = services.import_job_retry(user=request.user, job=source)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("imports:import_job", pk=pk)
            return redirect("imports:import_job", pk=job.pk)
        if source.state != ImportJob.State.CHECKED or source.commit:
            raise Http404
        try:
            job = services.import_job_start(user=request.user, source=source, commit=True)
        except ValidationError as exc:  # imported already (a second click, another tab, the API)
            messages.error(request, " ".join(exc.messages))
            return redirect("imports:import_job", pk=source.commit_job_id or pk)
        if job.state == ImportJob.State.COMMITTED:
            messages.success(request, _("The file was imported."))
        return redirect("imports:import_job", pk=job.pk)


class ImportProgressView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return JsonResponse(services.job_progress(_job(request, pk)))


class ImportAnnotatedView(LoginRequiredMixin, View):
    def get(self, request, pk):
        job = _job(request, pk)
        if not job.result:
            raise Http404
        with job.file.open("rb") as handle:
            content = annotated_copy(handle.read(), job.filename, job.result)
        stem = job.filename.rsplit(".", 1)[0]
        return attachment(content, content_type=XLSX, filename=f"{stem}-ket-qua-kiem-tra.xlsx")


class ImportTemplateView(LoginRequiredMixin, View):
    def get(self, request):
        return attachment(import_template(), content_type=XLSX, filename="mau-nhap-so-dang-ky.xlsx")
