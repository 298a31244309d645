"""Every editor error code, what it means and how to fix it: the one place errors are made.

`editor_error(code, file, ...)` builds an `EditorError` from the catalogue, filling the
`{placeholders}` of its message and advice; a code that is not here raises `UnknownErrorCode`.
`python -m engine.definition.error_catalogue > docs/editor-errors.md` writes the editors' table.
"""

import difflib
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from engine.definition.errors import EditorError

DOC_FILE = "docs/editor-errors.md"
REGENERATE = f"python -m engine.definition.error_catalogue > {DOC_FILE}"
TABLE_HEAD = "| code | what it means | how to fix |\n| --- | --- | --- |\n"


@dataclass(frozen=True)
class Entry:
    meaning: str
    message: str
    hint: str


class UnknownErrorCode(LookupError):
    """A code that is not in the catalogue: a programming error, never an editor's."""


WHOLE_NUMBER = Entry(
    "A whole number is expected here.", "{detail}", "write a whole number without quotes, e.g. 3"
)
TRUE_OR_FALSE = Entry("true or false is expected here.", "{detail}", "write true or false")


ANY_FILE = {
    "yaml-syntax": Entry(
        "The file is not valid YAML.",
        "the file is not valid YAML: {problem}",
        "check indentation and quoting near the line given; values with ':' or '#' need quotes",
    ),
    "yaml-alias": Entry(
        "The file uses a YAML anchor (`&name`) or alias (`*name`); they are not allowed.",
        "the file uses the YAML anchor or alias '{name}'",
        "write the content out in full; a text that starts with '*' or '&' needs quotes",
    ),
    "yaml-too-deep": Entry(
        "Mappings and lists are nested deeper than any questionnaire needs.",
        "the file is nested more than {limit} levels deep",
        "check the indentation near the line given",
    ),
    "yaml-bad-value": Entry(
        "A value looks like a number or a date but is not one the engine can read.",
        "the value '{value}' is not a number or date the engine can read",
        "write a number with at most a few digits, a real date (YYYY-MM-DD), or put text in quotes",
    ),
    "file-too-large": Entry(
        "The file is larger than the engine reads.",
        "the file has {size} bytes, more than the limit of {limit}",
        "check that this is the right file; split a very long code list into several lists",
    ),
    "duplicate-key": Entry(
        "A key appears twice in the same mapping; YAML would silently keep only the last one.",
        "the key '{key}' appears twice here (first on line {first_line})",
        "delete one of them, keeping what you meant (YAML would have used the last one)",
    ),
}

SHAPE = {
    "schema-extra_forbidden": Entry(
        "A key that is not allowed at this place, often a misspelling.",
        "unknown key '{key}'",
        "remove it or correct its spelling; docs/questionnaire-format.md lists the keys",
    ),
    "schema-missing": Entry(
        "A key that must be given is missing.", "the key '{key}' is missing", "add '{key}:' here"
    ),
    "schema-string_pattern_mismatch": Entry(
        "An id or option value has characters that are not allowed.",
        "'{value}' is not a valid id or value",
        "ids use lowercase letters, digits and '_', starting with a letter; "
        "option values may also use capitals and '-'",
    ),
    "schema-string_too_long": Entry(
        "An id is too long.", "{detail}", "shorten it to at most 60 characters"
    ),
    "schema-string_type": Entry(
        "Text is expected here.",
        "{detail}",
        "write text; put it in quotes if YAML would read it as a number or true/false",
    ),
    "schema-int_type": WHOLE_NUMBER,
    "schema-int_parsing": WHOLE_NUMBER,
    "schema-int_parsing_size": WHOLE_NUMBER,
    "schema-int_from_float": WHOLE_NUMBER,
    "schema-finite_number": WHOLE_NUMBER,
    "schema-bool_type": TRUE_OR_FALSE,
    "schema-bool_parsing": TRUE_OR_FALSE,
    "schema-greater_than_equal": Entry(
        "The number is below the smallest value allowed.",
        "{detail}",
        "use a number at least as large as the message says",
    ),
    "schema-less_than_equal": Entry(
        "A number is larger than allowed here.",
        "{detail}",
        "use a smaller number; docs/questionnaire-format.md (or the question type's plugin) "
        "gives the limits",
    ),
    "schema-too_short": Entry(
        "The list is empty, but needs at least one item.", "{detail}", "add at least one item"
    ),
    "schema-list_type": Entry(
        "A list is expected here.",
        "{detail}",
        "write a list: [a, b], or one '- item' per line",
    ),
    "schema-dict_type": Entry(
        "A mapping of names to lists is expected here.",
        "{detail}",
        "write one 'name: [a, b]' line per list, indented under this key",
    ),
    "schema-model_type": Entry(
        "A mapping is expected here (the file, a section, a question or a constraint).",
        "{detail}",
        "write 'key: value' lines; a list item starts with '- id: ...'",
    ),
    "schema-literal_error": Entry(
        "The value is not one of the words allowed here.",
        "{detail}",
        "use one of the values the message lists",
    ),
    "schema-invalid": Entry(
        "Any other value of the wrong form.",
        "{detail}",
        "see docs/questionnaire-format.md for this key",
    ),
}

QUESTIONNAIRE = {
    "wrong-folder": Entry(
        "The id and version do not match the folder the file lies in.",
        "questionnaire {qid} version {version} lies in {folder}",
        "move it to questionnaires/{qid}/{version}/ or correct id and version",
    ),
    "duplicate-id": Entry(
        "Two sections, or two questions, have the same id.",
        "the id '{qid}' is used twice (first at {first})",
        "give each section, and each question, its own id; ids are how answers are stored",
    ),
    "unknown-codelist": Entry(
        "'codelists' names a shared code list that does not exist.",
        "there is no shared code list '{name}'",
        "add questionnaires/codelists/{name}.yaml or remove the name; known lists: {known}",
    ),
    "unknown-type": Entry(
        "The question type is not one the engine (or a plugin) offers.",
        "unknown question type '{type}'",
        "use one of: {known}",
    ),
    "misplaced-questions": Entry(
        "A group has no nested questions, or a question that is not a group has some.",
        "a '{type}' question {rule} nested 'questions'",
        "only 'group' questions hold other questions",
    ),
    "missing-rows": Entry(
        "A scale question has no rows.", "a scale needs 'rows'", "add rows: [row_a, row_b]"
    ),
    "bad-pattern": Entry(
        "A text question's pattern is not a valid regular expression.",
        "the pattern is not a valid regular expression: {problem}",
        "check brackets and escapes",
    ),
    "min-above-max": Entry(
        "A lower limit is above the matching upper limit.",
        "{low} is above {high}",
        "swap them",
    ),
    "unexpected-options": Entry(
        "A question whose type has no options has 'options'.",
        "a '{type}' question takes no 'options'",
        "remove 'options', or use single_choice, multiple_choice or scale",
    ),
    "missing-options": Entry(
        "A choice or scale question has no 'options'.",
        "a '{type}' question needs 'options'",
        "add 'options:' with the name of a list from option_lists or codelists, "
        "or a list of values such as [a, b]",
    ),
    "unknown-option-list": Entry(
        "'options' names a list that is neither in option_lists nor in codelists.",
        "there is no option list '{name}'",
        "define it under option_lists, or add it to codelists; known: {known}",
    ),
    "unknown-ordered-list": Entry(
        "'ordered_lists' names a list that is neither in option_lists nor in codelists.",
        "there is no option list or code list '{name}'",
        "name a list from option_lists or codelists, or remove the name; known: {known}",
    ),
    "duplicate-option": Entry(
        "An option value is listed twice: in 'options', an option list, 'extra_options' "
        "(also a value the base options already have) or a code list's 'values'.",
        "the value '{value}' is listed twice (first {first})",
        "remove the repeated value; answers store the value, so each must be unique",
    ),
    "unknown-option": Entry(
        "first_options or left_out_options names a value its CLDR list does not have "
        "(left_out_options: not among CLDR's codes; first_options: nor among the extra_options "
        "of a question of that list).",
        "'{value}' is not {where}",
        "use a code from the list (e.g. 'uk' for Ukrainian), or remove the value",
    ),
    "duplicate-row": Entry(
        "A scale lists the same row twice.",
        "the row '{value}' is listed twice (first {first})",
        "remove the repeated row, or rename it; each row is stored under its own id",
    ),
    "bad-expression": Entry(
        "A visible_if or check is not a valid expression.",
        "{problem}",
        "see 'Expressions' in docs/questionnaire-format.md",
    ),
    "unknown-question-in-expression": Entry(
        "An expression names a question that does not exist, or is out of reach.",
        "the expression names '{name}', which is no question here",
        "use the id of a question outside any group, of one in the same group, or of one in the "
        "group named by any(group, ...)",
    ),
    "not-a-group": Entry(
        "any(...) names a question that is not a repeated group.",
        "'{name}' is not a group, so any({name}, ...) has no entries to look at",
        "write the id of a question of type group as the first argument of any()",
    ),
    "unknown-question-in-warning": Entry(
        "A warning's 'questions' list names a question that does not exist.",
        "the warning names the question '{name}', which does not exist",
        "list the ids of the questions the warning is about; the first one is linked",
    ),
    "duplicate-warning": Entry(
        "Two warnings have the same id.",
        "the warning id '{name}' is used twice (first {first})",
        "give each warning its own id",
    ),
    "follow-up-before-trigger": Entry(
        "A question's `visible_if` names a question that comes after it (or itself), so the "
        "follow-up would be asked before the answer it depends on.",
        "'{qid}' depends on '{name}', which is not asked before it",
        "move '{qid}' below '{name}' (in the same section or a later one), or name an earlier "
        "question",
    ),
    "interface-text-unknown": Entry(
        "`interface_texts:` names an interface string that the interface catalogues do not have.",
        "no interface string has the English text '{msgid}'",
        "copy the string's msgid exactly from questionnaires/interface/messages.pot, or remove "
        "the entry",
    ),
    "use-unknown": Entry(
        "`uses:` has an entry that no installed part of Kompass reads (the CV reads `cv`, the "
        "statistics `statistics`).",
        "nothing reads uses.{key} (known: {known})",
        "correct the key, or remove the entry",
    ),
    "use-question-unknown": Entry(
        "An entry under `uses:` names a question this version does not have, for example one "
        "that was renamed.",
        "uses.{use} names the question '{question}', which does not exist",
        "write the question's id as it is in this file now",
    ),
    "use-question-kind": Entry(
        "An entry under `uses:` names a question of the wrong kind for its place (a list of "
        "entries where a repeatable group is needed, a text where choices are counted).",
        "uses.{use} needs {kind} here, and '{question}' is not one",
        "name a question of that kind, or change the question's type",
    ),
    "use-question-place": Entry(
        "An entry under `uses:` names a question that is not where its place says: a field of "
        "an entry must be a question of that entry's group.",
        "uses.{use}: '{question}' must be {where}",
        "name a question {where}, or move the question there",
    ),
}

CODELISTS = {
    "wrong-file-name": Entry(
        "A code list's id differs from its file name.",
        "the list '{name}' lies in {file_name}",
        "rename the file to {name}.yaml or fix the id",
    ),
}

TRANSLATIONS = {
    "translation-format": Entry(
        "A translation drops, adds or changes a placeholder such as %(limit)s or {name}, or its "
        "braces do not balance.",
        "the translation does not fit its source text: {problem}",
        "copy every placeholder of the source text unchanged into the translation, and write "
        "{{{{ and }}}} for a literal brace",
    ),
    "not-a-mapping": Entry(
        "A translation file is not a mapping of keys to texts.",
        "the file must be a mapping of keys to texts",
        "start with 'meta:' and write 'key: text' lines, as docs/questionnaire-format.md shows",
    ),
    "bad-meta": Entry(
        "'meta' or one of its values has the wrong form.",
        "'{key}' in meta must be {expected}",
        "write meta as 'key: value' lines, e.g. 'language: fr' and 'machine_translated: false'",
    ),
    "unknown-meta-key": Entry(
        "'meta' has a key the engine does not know.",
        "unknown meta key '{key}'",
        "allowed: {allowed}",
    ),
    "language-mismatch": Entry(
        "meta.language differs from the file's name.",
        "meta.language is {found} but the file is named {tag}.yaml",
        "set meta.language: {tag}, or rename the file",
    ),
    "unknown-translation-key": Entry(
        "A key that matches nothing in questionnaire.yaml or the code lists.",
        "the key '{key}' matches nothing",
        "remove it, or correct it to the id used in questionnaire.yaml or the code list; "
        'put the keys yes, no, on and off in quotes ("no":), as YAML reads them as true/false',
    ),
    "text-not-a-string": Entry(
        "A translation is a list, a mapping or true/false instead of text.",
        "the value is {value}, not text",
        "put the text in quotes",
    ),
    "missing-source-language": Entry(
        "The questionnaire's source language has no translation file.",
        "the source language '{language}' has no translation file",
        "add {file_name}, or set source_language to a language that has one",
    ),
    "missing-source-text": Entry(
        "The source language lacks a text every other language falls back to.",
        "the source language has no text for this key",
        "add it to {file_name}; every other language falls back to the source language",
    ),
}

PUBLISHED = {
    "published-version-changed": Entry(
        "A file of a published version was changed, added or removed since publishing.",
        "{qid} version {version} is published and this file {state} since; "
        "the app keeps serving what was published",
        "undo the change (git checkout {file_name}), and make the change in a new version: "
        "kompass questionnaire new-version {qid}",
    ),
    "published-codelist-differs": Entry(
        "A warning: a shared code list, or its labels, changed after a version that uses it was "
        "published. That version keeps the copy it was published with; `check` and `publish` "
        "both pass.",
        "{qid} version {version} was published with another copy of this file ({change}); "
        "it keeps that copy",
        "nothing breaks: versions published from now on get the change (kompass questionnaire "
        "new-version {qid}, then publish it); to keep the file as version {version} has it, "
        "undo the change (git checkout {file_name})",
    ),
}

TRANSLATION_FILES = {
    "interface-file-unreadable": Entry(
        "An interface catalogue (questionnaires/interface/<lang>.po, or its template "
        "messages.pot) cannot be read.",
        "the file cannot be read as a gettext catalogue: {problem}",
        "fix the line given (every msgid and msgstr in double quotes), or restore the file "
        "from git; until then this language's buttons and messages show in English",
    ),
    "import-unreadable": Entry(
        "A file given to `kompass translations import` cannot be read.",
        "the file cannot be read: {problem}",
        "import the .xlsx or .po file that `kompass translations export` wrote; in a "
        "spreadsheet program save it as Excel Workbook (.xlsx)",
    ),
    "import-too-large": Entry(
        "A file given to `kompass translations import` is larger than any export (or not a "
        "file): it is refused before it is read.",
        "the file is not read: {problem}",
        "import the .xlsx or .po file that `kompass translations export` wrote, saved as it "
        "came; copy only the translations into it",
    ),
    "import-bad-header": Entry(
        "The first row of the sheet is not the exported header.",
        "the sheet 'translations' must start with the columns {columns}",
        "keep the first row and the order of the columns as exported; add nothing before them",
    ),
    "import-no-about": Entry(
        "The file does not say which questionnaire, version and language it is for.",
        "the file does not say which questionnaire, version and language it holds",
        "keep the sheet 'about' (XLSX) or the first comment line (PO) as exported",
    ),
    "import-wrong-target": Entry(
        "The file is for another questionnaire, version or language than the one imported to.",
        "the file holds {found}, not {wanted}",
        "import the file made for {wanted}, or export a new one for it",
    ),
    "import-unknown-key": Entry(
        "A row's key matches no string of the version.",
        "the key matches no string of this version",
        "keep the key column as exported; to add a string, add it to the questionnaire first",
    ),
    "import-duplicate-key": Entry(
        "The same key appears in two rows.",
        "the key appears twice in the file",
        "delete one of the two rows",
    ),
    "import-bad-state": Entry(
        "A row's state is not one of the known states.",
        "the state '{state}' is unknown",
        "write one of: {allowed} (write reviewed for a string you checked)",
    ),
    "import-too-long": Entry(
        "A translation is far longer than any text in the questionnaire.",
        "the translation is longer than {limit} characters",
        "check that only this string's translation is in the cell",
    ),
    "import-placeholders": Entry(
        "A translation drops, adds or changes a placeholder such as %(limit)s or {name}.",
        "the source has the placeholders {wanted}, the translation {found}",
        "copy every placeholder from the source text unchanged into the translation",
    ),
    "import-format": Entry(
        "A translation would not format like its source text: a stray %, unbalanced braces, "
        "or placeholders that differ. Such a string would break the page that shows it.",
        "the translation cannot be shown as it is: {problem}",
        "write %% for a percent sign in interface strings, {{{{ and }}}} for a literal brace, "
        "and copy every placeholder of the source text unchanged",
    ),
    "interface-string-format": Entry(
        "A string of an interface catalogue (questionnaires/interface/<lang>.po) would not "
        "format like its source text (a stray %, unbalanced braces, placeholders that differ).",
        "msgstr of '{msgid}' cannot be shown as it is: {problem}",
        "write %% for a percent sign and copy every placeholder of msgid unchanged; until then "
        "the pages show this string in English",
    ),
    "import-markup": Entry(
        "A translation holds markup beyond the allowed small formatting.",
        "markup that is not allowed: {markup}",
        'use only <b>, <strong>, <i>, <em>, <br> and <a href="https://...">; remove the rest',
    ),
    "review-unknown-key": Entry(
        "`kompass translations review --key` names a string the version does not have.",
        "no string has the key {key}",
        "use a key from the first column of `kompass translations export`",
    ),
}

AUDIO = {
    "audio-misplaced": Entry(
        "An audio file is not in a language folder of the version's audio folder.",
        "the clip for '{text_path}' is not in audio/<language>/ of a language the version has "
        "({languages})",
        "move it to audio/<language>/{text_path}.ogg (or .mp3), with a language that has a "
        "translation file",
    ),
    "audio-unknown-text": Entry(
        "An audio file is named after a text the questionnaire does not have.",
        "no text has the path '{text_path}', so this clip would never be played",
        "name the file after the text's path in the translation files (e.g. "
        "questions.<id>.label.ogg), or delete it if the text was removed",
    ),
    "audio-missing-text": Entry(
        "An audio file speaks a text that its language's translation file does not have.",
        "'{text_path}' has no text in {lang}: the page shows another language's text there",
        "add the text to translations/{lang}.yaml, or delete the clip",
    ),
    "audio-unknown-interface-text": Entry(
        "An audio file is named after an interface string the version does not declare.",
        "'{text_path}' is not an interface string of the version's `interface_texts:`, so this "
        "clip would never be played",
        "declare its key under interface_texts: in questionnaire.yaml (key: the English text), "
        "or rename or delete the clip",
    ),
    "audio-missing-interface-text": Entry(
        "An audio file speaks an interface string that its language's catalogue does not "
        "translate (or whose translation is outdated).",
        "'{text_path}' has no current translation in interface/{lang}.po: the page shows it in "
        "English there",
        "translate the string in questionnaires/interface/{lang}.po, or delete the clip",
    ),
    "audio-bad-file": Entry(
        "An audio file is not Ogg Opus or MP3, is too large or is too long.",
        "the clip for '{text_path}' cannot be used: {problem}",
        "export it as Ogg Opus (.ogg) or MP3 (.mp3), at most 900 kB and 120 seconds "
        "(docs/translations.md, 'Recording audio')",
    ),
    "audio-duplicate": Entry(
        "Two audio files (.ogg and .mp3) speak the same text in the same language.",
        "'{text_path}' in {lang} has more than one clip",
        "keep one of the two files and delete the other",
    ),
}

LEGAL = {
    "legal-unknown-file": Entry(
        "A file in legal/<language>/ that is not one of the legal pages.",
        "this is not one of the legal pages ({pages})",
        "rename the file to one of {pages}, or move it out of the legal folder",
    ),
    "legal-language-mismatch": Entry(
        "meta.language of a legal page differs from the name of its folder.",
        "meta.language is {found} but the file is in the folder legal/{tag}/",
        "set meta.language: {tag}, or move the file to legal/{found}/",
    ),
    "legal-placeholder": Entry(
        "A name in braces that is no setting the page can fill in, or a lone brace.",
        "'{name}' is not a setting the page can fill in (allowed in braces: {allowed})",
        "write one of the allowed names in braces, e.g. {{email}}, or remove the braces",
    ),
}

FORMATTING = {
    "disallowed-markup": Entry(
        "A warning: a text holds markup beyond the allowed formatting; it is removed when the "
        "text is shown, so the page shows the text without it.",
        "the text holds markup that is removed when it is shown: {found}",
        'use only <b>, <i>, <strong>, <em>, <br> and <a href="https://...">; write a '
        "literal < as &lt; (see 'Formatting' in docs/questionnaire-format.md)",
    ),
}

IMAGES = {
    "image-unknown-target": Entry(
        "An entry of `images:` names a text that does not exist.",
        "no section, option or scale row '{target}' to put an image beside",
        "write sections.<section id>, options.<list>.<value> or questions.<id>.rows.<row>",
    ),
    "image-missing": Entry(
        "`images:` names a file that is not in the version's images/ folder.",
        "the image file {file_name} does not exist",
        "add the SVG file to the images/ folder of the version, or correct its name",
    ),
    "image-too-large": Entry(
        "An image file is larger than a pictogram needs.",
        "the image is {size} bytes; at most {limit} are allowed",
        "simplify the drawing (fewer points, no embedded pictures) or save it as plain SVG",
    ),
    "image-unsafe": Entry(
        "An image holds something that is not allowed in a picture: a script, an event "
        "handler, a style, a reference outside the file, a document type or a foreign element.",
        "the image is refused because of {found}",
        "remove it: only plain SVG shapes (path, circle, rect, g, ...) with fill and stroke "
        "are allowed, and references only to '#id' in the same file",
    ),
    "image-licence-missing": Entry(
        "A version with images has no licence file beside them.",
        "the images have no licence file",
        "add one of {names} to the images/ folder naming the author and an open licence "
        "(CC0 or CC BY 4.0)",
    ),
}

GROUPS = {
    "Any YAML file": ANY_FILE,
    "The shape of questionnaire.yaml and code lists (schema-…)": SHAPE,
    "What questionnaire.yaml means": QUESTIONNAIRE,
    "Code lists": CODELISTS,
    "Translation files": TRANSLATIONS,
    "Images": IMAGES,
    "Published versions": PUBLISHED,
    "Interface catalogues and translation import (kompass translations)": TRANSLATION_FILES,
    "Audio clips (audio/<lang>/<text path>.ogg or .mp3)": AUDIO,
    "Legal pages (legal/<lang>/accessibility.yaml and privacy.yaml)": LEGAL,
    "Formatting in texts (warnings)": FORMATTING,
}

CATALOGUE: dict[str, Entry] = {code: e for group in GROUPS.values() for code, e in group.items()}


def entry(code: str) -> Entry:
    if code not in CATALOGUE:
        raise UnknownErrorCode(f"'{code}' is not in engine/definition/error_catalogue.py")
    return CATALOGUE[code]


def editor_error(
    code: str,
    file: Path,
    path: str = "",
    line: int | None = None,
    suggestion: str | None = None,
    **fields: object,
) -> EditorError:
    """The error `code` at `file`/`path`, its texts filled with `fields`."""
    found = entry(code)
    missing = (placeholders(found.message) | placeholders(found.hint)) - set(fields)
    if missing:
        raise KeyError(f"error '{code}' needs {', '.join(sorted(missing))}")
    message, hint = found.message.format(**fields), found.hint.format(**fields)
    return EditorError(code, file, path, message, hint, line, suggestion)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to a misspelt `word`, or None when nothing is close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1)
    return matches[0] if matches else None


def markdown() -> str:
    """docs/editor-errors.md: an introduction and one table per group of codes."""
    parts = [INTRODUCTION]
    for title, group in GROUPS.items():
        parts.append(f"\n## {title}\n\n{TABLE_HEAD}")
        parts += [
            f"| `{code}` | {_cell(e.meaning)} | {_cell(_italic_placeholders(e.hint))} |\n"
            for code, e in group.items()
        ]
    return "".join(parts)


def _italic_placeholders(template: str) -> str:
    return template.format(**{name: f"*{name}*" for name in placeholders(template)})


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


INTRODUCTION = f"""\
# Editor errors

<!-- Generated from engine/definition/error_catalogue.py by `{REGENERATE}`; do not edit. -->

`kompass questionnaire check` reads every questionnaire, code list and translation file and
reports *every* mistake at once, each in this form:

```
questionnaires/sample/1/questionnaire.yaml:14 at sections[0].questions[0].requird: unknown key \
'requird' [schema-extra_forbidden]
    how to fix: did you mean 'required'? remove it or correct its spelling; ...
```

That is the file and line, the YAML path (`sections[0]` is the first section), what is wrong,
the error's code in brackets, and how to fix it. When a name is misspelt, the fix starts with the
nearest name that exists ("did you mean ...?"). In the tables, words in *italics* are filled in
for each error: the id, the known names, the line of the first occurrence, and so on.
"""


if __name__ == "__main__":
    print(markdown(), end="")
