"""Helpers every app's REST API shares."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers


def as_drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as the API's 400 answer: by field when it has fields, else a list."""
    if hasattr(exc, "message_dict"):
        return serializers.ValidationError({k: [str(m) for m in v] for k, v in exc.message_dict.items()})
    return serializers.ValidationError([str(m) for m in exc.messages])
