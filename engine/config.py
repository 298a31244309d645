"""Settings: defaults, then environment variables prefixed KOMPASS_, then explicit overrides."""

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PREFIX = "KOMPASS_"


def defaults(instance: Path) -> dict:
    return {
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
        "SECURE_COOKIES": False,
        "PASSWORD_HASH_COST": "normal",
        "EXPORT_PSEUDONYM_KEY": "",
        "RETENTION_CODE_DAYS": 30,  # login codes: days after they expired or were closed
        "RETENTION_MAPPED_YEARS": 5,  # persons: years after their mapping was last submitted
        "RETENTION_UNMAPPED_YEARS": 2,  # persons never mapped: years after registration
    }


def load(instance: Path, overrides: dict | None = None) -> dict:
    """Settings as a dict; environment values are converted to the type of their default."""
    settings = defaults(instance)
    for key, default in list(settings.items()):
        raw = os.environ.get(PREFIX + key)
        if raw is not None:
            settings[key] = _convert(raw, default)
    settings.update(overrides or {})
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = _instance_secret(instance, "secret_key")
    if not settings["EXPORT_PSEUDONYM_KEY"]:
        settings["EXPORT_PSEUDONYM_KEY"] = _instance_secret(instance, "export_pseudonym_key")
    return settings


def _convert(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def _instance_secret(instance: Path, name: str) -> str:
    """A secret kept in the instance folder, so a local install needs no setup."""
    path = instance / name
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
