"""Helpers every app's REST API shares: how a service's errors become the API's answers, the viewset base of
records created and updated (never deleted) through the API, and the GET actions that answer a file.

Services raise Django's `ValidationError` (400, by field) and `PermissionDenied` (403); selectors raise
`Http404` outside the user's scope. `exception_handler` (settings `REST_FRAMEWORK["EXCEPTION_HANDLER"]`)
turns each into a JSON answer, so viewsets call services directly, without try/except."""

import datetime
import math
from collections.abc import Callable, Sequence
from typing import Any, Literal, overload

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from .concurrency import StaleRecord, VersionedModel, if_match_version
from .keyset import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, cached_count, keyset_page
from .scoping import choices_for, is_scoped
from .validators import CONTROL_CHARACTERS


def as_drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError as the API's 400 answer: by field when it has fields, else a list."""
    if hasattr(exc, "message_dict"):
        return serializers.ValidationError({k: [str(m) for m in v] for k, v in exc.message_dict.items()})
    return serializers.ValidationError([str(m) for m in exc.messages])


class ScopedRelatedField(serializers.RelatedField):
    """A related object chosen among the rows the requesting user may pick (`hoptac.core.scoping.choices_for`:
    the rows they may `scope_action` of a scoped model, or the field's own `offer`): an object outside them
    is refused with the very message of one that does not exist, so the API reveals nothing about it.
    Every writable related field of the API is one (hoptac/tests/test_related_field_matrix.py)."""

    def __init__(self, *, model: Any = None, **kwargs: Any) -> None:
        self.scope_action = kwargs.pop("scope_action", "view")
        self.offer = kwargs.pop("offer", None)
        if model is not None and not kwargs.get("read_only"):
            kwargs["queryset"] = model._default_manager.all()
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()
        if queryset is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} needs a queryset (or model=) unless read-only."
            )
        request = self.context.get("request")
        # Without a request (a serializer used outside a view), nobody is signed in: nothing is reachable.
        user = getattr(request, "user", None) or AnonymousUser()
        return choices_for(queryset, user, self.scope_action, self.offer)


class ScopedPrimaryKeyRelatedField(ScopedRelatedField, serializers.PrimaryKeyRelatedField):
    """A related object given by its id (ScopedRelatedField)."""


class ScopedSlugRelatedField(ScopedRelatedField, serializers.SlugRelatedField):
    """A related object given by a code (`slug_field`) (ScopedRelatedField). A code with a control character or
    a lone surrogate names nothing (and PostgreSQL would refuse to compare it): "does not exist", never a 500."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and CONTROL_CHARACTERS.search(data):
            self.fail(
                "does_not_exist", slug_name=self.slug_field, value=data.encode("utf-8", "replace").decode()
            )
        return super().to_internal_value(data)


SERVER_OWNED = _("This field is set by the server and cannot be written.")


def server_owned_fields(serializer: serializers.Serializer) -> set[str]:
    """The names a client may read but never write: the serializer's read-only fields and the model's
    non-editable ones (submission and review stamps, states, creation and change times)."""
    names = {name for name, field in serializer.fields.items() if field.read_only}
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is not None:
        names |= {f.name for f in model._meta.concrete_fields if not f.editable}
        names |= {f.attname for f in model._meta.concrete_fields if not f.editable}
    return names


class ScopedModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose writable relations to scoped models accept only ids in the user's scope, and
    that refuses a write naming a server-owned field (`server_owned_fields`) with a 400 naming it, unless it
    only repeats the value the record already has (a client sending back what it read)."""

    def get_field_names(self, declared_fields: Any, info: Any) -> list[str]:
        names = list(super().get_field_names(declared_fields, info))
        if issubclass(self.Meta.model, VersionedModel) and "version" not in names:
            names.append("version")
        return names

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(self.instance, VersionedModel):
            # The version the client read (the `version` field or an If-Match header): a stale one is a 409.
            request = self.context.get("request")
            expected = if_match_version(request.headers.get("If-Match")) if request is not None else None
            if hasattr(data, "keys") and "version" in data:
                try:
                    expected = int(data["version"])
                except (TypeError, ValueError):
                    raise serializers.ValidationError(
                        {"version": [_("A whole number is required.")]}
                    ) from None
                data = {k: v for k, v in data.items() if k != "version"}
            self.instance.expected_version = expected
        if hasattr(data, "keys"):
            owned = server_owned_fields(self)
            current = self.to_representation(self.instance) if self.instance is not None else {}
            refused = {
                name: [SERVER_OWNED]
                for name in data
                if name in owned and (name not in current or current[name] != data[name])
            }
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)

    def build_relational_field(self, field_name: str, relation_info: Any) -> tuple[type, dict[str, Any]]:
        field_class, field_kwargs = super().build_relational_field(field_name, relation_info)
        if field_class is serializers.PrimaryKeyRelatedField and is_scoped(relation_info.related_model):
            field_class = ScopedPrimaryKeyRelatedField
        return field_class, field_kwargs


# Dates in query parameters: ISO first (what programs send), dd/mm/yyyy too.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


@overload
def query_date(
    request: Request, name: str, default: datetime.date, *, required: bool = False
) -> datetime.date: ...
@overload
def query_date(
    request: Request, name: str, default: None = None, *, required: Literal[True]
) -> datetime.date: ...
@overload
def query_date(
    request: Request, name: str, default: datetime.date | None = None, *, required: bool = False
) -> datetime.date | None: ...
def query_date(
    request: Request, name: str, default: datetime.date | None = None, *, required: bool = False
) -> datetime.date | None:
    """The date in `?name=` (yyyy-mm-dd or dd/mm/yyyy), `default` when it is absent (unless `required`);
    a 400 naming the parameter when it is not a date."""
    value = request.query_params.get(name)
    if not value and not required:
        return default
    try:
        return forms.DateField(input_formats=DATE_INPUT_FORMATS).clean(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError({name: exc.messages}) from exc


def query_error_schema(name: str, parameters: Sequence[str]) -> Any:
    """For the API schema: the 400 answer to wrong query parameters, the messages by parameter name (as a
    query serializer or `query_date` answers them)."""
    from drf_spectacular.utils import inline_serializer

    fields: dict[str, serializers.Field] = {
        p: serializers.ListField(child=serializers.CharField(), required=False) for p in parameters
    }
    return inline_serializer(name=name, fields=fields)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError as a 400 (`as_drf_error`). DRF's own handler already
    answers Django's PermissionDenied with 403 and Http404 with 404, `{"detail": message}`."""
    if isinstance(exc, StaleRecord):
        response = drf_exception_handler(as_drf_error(exc), context)
        if response is not None:
            response.status_code = 409
        return response
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_error(exc)
    if isinstance(exc, Throttled):
        # Too many requests (settings REST_FRAMEWORK throttles): 429 with a Vietnamese message and Retry-After.
        seconds = max(1, math.ceil(getattr(exc, "wait", None) or 1))
        message = gettext("Too many requests. Please wait %(seconds)s seconds and try again.")
        exc = Throttled(detail=message % {"seconds": seconds})
        exc.wait = seconds  # type: ignore[attr-defined]  # after __init__, which would append DRF's English sentence
    return drf_exception_handler(exc, context)


class ErrorDetailSerializer(serializers.Serializer):
    """An error answered as one message (DRF's `{"detail": "…"}`, core/errors.py outside the viewsets)."""

    detail = serializers.CharField()


# The errors any operation may answer, documented once for the whole API (ApiSchema): the status code, the
# answer's shape ("detail": ErrorDetailSerializer; "fields": the messages by field or parameter, or a list of
# messages, as `exception_handler` and `as_drf_error` answer them) and what it means. `when` says which
# operations may answer it (ApiSchema._error_codes).
VALIDATION_ERRORS_SCHEMA = {
    "description": "The messages by field or query parameter (lists of messages, nested for nested data), "
    'a list of messages, or {"detail": "…"} when the request could not be read.',
    "anyOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "string"}},
    ],
}
ERROR_RESPONSES: dict[str, tuple[str, str]] = {
    "400": ("fields", "The request is not valid: what is wrong, by field or parameter."),
    "401": ("detail", "Not signed in, or the API token is invalid or expired."),
    "403": ("detail", "The user's role or scope does not allow this."),
    "404": ("detail", "No such object in the user's scope (or no such page of a list)."),
    "409": (
        "fields",
        "Someone else saved the record since it was read (its version or If-Match): who, "
        "when and which fields.",
    ),
    "413": ("detail", "The request body is larger than the installation allows."),
    "429": ("detail", "Too many requests (or sign-ins locked): wait the seconds in Retry-After."),
}


def _model_fields_of(field: serializers.Field) -> list[Any]:
    """The model fields along a serializer field's source (`commune_legacy.parent.name`: the two relations
    and the name), as far as they are model fields; empty when the source is not one."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    found: list[Any] = []
    if model is None or field.source == "*":
        return found
    for attr in field.source_attrs:
        if model is None:
            return []
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return []
        found.append(model_field)
        model = model_field.related_model
    return found


def _may_be_null(model_field: Any) -> bool:
    """A nullable field or relation, or a reverse one-to-one that may be missing; never a list of related
    rows (a reverse foreign key or a many-to-many: an empty list, not null)."""
    return bool(model_field.null) and not (model_field.one_to_many or model_field.many_to_many)


class ApiSchema(AutoSchema):
    """drf-spectacular's schema of an operation (settings REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]), plus the
    error answers of `exception_handler` and core/errors.py, documented once here for every operation that
    may give them, in JSON: a view documents only its own successes (and any error it describes more
    precisely, which is kept)."""

    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            shape, description = ERROR_RESPONSES[code]
            responses[code] = {
                "description": description,
                "content": {"application/json": {"schema": self._error_schema(shape)}},
            }
        return responses

    def _get_serializer_field_meta(self, field: Any, direction: Any) -> Any:
        meta = super()._get_serializer_field_meta(field, direction)
        if (
            isinstance(field, serializers.Field)
            and field.read_only
            and not meta.get("nullable")
            and (field.default is None or any(_may_be_null(f) for f in _model_fields_of(field)))
        ):
            # A read-only field keeps no allow_null (DRF drops it for non-editable model fields and
            # read_only_fields): null when its default is None or its source may be null.
            meta["nullable"] = True
        return meta

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            isinstance(schema, dict)
            and field.read_only
            and isinstance(field, serializers.ChoiceField)
            and "" not in schema.get("enum", [""])
            and any(f.blank for f in _model_fields_of(field)[-1:])
        ):
            # A read-only choice of a model field that may be left blank: "" is one of its values.
            schema = {**schema, "enum": [*schema["enum"], ""]}
        return schema

    def _error_codes(self) -> list[str]:
        view = self.view
        codes = ["400"]  # any request may be malformed or too large; most also have fields or filters
        if view.get_authenticators():
            codes += ["401", "403"]
        if "{" in self.path or self._is_list_view():
            codes.append("404")  # an object outside the scope; a page past the end of a list
        model = getattr(getattr(view, "queryset", None), "model", None) or getattr(
            getattr(view, "serializer_class", None), "Meta", None
        )
        model = getattr(model, "model", model)
        if self.method in ("PUT", "PATCH") and isinstance(model, type) and issubclass(model, VersionedModel):
            codes.append("409")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("413")  # core/uploads.UploadSizeLimitMiddleware, before anything reads the body
        if view.get_throttles():
            codes.append("429")
        return codes

    def _error_schema(self, shape: str) -> Any:
        if shape == "detail":
            component = self.resolve_serializer(ErrorDetailSerializer, "response")
            return component.ref
        component = ResolvedComponent(
            name="ValidationErrors",
            type=ResolvedComponent.SCHEMA,
            schema=VALIDATION_ERRORS_SCHEMA,
            object="ValidationErrors",
        )
        self.registry.register_on_missing(component)
        return component.ref


class ListCreateUpdateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and update: the registry's records and the reports are never deleted through the
    API (a reviewed model adds `core.review.ReviewActionsMixin` in front). The answer about one versioned
    record carries `ETag: "<version>"` (core/concurrency.py); a write may send it back in `If-Match`."""

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if self.detail and isinstance(data, dict) and isinstance(data.get("version"), int):
            response["ETag"] = f'"{data["version"]}"'
        return response


class FileNegotiation(DefaultContentNegotiation):
    """For the file actions: `?format=` chooses the file (docx, xlsx, zip), not a renderer, and any Accept
    header is welcome; errors are answered in JSON."""

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


def file_action(*, url_path: str) -> Callable[[Any], Any]:
    """A GET action on one object that answers a file (`core.downloads.attachment`): `?format=` chooses the file
    (FileNegotiation), no pagination, no list filters; named as its path (`targets/export` → targets-export)."""
    return action(
        detail=True,
        methods=["get"],
        url_path=url_path,
        url_name=url_path.replace("/", "-"),
        pagination_class=None,
        filter_backends=[],
        content_negotiation_class=FileNegotiation,
    )


class KeysetPagination(PageNumberPagination):
    """The API's large lists paged by position (hoptac.core.keyset): `?cursor=` (the `next`/`previous` link of
    the previous answer) instead of `?page=`, and `?page_size=` (1–100, default PAGE_SIZE). The answer keeps the
    shape of the page-number pages — `count` (exact), `next`, `previous`, `results` — so a client that follows
    `next` is unchanged; page 50 costs what page 1 costs. The order is the list's (`?ordering=`), the id last."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        self.request = request
        size = self.get_page_size(request) or DEFAULT_PAGE_SIZE
        cursor = request.query_params.get(self.cursor_query_param)
        groups = getattr(view, "keyset_groups", ())
        # A list whose counts by group are kept elsewhere (a tally) gives them: `view.keyset_counts()`.
        counts = view.keyset_counts() if hasattr(view, "keyset_counts") else None
        self.keyset = keyset_page(queryset, cursor=cursor, size=size, groups=groups, counts=counts)
        self.total = cached_count(queryset, groups, counts)
        return self.keyset.rows

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None or self.request is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, "page"), self.cursor_query_param, cursor)

    def get_next_link(self) -> str | None:
        return self._link(self.keyset.next_cursor)

    def get_previous_link(self) -> str | None:
        return self._link(self.keyset.previous_cursor)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.total,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("The position in the list: the cursor of a previous answer's next or previous link.")
                ),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Number of results to return per page (at most %(max)s).") % {"max": MAX_PAGE_SIZE}
                ),
                "schema": {"type": "integer"},
            },
        ]
