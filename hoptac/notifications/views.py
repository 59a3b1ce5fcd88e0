"""The notifications page (paged, newest first), marking one or all as read, and the choice between e-mail
and in-app only."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from hoptac.accounts.forms import NotificationPreferenceForm as PreferenceForm
from hoptac.accounts.http import SignedInRequest

from . import selectors, services
from .models import Notification


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "notifications/list.html"
    context_object_name = "notifications"
    paginate_by = 25
    request: SignedInRequest

    def get_queryset(self):
        return selectors.notification_list(
            user=self.request.user, unread=self.request.GET.get("unread") == "1"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["unread_only"] = self.request.GET.get("unread") == "1"
        context["unread_total"] = selectors.unread_count(user=user)
        context["preference_form"] = PreferenceForm.for_user(user)
        return context


class NotificationReadView(LoginRequiredMixin, View):
    """POST: mark one as read, then open what it is about (its link) or go back to the list."""

    request: SignedInRequest

    def post(self, request: SignedInRequest, pk: int) -> HttpResponse:
        try:
            notification = selectors.notification_get(user=request.user, pk=pk)
        except Notification.DoesNotExist as exc:
            raise Http404 from exc
        services.mark_read(user=request.user, notification=notification)
        if request.POST.get("open") and notification.link:
            return redirect(notification.link)
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("notifications:list")


class NotificationReadAllView(LoginRequiredMixin, View):
    request: SignedInRequest

    def post(self, request: SignedInRequest) -> HttpResponse:
        count = services.mark_all_read(user=request.user)
        messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
        return redirect("notifications:list")


class PreferenceView(LoginRequiredMixin, View):
    """POST: e-mail and in-app, or in-app only (the person's own choice)."""

    request: SignedInRequest

    def post(self, request: SignedInRequest) -> HttpResponse:
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_save(user=request.user, notify_by_email=form.cleaned_data["notify_by_email"])
            messages.success(request, _("Your choice was saved."))
        else:
            messages.error(request, _("Choose how you want to be told."))
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("notifications:list")
