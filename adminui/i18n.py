"""The staff UI's own gettext domain, so its texts never collide with the respondent pages'
(the same English text, e.g. "Log in", is worded differently for staff and for respondents)."""

from pathlib import Path

from flask_babel import Domain

domain = Domain(translation_directories=str(Path(__file__).parent / "translations"))
gettext = domain.gettext
lazy_gettext = domain.lazy_gettext
