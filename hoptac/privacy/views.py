"""The personal-data request pages (administrators): the list, a new request, one request with everything
stored about the person (a personal-data view in the audit trail), its decision, corrections, erasure, and the
person's data as .xlsx."""

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
from hoptac.registry.models import Organisation

from . import services
from .exports import person_workbook
from .forms import CompleteForm, CorrectionForm, DecisionForm, RequestForm
from .models import DataSubjectRequest, Decision, RequestKind
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
    queryset = DataSubjectRequest.objects.select_related("created_by", "decided_by", "done_by")


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


class RequestDetailView(AdminOnlyMixin, DetailView):
    request: SignedInRequest
    template_name = "privacy/request_detail.html"
    context_object_name = "data_request"
    model = DataSubjectRequest

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        found = person_data(obj)
        corrections = []
        if obj.kind == RequestKind.CORRECTION and obj.decision == Decision.ACCEPTED and obj.done_at is None:
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
        context.update(
            {
                "found": found,
                "personal_fields": ORGANISATION_PERSONAL_FIELDS,
                "decision_form": kwargs.get("decision_form") or DecisionForm(),
                "complete_form": CompleteForm(),
                "corrections": corrections,
                "can_decide": obj.decision == Decision.PENDING and obj.done_at is None,
                "can_erase": obj.kind == RequestKind.ERASURE
                and obj.decision == Decision.ACCEPTED
                and obj.done_at is None,
                "can_complete": obj.kind != RequestKind.ERASURE
                and obj.decision == Decision.ACCEPTED
                and obj.done_at is None,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        self.object = obj = self.get_object()
        action = request.POST.get("action")
        try:
            if action == "decide":
                form = DecisionForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(decision_form=form))
                services.request_decide(
                    user=request.user,
                    request_obj=obj,
                    decision=form.cleaned_data["decision"],
                    note=form.cleaned_data["decision_note"],
                )
                messages.success(request, _("The decision is recorded."))
            elif action == "correct":
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
            elif action == "erase":
                counts = services.erase(user=request.user, request_obj=obj)
                messages.success(
                    request,
                    _(
                        "Erased: %(organisations)s organisation(s), %(history_rows)s historical version(s), %(accounts)s account(s)."
                    )
                    % counts,
                )
            elif action == "complete":
                complete = CompleteForm(request.POST)
                complete.is_valid()
                services.complete(
                    user=request.user, request_obj=obj, outcome=complete.cleaned_data.get("outcome", "")
                )
                messages.success(request, _("The request is marked as carried out."))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("privacy:request_detail", obj.pk)


class RequestExportView(AdminOnlyMixin, View):
    request: SignedInRequest

    def get(self, request, pk):
        obj = get_object_or_404(DataSubjectRequest, pk=pk)
        content = person_workbook(obj, person_data(obj))
        today = timezone.localdate()
        return attachment(
            content, content_type=XLSX, filename=f"hoptac-du-lieu-ca-nhan-{obj.reference}-{today:%Y%m%d}.xlsx"
        )
