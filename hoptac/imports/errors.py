"""Error messages of the import (tests assert on them). Messages about a single cell are built in
importer.py with the row and column they concern."""

from django.utils.translation import gettext_lazy as _

IMPORT_YEAR_MISSING = _("the row has yearly figures but no year: write the year they belong to")
FIELD_KEPT_BY_OFFICERS = _("you may not change this field: it is kept by the registering office")
# Said alike of a code (or name) nobody registered and of one registered outside the user's reach, so that an
# import cannot be used to learn which organisations exist elsewhere.
NOT_FOUND_OR_NOT_YOURS = _("no organisation you may change has this registration code or name")
# A list without a kind column: the kind is read from the name ("HTX …", "Tổ hợp tác …").
KIND_NOT_IN_NAME = _(
    "the list has no column 'Loại hình' and the name does not start with the kind (HTX, Hợp tác xã, LHHTX, "
    "Tổ hợp tác, QTDND): add the column or the kind to the name"
)
