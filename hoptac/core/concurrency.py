"""Optimistic concurrency: every editable record carries a `version`, raised by one at each save. A form or
an API write says which version it started from (a hidden `version` field on pages; the `version` field or
an `If-Match: "<version>"` header in the API, whose detail answers carry `ETag: "<version>"`); when the
record has been saved since, the save is refused with what changed, by whom and when (`StaleRecord`: a
400 on the form, a 409 in the API), instead of silently undoing the other person's change.

    class Organisation(VersionedModel, ScopedModel): ...

    organisation.expected_version = form.cleaned_data["version"]   # or the serializer sets it
    organisation.save()                                            # StaleRecord if someone saved first
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

STALE = _(
    "This record was changed since you opened it (by %(user)s on %(date)s; changed: %(fields)s). Your "
    "changes were not saved: open it again to see the current values, then make your changes again."
)
SOMEONE = _("someone")


class StaleRecord(ValidationError):
    """The record was saved by someone else after the writer read it (the API answers 409)."""


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # The version the writer started from (None: the writer read it just now, nothing to compare).
    expected_version: int | None = None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding and self.pk is not None:
            current = (
                type(self)
                ._base_manager.select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None:
                expected = self.expected_version
                if expected is not None and int(expected) != current:
                    raise StaleRecord({"version": stale_message(self, int(expected))}, code="stale")
                self.version = current + 1
                fields = kwargs.get("update_fields")
                if fields is not None:
                    kwargs["update_fields"] = {*fields, "version"}
        self.expected_version = None
        super().save(*args, **kwargs)


def stale_message(obj: models.Model, expected: int) -> str:
    """Who changed the record after version `expected`, when, and which fields (from its history)."""
    user, date, fields = str(SOMEONE), "—", "—"
    history = getattr(obj, "history", None)
    if history is not None:
        from .formatting import format_date

        records = list(history.filter(version__gte=expected).order_by("history_date"))
        later = [r for r in records if r.version > expected]
        if later:
            last = later[-1]
            if last.history_user is not None:
                user = last.history_user.get_full_name() or last.history_user.get_username()
            date = format_date(last.history_date)
            base = next((r for r in records if r.version == expected), None)
            if base is not None:
                changed: list[str] = []
                for record in later:
                    delta = record.diff_against(base)
                    changed += [c.field for c in delta.changes if c.field not in changed]
                labels = [
                    str(getattr(obj._meta.get_field(name), "verbose_name", name))
                    for name in changed
                    if name != "version"
                ]
                fields = ", ".join(labels) or "—"
    return STALE % {"user": user, "date": date, "fields": fields}


def if_match_version(header: str | None) -> int | None:
    """The version in an If-Match header (`"3"` or `W/"3"`), None when absent or not a version."""
    if not header:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    return int(value) if value.isdigit() else None


def take_expected_version(obj: models.Model, data: dict[str, Any]) -> None:
    """For a service: the `version` a form or client sent (taken out of `data`) is the one `obj` must still
    have when it is saved (VersionedModel.save)."""
    version = data.pop("version", None)
    if version is not None and isinstance(obj, VersionedModel):
        obj.expected_version = int(version)


# How long a long write (an import) waits for a lock held by another connection before it gives up with an
# error that its job retries (hoptac.imports.services.RETRY_DELAYS): SQLite waits its busy_timeout (settings,
# the same 5 s); PostgreSQL would wait for ever without lock_timeout.
LOCK_WAIT_SECONDS = 5.0


def limit_lock_wait(using: str = "default") -> None:
    """In the open transaction, give up waiting for a lock after LOCK_WAIT_SECONDS (PostgreSQL: SET LOCAL
    lock_timeout, which ends with the transaction; on SQLite its busy_timeout already does it)."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)", [f"{int(LOCK_WAIT_SECONDS * 1000)}ms"]
            )
