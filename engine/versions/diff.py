"""What changed between two versions of a questionnaire, compared through their bundles.

A bundle is what `engine.versions.frozen.freeze` makes. Sections, questions (wherever they sit),
option
lists, code lists and languages are matched by id. Something added or removed is one change: the
options and rules of a new question and the texts of a new language are not listed again, while
the texts a new question or code list brings to the languages both versions offer are.
"""

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from engine.translation.texts import flatten

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
SIGNS = {ADDED: "+", REMOVED: "-", CHANGED: "~"}
ORDER = [
    "questionnaire",
    "section",
    "question",
    "option",
    "rule",
    "option_list",
    "codelist",
    "image",
    "language",
    "text",
    "audio",
]
SHORT = 80
NOT_SETTINGS = {"version", "sections", "option_lists", "codelists", "images"}
STRUCTURE = {"id", "questions"}
RULES = {"visible_if", "constraints"}
OPTIONS = {"options", "extra_options"}
CODELIST_PARTS = {"id", "values"}
OWN_LIST = "(own list)"

Name = tuple[str, str | None]


@dataclass(frozen=True)
class Change:
    """One difference: `item` (a setting, option, rule…) of `subject`, or `subject` as a whole."""

    kind: str
    what: str
    subject: str
    item: str | None = None
    old: object = None
    new: object = None

    @property
    def path(self) -> str:
        """The stable key, e.g. 'question school_years option 3'."""
        return self.subject if self.item is None else f"{self.subject} {self.item}"


def diff(old: dict, new: dict) -> list[Change]:
    """Every change from bundle `old` to bundle `new`, in the order of `ORDER`, then by path."""
    a, b = old["content"], new["content"]
    changes = [
        *_questionnaire(a["source"], b["source"]),
        *_sections(a["source"]["sections"], b["source"]["sections"]),
        *_questions(a, b),
        *_option_lists(a["source"]["option_lists"], b["source"]["option_lists"]),
        *_codelists(a["codelists"], b["codelists"]),
        *_images(a, b),
        *_languages(a["translations"]["languages"], b["translations"]["languages"]),
        *_texts(a, b),
        *_audio(a.get("audio", {}), b.get("audio", {})),
    ]
    return sorted(changes, key=lambda change: (ORDER.index(change.what), change.path))


def as_text(changes: list[Change]) -> str:
    """One line per change for an editor, or 'No differences.'."""
    return "\n".join(_line(change) for change in changes) or "No differences."


def as_json(changes: list[Change]) -> list[dict]:
    return [
        {
            "kind": change.kind,
            "what": change.what,
            "path": change.path,
            "subject": change.subject,
            "item": change.item,
            "old": change.old,
            "new": change.new,
        }
        for change in changes
    ]


def _questionnaire(old: dict, new: dict) -> Iterator[Change]:
    """Settings of the questionnaire itself, such as its title key and source language."""
    a, b = _without(old, NOT_SETTINGS), _without(new, NOT_SETTINGS)
    return _changed("questionnaire", a, b, _of("questionnaire"))


def _sections(old: list[dict], new: list[dict]) -> Iterator[Change]:
    a = {s["id"]: _without(s, STRUCTURE) for s in old}
    b = {s["id"]: _without(s, STRUCTURE) for s in new}
    yield from _added_removed("section", a, b, _each("section"))
    for sid in sorted(a.keys() & b.keys()):
        yield from _changed("section", a[sid], b[sid], _of(f"section {sid}"))
    yield from _moves("section", "section", list(a), list(b))


def _questions(old: dict, new: dict) -> Iterator[Change]:
    a, b = _placed(old["source"]), _placed(new["source"])
    yield from _added_removed("question", a, b, _each("question"))
    for qid in sorted(a.keys() & b.keys()):
        subject = f"question {qid}"
        yield from _changed(
            "question", _question_settings(a[qid]), _question_settings(b[qid]), _of(subject)
        )
        old_choices, new_choices = _choices(old, a[qid]), _choices(new, b[qid])
        yield from _values("option", old_choices, new_choices, _of(subject, "option"))
        yield from _entries("rule", _rules(a[qid]), _rules(b[qid]), _of(subject))
    old_places, new_places = _by_place(a), _by_place(b)
    for place in sorted(old_places.keys() & new_places.keys()):
        yield from _moves("question", "question", old_places[place], new_places[place])


def _placed(source: dict) -> dict[str, dict]:
    """Every question by id with its own keys and the section or group it sits in ('place')."""
    return {
        question["id"]: {"place": place, **_without(question, {"questions"})}
        for section in source["sections"]
        for place, question in _walk(section["questions"], f"section {section['id']}")
    }


def _walk(questions: list[dict], place: str) -> Iterator[tuple[str, dict]]:
    for question in questions:
        yield place, question
        yield from _walk(question.get("questions", []), f"group {question['id']}")


def _by_place(questions: dict[str, dict]) -> dict[str, list[str]]:
    """The ids of the questions in each section or group, in order."""
    places: dict[str, list[str]] = {}
    for qid, question in questions.items():
        places.setdefault(question["place"], []).append(qid)
    return places


def _question_settings(question: dict) -> dict:
    """A question's settings but rules and option values; 'options' names their source."""
    settings = _without(question, STRUCTURE | RULES | OPTIONS)
    options = question.get("options")
    settings["options"] = OWN_LIST if isinstance(options, list) else options
    return settings


def _choices(content: dict, question: dict) -> list[str]:
    """The values a question offers: its own list, an option list or a code list, and extras."""
    options = question.get("options")
    if isinstance(options, list):
        base = options
    elif options in content["source"]["option_lists"]:
        base = content["source"]["option_lists"][options]
    elif options in content["codelists"]:
        base = content["codelists"][options]["values"]
    else:
        base = []
    return base + [value for value in question.get("extra_options", []) if value not in base]


def _rules(question: dict) -> dict[str, str]:
    """'visible_if' and each constraint's check, the latter keyed by its message."""
    rules = {} if question.get("visible_if") is None else {"visible_if": question["visible_if"]}
    for constraint in question.get("constraints", []):
        rules[_free_key(f"constraint {constraint['message']}", rules)] = constraint["check"]
    return rules


def _free_key(key: str, taken: dict) -> str:
    """`key`, or `key#2`, `key#3`… if it is taken."""
    number = 1
    candidate = key
    while candidate in taken:
        number += 1
        candidate = f"{key}#{number}"
    return candidate


def _option_lists(old: dict, new: dict) -> Iterator[Change]:
    yield from _added_removed("option_list", old, new, _each("option list"))
    for name in sorted(old.keys() & new.keys()):
        yield from _values("option_list", old[name], new[name], _of(f"option list {name}", "value"))


def _codelists(old: dict, new: dict) -> Iterator[Change]:
    yield from _added_removed("codelist", old, new, _each("codelist"))
    for name in sorted(old.keys() & new.keys()):
        subject = f"codelist {name}"
        a, b = _without(old[name], CODELIST_PARTS), _without(new[name], CODELIST_PARTS)
        yield from _changed("codelist", a, b, _of(subject))
        yield from _values(
            "codelist", old[name]["values"], new[name]["values"], _of(subject, "value")
        )


def _images(old: dict, new: dict) -> Iterator[Change]:
    """Which text has which picture (engine/definition/media_images.py), and pictures drawn anew."""
    a, b = old["source"].get("images", {}), new["source"].get("images", {})
    yield from _entries("image", a, b, _each("image beside"))
    drawn_a, drawn_b = old.get("images", {}), new.get("images", {})
    for name in sorted(drawn_a.keys() & drawn_b.keys()):
        if drawn_a[name] != drawn_b[name]:
            yield Change(
                CHANGED,
                "image",
                f"image file {name}",
                "drawing",
                *_hashes(drawn_a[name], drawn_b[name]),
            )


def _hashes(*svgs: str) -> list[str]:
    return [hashlib.sha256(svg.encode("utf-8")).hexdigest()[:12] for svg in svgs]


def _languages(old: dict, new: dict) -> Iterator[Change]:
    a = {tag: _without(entry, {"texts", "marks"}) for tag, entry in old.items()}
    b = {tag: _without(entry, {"texts", "marks"}) for tag, entry in new.items()}
    yield from _added_removed("language", a, b, _each("language"))
    for tag in sorted(a.keys() & b.keys()):
        yield from _changed("language", a[tag], b[tag], _of(f"language {tag}"))


def _texts(old: dict, new: dict) -> Iterator[Change]:
    """Every text and code-list label, in the languages both versions offer."""
    offered = old["translations"]["languages"].keys() & new["translations"]["languages"].keys()
    for tag in sorted(offered):
        for part, noun in (("translations", "text"), ("codelist_texts", "codelist text")):
            a, b = _flat(old[part], tag), _flat(new[part], tag)
            yield from _entries("text", a, b, _each(f"{noun} {tag}"))


def _audio(old: dict, new: dict) -> Iterator[Change]:
    """Clips added, removed or replaced (by their hash), per language and text path."""
    for tag in sorted(old.keys() | new.keys()):
        a = {path: clip["hash"] for path, clip in old.get(tag, {}).items()}
        b = {path: clip["hash"] for path, clip in new.get(tag, {}).items()}
        yield from _entries("audio", a, b, _each(f"audio {tag}"))


def _flat(texts: dict, tag: str) -> dict[str, object]:
    """The texts of one language as {'questions.age.label': 'Age', ...}."""
    entry = texts["languages"].get(tag)
    nested = entry["texts"] if entry else {}
    return {".".join(path): value for path, value in flatten(nested).items()}


def _moves(what: str, noun: str, old: list[str], new: list[str]) -> Iterator[Change]:
    """Members whose order among those in both lists changed; positions count from 1."""
    a = [member for member in old if member in new]
    b = [member for member in new if member in old]
    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    kept = {member for block in blocks for member in a[block.a : block.a + block.size]}
    for member in sorted(set(a) - kept):
        position = (old.index(member) + 1, new.index(member) + 1)
        yield Change(CHANGED, what, f"{noun} {member}", "position", *position)


def _entries(what: str, old: dict, new: dict, name: Callable[[str], Name]) -> Iterator[Change]:
    """Keys removed, added, and in both with another value."""
    yield from _added_removed(what, old, new, name)
    for key in sorted(old.keys() & new.keys()):
        if old[key] != new[key]:
            yield Change(CHANGED, what, *name(key), old[key], new[key])


def _added_removed(
    what: str, old: dict, new: dict, name: Callable[[str], Name]
) -> Iterator[Change]:
    for key in sorted(old.keys() - new.keys()):
        yield Change(REMOVED, what, *name(key), old=old[key])
    for key in sorted(new.keys() - old.keys()):
        yield Change(ADDED, what, *name(key), new=new[key])


def _changed(what: str, old: dict, new: dict, name: Callable[[str], Name]) -> Iterator[Change]:
    """Keys with another value (a key missing on one side counts as None)."""
    for key in sorted(old.keys() | new.keys()):
        if old.get(key) != new.get(key):
            yield Change(CHANGED, what, *name(key), old.get(key), new.get(key))


def _values(what: str, old: list, new: list, name: Callable[[str], Name]) -> Iterator[Change]:
    return _added_removed(what, dict.fromkeys(old), dict.fromkeys(new), name)


def _each(noun: str) -> Callable[[str], Name]:
    """Name each key as a subject of its own: '<noun> <key>'."""
    return lambda key: (f"{noun} {key}", None)


def _of(subject: str, noun: str | None = None) -> Callable[[str], Name]:
    """Name each key as an item of `subject`: '<key>' or '<noun> <key>'."""
    return lambda key: (subject, key if noun is None else f"{noun} {key}")


def _without(data: dict, keys: set[str]) -> dict:
    """`data` less `keys` and less empty lists, so a list key added to the format later (e.g.
    `warnings`) is no change for bundles made before it."""
    return {key: value for key, value in data.items() if key not in keys and value != []}


def _line(change: Change) -> str:
    head = change.subject if change.item is None else f"{change.item} of {change.subject}"
    if change.kind == CHANGED:
        return f"~ {head}: {_short(change.old)} → {_short(change.new)}"
    value = change.new if change.kind == ADDED else change.old
    return f"{SIGNS[change.kind]} {head}{_detail(change, value)}"


def _detail(change: Change, value: object) -> str:
    """What follows an added or removed thing: a question's type and place, or a short value."""
    if change.what == "question" and change.item is None:
        return f" ({value['type']}) in {value['place']}"
    if value is None or isinstance(value, dict):
        return ""
    return f": {_short(value)}"


def _short(value: object) -> str:
    """JSON for the eye, cut at about SHORT characters."""
    if isinstance(value, str):
        return json.dumps(_cut(value), ensure_ascii=False)
    return _cut(json.dumps(value, ensure_ascii=False))


def _cut(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"
