"""The home page: each role lands on its own desk (desk/selectors.py reads what is shown)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from hoptac.accounts.http import SignedInRequest

from . import selectors


class HomeView(LoginRequiredMixin, TemplateView):
    """What must I do, and what is late? The province's and a commune's officers: the review queues with
    their ages, overdue reports by agency, organisations that have not sent the yearly data, recent imports
    and the plan's verdicts, most severe first; an organisation's representative: its own yearly data and
    ratings with their deadlines and a submit button; a reader: the plan's verdicts."""

    request: SignedInRequest
    template_name = "desk/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        kind = selectors.desk_kind(user)
        context.update({"kind": kind, "today": today})
        if kind in (selectors.PROVINCE, selectors.COMMUNE):
            late, late_total = selectors.overdue_by_agency(user=user, today=today)
            queues = selectors.review_queues(user=user, kind=kind, today=today)
            # The menu shows the same queues on this page (context_processors.py): read them once.
            setattr(self.request, "desk_queues", queues)  # noqa: B010
            context.update(
                {
                    "queues": queues,
                    "late_agencies": late[: selectors.AGENCY_ROWS],
                    "late_more": max(0, len(late) - selectors.AGENCY_ROWS),
                    "late_total": late_total,
                    "late_url": selectors.overdue_url(),
                    "missing": selectors.yearly_data_missing(user=user, today=today),
                    "imports": selectors.recent_imports(user=user),
                }
            )
        if kind == selectors.REPRESENTATIVE:
            context["duties"] = selectors.organisation_duties(user=user, today=today)
        if kind != selectors.REPRESENTATIVE:
            context["plans"] = selectors.plan_summaries(user=user, today=today)
        return context
