"""Form helpers every app's pages share: dd/mm/yyyy date inputs, amounts typed with thousand separators,
the translated messages Django's own catalog leaves empty, and putting a service's
ValidationError back on a form. Forms of one app stay in that app."""

from html import escape
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .scoping import Action, Choices, choices_for, is_public

# Dates are typed the Vietnamese way whatever the interface language; ISO is accepted too.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_PLACEHOLDER = _("dd/mm/yyyy")
# Django's own Vietnamese catalog leaves these empty; the project catalog translates them.
INVALID_CHOICE = _("Select a valid choice. That choice is not one of the available choices.")
# The empty choice of every select, in one place (`empty_labels_setup`, run at start-up by core's app
# config): "— Chọn —" in a form, "— Tất cả —" in a filter; never Django's "---------".
ALL = _("— All —")
EMPTY_CHOICE = _("— Choose —")


def empty_labels_setup() -> None:
    """Make Django's and django-filter's empty choice read EMPTY_CHOICE / ALL instead of "---------": the
    blank choice of model fields with choices (BLANK_CHOICE_DASH, shared by reference), the default
    `empty_label` of ModelChoiceField (model forms' foreign keys) and django-filter's empty choice label."""
    from django.db.models import fields
    from django_filters import conf

    # Typed as plain str labels in the stubs; Django renders a lazy label like any other.
    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]  # type: ignore[list-item]
    kwdefaults = forms.ModelChoiceField.__init__.__kwdefaults__
    if kwdefaults is not None:
        kwdefaults["empty_label"] = EMPTY_CHOICE
    conf.settings.EMPTY_CHOICE_LABEL = ALL  # read at each filter's creation


def date_field_setup(field: forms.Field) -> None:
    """dd/mm/yyyy text input with a placeholder, parsing dd/mm/yyyy in every language."""
    if not isinstance(field, BaseTemporalField):
        raise TypeError(f"date_field_setup() sets up a date field, not a {type(field).__name__}.")
    field.input_formats = DATE_INPUT_FORMATS
    field.widget = forms.DateInput(
        format="%d/%m/%Y",
        attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off", "size": 10},
    )


def year_field_setup(field: forms.Field) -> None:
    """A year typed as a number (1990 to 2100)."""
    field.widget = forms.NumberInput(attrs={"min": 1990, "max": 2100, "step": 1})


def money_field_setup(field: forms.Field) -> None:
    """An amount in đồng typed with thousand separators ("1.500.000") and shown back the same way."""
    field.localize = True
    field.widget = forms.TextInput(attrs={"inputmode": "numeric", "class": "num"})
    field.widget.is_localized = True


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a ValidationError raised by a service onto the form: on the field when the form shows it,
    otherwise (no such field, or a hidden one such as `version`) at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            shown = field in form.fields and not form.fields[field].widget.is_hidden
            form.add_error(field if shown else None, messages)
    else:
        form.add_error(None, error)


def add_version_field(form: forms.BaseForm, instance: object | None) -> None:
    """A hidden `version` field holding the version of the record the form was opened on
    (core/concurrency.py): the service refuses the save if someone saved the record in between. Templates
    render it with the form's hidden fields."""
    version = getattr(instance, "version", None) if getattr(instance, "pk", None) else None
    form.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, initial=version)


class QuickSelect(forms.Select):
    """A <select> of many options (thousands of administrative units) written in Python, with the HTML of
    Django's select.html/option.html templates: Django renders each <option> through a template, which
    costs ~0.1 ms an option (1.5 s for the 14,000 units of both national maps, and more memory than the
    page itself); this costs ~1 µs (`html.escape` is what Django's `escape` calls, without its lazy-string
    wrapper). Choices are (value, label) pairs or (group label, [(value, label)...])
    groups, as Django's Select takes them; one <select>, never multiple."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        selected = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{_attrs_html(self.build_attrs(self.attrs, attrs))}>']
        found = False

        def option(key: Any, label: Any) -> str:
            nonlocal found
            text = "" if key is None else str(key)
            mark = ""
            if not found and text in selected:
                found, mark = True, " selected"
            return f'\n  <option value="{escape(text)}"{mark}>{escape(str(label))}</option>'

        for key, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'\n  <optgroup label="{escape(str(key))}">')
                parts.extend(option(k, v) for k, v in label)
                parts.append("\n  </optgroup>")
            else:
                parts.append(option(key, label))
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every name, value and label is escaped above


def _attrs_html(attrs: dict[str, Any]) -> str:
    """HTML attributes as django/forms/widgets/attrs.html writes them (True: the bare name; False: none)."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class ScopedChoiceMixin:
    """A form's choice of related objects, offered as `hoptac.core.scoping.choices_for` says: the rows the
    user may `scope_action` of a scoped model, or the field's own `offer` (a function of the user, or
    `scoping.public("why")` for a model every user reads whole). Until the form calls `limit_choices(form,
    user)`, a field whose choices depend on the user offers nothing. An object outside the choices is refused
    with the message of one that does not exist. Every related field of every form is one
    (hoptac/tests/test_related_field_matrix.py)."""

    queryset: Any
    error_messages: dict[str, Any]

    def __init__(
        self,
        queryset: Any = None,
        *,
        scope_action: Action = "view",
        offer: Choices | None = None,
        **kwargs: Any,
    ) -> None:
        self.scope_action = scope_action
        self.offer = offer
        self.limited_for: Any = None
        self.base_queryset = queryset
        if queryset is not None and not is_public(offer):
            queryset = queryset.none()
        super().__init__(queryset=queryset, **kwargs)  # type: ignore[call-arg]

    def limit_to(self, user: Any, queryset: Any = None) -> None:
        """Offer `user` their choices among `queryset` (by default the rows the field was declared with)."""
        base = self.base_queryset if queryset is None else queryset
        self.queryset = choices_for(base.all(), user, self.scope_action, self.offer)
        self.limited_for = user


class ScopedModelChoiceField(ScopedChoiceMixin, forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = INVALID_CHOICE


class ScopedModelMultipleChoiceField(ScopedChoiceMixin, forms.ModelMultipleChoiceField):
    pass


def limit_choices(form: forms.BaseForm, user: Any) -> None:
    """Offer `user` their choices in every scoped related field of `form` (ScopedChoiceMixin) that the form
    has not narrowed itself (`field.limit_to(user, queryset)`)."""
    for field in form.fields.values():
        if isinstance(field, ScopedChoiceMixin) and field.limited_for is None:
            field.limit_to(user)
