"""Pictures beside texts on the respondent's pages, and the one route that serves them.

`use(questionnaire)` tells the templates which version a page shows; `section_picture`,
`option_picture` and `row_picture` give, for a text, its image in the page's language and
beside it (alternative text from the translation files, with their fallback). Images are served
from published versions only, addressed by their content hash, so they are cached for a year.
"""

from dataclasses import dataclass

from flask import Blueprint, Flask, Response, abort, g, url_for

from engine.app.context import db_session, kompass
from engine.app.session_cookie import serves_files
from engine.definition import media_images
from engine.definition.model import Question
from engine.questionnaire.loaded import Questionnaire
from engine.versions import published

blueprint = Blueprint("pictures", __name__)
CACHE = "public, max-age=31536000, immutable"
SVG_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"


@dataclass(frozen=True)
class Img:
    src: str
    alt: str
    lang: str
    dir: str


@dataclass(frozen=True)
class Picture:
    first: Img
    second: Img | None = None


def install(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.jinja_env.globals.update(
        section_picture=section_picture, option_picture=option_picture, row_picture=row_picture
    )


def use(questionnaire: Questionnaire) -> None:
    """The version whose pictures this request's templates show."""
    g.pictures_of = questionnaire


def section_picture(section_id: str) -> Picture | None:
    return _picture(f"sections.{section_id}")


def option_picture(question: Question, value: str) -> Picture | None:
    questionnaire = g.get("pictures_of")
    if questionnaire is None or not questionnaire.images:
        return None
    return _picture(media_images.option_target(questionnaire, question, value))


def row_picture(question: Question, row: str) -> Picture | None:
    return _picture(f"questions.{question.id}.rows.{row}")


def _picture(target: str) -> Picture | None:
    questionnaire = g.get("pictures_of")
    found = questionnaire and media_images.image_for(questionnaire, target)
    if not found:
        return None
    beside = g.get("beside")
    second = _img(questionnaire, found, beside) if beside and beside != g.lang else None
    return Picture(_img(questionnaire, found, g.lang), second)


def _img(questionnaire: Questionnaire, image: media_images.Image, lang: str) -> Img:
    text = questionnaire.translations.text(lang, *image.alt_key)
    src = url_for(
        "pictures.image",
        questionnaire_id=questionnaire.id,
        version=questionnaire.version,
        digest=image.digest,
    )
    return Img(src, text.value, text.lang, questionnaire.direction(text.lang))


@blueprint.get("/images/<questionnaire_id>/<int:version>/<digest>.svg")
@serves_files
def image(questionnaire_id: str, version: int, digest: str) -> Response:
    """A published version's image by its content hash; 404 for anything else."""
    row = published.find(db_session(), questionnaire_id, version)
    if row is None or not row.is_published:
        abort(404)
    questionnaire = kompass().registry.get(db_session(), row.id)
    found = questionnaire and media_images.by_digest(questionnaire, digest)
    if not found:
        abort(404)
    response = Response(found.svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = CACHE
    response.headers["Content-Security-Policy"] = SVG_POLICY
    return response
