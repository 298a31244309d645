"""The staff second factor: TOTP codes (RFC 6238, through pyotp) and one-time recovery codes.

A time step's code works once: the last used step is stored and moved on by one conditional
UPDATE, so two requests with the same code cannot both pass. Recovery codes are stored as
HMAC-SHA256 keyed with `SECRET_KEY` (random and 60 bits long, so no slow hash is needed:
docs/security.md) and deleted by the request that uses them.
"""

import hashlib
import hmac
import secrets
import time

import pyotp
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from auth.staff.models import RecoveryCode, User

ISSUER = "Kompass"
VALID_WINDOW = 1  # the steps just before and after now count too (clock drift, typing time)
RECOVERY_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to mix up
RECOVERY_LENGTH = 12  # 32¹² = 2⁶⁰


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User) -> str:
    """The otpauth:// URI an authenticator app reads: issuer and user name, no personal name."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step (within the valid window) whose code `code` is, else None."""
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if now is None else now)
    found = None
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def use_totp(session: Session, user: User, code: str) -> bool:
    """True if `code` is the user's code of a step later than the last one used (then used)."""
    step = matching_step(user.totp_secret, code) if user.totp_secret else None
    if step is None:
        return False
    statement = (
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).rowcount == 1


def use_recovery_code(session: Session, user: User, code: str, key: str) -> bool:
    """True if `code` is one of the user's unused recovery codes (it is deleted: used once)."""
    statement = delete(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(key, code)
    )
    return session.execute(statement).rowcount == 1


def recovery_codes_left(session: Session, user: User) -> int:
    query = select(func.count()).select_from(RecoveryCode).where(RecoveryCode.user_id == user.id)
    return session.scalar(query)


def new_recovery_codes(session: Session, user: User, key: str) -> list[str]:
    """Ten new codes, shown once; the user's earlier codes stop working."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_COUNT)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(key, code)) for code in codes)
    user.session_epoch += 1
    return codes


def start_enrolment(user: User) -> None:
    """A secret to confirm, kept while enrolment is unfinished (a reload shows the same one)."""
    if not user.totp_enabled and not user.totp_secret:
        user.totp_secret = new_secret()


def enable(session: Session, user: User, key: str) -> list[str]:
    """Switch the confirmed secret on; returns the new recovery codes."""
    user.totp_enabled = True
    return new_recovery_codes(session, user, key)


def turn_off(session: Session, user: User) -> None:
    """No second factor (switched off, or reset by an administrator); other sessions end."""
    user.totp_secret, user.totp_enabled, user.totp_last_step = None, False, None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.session_epoch += 1


def _recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def _hash(key: str, code: str) -> str:
    message = f"staff-recovery:{normalise(code)}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
