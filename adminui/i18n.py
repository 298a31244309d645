"""The staff UI's own gettext domain, so its texts never collide with the respondent pages'
(the same English text, e.g. "Log in", is worded differently for staff and for respondents).
Its `.po` files are read at run time, like the respondent's (`engine.translation.catalogues`)."""

from pathlib import Path

from flask_babel.speaklater import LazyString
from markupsafe import escape

from engine.translation.catalogues import gettext_folder_domain

domain = gettext_folder_domain(Path(__file__).parent / "translations")
gettext = domain.gettext


class LazyText(LazyString):
    """A lazy translation that templates escape (Flask-Babel's own marks itself safe HTML)."""

    def __html__(self) -> str:
        return str(escape(str(self)))


def lazy_gettext(string: str, **variables) -> LazyText:
    return LazyText(gettext, string, **variables)
