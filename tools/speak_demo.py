"""Machine speech for the demo: every text of the title and the first section, and the interface
strings the version declares (`interface_texts:`, the start and log-in pages), in each language
espeak-ng speaks, as Ogg Opus files marked SPEECH=machine (`make demo-audio`; run by hand).

Usage: python -m tools.speak_demo [questionnaires/kompass/1]
"""

import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

from engine.app import plugins
from engine.definition import audio, codelists, interface_texts, loader
from engine.questionnaire.richtext import plain
from engine.translation.catalogues import read_catalog

# The questionnaire's language tag -> espeak-ng's voice; languages without a voice (Tigrinya,
# Pashto, Somali, Sorani in espeak-ng 1.51/1.52) get none.
VOICES = {"am": "am", "ar": "ar", "en": "en-gb", "fa": "fa", "fa-AF": "fa", "fr": "fr-fr",
          "kmr": "ku", "nb": "nb", "om": "om", "ru": "ru", "sq": "sq", "tr": "tr",
          "uk": "uk"}  # fmt: skip


def main(directory: Path) -> None:
    types = plugins.question_types(plugins.make_plugin_manager())
    shared = codelists.load(directory.parent.parent / codelists.FOLDER)
    questionnaire = loader.load_version(directory, types, shared)
    first = questionnaire.source.sections[0]
    wanted = {("title",), *(k for k in questionnaire.translations.source_keys() if _in(k, first))}
    for lang, voice in VOICES.items():
        for key in sorted(wanted):
            text = questionnaire.translations.value(lang, key)
            if text:
                _speak(plain(text), voice, audio.target(directory, lang, ".".join(key), ".ogg"))
        for path, text in _interface(questionnaire, lang).items():
            _speak(text, voice, audio.target(directory, lang, path, ".ogg"))


def _interface(questionnaire, lang: str) -> dict[str, str]:
    """The declared interface strings that the language's catalogue shows, by text path."""
    folder = interface_texts.folder_of(questionnaire.directory)
    shown = interface_texts.shown(questionnaire.source, [lang], folder)[lang]
    catalog = read_catalog(folder / f"{lang}.po")
    return {
        interface_texts.text_path(key): catalog.get(msgid).string or msgid
        for key, msgid in questionnaire.source.interface_texts.items()
        if interface_texts.text_path(key) in shown
    }


def _in(key: tuple[str, ...], section) -> bool:
    ids = {q.id for top in section.questions for q in top.walk()}
    return key[:2] == ("sections", section.id) or (key[0] == "questions" and key[1] in ids)


def _speak(text: str, voice: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".wav") as wav:
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", wav.name, text], check=True)
        subprocess.run(
            ["opusenc", "--quiet", "--bitrate", "16", "--downmix-mono", "--serial", _serial(target),
             "--comment", f"{audio.MACHINE_TAG}={audio.MACHINE_VALUE}",
             "--comment", f"LANGUAGE={target.parent.name}", wav.name, str(target)],
            check=True,
        )  # fmt: skip


def _serial(target: Path) -> str:
    """A stream serial number fixed by the file's place, so the same text gives the same bytes."""
    place = f"{target.parent.name}/{target.name}"
    return str(int(hashlib.sha256(place.encode()).hexdigest()[:7], 16))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "questionnaires/kompass/1"))
