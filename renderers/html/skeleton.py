"""Markup rendered once with slots, then filled per request: the costly rendering happens once.

A template is rendered with `Slots.mark(getter)` in place of every value that changes between
requests; the result is kept as a `Skeleton`, and `fill(source)` puts `getter(source)` into each
slot. The separator carries a random per-process word, so no text can be mistaken for a slot.
"""

import secrets
from collections.abc import Callable

from markupsafe import Markup

_SEPARATOR = f"\x00{secrets.token_hex(8)}\x00"


class Slots:
    """Hands out slot marks for one render and remembers what fills each."""

    def __init__(self):
        self.getters: list[Callable[[object], object]] = []

    def mark(self, getter: Callable[[object], object]) -> Markup:
        self.getters.append(getter)
        return Markup(f"{_SEPARATOR}{len(self.getters) - 1}{_SEPARATOR}")


class Skeleton:
    """Fixed markup with slots; `fill(source)` is the markup for one request."""

    def __init__(self, parts: list[str], getters: list[Callable[[object], object]]):
        self.parts = parts
        self.getters = getters

    def fill(self, source: object) -> Markup:
        parts = list(self.parts)
        parts[1::2] = [str(getter(source)) for getter in self.getters]
        return Markup("".join(parts))

    def nest(self, slots: Slots) -> Markup:
        """This markup inside another render made with `slots`: its slots become theirs (their
        getters are then given that render's source)."""
        parts = list(self.parts)
        parts[1::2] = [slots.mark(getter) for getter in self.getters]
        return Markup("".join(parts))


def parse(markup: str, slots: Slots) -> Skeleton:
    """The skeleton of a render made with `slots`."""
    parts = markup.split(_SEPARATOR)
    getters = [slots.getters[int(index)] for index in parts[1::2]]
    return Skeleton(parts, getters)
