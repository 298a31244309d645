"""Audio in the content editor: per language, texts with and without a clip, and uploading a
clip for one text of a draft version (never of a published one), checked and audited."""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from adminui import content
from auth.staff import audit
from auth.staff.models import User
from engine import audio
from engine.questionnaire import Questionnaire

UPLOAD_ACTION = "questionnaire.audio"


@dataclass(frozen=True)
class AudioStatus:
    tag: str
    with_audio: int
    without_audio: int
    machine: int


def status(questionnaire: Questionnaire) -> list[AudioStatus]:
    """Per language, how many of its texts have a clip, how many have none, how many of the
    clips are machine speech."""
    found = []
    for tag in questionnaire.languages():
        clips = questionnaire.audio.get(tag, {})
        paths = texts(questionnaire, tag)
        tally = Counter(path in clips for path in paths)
        machine = sum(1 for path in paths if path in clips and clips[path].machine)
        found.append(AudioStatus(tag, tally[True], tally[False], machine))
    return found


def texts(questionnaire: Questionnaire, lang: str) -> list[str]:
    """The text paths that have a text in `lang` (the ones a clip in `lang` may speak)."""
    translations = questionnaire.translations
    return [".".join(key) for key in translations.source_keys() if translations.value(lang, key)]


class UploadRefused(Exception):
    """The clip was not saved; `reason` is a key of the view's messages, `detail` the why."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Upload:
    lang: str
    text_path: str
    filename: str
    data: bytes


def save(
    session: Session, loaded: content.Loaded, directory: Path, upload: Upload, user: User
) -> Path:
    """Write the clip into the draft's audio folder, replacing the text's old clip; audited."""
    if loaded.version.state != content.DRAFT:
        raise UploadRefused("not_draft")
    questionnaire = loaded.questionnaire
    if questionnaire is None:
        raise UploadRefused("check_failed")
    if upload.lang not in questionnaire.languages():
        raise UploadRefused("unknown_language")
    if upload.text_path not in texts(questionnaire, upload.lang):
        raise UploadRefused("unknown_text")
    suffix = Path(upload.filename).suffix.lower()
    try:
        audio.probe(upload.data, suffix)
    except audio.AudioProblem as problem:
        raise UploadRefused("bad_file", str(problem)) from None
    target = _replace(directory, upload, suffix)
    audit.record(
        session, UPLOAD_ACTION, user, questionnaire=questionnaire.id,
        version=questionnaire.version, language=upload.lang, text=upload.text_path,
        hash=audio.digest(upload.data),
    )  # fmt: skip
    return target


def _replace(directory: Path, upload: Upload, suffix: str) -> Path:
    for other in audio.TYPES:
        audio.target(directory, upload.lang, upload.text_path, other).unlink(missing_ok=True)
    target = audio.target(directory, upload.lang, upload.text_path, suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(upload.data)
    return target
