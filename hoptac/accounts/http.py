"""The request of a signed-in user, as the type checker sees it: `request.user` is a `User`.

Django and DRF type `request.user` as `User | AnonymousUser`. A page behind `LoginRequiredMixin` and an API
view behind `IsAuthenticated` (the API's default permission, settings.REST_FRAMEWORK) never run for an
anonymous visitor, so the services and selectors they call take `user: User`. Such a view says so by
declaring its request (a declaration only: nothing changes at run time):

    class OrganisationListView(LoginRequiredMixin, SingleTableMixin, FilterView):
        request: SignedInRequest

    class OrganisationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
        request: SignedInApiRequest

Declare it on the view class itself: a mixin declaring it would clash with the `request: HttpRequest` of
Django's own view classes (mypy checks attributes inherited from two bases for exact agreement). A
`dispatch()` override runs before `LoginRequiredMixin` turns the visitor away, so its `request` parameter is
still `HttpRequest` and it tests `request.user.is_authenticated` first. Should such a view run for an
anonymous user all the same (a tool building the API schema, say), the selectors find nothing: the scoping
framework answers so for anyone without a right.
"""

from django.http import HttpRequest
from rest_framework.request import Request

from .models import User


class SignedInRequest(HttpRequest):
    """The request of a page that only signed-in users reach (`LoginRequiredMixin`)."""

    user: User


class SignedInApiRequest(Request):
    """The request of an API view that only signed-in users reach (`IsAuthenticated`)."""

    user: User
