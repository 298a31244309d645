"""Interface strings with their "Listen" control, on the start and log-in pages.

The newest published version declares which interface strings may be spoken
(`interface_texts:`, engine/definition/interface_texts.py) and holds their clips. A string gets its
control
when that version has a clip of it in the language it is shown in; where the catalogue shows the
English text instead, it gets none. The start page has no language yet: each language in its
list gets the string "Choose this language" in that language, its control named in that
language, and a "Machine speech" mark when the clip is machine speech.
"""

from dataclasses import dataclass

from flask import g
from flask_babel import force_locale, gettext
from markupsafe import escape

from engine.app.context import db_session, kompass
from engine.definition import interface_texts
from engine.questionnaire.languages import Language
from engine.questionnaire.loaded import Questionnaire
from engine.translation.catalogues import INTERFACE_SOURCE_LANGUAGE
from renderers.html.bilingual import N_, Bilingual, Part, part
from renderers.html.listen import Listen, clip_control

CHOOSE = N_("Choose this language")


@dataclass(frozen=True)
class Choice:
    """A language of the start page's list, with its spoken "Choose this language"."""

    language: Language
    spoken: Bilingual
    machine_mark: str | None = None


def spoken(msgid: str) -> Bilingual:
    """`msgid` in the page's language, with its "Listen" control if it has a clip."""
    return _spoken(g.language, msgid)


def title() -> Bilingual | None:
    """The newest version's title in the page's language, with its control if it has a clip."""
    questionnaire = _active()
    if questionnaire is None:
        return None
    return Bilingual(part(questionnaire, questionnaire.title(g.lang), listen=True))


def choices(languages: list[Language]) -> list[Choice]:
    """Each language of the start page, with "Choose this language" spoken in it."""
    return [_choice(language) for language in languages]


def _choice(language: Language) -> Choice:
    """One language of the list, every string of it in that language."""
    with force_locale(language.locale):
        said = _spoken(language, CHOOSE, named=True)
        machine = said.first.listen is not None and said.first.listen.clip.machine
        return Choice(language, said, gettext("Machine speech") if machine else None)


def _spoken(language: Language, msgid: str, named: bool = False) -> Bilingual:
    """`msgid` translated (in the current locale) as a text of `language`, with its control."""
    text = gettext(msgid)
    listen = _listen(language.tag, msgid, text, named)
    return Bilingual(Part(escape(text), language.tag, language.dir, listen))


def _listen(lang: str, msgid: str, text: str, named: bool) -> Listen | None:
    """The control, if the newest version has a clip of `msgid` in `lang` and the page shows
    the text in `lang` (not the English source in its place)."""
    questionnaire = _active()
    if questionnaire is None or (text == msgid and lang != INTERFACE_SOURCE_LANGUAGE):
        return None
    key = interface_texts.key_of(questionnaire.source, msgid)
    if not key:
        return None
    name = gettext("Listen: %(text)s", text=text) if named else None
    return clip_control(questionnaire, lang, interface_texts.text_path(key), text, name)


def _active() -> Questionnaire | None:
    """The newest published version of the page's questionnaire, asked once per request."""
    if "spoken_version" not in g:
        g.spoken_version = kompass().registry.active(db_session(), g.get("questionnaire_id"))
    return g.spoken_version
