"""The OpenAPI 3.1 description of the JSON API (openapi.yaml), read once per process."""

from functools import cache
from pathlib import Path

import yaml

SOURCE = Path(__file__).with_name("openapi.yaml")


@cache
def document() -> dict:
    return yaml.safe_load(SOURCE.read_text("utf-8"))
