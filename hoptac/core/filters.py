"""Numbers in query parameters, checked in one place: an id or a year that is not a number, or is too large
for the database, is a wrong parameter (a 400 in the API, an ignored filter on a page), never a server
error. Every FilterSet and every API view that reads a number from the query string uses these."""

from typing import Any

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from rest_framework import serializers

from .forms import ScopedModelChoiceField
from .validators import YEAR_MAX, YEAR_MIN

# The largest id the database stores (a 64-bit signed integer: BigAutoField on SQLite and PostgreSQL).
ID_MAX = 2**63 - 1


def id_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


def year_field(**kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """`?name=<id>`: a whole number from 1 to ID_MAX."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    """`?name=<year>`: a whole number from YEAR_MIN to YEAR_MAX."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


def query_id(params: Any, name: str) -> int | None:
    """The id in `?name=` (None when absent); a 400 naming the parameter when it is not an id."""
    return _query_number(params, name, id_field(required=False))


def query_year(params: Any, name: str) -> int | None:
    """The year in `?name=` (None when absent); a 400 naming the parameter when it is not a year."""
    return _query_number(params, name, year_field(required=False))


def _query_number(params: Any, name: str, field: forms.IntegerField) -> int | None:
    try:
        return field.clean(params.get(name) or None)
    except ValidationError as exc:
        raise serializers.ValidationError({name: exc.messages}) from exc


def clean_id(value: Any) -> int | None:
    """For a page: the id in a query value, or None when it is absent or not an id (the filter is ignored)."""
    try:
        return id_field(required=False).clean(value or None)
    except ValidationError:
        return None


def clean_year(value: Any) -> int | None:
    """For a page: the year in a query value, or None when it is absent or not a year."""
    try:
        return year_field(required=False).clean(value or None)
    except ValidationError:
        return None


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """`?name=<id>` of a related object, chosen as every related field is (core/forms.py
    ScopedModelChoiceField): pass `offer=` (scoping.public("why") for a model every user reads whole)."""

    field_class = ScopedModelChoiceField

    @property
    def field(self) -> Any:
        """The form field, offering the choices of the user of the filter set's request (nobody's without one)."""
        if not hasattr(self, "_field"):
            field = super().field
            request = getattr(self.parent, "request", None)
            field.limit_to(getattr(request, "user", None) or AnonymousUser())
        return self._field
