"""The engine's own staff-facing texts (the export's response facts and verification marks) in
the deployment's label languages (`LABEL_LANGUAGES`).

The texts are English; their translations are the engine's own gettext catalogue,
`engine/translations/<language>/LC_MESSAGES/messages.po`, read at run time like the other
catalogues (`make messages` extracts every text given to `staff_labels`). A catalogue rather than
a hook: the texts are the engine's, so their translations travel with it, a deployment chooses
its languages by a setting and adds one with a file, and a language without a catalogue shows
the English text.
"""

from collections.abc import Sequence
from pathlib import Path

from engine.translation.catalogues import PoCatalogues

FOLDER = Path(__file__).parent.parent / "translations"
_catalogues = PoCatalogues(FOLDER, lambda language: f"{language}/LC_MESSAGES/messages.po")


def staff_labels(text: str, languages: Sequence[str]) -> dict[str, str]:
    """`text` in each of `languages`, by language."""
    return {language: _catalogues.get(language).gettext(text) for language in languages}
