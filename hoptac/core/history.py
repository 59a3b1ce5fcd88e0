"""Who did a write, and why, as django-simple-history records it. Every service that saves a tracked model
calls `set_history_user` before `save()`; a reason (a return comment, a merger) goes with it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# simple-history keeps the reason in a CharField(max_length=100).
REASON_MAX_LENGTH = 100

# The project's user model (core may not name it: it sits below `accounts`); the caller's type comes back.
_User = TypeVar("_User", bound="AbstractBaseUser")


def acting_user(user: _User | AnonymousUser | None) -> _User | None:
    """The user to record as the one who acted: None for an anonymous user or a command (`user=None`)."""
    return user if user is not None and user.is_authenticated else None


def set_history_user(obj: Any, user: AbstractBaseUser | AnonymousUser | None, *, reason: str = "") -> None:
    """Record `user` (see `acting_user`) and, when given, `reason` (cut to the 100 characters the history
    keeps) in the history record that the next `obj.save()` writes."""
    obj._history_user = acting_user(user)
    if reason:
        obj._change_reason = reason[:REASON_MAX_LENGTH]


def set_history_date(obj: Any, when: datetime.datetime) -> None:
    """Date the history record that the next `obj.save()` writes at `when` instead of now (the demo replays
    events of the past)."""
    obj._history_date = when
