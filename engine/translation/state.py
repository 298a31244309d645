"""Translation states: missing, machine, reviewed, outdated, and the sidecar files behind them.

A translation file `translations/<lang>.yaml` stays plain for editors; what is known about each
of its strings is kept beside it in `<lang>.state.yaml`:

    strings:
      questions.name.label: {source: 3f2a9c01b7de, reviewed: true}

`source` is a short hash of the source-language text the translation was made from; when the
source text changes the translation is *outdated* and shown in the source language until it is
reviewed again. `reviewed` means a human translator checked it. A string without a mark is
*machine* when its file says `machine_translated: true`, else *reviewed*.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

# Sidecars are written by the commands and need no line numbers for errors, so they are read
# with libyaml (`read_yaml_data`): the line-tracking reader took seconds for 28 sidecars.
from engine.definition.yamlsource import read_yaml_data

SOURCE, REVIEWED, MACHINE, OUTDATED, MISSING = (
    "source",
    "reviewed",
    "machine",
    "outdated",
    "missing",
)
COUNTED = (MISSING, MACHINE, OUTDATED, REVIEWED)
SHOWN = {REVIEWED, MACHINE}  # states whose translation is shown; the others fall back
SIDECAR_SUFFIX = ".state.yaml"
HASH_LENGTH = 12
HEADER = (
    "# Translation states of {name}: written by `kompass translations review` and `import`.\n"
    "# source: hash of the source text each translation was made from; reviewed: by a human.\n"
)


@dataclass(frozen=True)
class Mark:
    """What is known about one translated string."""

    source: str | None = None
    reviewed: bool = False

    def to_dict(self) -> dict:
        return {"source": self.source, "reviewed": self.reviewed}


def source_hash(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:HASH_LENGTH]


def state(value: str | None, source: str | None, mark: Mark | None, machine_file: bool) -> str:
    """The state of a translated string, given the source text it translates now."""
    if not value:
        return MISSING
    if mark and mark.source and source is not None and mark.source != source_hash(source):
        return OUTDATED
    if mark and mark.reviewed:
        return REVIEWED
    return MACHINE if machine_file else REVIEWED


def sidecar_path(language_file: Path) -> Path:
    return language_file.with_name(language_file.stem + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX)


def read_marks(language_file: Path) -> dict[str, Mark]:
    """The marks of a translation file (none without a sidecar); QuestionnaireError if the
    sidecar is refused (too large, not YAML, aliases, unreadable values)."""
    path = sidecar_path(language_file)
    if not path.is_file():
        return {}
    data = read_yaml_data(path)
    strings = data.get("strings") if isinstance(data, dict) else None
    return marks_from_dict(strings if isinstance(strings, dict) else {})


def marks_from_dict(data: dict) -> dict[str, Mark]:
    return {
        str(key): Mark(
            source=entry["source"] if isinstance(entry.get("source"), str) else None,
            reviewed=entry.get("reviewed") is True,
        )
        for key, entry in data.items()
        if isinstance(key, str) and isinstance(entry, dict)
    }


def write_marks(language_file: Path, marks: dict[str, Mark]) -> None:
    body = {"strings": {key: marks[key].to_dict() for key in sorted(marks)}}
    text = HEADER.format(name=language_file.name) + yaml.safe_dump(
        body, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )
    sidecar_path(language_file).write_text(text, encoding="utf-8")
