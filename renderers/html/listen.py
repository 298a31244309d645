"""The "Listen" control of a text with audio, and the route that serves published clips.

A clip's URL holds the questionnaire, the version and the hash of its bytes, so it never changes
and the browser keeps it for a year. Only clips stored when a version was published are served.
"""

import re
from dataclasses import dataclass

from flask import Blueprint, Response, abort, url_for
from flask_babel import gettext

from engine.app.context import db_session
from engine.app.session_cookie import serves_files
from engine.definition import audio
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.richtext import plain
from engine.translation.texts import Text
from engine.versions import audio_store

blueprint = Blueprint("audio", __name__)
YEAR = 365 * 24 * 3600
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Listen:
    """What the `listen` macro needs; the URL and the name are made when the page is."""

    questionnaire_id: str
    version: int
    clip: audio.Clip
    text: str
    name: str | None = None
    """The name already made in another language than the page's (the start page's list)."""

    @property
    def url(self) -> str:
        return url_for(
            "audio.clip", questionnaire_id=self.questionnaire_id, version=self.version,
            digest=self.clip.hash, extension=self.clip.extension,
        )  # fmt: skip

    @property
    def type(self) -> str:
        return self.clip.type

    @property
    def label(self) -> str:
        """ "Listen: <text>" in the page's language, unless named already."""
        return self.name or gettext("Listen: %(text)s", text=self.text)


def control(questionnaire: Questionnaire, text: Text) -> Listen | None:
    """The control for `text` if its language has a clip of it."""
    if not text.path:
        return None
    return clip_control(questionnaire, text.lang, ".".join(text.path), plain(text.value))


def clip_control(
    questionnaire: Questionnaire, lang: str, path: str, text: str, name: str | None = None
) -> Listen | None:
    """The control for the text at `path` (shown as `text`) if `lang` has a clip of it."""
    clip = questionnaire.audio.get(lang, {}).get(path)
    return clip and Listen(questionnaire.id, questionnaire.version, clip, text, name)


@blueprint.get("/audio/<questionnaire_id>/<int:version>/<digest>.<extension>")
@serves_files
def clip(questionnaire_id: str, version: int, digest: str, extension: str):
    if not (SHA256.fullmatch(digest) and version < 2**31 and len(questionnaire_id) <= 60):
        abort(404)  # nothing stored can match; and PostgreSQL refuses integers past 2**31
    stored = audio_store.find(db_session(), questionnaire_id, version, digest)
    if stored is None or audio.TYPES.get(f".{extension}") != stored.content_type:
        abort(404)
    response = Response(stored.data, mimetype=stored.content_type)
    # private: a clip is only for the respondents of a published version, not for shared
    # caches; the browser keeps it for a year, as its URL never changes.
    response.headers["Cache-Control"] = f"private, max-age={YEAR}, immutable"
    response.headers["ETag"] = f'"{digest}"'
    return response
