"""Sign-in, sign-out and the user's own profile (role, scope, API token)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from rest_framework.authtoken.models import Token

from . import roles
from .forms import ApiTokenForm, LoginForm
from .http import SignedInRequest


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
                "token": Token.objects.filter(user=user).first(),
                "areas": user.areas.select_related("parent").order_by("map", "level", "name_sort"),
                "role_label": roles.role_label(user),
                "scope_description": roles.scope_description(user),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            form.save(user=request.user)
            messages.success(request, _("A new API token was created. Any previous token no longer works."))
        return redirect("accounts:profile")
