"""The sign-in lockout (django-axes) with two limits (docs/decisions/0022-authentication-audit.md).

`AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]` makes axes count failures twice: for the
account from one address, and for the address whatever the username. Axes compares both counts with one limit;
this handler gives the address its own, higher limit (`AXES_IP_FAILURE_LIMIT`), so that an office sharing one
public address is not locked by a few typos, while one password tried across many usernames is stopped."""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def _total(attempts: Any) -> int:
    return attempts.aggregate(Sum("failures_since_start"))["failures_since_start__sum"] or 0


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """The failures that count against AXES_FAILURE_LIMIT: the account's from this address, or the limit
        itself once the address alone has reached AXES_IP_FAILURE_LIMIT."""
        attempts = self.get_user_attempts(request, credentials)
        account, address = attempts[0], attempts[-1]
        failures = _total(account)
        if _total(address) >= settings.AXES_IP_FAILURE_LIMIT:
            failures = max(failures, settings.AXES_FAILURE_LIMIT)
        return failures
