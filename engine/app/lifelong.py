"""Objects made at a process's start that live as long as it does."""

import gc
from contextlib import contextmanager


@contextmanager
def made_for_the_process():
    """The collector paused while the block runs, then everything that exists frozen
    (`gc.freeze`): no later collection scans those objects again, and a process forked after
    it does not copy their memory pages by touching them (Python's advice before a fork). Only
    a process's entry point uses this; a test that made an app this way would keep its garbage."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
