"""Settings: defaults, then environment variables prefixed KOMPASS_, then explicit overrides."""

import os
import secrets
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
PREFIX = "KOMPASS_"
DEVELOPMENT = "development"
INSTANCE_SECRETS = {"SECRET_KEY": "secret_key", "EXPORT_PSEUDONYM_KEY": "export_pseudonym_key"}


class MissingSecret(RuntimeError):
    """A secret setting is empty outside development."""


def defaults(instance: Path) -> dict:
    return {
        "ENV": "production",
        "DATABASE_URL": f"sqlite:///{instance / 'kompass.sqlite3'}",
        "SECRET_KEY": "",
        "QUESTIONNAIRES_DIR": str(PROJECT_ROOT / "questionnaires"),
        "ACTIVE_QUESTIONNAIRE": "kompass",
        "PLUGINS": "",
        "CODE_VALIDITY_DAYS": 7,
        "MAPPING_DEADLINE_MONTHS": 3,
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCK_MINUTES": 15,
        "CLIENT_MAX_FAILURES": 30,
        "SESSION_MINUTES": 120,
        "STAFF_IDLE_MINUTES": 30,
        "STAFF_SESSION_HOURS": 12,
        "RESPONDENT_SESSION_HOURS": 4,
        "SECURE_COOKIES": False,
        "TRUSTED_PROXIES": "",  # addresses or networks: engine/app/proxies.py
        "PUBLIC_URL": "",
        # who answers questions about the service: named on the legal pages (docs/operations.md)
        "CONTACT_ORGANISATION": "Kompass",
        "CONTACT_EMAIL": "personvern@example.org",
        # The deployment's own facts, which the engine takes from here (engine/app/deployment.py):
        "TIME_ZONE": "Europe/Oslo",  # dates people read and filter by (IANA name)
        # labels staff read (exports), main language first; the first is also the locale of
        # pages before a language is chosen
        "LABEL_LANGUAGES": "nb,en",
        "PASSWORD_HASH_COST": "normal",
        "EXPORT_PSEUDONYM_KEY": "",
        "RETENTION_CODE_DAYS": 30,  # login codes: days after they expired or were closed
        "RETENTION_MAPPED_YEARS": 5,  # persons: years after their mapping was last submitted
        "RETENTION_UNMAPPED_YEARS": 2,  # persons never mapped: years after registration
        "PDF_RENDERERS": 1,  # PDFs rendered at once per process (renderers/pdf_pool.py)
        # ... and on the whole machine (renderers/pdf_slots.py); 0: no machine-wide bound
        "PDF_MACHINE_RENDERERS": max(1, (os.cpu_count() or 1) - 1),
        "PDF_SLOTS_DIR": str(instance / "pdf-slots"),
        "PDF_WAIT_SECONDS": 5,  # a download waits this long for a free renderer, then 503
        "PDF_CACHE_MB": 32,  # rendered PDFs kept per process; 0 keeps none
    }


def load(instance: Path, overrides: dict | None = None, need_secrets: bool = True) -> dict:
    """Settings as a dict; environment values are converted to the type of their default.

    Outside development an empty secret stops the app; in development it is made once and
    kept in the instance folder, so a local install needs no setup.
    """
    settings = defaults(instance)
    for key, default in list(settings.items()):
        raw = os.environ.get(PREFIX + key)
        if raw is not None:
            settings[key] = _convert(raw, default)
    settings.update(overrides or {})
    if need_secrets:
        _fill_secrets(settings, instance)
    return settings


def add_plugin_settings(settings: dict, declared: list[dict], overrides: dict | None) -> None:
    """The plugins' own settings (`kompass_settings`), read as `load` reads the engine's."""
    for plugin_defaults in declared:
        for key, default in plugin_defaults.items():
            if key in (overrides or {}):
                continue
            raw = os.environ.get(PREFIX + key)
            settings[key] = default if raw is None else _convert(raw, default)


def _fill_secrets(settings: dict, instance: Path) -> None:
    for key, file_name in INSTANCE_SECRETS.items():
        if settings[key]:
            continue
        if settings["ENV"] != DEVELOPMENT:
            raise MissingSecret(
                f"{PREFIX}{key} is not set. Set it to a long random value (for example the "
                f"output of: python3 -c 'import secrets; print(secrets.token_hex(32))'), or "
                f"set {PREFIX}ENV={DEVELOPMENT} on a developer's machine."
            )
        settings[key] = _instance_secret(instance, file_name)


def _convert(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def _instance_secret(instance: Path, name: str) -> str:
    """A secret kept in the instance folder; racing processes all read the first one made."""
    path = instance / name
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        _create_once(path, secrets.token_hex(32))
    return path.read_text().strip()


def _create_once(path: Path, value: str) -> None:
    """Write a complete file aside, then link it into place: the link fails if one exists."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(value)
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
