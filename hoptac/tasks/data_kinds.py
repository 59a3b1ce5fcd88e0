"""The tasks app's kind of data file: the agencies file (hoptac.core.datafiles; format in
docs/decisions/0004-tasks.md)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoptac.accounts.models import User
from hoptac.core.datafiles import CREATED, UPDATED, DataKind, Loaded, register

from .services import agency_file_load


def load(*, text: str, name: str, user: User | None = None) -> Loaded:
    """The agencies file is loaded by the `load_data` command only: no page uploads it."""
    if user is not None:
        raise PermissionDenied
    result = agency_file_load(text=text, name=name)
    summary = _(
        "%(count)s agencies (%(created)s new, %(updated)s updated) and %(obligations)s reporting obligations"
    ) % {
        "count": len(result.agencies),
        "created": result.created,
        "updated": result.updated,
        "obligations": result.obligations,
    }
    return Loaded(result, UPDATED if result.updated else CREATED, summary)


AGENCIES = register(DataKind(name="agencies", label=gettext_lazy("agencies"), load=load))
