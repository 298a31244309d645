"""Read a YAML file together with the line number of every path in it."""

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from engine.errors import EditorError, QuestionnaireError

PathKey = tuple[str | int, ...]


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

    def error(self, code: str, path: PathKey, message: str, hint: str) -> EditorError:
        return EditorError(code, self.file, format_path(path), message, hint, self.line(path))


def format_path(path: PathKey) -> str:
    """Render ('sections', 0, 'id') as sections[0].id."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def read_yaml(file: Path) -> YamlSource:
    """Parse a file; a syntax error becomes an EditorError with its line."""
    try:
        text = file.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise QuestionnaireError(
            [
                EditorError(
                    "yaml-syntax",
                    file,
                    "",
                    f"the file is not valid YAML: {getattr(exc, 'problem', exc)}",
                    "check indentation and quoting near the line given; "
                    "values with ':' or '#' need quotes",
                    mark.line + 1 if mark else None,
                )
            ]
        ) from exc
    lines: dict[PathKey, int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return YamlSource(file, data, lines)


def _record_lines(node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _record_lines(value, path + (str(key.value),), lines)
            lines[path + (str(key.value),)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, path + (index,), lines)
