"""Audio for questionnaire texts: one clip per text and language, kept in the version folder.

`audio/<lang>/<text path>.ogg` (Ogg Opus) or `.mp3` (MPEG audio), where the text path is the
key of the text in the translation files (`sections.personal.intro`, `questions.x.label`,
`options.list.value`, `messages.name`, `title`), or `interface.<key>` for an interface string the
version declares (engine/definition/interface_texts.py). A clip is spoken in the language of its
folder;
a clip whose metadata has `SPEECH=machine` (a Vorbis comment, or an ID3 TXXX frame) is machine
speech, marked to staff and respondents as machine translation is.
"""

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from mutagen import MutagenError
from mutagen.mp3 import MP3
from mutagen.oggopus import OggOpus

from engine.definition import interface_texts
from engine.definition.error_catalogue import editor_error
from engine.definition.errors import EditorError

FOLDER = "audio"
TYPES = {".ogg": "audio/ogg", ".mp3": "audio/mpeg"}
MAX_BYTES = 900_000  # below the app's request body limit, so an upload of it fits
MAX_SECONDS = 120
MACHINE_TAG = "SPEECH"
MACHINE_VALUE = "machine"


# An interface string's clip gets errors whose advice points at the interface catalogues.
INTERFACE_CODES = {"audio-unknown-text": "audio-unknown-interface-text",
                   "audio-missing-text": "audio-missing-interface-text"}  # fmt: skip


class AudioProblem(ValueError):
    """The bytes are not an acceptable clip; the message says why, for the editor."""


@dataclass(frozen=True)
class Clip:
    """One text's audio in one language; `file` is set only while read from a folder."""

    lang: str
    path: str
    hash: str
    type: str
    seconds: float
    machine: bool
    file: Path | None = None

    @property
    def extension(self) -> str:
        return next(ext for ext, kind in TYPES.items() if kind == self.type)[1:]

    def to_dict(self) -> dict:
        return {"hash": self.hash, "type": self.type, "seconds": self.seconds,
                "machine": self.machine}  # fmt: skip


Index = dict[str, dict[str, Clip]]
"""Clips by language, then by text path."""


def probe(data: bytes, suffix: str) -> tuple[str, float, bool]:
    """The content type, length in seconds and machine mark of a clip; AudioProblem if the
    bytes are not Ogg Opus (.ogg) or MPEG audio (.mp3), or are too large or too long."""
    if suffix not in TYPES:
        raise AudioProblem(f"the file name must end in {' or '.join(TYPES)}")
    if len(data) > MAX_BYTES:
        raise AudioProblem(f"the file has {len(data)} bytes; at most {MAX_BYTES} are allowed")
    info, machine = _read(data, suffix)
    if info.length > MAX_SECONDS:
        raise AudioProblem(f"the clip lasts {info.length:.0f} s; at most {MAX_SECONDS} s")
    return TYPES[suffix], round(info.length, 2), machine


def _read(data: bytes, suffix: str):
    if suffix == ".ogg" and not (data[:4] == b"OggS" and b"OpusHead" in data[:64]):
        raise AudioProblem("the file is not Ogg Opus audio (it must begin with OggS/OpusHead)")
    if suffix == ".mp3" and not (data[:3] == b"ID3" or _frame_sync(data)):
        raise AudioProblem("the file is not MP3 audio (no ID3 tag or MPEG frame at its start)")
    try:
        audio = (OggOpus if suffix == ".ogg" else MP3)(io.BytesIO(data))
    except (MutagenError, ValueError, EOFError) as exc:
        raise AudioProblem(f"the audio cannot be read: {exc}") from exc
    return audio.info, _machine(audio, suffix)


def _frame_sync(data: bytes) -> bool:
    return len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0


def _machine(audio, suffix: str) -> bool:
    tags = audio.tags
    if tags is None:
        return False
    if suffix == ".ogg":
        return MACHINE_VALUE in [v.lower() for v in tags.get(MACHINE_TAG, [])]
    frame = tags.get(f"TXXX:{MACHINE_TAG}")
    return frame is not None and MACHINE_VALUE in [str(v).lower() for v in frame.text]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files(directory: Path) -> list[Path]:
    """Every file under the version's audio folder, in order."""
    folder = directory / FOLDER
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def scan(directory: Path, texts: dict[str, set[str]]) -> tuple[Index, list[EditorError]]:
    """The clips of a version folder and an error for each file that is not a good clip of a
    text the version has in that language (`texts`: the text paths of each language)."""
    index: Index = {}
    errors = []
    for file in files(directory):
        clip, error = _clip(directory, file, texts)
        if error is not None:
            errors.append(error)
        elif clip.path in index.get(clip.lang, {}):
            errors.append(_error("audio-duplicate", file, clip.path, lang=clip.lang))
        else:
            index.setdefault(clip.lang, {})[clip.path] = clip
    return index, errors


def _clip(directory: Path, file: Path, texts: dict[str, set[str]]):
    relative = file.relative_to(directory / FOLDER)
    text_path = relative.name.removesuffix(file.suffix)
    if len(relative.parts) != 2 or relative.parts[0] not in texts:
        return None, _error("audio-misplaced", file, text_path, languages=_listed(set(texts)))
    if not any(text_path in paths for paths in texts.values()):
        return None, _error("audio-unknown-text", file, text_path)
    if text_path not in texts[relative.parts[0]]:
        return None, _error("audio-missing-text", file, text_path, lang=relative.parts[0])
    try:
        data = file.read_bytes()
        kind, seconds, machine = probe(data, file.suffix)
    except AudioProblem as exc:
        return None, _error("audio-bad-file", file, text_path, problem=str(exc))
    clip = Clip(relative.parts[0], text_path, digest(data), kind, seconds, machine, file)
    return clip, None


def _error(code: str, file: Path, text_path: str, **fields) -> EditorError:
    if text_path.startswith(f"{interface_texts.PREFIX}.") and code in INTERFACE_CODES:
        code = INTERFACE_CODES[code]
    return editor_error(code, file, text_path, text_path=text_path, **fields)


def _listed(languages: set[str]) -> str:
    return ", ".join(sorted(languages))


def target(directory: Path, lang: str, text_path: str, suffix: str) -> Path:
    """Where the clip of a text belongs in a version folder."""
    return directory / FOLDER / lang / f"{text_path}{suffix}"


def freeze(index: Index) -> dict:
    """The clips as the bundle keeps them (their bytes are stored beside it, by hash)."""
    return {
        lang: {path: clip.to_dict() for path, clip in sorted(clips.items())}
        for lang, clips in sorted(index.items())
    }


def thaw(data: dict) -> Index:
    return {
        lang: {path: Clip(lang, path, **entry) for path, entry in clips.items()}
        for lang, clips in data.items()
    }


def load(questionnaire) -> tuple[Index, list[EditorError]]:
    """The clips of a loaded version's folder, checked against its texts."""
    folder = interface_texts.folder_of(questionnaire.directory)
    return scan(questionnaire.directory, text_paths(questionnaire, folder))


def text_paths(questionnaire, interface_folder: Path) -> dict[str, set[str]]:
    """Per language, the paths of the texts a clip in that language may speak: those of its
    translation file, and the declared interface strings its catalogue in `interface_folder`
    shows."""
    translations = questionnaire.translations
    keys = translations.source_keys()
    languages = translations.languages()
    interface = interface_texts.shown(questionnaire.source, languages, interface_folder)
    return {
        lang: {".".join(key) for key in keys if translations.value(lang, key)} | interface[lang]
        for lang in languages
    }
