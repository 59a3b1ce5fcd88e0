"""The reference data page of a plan: the series the plan divides by (population, households, …) with their
source, date, who supplies them and the targets using them; a provincial officer enters a missing value
there (services.reference_value_enter keeps the history). docs/decisions/0016-reference-data-per-plan.md."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from hoptac.accounts import roles
from hoptac.accounts.http import SignedInRequest
from hoptac.core.forms import add_service_errors

from . import selectors, services
from .forms import ReferenceValueForm


class ReferenceDataView(LoginRequiredMixin, TemplateView):
    request: SignedInRequest
    template_name = "plans/reference_data.html"
    http_method_names = ["get", "post"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.plan = selectors.plan_get(code=kwargs["code"])
            self.series = selectors.reference_series_list(self.plan)
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None) -> ReferenceValueForm | None:
        if not roles.can_manage_plans(self.request.user) or not self.series:
            return None
        initial = {"series": self.request.GET.get("series", "")}
        return ReferenceValueForm(data, plan=self.plan, series_list=self.series, initial=initial)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self._form())
        return super().get_context_data(plan=self.plan, series_list=self.series, **kwargs)

    def post(self, request, *args, **kwargs):
        if not roles.can_manage_plans(request.user):
            raise PermissionDenied(_("Only provincial officers enter reference data."))
        form = self._form(request.POST)
        if form is None or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        series = selectors.reference_series_get(plan=self.plan, code=data["series"])
        try:
            services.reference_value_enter(
                user=request.user,
                series=series,
                area=data["area"],
                year=data["year"],
                value=data["value"],
                source=data["source"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("%(name)s of %(area)s in %(year)s was recorded.")
            % {"name": series.name, "area": data["area"].name, "year": data["year"]},
        )
        return redirect(reverse("plans:reference_data", args=[self.plan.code]))
