"""Caches a process keeps are bounded (issue 20 point 8): what a request can make new keys of
never grows without limit."""

import dataclasses
import functools
import gc
import importlib
import inspect
import pkgutil
import weakref

from engine.questionnaire import schema
from engine.questionnaire.memo import Memo
from tests.test_schema_and_storage import KOMPASS

SERVICE = ("engine", "auth", "adminui", "renderers", "api")


def test_the_validator_cache_stays_bounded():
    first = dataclasses.replace(KOMPASS, memo=Memo(1))
    kept = weakref.ref(first)
    schema.validator(first)
    del first
    for _ in range(schema.VALIDATORS):
        schema.validator(dataclasses.replace(KOMPASS, memo=Memo(1)))
    gc.collect()
    assert schema.validator.cache_info().currsize == schema.VALIDATORS
    assert kept() is None  # the least recently used questionnaire is let go


def test_every_cache_with_arguments_has_a_bound():
    unbounded = [
        f"{name}.{attribute}"
        for name, attribute, cached in _caches()
        if cached.cache_parameters()["maxsize"] is None and inspect.signature(cached).parameters
    ]
    assert unbounded == []


def _caches():
    """Every functools cache defined at the top of a module of the service."""
    for package in SERVICE:
        path = importlib.import_module(package).__path__
        for found in pkgutil.walk_packages(path, f"{package}."):
            module = importlib.import_module(found.name)
            for attribute, value in vars(module).items():
                if isinstance(value, functools._lru_cache_wrapper) and (
                    value.__module__ == module.__name__
                ):
                    yield found.name, attribute, value
