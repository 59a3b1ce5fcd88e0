import logging

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages start in Vietnamese whatever the browser's language; a user who picks English with the
    language switch (a cookie) gets English. API clients still choose with Accept-Language."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


API_SERVER_ERROR = _("The server could not answer this request. The error has been recorded.")
logger = logging.getLogger("hoptac.api")


class ApiJsonErrorsMiddleware:
    """Under /api/, an unexpected error is answered in JSON (`{"detail": …}`, status 500) like every other
    API error (core/api.py), not with the HTML error page; the error is logged with its traceback."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        logger.error("Server error on %s %s", request.method, request.path, exc_info=exception)
        return JsonResponse({"detail": str(API_SERVER_ERROR)}, status=500)
