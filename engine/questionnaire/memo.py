"""A bounded store of values computed once from something that never changes (a version)."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class Memo:
    """Least-recently-used values by key, at most `size` of them; safe across threads."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], object]) -> object:
        """The value kept for `key`, else `build()` kept for next time."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = build()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
