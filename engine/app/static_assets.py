"""Static files (CSS, script, fonts) cached for a year: each URL carries its content's hash.

`url_for` of any `static` endpoint (the app's or a blueprint's) adds `v=<hash>`, the first
characters of the file's SHA-256; a response whose `v` is the file's hash is `public, max-age=
one year, immutable`, so a second page load asks for none of them. A changed file has another
hash and so another URL. A request without the right `v` (an old page, a hand-typed URL) gets
the file with `no-cache`. Files referenced from inside a stylesheet (fonts) carry their `v` in
the stylesheet itself (tools/subset_fonts.py writes it); `hash_of` is the same function.
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

YEAR = 31536000
IMMUTABLE = f"public, max-age={YEAR}, immutable"
VERSION = "v"


def install(app: Flask) -> None:
    app.url_defaults(_add_version)
    app.after_request(_cache_headers)


def hash_of(path: Path) -> str:
    """The version a file's URL carries."""
    return _hash(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=256)  # a file's hash per modification time; a site has a few dozen
def _hash(path: str, modified: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def _add_version(endpoint: str, values: dict) -> None:
    if _is_static(endpoint) and "filename" in values and VERSION not in values:
        found = _file(endpoint, values["filename"])
        if found is not None:
            values[VERSION] = hash_of(found)


def _cache_headers(response: Response) -> Response:
    if not _is_static(request.endpoint) or response.status_code not in (200, 304):
        return response
    found = _file(request.endpoint, (request.view_args or {}).get("filename", ""))
    versioned = found is not None and request.args.get(VERSION) == hash_of(found)
    response.headers["Cache-Control"] = IMMUTABLE if versioned else "no-cache"
    return response


def _is_static(endpoint: str | None) -> bool:
    return bool(endpoint) and (endpoint == "static" or endpoint.endswith(".static"))


def _file(endpoint: str, filename: str) -> Path | None:
    """The file a static endpoint serves for `filename`, if there is one."""
    blueprint = endpoint.rpartition(".")[0]
    owner = current_app.blueprints.get(blueprint) if blueprint else current_app
    folder = owner.static_folder if owner is not None else None
    joined = safe_join(folder, filename) if folder else None
    return Path(joined) if joined and Path(joined).is_file() else None
