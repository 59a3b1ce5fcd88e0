"""Sign-in, sign-out and the user's own profile (role, scope, API token)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from . import roles, services
from .forms import ApiTokenForm, LoginForm, NotificationPreferenceForm
from .http import SignedInRequest

NEW_TOKEN_KEY = "hoptac_new_api_token"


class LoginView(auth_views.LoginView):
    # django-axes counts failures through authenticate(request=…), which AuthenticationForm passes on.
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"
    request: SignedInRequest

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            {
                "token": services.api_token_current(user=user),
                # The new token itself, shown once: kept in the session only until this page has shown it.
                "new_token": self.request.session.pop(NEW_TOKEN_KEY, None),
                "areas": user.areas.select_related("parent").order_by("map", "level", "name_sort"),
                "role_label": roles.role_label(user),
                "scope_description": roles.scope_description(user),
                "preference_form": NotificationPreferenceForm.for_user(user),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            _instance, token = form.save(user=request.user)
            request.session[NEW_TOKEN_KEY] = token
            messages.success(request, _("A new API token was created. Any previous token no longer works."))
        return redirect("accounts:profile")
