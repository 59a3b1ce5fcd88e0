"""Sign-in (with its second step when two-step sign-in is on), sign-out and the user's own profile (role,
scope, API token, two-step sign-in)."""

import time

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login

from . import roles, services, two_factor
from .forms import ApiTokenForm, CodeForm, LoginForm, NotificationPreferenceForm, PasswordConfirmForm
from .http import SignedInRequest
from .models import User

NEW_TOKEN_KEY = "hoptac_new_api_token"


class LoginView(auth_views.LoginView):
    # django-axes counts failures through authenticate(request=…), which AuthenticationForm passes on.
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        """A right password signs in, unless two-step sign-in is on (or mandatory) for the user: then the
        code page comes next, and nothing is signed in until the code is right."""
        user = form.get_user()
        if not two_factor.second_step_needed(user):
            return super().form_valid(form)
        if two_factor.confirmed_device(user) is None and two_factor.pending_device(user) is None:
            two_factor.enrolment_start(user=user)  # mandatory for the role: enrol during this sign-in
        self.request.session[two_factor.PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("accounts:login_code")


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class LoginCodeView(FormView):
    """The second step of a sign-in: the code of the authenticator app (or, when two-step sign-in is mandatory
    and the user has none yet, setting one up). A wrong code is a failed sign-in (django-axes lockout)."""

    template_name = "accounts/login_code.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        pending = request.session.get(two_factor.PENDING_KEY)
        user = None
        if pending and time.time() - pending["at"] <= two_factor.PENDING_SECONDS:
            user = User.objects.filter(pk=pending["user"], is_active=True).first()
        device = None
        if user is not None:
            device = two_factor.confirmed_device(user) or two_factor.pending_device(user)
        if user is None or device is None:
            request.session.pop(two_factor.PENDING_KEY, None)
            if pending:
                messages.warning(
                    request, _("The sign-in took too long: enter your username and password again.")
                )
            return redirect("accounts:login")
        self.pending, self.pending_user, self.device = pending, user, device
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enrolling"] = not self.device.confirmed
        if not self.device.confirmed:
            context["qr"] = two_factor.qr_data_uri(self.device)
            context["secret"] = two_factor.secret_text(self.device)
        return context

    def form_valid(self, form):
        request, user = self.request, self.pending_user
        if two_factor.is_locked(user, request):
            # django-axes' middleware answers with the lockout page (429).
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = {"username": user.get_username()}  # type: ignore[attr-defined]
            return self.form_invalid(form)
        code = form.cleaned_data["code"]
        if self.device.confirmed:
            if not two_factor.code_matches(self.device, code):
                two_factor.code_failed(user, request)
                form.add_error(
                    "code", _("The code is wrong or has expired. Enter the code the app shows now.")
                )
                return self.form_invalid(form)
            device = self.device
        else:
            try:
                device = two_factor.enrolment_confirm(user=user, code=code, request=request)
            except ValidationError as error:
                form.add_error("code", _error_text(error))
                return self.form_invalid(form)
        request.session.pop(two_factor.PENDING_KEY, None)
        auth_login(request, user, backend=self.pending["backend"])
        otp_login(request, device)
        return redirect(self.pending["next"])


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
                "two_factor_offered": two_factor.offered_to(user),
                "two_factor_device": two_factor.confirmed_device(user),
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


class TwoFactorView(LoginRequiredMixin, TemplateView):
    """Two-step sign-in on the profile: set it up (QR code and secret, confirmed with a code) or turn it off
    (with the password). Administrators and provincial officers only."""

    template_name = "accounts/two_factor.html"
    request: SignedInRequest

    def check_role(self) -> None:
        if not two_factor.offered_to(self.request.user):
            raise PermissionDenied(_("Two-step sign-in is not available for your role."))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        device = two_factor.confirmed_device(user)
        pending = None if device else two_factor.pending_device(user)
        context.update(
            {
                "device": device,
                "pending": pending,
                "required": two_factor.required_for(user),
                "code_form": kwargs.get("code_form") or CodeForm(),
                "password_form": kwargs.get("password_form") or PasswordConfirmForm(),
            }
        )
        if pending is not None:
            context["qr"] = two_factor.qr_data_uri(pending)
            context["secret"] = two_factor.secret_text(pending)
        return context

    def get(self, request, *args, **kwargs):
        self.check_role()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_role()
        user = request.user
        action = request.POST.get("action")
        if two_factor.is_locked(user, request):
            request.axes_locked_out = True
            request.axes_credentials = {"username": user.get_username()}
            return redirect("accounts:two_factor")
        try:
            if action == "start":
                two_factor.enrolment_start(user=user)
                return redirect("accounts:two_factor")
            if action == "confirm":
                code_form = CodeForm(request.POST)
                if not code_form.is_valid():
                    return self.render_to_response(self.get_context_data(code_form=code_form))
                two_factor.enrolment_confirm(user=user, code=code_form.cleaned_data["code"], request=request)
                messages.success(
                    request, _("Two-step sign-in is on: from now on, signing in asks for a code.")
                )
                return redirect("accounts:profile")
            if action == "remove":
                password_form = PasswordConfirmForm(request.POST)
                if not password_form.is_valid():
                    return self.render_to_response(self.get_context_data(password_form=password_form))
                two_factor.device_remove(
                    user=user, password=password_form.cleaned_data["password"], request=request
                )
                messages.success(request, _("Two-step sign-in is off."))
                return redirect("accounts:profile")
        except ValidationError as error:
            if action == "confirm":
                code_form = CodeForm(request.POST)
                code_form.is_valid()
                code_form.add_error("code", _error_text(error))
                return self.render_to_response(self.get_context_data(code_form=code_form))
            if action == "remove":
                password_form = PasswordConfirmForm(request.POST)
                password_form.is_valid()
                password_form.add_error("password", _error_text(error))
                return self.render_to_response(self.get_context_data(password_form=password_form))
            messages.error(request, _error_text(error))
        return redirect("accounts:two_factor")
