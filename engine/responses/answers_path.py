"""Read, write and delete a value at a path like ('a_group', 0, 'a_question')."""

Path = tuple[str | int, ...]
_MISSING = object()


def get_in(data: object, path: Path, default: object = None) -> object:
    for part in path:
        try:
            data = data[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return default
    return data


def set_in(data: dict, path: Path, value: object) -> None:
    parent = get_in(data, path[:-1], _MISSING)
    if isinstance(parent, dict) or (isinstance(parent, list) and _fits(parent, path[-1])):
        parent[path[-1]] = value  # type: ignore[index]


def del_in(data: dict, path: Path) -> None:
    parent = get_in(data, path[:-1], _MISSING)
    if isinstance(parent, dict):
        parent.pop(path[-1], None)  # type: ignore[arg-type]
    elif isinstance(parent, list) and _fits(parent, path[-1]):
        parent[path[-1]] = {}  # type: ignore[index]


def _fits(items: list, index: object) -> bool:
    return isinstance(index, int) and 0 <= index < len(items)
