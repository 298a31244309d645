"""Compiled Jinja templates shared by every app in the process.

Jinja compiles each template once per environment, and every Flask app has its own: a process
that makes many apps (the tests make one per test) compiled the same templates hundreds of
times. The key holds a checksum of the template's source and the environment's extensions, so a
changed template (or an app with other extensions) compiles anew; there are as many entries as
templates, a few dozen.
"""

import threading

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket


class ProcessBytecodeCache(BytecodeCache):
    def __init__(self):
        self._compiled: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def get_bucket(self, environment: Environment, name: str, filename, source: str) -> Bucket:
        """Jinja's bucket, keyed also by the extensions the template is compiled with."""
        extensions = ",".join(sorted(environment.extensions))
        key = self.get_cache_key(f"{name}|{extensions}", filename)
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            compiled = self._compiled.get((bucket.key, bucket.checksum))
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            self._compiled[(bucket.key, bucket.checksum)] = bucket.bytecode_to_string()


SHARED = ProcessBytecodeCache()
