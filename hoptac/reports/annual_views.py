"""Pages of the yearly report: a form (year, optional number and signer) and the download, a .zip with the
report (.docx) and its Excel annexes. Generated inline: a few hundred milliseconds on the demo
(benchmarks/results/report-generation.md). Provincial officers and administrators only."""

import datetime

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from hoptac.plans import selectors as plan_selectors
from hoptac.plans.models import Plan


def user_can_generate(user) -> bool:
    """The yearly report covers the whole territory: provincial officers and administrators."""
    from hoptac.accounts.models import Role

    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in (Role.ADMIN, Role.PROVINCE))
    )


def default_year(today: datetime.date) -> int:
    """The last year whose yearly update (15 December) has closed."""
    return today.year if today >= datetime.date(today.year, 12, 15) else today.year - 1


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

    def __init__(self, *args, plan: Plan, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        years = range(today.year, plan.baseline_year - 1, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].initial = max(default_year(today), plan.baseline_year)


class AnnualReportMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if not user_can_generate(request.user):
                raise PermissionDenied(
                    _("Only provincial officers and administrators generate the yearly report.")
                )
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
        from django.shortcuts import render

        from hoptac.reports.annual.build import build_annual_report

        form = AnnualReportForm(request.GET, plan=self.plan, today=self.today)
        if not form.is_valid():
            return render(request, "reports/annual_form.html", {"plan": self.plan, "form": form}, status=400)
        data = form.cleaned_data
        files = build_annual_report(
            self.plan,
            data["year"],
            user=request.user,
            today=self.today,
            letterhead={"number": data["number"], "signer_name": data["signer_name"]},
        )
        response = HttpResponse(files.zip(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{files.zip_name}"'
        return response
