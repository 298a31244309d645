"""The staff UI's own gettext domain, so its texts never collide with the respondent pages'
(the same English text, e.g. "Log in", is worded differently for staff and for respondents).
Its `.po` files are read at run time, like the respondent's (`engine.translation_catalogues`)."""

from pathlib import Path

from engine.translation_catalogues import gettext_folder_domain

domain = gettext_folder_domain(Path(__file__).parent / "translations")
gettext = domain.gettext
lazy_gettext = domain.lazy_gettext
