"""Audio in the content editor: per language, texts with and without a clip, and uploading a
clip for one text of a draft version (never of a published one), checked and audited."""

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from adminui import content
from auth.staff import audit
from auth.staff.models import User
from engine.app.context import kompass
from engine.definition import audio
from engine.questionnaire.loaded import Questionnaire
from engine.translation.catalogues import INTERFACE_FOLDER

UPLOAD_ACTION = "questionnaire.audio"


@dataclass(frozen=True)
class AudioStatus:
    tag: str
    with_audio: int
    without_audio: int
    machine: int


def status(questionnaire: Questionnaire) -> list[AudioStatus]:
    """Per language, how many of its texts (interface strings included) have a clip, how many
    have none, how many of the clips are machine speech."""
    found = []
    texts = _texts(questionnaire)
    for tag in questionnaire.languages():
        clips = questionnaire.audio.get(tag, {})
        tally = Counter(path in clips for path in texts[tag])
        machine = sum(1 for path in texts[tag] if path in clips and clips[path].machine)
        found.append(AudioStatus(tag, tally[True], tally[False], machine))
    return found


def _texts(questionnaire: Questionnaire) -> dict[str, set[str]]:
    """Per language, the text paths a clip in it may speak (engine/definition/audio.py), the
    interface
    strings' by the catalogues the app serves."""
    return audio.text_paths(questionnaire, kompass().registry.files_root / INTERFACE_FOLDER)


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
    if upload.text_path not in _texts(questionnaire)[upload.lang]:
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
