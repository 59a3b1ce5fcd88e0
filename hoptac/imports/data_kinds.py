"""The imports app's kind of data file: the import vocabulary (hoptac.core.datafiles).

The importer reads the shipped file `HOPTAC_DATA_DIR/import-vocabulary/vocabulary.yaml` itself, when a list is
read (imports.vocabulary); `load_data import-vocabulary FILE` checks a file of this kind (every problem named by
line) before it replaces the shipped one. Nothing is written to the database."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from hoptac.core.datafiles import UNCHANGED, DataKind, Loaded, register

from .vocabulary import parse_vocabulary


def vocabulary_check(*, text: str | bytes, name: str, user: Any = None) -> Loaded:
    words = parse_vocabulary(text, name=name)
    summary = _("import vocabulary checked: %(headers)s header wordings, %(sectors)s sector words") % {
        "headers": len(words.headers),
        "sectors": len(words.sectors),
    }
    return Loaded(obj=None, status=UNCHANGED, summary=str(summary))


VOCABULARY = register(
    DataKind(
        name="import-vocabulary",
        label=_("import vocabulary"),
        load=vocabulary_check,
        format="import-vocabulary/1",
    )
)
