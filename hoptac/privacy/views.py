"""The personal-data request pages (administrators): the list, a new request, one request with everything
stored about the person (a personal-data view in the audit trail), its review steps (accept, refuse, mark as
carried out: hoptac.core.review), corrections, erasure, and the person's data as .xlsx."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, ListView

from hoptac.accounts import roles
from hoptac.accounts.http import SignedInRequest
from hoptac.core.downloads import XLSX, attachment
from hoptac.core.review import ReviewStepMixin
from hoptac.registry.models import Organisation

from . import services
from .exports import person_workbook
from .forms import CorrectionForm, RequestForm
from .models import DataSubjectRequest, RequestKind, RequestState
from .selectors import ORGANISATION_PERSONAL_FIELDS, WHOLE_REGISTRY, person_data


class AdminOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not roles.can_handle_data_requests(request.user):
            raise PermissionDenied(_("Only an administrator handles personal-data requests."))
        return super().dispatch(request, *args, **kwargs)


class RequestListView(AdminOnlyMixin, ListView):
    request: SignedInRequest
    template_name = "privacy/request_list.html"
    context_object_name = "requests"
    paginate_by = 50

    def get_queryset(self):
        return DataSubjectRequest.objects.restrict(self.request.user).select_related(
            "submitted_by", "reviewed_by", "done_by"
        )


class RequestCreateView(AdminOnlyMixin, CreateView):
    request: SignedInRequest
    template_name = "privacy/request_form.html"
    form_class = RequestForm

    def form_valid(self, form):
        try:
            obj = services.request_create(user=self.request.user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Request %(reference)s recorded.") % {"reference": obj.reference})
        return redirect("privacy:request_detail", obj.pk)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class RequestDetailView(AdminOnlyMixin, ReviewStepMixin, DetailView):
    request: SignedInRequest
    template_name = "privacy/request_detail.html"
    context_object_name = "data_request"

    def get_queryset(self):
        return DataSubjectRequest.objects.restrict(self.request.user).select_related(
            "submitted_by", "reviewed_by", "done_by"
        )

    def review_object(self) -> DataSubjectRequest:
        return self.object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        found = person_data(obj)
        accepted = obj.state == RequestState.ACCEPTED
        corrections = []
        if obj.kind == RequestKind.CORRECTION and accepted:
            corrections = [
                (
                    organisation,
                    CorrectionForm(
                        prefix=f"org{organisation.pk}",
                        initial={f: getattr(organisation, f) for f in ORGANISATION_PERSONAL_FIELDS},
                    ),
                )
                for organisation in found.organisations
            ]
        context.setdefault("review", self.review_context()["review"])
        context.update(
            {
                "found": found,
                "corrections": corrections,
                "can_erase": obj.kind == RequestKind.ERASURE and accepted,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        self.object = obj = self.get_object()
        action = request.POST.get("action")
        if action not in ("correct", "erase"):  # a review step: accept, refuse, mark as carried out
            return super().post(request, *args, **kwargs)
        try:
            if action == "correct":
                organisation = get_object_or_404(
                    Organisation.objects.unrestricted(WHOLE_REGISTRY), pk=request.POST.get("organisation")
                )
                correction = CorrectionForm(request.POST, prefix=f"org{organisation.pk}")
                if not correction.is_valid():
                    messages.error(request, _error_text(ValidationError(correction.errors)))
                    return redirect("privacy:request_detail", obj.pk)
                services.correct(
                    user=request.user,
                    request_obj=obj,
                    organisation=organisation,
                    data=correction.cleaned_data,
                )
                messages.success(
                    request, _("Corrected on %(organisation)s.") % {"organisation": organisation.name}
                )
            else:
                counts = services.erase(user=request.user, request_obj=obj)
                messages.success(
                    request,
                    _(
                        "Erased: %(organisations)s organisation(s), %(history_rows)s historical version(s), %(accounts)s account(s)."
                    )
                    % counts,
                )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("privacy:request_detail", obj.pk)


class RequestExportView(AdminOnlyMixin, View):
    request: SignedInRequest

    def get(self, request, pk):
        obj = get_object_or_404(DataSubjectRequest.objects.restrict(request.user), pk=pk)
        content = person_workbook(obj, person_data(obj))
        today = timezone.localdate()
        return attachment(
            content, content_type=XLSX, filename=f"hoptac-du-lieu-ca-nhan-{obj.reference}-{today:%Y%m%d}.xlsx"
        )
