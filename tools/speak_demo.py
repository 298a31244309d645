"""Machine speech for the demo: every text of the title and the first section, in each language
espeak-ng speaks, as Ogg Opus files marked SPEECH=machine (`make demo-audio`; run by hand).

Usage: python -m tools.speak_demo [questionnaires/kompass/1]
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from engine import audio, codelists, loader, plugins
from engine.richtext import plain

# The questionnaire's language tag -> espeak-ng's voice; languages without a voice get none.
VOICES = {"ar": "ar", "en": "en-gb", "fa": "fa", "fa-AF": "fa", "fr": "fr-fr", "kmr": "ku",
          "nb": "nb", "om": "om", "ru": "ru", "sq": "sq", "tr": "tr"}  # fmt: skip


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


def _in(key: tuple[str, ...], section) -> bool:
    ids = {q.id for top in section.questions for q in top.walk()}
    return key[:2] == ("sections", section.id) or (key[0] == "questions" and key[1] in ids)


def _speak(text: str, voice: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".wav") as wav:
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", wav.name, text], check=True)
        subprocess.run(
            ["opusenc", "--quiet", "--bitrate", "16", "--downmix-mono",
             "--comment", f"{audio.MACHINE_TAG}={audio.MACHINE_VALUE}",
             "--comment", f"LANGUAGE={target.parent.name}", wav.name, str(target)],
            check=True,
        )  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "questionnaires/kompass/1"))
