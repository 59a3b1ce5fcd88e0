"""Rules every field of a kind obeys, whatever the model: checked at the model boundary (`full_clean`, the
forms and the API serializers read the model field's validators), so no page, import or API write can
store what an export or a report would choke on.

* Text (`CharField`, `TextField` and their subclasses: e-mail, URL, slug…): no control characters
  (U+0000–U+001F, U+007F) and no lone surrogates; a `TextField` (multi-line) keeps tab, line feed and
  carriage return. The message names the field and the character.
* Years (an integer field named `year` or `…_year`): between YEAR_MIN and YEAR_MAX.

The rules are attached to every field of every `hoptac` model when Django prepares the model class
(`class_prepared`), so a new field is covered without anyone remembering to add them, and they are not
part of the field's definition (no migration). What was stored before these rules is made safe on the way
out by `core/workbooks.py` (control characters stripped from cells).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import class_prepared
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

YEAR_MIN = 1900
YEAR_MAX = 2100

CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
# Multi-line text keeps tab, line feed and carriage return.
CONTROL_CHARACTERS_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

CONTROL_CHARACTER_MESSAGE = _(
    "“%(field)s” contains a control character (%(character)s) that cannot be stored: remove it and type "
    "the text again."
)


@deconstructible
class NoControlCharacters:
    """Refuses text with a control character or a lone surrogate; `multiline` keeps tab and line ends."""

    code = "control_character"

    def __init__(self, field_label: Any = "", *, multiline: bool = False) -> None:
        self.field_label = field_label
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if not isinstance(value, str):
            return
        pattern = CONTROL_CHARACTERS_MULTILINE if self.multiline else CONTROL_CHARACTERS
        match = pattern.search(value)
        if match:
            raise ValidationError(
                CONTROL_CHARACTER_MESSAGE,
                code=self.code,
                params={"field": self.field_label, "character": f"U+{ord(match.group()):04X}"},
            )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, NoControlCharacters)
            and other.multiline == self.multiline
            and str(other.field_label) == str(self.field_label)
        )


# What tests and other modules compare against (the validator's code).
no_control_characters = NoControlCharacters()


def is_year_field(field: models.Field) -> bool:
    return isinstance(field, models.IntegerField) and (field.name == "year" or field.name.endswith("_year"))


def attach_field_rules(model: type[models.Model]) -> None:
    """Add the rules above to the model's own fields (idempotent; not part of the field's definition)."""
    for field in model._meta.local_fields:
        extra: list[Any] = []
        if isinstance(field, (models.CharField, models.TextField)):
            extra.append(
                NoControlCharacters(
                    field.verbose_name or field.name, multiline=isinstance(field, models.TextField)
                )
            )
        elif is_year_field(field):
            extra += [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
        if not extra:
            continue
        defaults = list(type(field).default_validators)
        if any(getattr(v, "code", None) == NoControlCharacters.code for v in field.default_validators):
            continue
        if is_year_field(field) and any(isinstance(v, MaxValueValidator) for v in field.default_validators):
            continue
        # An instance attribute: Field.validators reads it; deconstruct() (migrations) does not.
        field.default_validators = [*defaults, *extra]
        field.__dict__.pop("validators", None)  # the cached_property, if it was read already


def _on_class_prepared(sender: type[models.Model], **kwargs: Any) -> None:
    if sender.__module__.startswith("hoptac."):
        attach_field_rules(sender)


class_prepared.connect(_on_class_prepared, dispatch_uid="hoptac.core.validators.field_rules")
