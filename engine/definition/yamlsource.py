"""Read a YAML file together with the line number of every path in it.

Editors' files are data, so the reader refuses what only a hostile or broken file needs:
anchors and aliases (an "alias bomb" expands to gigabytes), very deep nesting, very large files,
and the same key twice in one mapping (PyYAML would silently keep the last one).
"""

import hashlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from engine.definition.error_catalogue import editor_error
from engine.definition.errors import EditorError, QuestionnaireError
from engine.questionnaire.memo import Memo

PathKey = tuple[str | int, ...]
MAX_BYTES = 2_000_000
MAX_DEPTH = 50
MAX_SHOWN = 40  # characters of a refused value quoted in its error
# What files that passed said, by their text: every check, publish and content page reads the
# same files again. Kept pickled, so each reader gets its own copy to change as it likes.
_PARSED = Memo(512)
KEPT_UP_TO = 200_000  # characters: an editor's file is a few dozen kilobytes


@dataclass
class YamlSource:
    file: Path
    data: object
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """Line of the nearest enclosing node that has a known line."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None

    def error(
        self, code: str, path: PathKey, suggestion: str | None = None, **fields: object
    ) -> EditorError:
        """The catalogue's error `code` at `path` in this file, with its line."""
        return editor_error(
            code, self.file, format_path(path), self.line(path), suggestion, **fields
        )

    def duplicates(self, code: str, path: PathKey, values: list[str]) -> list[EditorError]:
        """Error `code` at each item of the list at `path` that repeats an earlier one."""
        errors, first_line = [], {}
        for index, value in enumerate(values):
            if value in first_line:
                first = f"on line {first_line[value]}"
                errors.append(self.error(code, path + (index,), value=value, first=first))
            first_line.setdefault(value, self.line(path + (index,)))
        return errors


def format_path(path: PathKey) -> str:
    """Render ('sections', 0, 'id') as sections[0].id."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _Refused(Exception):
    """YAML that parses but is refused: an anchor, an alias, nesting too deep, a bad value."""

    def __init__(self, code: str, mark: yaml.Mark, **fields: object):
        super().__init__(code)
        self.code, self.line, self.fields = code, mark.line + 1, fields


class _ReadableValues:
    """Constructor mix-in: a scalar Python cannot hold is refused with its line."""

    def construct_object(self, node, deep=False):
        """Refuse a 5000-digit number or the 31st of February instead of raising ValueError."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            value = str(node.value)[:MAX_SHOWN] if isinstance(node, yaml.ScalarNode) else ""
            raise _Refused("yaml-bad-value", node.start_mark, value=value) from exc


class _FastLoader(_ReadableValues, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's safe loader (it limits nesting itself), refusing values Python cannot hold."""


class _Loader(_ReadableValues, yaml.SafeLoader):
    """SafeLoader that refuses anchors, aliases and deep nesting while composing."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("yaml-alias", event.start_mark, name=f"*{event.anchor}")
        if event.anchor is not None:
            raise _Refused("yaml-alias", event.start_mark, name=f"&{event.anchor}")
        if self.depth >= MAX_DEPTH:
            raise _Refused("yaml-too-deep", event.start_mark, limit=MAX_DEPTH)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_yaml(file: Path) -> YamlSource:
    """Parse a file; every reason to refuse it becomes an EditorError with its line."""
    return YamlSource(file, *_refusing(file, _parse))


def line_in(file: Path, path: PathKey) -> int | None:
    """The line of `path` (or of its nearest enclosing node) in a file; None if unreadable."""
    try:
        return read_yaml(file).line(path) if file.is_file() else None
    except QuestionnaireError:
        return None


def read_yaml_data(file: Path) -> object:
    """Only the data of a file the commands write (no lines kept, so much faster), as checked."""
    return _refusing(file, _parse_fast)


def _refusing(file: Path, parse):
    """`parse(file)`, the file's size checked first; every refusal becomes an EditorError."""
    size = file.stat().st_size
    if size > MAX_BYTES:
        raise QuestionnaireError(
            [editor_error("file-too-large", file, size=f"{size:,}", limit=f"{MAX_BYTES:,}")]
        )
    try:
        return parse(file)
    except _Refused as exc:
        error = editor_error(exc.code, file, line=exc.line, **exc.fields)
        raise QuestionnaireError([error]) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise QuestionnaireError([_syntax_error(file, exc)]) from exc
    except RecursionError as exc:  # only without libyaml, which limits nesting itself
        error = editor_error("yaml-too-deep", file, limit=MAX_DEPTH)
        raise QuestionnaireError([error]) from exc


def _parse(file: Path) -> tuple[object, dict[PathKey, int]]:
    """The data, and the line of every path, of a file that passes the checks."""
    text = file.read_text(encoding="utf-8")
    return _kept("lines", text, lambda: _parse_text(text, file))


def _parse_fast(file: Path) -> object:
    """The data of a file composed by libyaml, refused if a node is reached twice (an alias)."""
    text = file.read_text(encoding="utf-8")
    return _kept("data", text, lambda: _parse_text_fast(text))


def _kept(kind: str, text: str, parse):
    """`parse()` of a text read before as `kind`, from what it gave then (a refusal is never
    kept)."""
    if len(text) > KEPT_UP_TO:
        return parse()
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return pickle.loads(_PARSED.get((kind, digest), lambda: pickle.dumps(parse())))


def _parse_text(text: str, file: Path) -> tuple[object, dict[PathKey, int]]:
    """`_parse` of the file's text.

    libyaml composes it when it can hold no anchor (no "&") and nothing is wrong with it: about
    ten times faster. Anything else, refusals included, is read again by the checking loader,
    so an error is the same whichever reader met it first.
    """
    if "&" not in text:
        composed = _composed_by_libyaml(text)
        if composed is not None:
            loader, node = composed
            try:
                lines = _checked_lines(file, node)
                return (loader.construct_document(node) if node is not None else None), lines
            finally:
                loader.dispose()
    return _parse_checking(text, file)


def _composed_by_libyaml(text: str) -> tuple["_FastLoader", yaml.Node | None] | None:
    """The loader and the document's node, or None if libyaml refuses it or it nests deeper
    than MAX_DEPTH."""
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError:
        loader.dispose()
        return None
    if node is not None and _depth(node) >= MAX_DEPTH:
        loader.dispose()
        return None
    return loader, node


def _depth(root: yaml.Node) -> int:
    """How deep the deepest node is nested (the root is 0)."""
    deepest, stack = 0, [(root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    return deepest


def _parse_checking(text: str, file: Path) -> tuple[object, dict[PathKey, int]]:
    """`_parse` by the pure-Python loader that refuses anchors, aliases and deep nesting."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines = _checked_lines(file, node)
        return (loader.construct_document(node) if node is not None else None), lines
    finally:
        loader.dispose()


def _parse_text_fast(text: str) -> object:
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        _refuse_aliases(node)
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _refuse_aliases(root: yaml.Node | None) -> None:
    """libyaml makes an alias the same node as its anchor: a node met twice is an alias."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _Refused("yaml-alias", node.start_mark, name="*")
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _syntax_error(file: Path, exc: Exception) -> EditorError:
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else None
    return editor_error("yaml-syntax", file, line=line, problem=getattr(exc, "problem", exc))


def _checked_lines(file: Path, node: yaml.Node | None) -> dict[PathKey, int]:
    """The line of every path; raise if a mapping has a key twice."""
    lines: dict[PathKey, int] = {}
    duplicates: list[tuple[PathKey, int, int]] = []
    if node is not None:
        _record_lines(node, (), lines, duplicates)
    if duplicates:
        raise QuestionnaireError(
            [
                editor_error(
                    "duplicate-key", file, format_path(path), line, key=path[-1], first_line=first
                )
                for path, line, first in duplicates
            ]
        )
    return lines


def _record_lines(node: yaml.Node, path: PathKey, lines: dict, duplicates: list) -> None:
    """Fill `lines`; add (path, line, first line) to `duplicates` for a key seen twice."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        first: dict[tuple[str, str], int] = {}
        for key, value in node.value:
            key_path, line = path + (str(key.value),), key.start_mark.line + 1
            identity = (key.tag, str(key.value))
            if identity in first:
                duplicates.append((key_path, line, first[identity]))
            first.setdefault(identity, line)
            _record_lines(value, key_path, lines, duplicates)
            lines[key_path] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), lines, duplicates)
