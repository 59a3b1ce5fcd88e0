"""hoptac.core.api: a service's Django errors become the API's JSON answers, without try/except in views."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from hoptac.core.api import as_drf_error, exception_handler


class Raising(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    error: Exception = Exception()

    def post(self, request):
        raise self.error


def answer(error: Exception):
    response = Raising.as_view(error=error)(APIRequestFactory().post("/x/", {}, format="json"))
    response.render()
    return response.status_code, response.data


def test_the_handler_is_the_projects():
    assert settings.REST_FRAMEWORK["EXCEPTION_HANDLER"] == "hoptac.core.api.exception_handler"


def test_a_validation_error_by_field_is_a_400_by_field():
    status, data = answer(ValidationError({"year": ["Năm đã có."], "comment": "Hãy nêu lý do."}))
    assert status == 400
    assert data == {"year": ["Năm đã có."], "comment": ["Hãy nêu lý do."]}


def test_a_validation_error_without_fields_is_a_400_list():
    assert answer(ValidationError("Báo cáo đã khóa.")) == (400, ["Báo cáo đã khóa."])
    assert answer(ValidationError(["Một.", "Hai."])) == (400, ["Một.", "Hai."])


def test_permission_denied_is_a_403_and_not_found_a_404():
    assert answer(PermissionDenied("Bạn không có quyền.")) == (403, {"detail": "Bạn không có quyền."})
    status, data = answer(Http404())
    assert status == 404 and "detail" in data


def test_other_errors_are_left_to_django():
    with pytest.raises(ZeroDivisionError):
        answer(ZeroDivisionError())
    assert exception_handler(ZeroDivisionError(), {}) is None


def test_as_drf_error_keeps_the_message_params():
    error = as_drf_error(
        ValidationError({"year": ValidationError("Năm %(year)s đã có.", params={"year": 2024})})
    )
    assert error.detail == {"year": ["Năm 2024 đã có."]}
