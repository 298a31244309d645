"""Start `python -m engine.app.serve` (what `make serve` runs) on a free loopback port."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

KEYS = {"KOMPASS_SECRET_KEY": "load-secret", "KOMPASS_EXPORT_PSEUDONYM_KEY": "load-pseudonym"}


@contextmanager
def serving(url: str, workers: int, extra_env: dict | None = None, upgrade: bool = True):
    """gunicorn on the database at `url` (migrated by the entry point unless `upgrade` is
    False: the caller migrated it); yields its base URL.

    Cookies are not marked Secure here: the clients speak plain HTTP on loopback."""
    port = free_port()
    env = {**os.environ, **KEYS, "KOMPASS_DATABASE_URL": url, "KOMPASS_SECURE_COOKIES": "false"}
    command = [sys.executable, "-m", "engine.app.serve", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers)] + ([] if upgrade else ["--no-upgrade"])
    server = subprocess.Popen(command, env={**env, **(extra_env or {})}, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, server)
        yield base
    finally:
        stop(server)


def stop(server: subprocess.Popen, seconds: float = 60) -> None:
    """Ask the server to stop; kill it if it has not within `seconds`."""
    server.terminate()
    try:
        server.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(
    base: str, server: subprocess.Popen, seconds: float = 300, path="/healthz", poll=0.3
) -> None:
    """Until `base` + `path` answers 200, asked again every `poll` seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}{path}", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(poll)
    raise RuntimeError("the server did not become healthy in time")
