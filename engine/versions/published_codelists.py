"""Shared code lists that changed after a version using them was published.

A published version keeps its own copy of each code list it uses, values and labels (the
bundle), so editing a shared list never changes it: `check` and `publish` both pass and both
name each file that no longer says what a published version froze (`published-codelist-differs`,
a warning), with the line of the first difference.
"""

from pathlib import Path

from engine.definition.codelists import FOLDER, SharedCodelists
from engine.definition.error_catalogue import editor_error
from engine.definition.errors import EditorError
from engine.definition.yamlsource import PathKey, format_path, line_in
from engine.translation.texts import flatten


def differences(row, shared: SharedCodelists, root: Path) -> list[EditorError]:
    """A warning per shared code-list file that differs from what the published `row` froze."""
    content = row.content["content"]
    found = [
        _list_difference(root / FOLDER / f"{name}.yaml", frozen, shared.lists.get(name))
        for name, frozen in sorted(content["codelists"].items())
    ]
    found += _label_differences(root / FOLDER / "translations", content, shared)
    return [
        editor_error("published-codelist-differs", file, format_path(path), line_in(file, path),
                     qid=row.questionnaire_id, version=row.version, change=change,
                     file_name=file)
        for file, path, change in found
        if change
    ]  # fmt: skip


def _list_difference(file: Path, frozen: dict, codelist) -> tuple[Path, PathKey, str | None]:
    if codelist is None:
        return file, (), "the file is missing"
    now = codelist.model_dump(mode="json")
    added = [v for v in now["values"] if v not in frozen["values"]]
    removed = [v for v in frozen["values"] if v not in now["values"]]
    if added:
        return file, ("values", now["values"].index(added[0])), f"value '{added[0]}' added"
    if removed:
        return file, ("values",), f"value '{removed[0]}' removed"
    other = next((key for key in sorted(now) if now[key] != frozen.get(key)), None)
    return file, (other,) if other else (), other and f"'{other}' changed"


def _label_differences(folder: Path, content: dict, shared: SharedCodelists) -> list:
    used = set(content["codelists"])
    frozen = content["codelist_texts"]["languages"]
    found = []
    for tag in sorted(set(frozen) | set(shared.translations.files)):
        file = shared.translations.files.get(tag)
        now = {k: v for k, v in file.texts.items() if k in used} if file else None
        before = frozen.get(tag, {}).get("texts") if tag in frozen else None
        found.append((folder / f"{tag}.yaml", *_text_difference(before, now)))
    return found


def _text_difference(before: dict | None, now: dict | None) -> tuple[PathKey, str | None]:
    if now is None:
        return (), "the file is missing"
    if before is None:
        return (), "labels in a language the version does not have"
    old, new = flatten(before), flatten(now)
    key = next((k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)), None)
    if key is None:
        return (), None
    what = "added" if key not in old else "removed" if key not in new else "changed"
    return key, f"the label of '{'.'.join(key)}' {what}"
