"""Renders at once on the whole machine, across gunicorn workers: one lock file per slot.

Why: each worker's pool is bounded, but four workers on two cores still ran four renders at
once, and even at the lowest priority they share the cores' caches with the pages; the load
test's reader then waited 2–3× longer at p99. By default a machine renders on one core fewer
than it has (at least one), so a page always finds a core nobody renders on.

Why `fcntl.flock` on files: the kernel drops a lock when its holder closes the file or dies,
so a killed worker never leaves a slot taken; no server or shared memory to set up.
"""

import fcntl
import os
import time
from pathlib import Path

POLL_SECONDS = 0.05


class MachineSlots:
    """`count` slots shared by every process that uses `folder`."""

    def __init__(self, folder: Path, count: int, clock=time.monotonic):
        self.paths = [folder / f"slot-{number}.lock" for number in range(count)]
        self.clock = clock
        folder.mkdir(parents=True, exist_ok=True)

    def take(self, wait: float) -> int | None:
        """A held slot (an open file to `give_back`) within `wait` seconds, else None."""
        deadline = self.clock() + wait
        while True:
            held = self._take_free()
            if held is not None or self.clock() >= deadline:
                return held
            time.sleep(POLL_SECONDS)

    def _take_free(self) -> int | None:
        for path in self.paths:
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return handle
            except BlockingIOError:
                os.close(handle)
        return None

    @staticmethod
    def give_back(handle: int) -> None:
        os.close(handle)  # closing the file drops its lock
