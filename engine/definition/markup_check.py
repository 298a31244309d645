"""Warnings for texts that hold markup beyond the allowed formatting (it is removed when shown)."""

from engine.definition.error_catalogue import editor_error
from engine.definition.errors import EditorError
from engine.questionnaire import richtext
from engine.translation.texts import Translations, flatten


def warnings(*sets: Translations) -> list[EditorError]:
    """One warning per text, in every language file of `sets`, that holds disallowed markup."""
    found = []
    for translations in sets:
        for tag in translations.languages():
            language_file = translations.files[tag]
            for path, value in flatten(language_file.texts).items():
                problems = richtext.problems(value)
                if problems:
                    found.append(
                        editor_error(
                            "disallowed-markup",
                            language_file.file,
                            ".".join(path),
                            found=", ".join(problems),
                        )
                    )
    return found
