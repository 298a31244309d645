"""Pictures beside texts: the `images:` of questionnaire.yaml names, for a section, an option or
a row of a scale, an SVG file in the version's `images/` folder (with its licence file).

Each file is checked (`check`), made safe (`engine.definition.svg_safe`), frozen into the bundle
with its
SHA-256 (`freeze`/`thaw`), and found again for a text by `image_for`. Alternative text is the
translation key `images.<file name without .svg>.alt`.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from engine.definition import svg_safe
from engine.definition.error_catalogue import closest, editor_error
from engine.definition.errors import EditorError
from engine.definition.model import Question, QuestionnaireSource
from engine.definition.qtypes import OwnChoices
from engine.definition.yamlsource import YamlSource

FOLDER = "images"
LICENCE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "README.md")
MAX_BYTES = 32 * 1024
Key = tuple[str, ...]


@dataclass(frozen=True)
class Image:
    name: str
    svg: str
    digest: str

    @property
    def alt_key(self) -> Key:
        return alt_key(self.name)


def alt_key(file_name: str) -> Key:
    """The translation key of an image file's alternative text."""
    return ("images", file_name.removesuffix(".svg"), "alt")


def alt_keys(model: QuestionnaireSource) -> set[Key]:
    """The alternative texts a version's source language must have."""
    return {alt_key(name) for name in model.images.values()}


def image(name: str, svg: str) -> Image:
    return Image(name, svg, hashlib.sha256(svg.encode("utf-8")).hexdigest())


def load(source: YamlSource, questionnaire, directory: Path) -> tuple[dict, list[EditorError]]:
    """Every image the version names, made safe, by file name; and an error for each problem."""
    model = questionnaire.source
    targets = _targets(questionnaire)
    unknown = _unfit_questions(questionnaire)
    errors = [
        source.error("image-unknown-target", ("images", t), closest(t, targets), target=t)
        for t in model.images
        if t not in targets and t.split(".")[:2] not in unknown
    ]
    images = {}
    for name in sorted(set(model.images.values())):
        loaded, problems = _read(directory / FOLDER / name)
        errors += problems
        if loaded:
            images[name] = loaded
    if model.images and not any((directory / FOLDER / n).is_file() for n in LICENCE_FILES):
        errors.append(_licence_error(directory))
    return images, errors


def _read(file: Path) -> tuple[Image | None, list[EditorError]]:
    if not file.is_file():
        return None, [editor_error("image-missing", file, file_name=file.name)]
    size = file.stat().st_size
    if size > MAX_BYTES:
        return None, [editor_error("image-too-large", file, size=size, limit=MAX_BYTES)]
    try:
        safe = svg_safe.clean(file.read_bytes())
    except svg_safe.UnsafeSvg as exc:
        return None, [editor_error("image-unsafe", file, found=p) for p in exc.problems]
    return image(file.name, safe.text), []


def _licence_error(directory: Path) -> EditorError:
    folder = directory / FOLDER
    return editor_error("image-licence-missing", folder, names=", ".join(LICENCE_FILES))


def _targets(questionnaire) -> set[str]:
    """Every text an image may stand beside."""
    model = questionnaire.source
    targets = {f"sections.{s.id}" for s in model.sections}
    lists = {**model.option_lists, **{n: c.values for n, c in questionnaire.codelists.items()}}
    lists["yes_no"] = ["yes", "no"]
    targets |= {f"options.{name}.{value}" for name, values in lists.items() for value in values}
    for question in questionnaire.questions.values():
        targets |= {f"questions.{question.id}.rows.{row}" for row in question.rows}
        if _own_choices(questionnaire, question):
            targets |= {option_target(questionnaire, question, value)
                        for value in questionnaire.choices(question)}  # fmt: skip
    return targets


def _unfit_questions(questionnaire) -> list[list[str]]:
    """["options", id] of questions whose type makes their choices from own keys that do not fit
    it: which pictures they may have is not known (the loader reports the keys)."""
    return [
        ["options", question.id]
        for question in questionnaire.questions.values()
        if _own_choices(questionnaire, question)
        and not questionnaire.qtype(question).fits(question)
    ]


def _own_choices(questionnaire, question: Question) -> bool:
    """Whether the question's type (if it is a known one) makes its own choices."""
    qtype = questionnaire.types.get(question.type)
    return qtype is not None and isinstance(qtype.options, OwnChoices)


def option_target(questionnaire, question: Question, value: str) -> str:
    """The `images:` key of one option of a question."""
    if value in question.extra_options:
        return f"options.extra.{value}"
    source = questionnaire.qtype(question).options
    if source == "yes_no":
        return f"options.yes_no.{value}"
    if isinstance(source, OwnChoices):
        return f"options.{question.id}.{value}"
    return f"options.{question.options}.{value}"


def image_for(questionnaire, target: str) -> Image | None:
    """The image beside the text `target` (e.g. "sections.education"), if there is one."""
    name = questionnaire.source.images.get(target)
    return questionnaire.images.get(name) if name else None


def by_digest(questionnaire, digest: str) -> Image | None:
    return next((i for i in questionnaire.images.values() if i.digest == digest), None)


def freeze(questionnaire, content: dict) -> None:
    """Put the version's images into a bundle's content (nothing when it has none, so bundles
    of versions without images keep their fingerprint)."""
    if not questionnaire.source.images:
        content["source"].pop("images", None)
        return
    content["images"] = {name: i.svg for name, i in sorted(questionnaire.images.items())}


def thaw(content: dict) -> dict[str, Image]:
    return {name: image(name, svg) for name, svg in content.get("images", {}).items()}


def file_hashes(directory: Path) -> dict[str, str]:
    """A hash of the bytes of each file in the version's images folder (pictures, licence)."""
    folder = directory / FOLDER
    files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    return {
        f"{FOLDER}/{file.name}": "bytes:" + hashlib.sha256(file.read_bytes()).hexdigest()
        for file in files
    }
