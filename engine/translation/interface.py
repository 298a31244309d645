"""Interface strings in templates are text, never markup.

Jinja's "newstyle" gettext, as Flask-Babel installs it, marks every translation as safe HTML
when autoescaping, so a catalogue entry could put tags into a page. These callables escape the
translation first; the placeholders' values are escaped as before.
"""

from flask import Flask
from flask_babel import get_translations
from markupsafe import escape


def install(app: Flask) -> None:
    """Replace the template gettext functions with ones that escape the translation."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: escape(get_translations().ugettext(s)),
        ngettext=lambda s, p, n: escape(get_translations().ungettext(s, p, n)),
        newstyle=True,
        pgettext=lambda c, s: escape(get_translations().upgettext(c, s)),
        npgettext=lambda c, s, p, n: escape(get_translations().unpgettext(c, s, p, n)),
    )
