"""The scoring app's kinds of data file: scoring schemes and size-class rules (hoptac.core.datafiles)."""

from django.utils.translation import gettext_lazy as _

from hoptac.core.datafiles import DataKind, register

from . import services
from .loader import SCHEME_FORMAT, SIZE_FORMAT

SCHEMES = register(
    DataKind(
        name="scoring-schemes", label=_("scoring scheme"), load=services.scheme_load, format=SCHEME_FORMAT
    )
)
SIZE_CLASSES = register(
    DataKind(name="size-classes", label=_("size classes"), load=services.size_rules_load, format=SIZE_FORMAT)
)
# The scheme page accepts either kind, told apart by the file's `format` key.
UPLOAD_KINDS = (SCHEMES.name, SIZE_CLASSES.name)
