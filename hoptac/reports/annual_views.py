"""Pages of the yearly report: a form (year, optional number and signer) and the download, a .zip with the
report (.docx) and its Excel annexes. Generated inline: a few hundred milliseconds on the demo
(benchmarks/results/report-generation.md). Provincial officers and administrators only. The rule, the years and
the generation are hoptac.reports.annual.service, which the API (GET /api/v1/plans/{id}/annual-report/) calls
too."""

import datetime
from typing import cast

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from hoptac.accounts import roles
from hoptac.core.downloads import ZIP, attachment
from hoptac.plans import selectors as plan_selectors
from hoptac.plans.models import Plan
from hoptac.reports.annual.service import (
    NOT_ALLOWED,
    annual_report_generate,
    default_year,
    report_years,
)

__all__ = ["AnnualReportDownloadView", "AnnualReportForm", "AnnualReportFormView"]


class AnnualReportForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    number = forms.CharField(
        label=gettext_lazy("Document number"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("Leave empty: the records office fills it in when the report is issued."),
    )
    signer_name = forms.CharField(
        label=gettext_lazy("Signed by"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("Full name of the person who signs; may also be typed in Word."),
    )
    provisional = forms.BooleanField(
        label=gettext_lazy("Provisional figures"),
        required=False,
        help_text=gettext_lazy(
            "Unticked: official figures, from yearly data the communes have accepted. Ticked: all submitted "
            "data, labelled provisional in the report."
        ),
    )

    def __init__(self, *args, plan: Plan, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        year = cast(forms.TypedChoiceField, self.fields["year"])
        year.choices = [(y, str(y)) for y in report_years(plan, today)]
        year.initial = max(default_year(today), plan.baseline_year)


class AnnualReportMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not roles.can_manage_plans(request.user):
                raise PermissionDenied(NOT_ALLOWED)
            self.plan = plan_selectors.plan_get(code=kwargs["code"])
            self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)


class AnnualReportFormView(AnnualReportMixin, TemplateView):
    template_name = "reports/annual_form.html"

    def get_context_data(self, **kwargs):
        form = AnnualReportForm(plan=self.plan, today=self.today, initial=self._initial())
        return super().get_context_data(plan=self.plan, form=form, **kwargs)

    def _initial(self) -> dict:
        year = self.request.GET.get("year")
        return {"year": int(year)} if year and year.isdigit() else {}


class AnnualReportDownloadView(AnnualReportMixin, View):
    def get(self, request, *args, **kwargs):
        form = AnnualReportForm(request.GET, plan=self.plan, today=self.today)
        if not form.is_valid():
            return render(request, "reports/annual_form.html", {"plan": self.plan, "form": form}, status=400)
        data = form.cleaned_data
        files = annual_report_generate(
            user=request.user,
            plan=self.plan,
            year=data["year"],
            today=self.today,
            number=data["number"],
            signer_name=data["signer_name"],
            provisional=data["provisional"],
        )
        return attachment(files.zip(), content_type=ZIP, filename=files.zip_name)
