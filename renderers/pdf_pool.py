"""PDFs that cannot starve the server: a bounded rendering pool per process, results kept.

Why worker processes at the lowest priority: WeasyPrint lays out in Python, so a render in a
request thread holds its gunicorn worker's interpreter lock for seconds and every other request
of that worker waits, and several renders at normal priority take the cores from the pages.
In a worker process of its own, niced to 19 (`os.nice`) and on Linux in the SCHED_IDLE class,
a render uses only what the pages leave: a page's thread that wakes (say from a database
answer) preempts it at once, where a niced task may first finish its slice. The price: on a
machine whose cores the pages keep busy, PDFs wait (then 503, below). Each gunicorn worker
starts its rendering processes at its first PDF (`spawn`: a fork of a threaded process could
copy a lock another thread holds), and they keep WeasyPrint and the fonts loaded.

At most `PDF_RENDERERS` renders run per gunicorn worker, and at most `PDF_MACHINE_RENDERERS` on
the machine (renderers/pdf_slots.py); a download that finds no free slot of both within
`PDF_WAIT_SECONDS` is refused with a 503 and `Retry-After` (`PdfBusy`), as is one whose render
takes longer than RENDER_SECONDS (it goes on, and its result is kept for the next try).
Downloads of the same document at the same time share one render.

Why kept per process, in memory: the bytes hold personal data, and a copy in the database
would be one more place to erase and back up; a process's copies are bounded in bytes
(`PDF_CACHE_MB`, 0: none) and age (KEPT_SECONDS), and gone at a restart. The key (`pdf.key`)
is whose document it is and everything it is made from (its rows, the staff names they name,
the language, the catalogues' revisions), so any change to what it shows is another key. The
key costs a few small queries: a download that is kept, shared or refused lays out nothing, and
the HTML is built once, in the download that gets a renderer.
"""

import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from flask import Flask, current_app
from werkzeug.exceptions import ServiceUnavailable

from renderers import pdf
from renderers.pdf_slots import MachineSlots

EXTENSION = "kompass_pdf_pool"
NICENESS = 19
RENDER_SECONDS = 50  # below the reverse proxy's 60 s read timeout (docs/operations.md)
KEPT_SECONDS = 3600
RETRY_AFTER = 10
_CREATING = threading.Lock()


class PdfBusy(ServiceUnavailable):
    """Every renderer of this process is busy; the download may be tried again shortly."""

    def __init__(self):
        super().__init__(retry_after=RETRY_AFTER)


class Kept:
    """Rendered PDFs by key, least recently used dropped first, bounded in bytes and age."""

    def __init__(self, limit: int, seconds: float = KEPT_SECONDS, clock=time.monotonic):
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or self.clock() - item[0] > self.seconds:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: str, body: bytes) -> None:
        with self._lock:
            self._drop(key)
            if len(body) > self.limit:
                return
            self._items[key] = (self.clock(), body)
            self._size += len(body)
            while self._size > self.limit:
                self._drop(next(iter(self._items)))

    def _drop(self, key: str) -> None:
        item = self._items.pop(key, None)
        self._size -= len(item[1]) if item else 0


class Pool:
    """At most `slots` renders at once, each waited for at most `wait` seconds."""

    def __init__(self, slots: int, wait: float, kept: Kept, executor: Callable[[], Executor],
                 render: Callable[[str, str], bytes] = pdf.render,
                 machine: MachineSlots | None = None):  # fmt: skip
        self.wait, self.kept, self.render, self.machine = wait, kept, render, machine
        self._slots = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._running: dict[str, Future] = {}
        self._new_executor = executor
        self._executor: Executor | None = None

    def made(self, key: str, html: Callable[[], str], base_url: str) -> bytes:
        """The PDF of `key`: kept, being made, or made now from `html()`; else PdfBusy."""
        body = self.kept.get(key)
        if body is not None:
            return body
        with self._lock:
            shared = self._running.get(key)
            future = shared or self._running.setdefault(key, Future())
        if shared is None:
            self._start(key, future, html, base_url)
        try:
            return future.result(timeout=RENDER_SECONDS)
        except (TimeoutError, BrokenProcessPool) as error:
            raise PdfBusy() from error

    def _start(self, key: str, future: Future, html: Callable[[], str], base_url: str) -> None:
        held = self._take_slots()
        if held is None:
            self._finish(key, future, PdfBusy())
            return
        try:
            rendering = self._executor_now().submit(self.render, html(), base_url)
        except BaseException as error:
            self._give_back(held)
            self._finish(key, future, error)
            raise
        rendering.add_done_callback(lambda done: self._done(key, future, done, held))

    def _take_slots(self) -> tuple[int | None] | None:
        """This process's slot and then the machine's, within one wait; None: busy."""
        deadline = time.monotonic() + self.wait
        if not self._slots.acquire(timeout=self.wait):
            return None
        if self.machine is None:
            return (None,)
        handle = self.machine.take(max(0.0, deadline - time.monotonic()))
        if handle is None:
            self._slots.release()
            return None
        return (handle,)

    def _give_back(self, held: tuple[int | None]) -> None:
        if held[0] is not None:
            self.machine.give_back(held[0])
        self._slots.release()

    def _done(self, key: str, future: Future, rendering: Future, held) -> None:
        self._give_back(held)
        error = rendering.exception()
        if isinstance(error, BrokenProcessPool):
            with self._lock:
                self._executor = None  # a rendering process died: start new ones next time
        if error is None:
            self.kept.put(key, rendering.result())
        self._finish(key, future, error, None if error else rendering.result())

    def _finish(self, key: str, future: Future, error: BaseException | None, body=None) -> None:
        with self._lock:
            self._running.pop(key, None)
        if error is None:
            future.set_result(body)
        else:
            future.set_exception(error)

    def _executor_now(self) -> Executor:
        with self._lock:
            if self._executor is None:
                self._executor = self._new_executor()
            return self._executor


def made(key: str, html: Callable[[], str], base_url: str) -> bytes:
    """The PDF of `key` from this process's pool (see `Pool.made`)."""
    return pool(current_app).made(key, html, base_url)


def pool(app: Flask) -> Pool:
    """The app's pool, made from its settings at the first PDF."""
    with _CREATING:
        if EXTENSION not in app.extensions:
            app.extensions[EXTENSION] = _from_settings(app.config)
        return app.extensions[EXTENSION]


def _from_settings(config) -> Pool:
    slots = max(1, config["KOMPASS_PDF_RENDERERS"])
    kept = Kept(config["KOMPASS_PDF_CACHE_MB"] * 2**20)
    machine = config["KOMPASS_PDF_MACHINE_RENDERERS"]
    shared = MachineSlots(Path(config["KOMPASS_PDF_SLOTS_DIR"]), machine) if machine else None
    wait = config["KOMPASS_PDF_WAIT_SECONDS"]
    return Pool(slots, wait, kept, lambda: processes(slots), machine=shared)


def processes(slots: int) -> ProcessPoolExecutor:
    """Rendering processes at the lowest priority, started anew (not forked from threads)."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        slots, mp_context=context, initializer=renderer_started, initargs=(os.getpid(),)
    )


def renderer_started(parent: int) -> None:
    """In a new rendering process: the lowest priority, and an end when its worker ends."""
    lowest_priority()
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def lowest_priority() -> None:
    """Nice 19, and on Linux SCHED_IDLE: a waking page's thread always takes the core at once."""
    os.nice(NICENESS)
    if hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def _end_with(parent: int) -> None:
    """Exit once the worker is gone (killed after its graceful timeout), not render on alone."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)
