"""A questionnaire's translation files: which keys must exist, and loading them."""

from engine.definition import cldr, language_file, media_images
from engine.definition.error_catalogue import editor_error
from engine.definition.errors import EditorError
from engine.questionnaire import soft_checks
from engine.questionnaire.loaded import Questionnaire
from engine.translation.texts import Translations, flatten

FOLDER = "translations"
Key = tuple[str, ...]


def expected_keys(questionnaire: Questionnaire) -> tuple[set[Key], set[Key]]:
    """(keys every questionnaire needs in its source language, keys that may be added)."""
    model = questionnaire.source
    required: set[Key] = {(model.title,)}
    optional: set[Key] = set()
    for section in model.sections:
        required.add(("sections", section.id, "title"))
        optional.add(("sections", section.id, "intro"))
    for question in questionnaire.questions.values():
        required |= _question_keys(questionnaire, question)
        optional.add(("questions", question.id, "hint"))
        optional.add(("questions", question.id, "required"))
        if questionnaire.qtype(question).has_children:
            optional.add(("questions", question.id, "add"))
    for name, values in model.option_lists.items():
        required |= {("options", name, value) for value in values}
    required |= {("messages", w.message) for _path, w, _s in soft_checks.declared(model)}
    required |= media_images.alt_keys(model)
    return required, optional | _list_names(questionnaire)


def _list_names(questionnaire: Questionnaire) -> set[Key]:
    """A translation file may name a country or language where CLDR has no name in it:
    `options.countries.<code>`, `options.languages.<code>`."""
    kinds = {questionnaire.qtype(question).options for question in questionnaire.questions.values()}
    codes = {"countries": cldr.country_codes, "languages": cldr.language_codes}
    return {("options", kind, code) for kind in kinds & set(codes) for code in codes[kind]()}


def _question_keys(questionnaire: Questionnaire, question) -> set[Key]:
    qtype = questionnaire.qtype(question)
    keys: set[Key] = {("questions", question.id, "label")}
    keys |= {("questions", question.id, "rows", row) for row in question.rows}
    keys |= {("messages", c.message) for c in question.constraints}
    if qtype.options == "yes_no":
        keys |= {("options", "yes_no", "yes"), ("options", "yes_no", "no")}
    if isinstance(question.options, list):
        keys |= {("options", question.id, value) for value in question.options}
    for value in question.extra_options:
        if not _named_by_cldr(qtype.options, value):
            keys.add(("options", "extra", value))
    return keys


def _named_by_cldr(source: str | None, value: str) -> bool:
    english = cldr.babel_locale("en")
    if source == "countries":
        return cldr.country_name(value, english) is not None
    if source == "languages":
        return cldr.language_name(value, english) is not None
    return False


def load(questionnaire: Questionnaire) -> tuple[Translations, list[EditorError]]:
    """Every translation file of the questionnaire; errors for unknown keys and missing source."""
    required, optional = expected_keys(questionnaire)
    known = required | optional
    translations = Translations(questionnaire.source.source_language)
    errors: list[EditorError] = []
    folder = questionnaire.directory / FOLDER
    for file in language_file.language_files(folder):
        loaded, found = language_file.read(file, known)
        errors += found
        if loaded:
            translations.files[loaded.tag] = loaded
    errors += _source_errors(questionnaire, translations, required)
    return translations, errors


def _source_errors(questionnaire, translations: Translations, required: set[Key]) -> list:
    source = questionnaire.source.source_language
    file = questionnaire.directory / FOLDER / f"{source}.yaml"
    if source not in translations.files:
        return [editor_error("missing-source-language", file, language=source, file_name=file.name)]
    present = set(flatten(translations.files[source].texts))
    return [
        editor_error("missing-source-text", file, ".".join(key), file_name=file.name)
        for key in sorted(required - present)
    ]
