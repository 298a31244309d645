"""Who a checked ID token names in Kompass, and whether it proves a second factor."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.code_login import throttle
from auth.oidc.refusals import Refused
from auth.oidc.settings import OidcSettings
from auth.staff import login as staff_login
from auth.staff.models import User
from engine.app.db import utcnow


def claimed_name(settings: OidcSettings, claims: dict) -> str:
    """The claim that names the user, as `User.external_name` holds it."""
    value = claims.get(settings.user_claim)
    if not isinstance(value, str) or not value.strip():
        raise Refused("no_claim")
    return value.strip().lower()


def find_user(session: Session, name: str) -> User | None:
    return session.scalars(select(User).where(User.external_name == name)).first()


def admit(session: Session, user: User | None, policy: staff_login.Policy) -> User:
    """The user if they exist, are active and their account is not locked; roles stay Kompass's."""
    if user is None:
        raise Refused("unknown_user")
    if not user.active:
        raise Refused("inactive")
    if throttle.is_locked(session, staff_login.user_key(policy.secret, user), utcnow()):
        raise Refused("locked")
    return user


def second_factor_asserted(settings: OidcSettings, claims: dict) -> bool:
    """The token's acr, or one of its amr values, is one the settings count as a second factor."""
    acr, amr = claims.get("acr"), claims.get("amr")
    methods = {method for method in amr if isinstance(method, str)} if isinstance(amr, list) else ()
    return (isinstance(acr, str) and acr in settings.second_factor_acr) or any(
        method in settings.second_factor_amr for method in methods
    )
