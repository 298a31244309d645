"""One demo staff user per role, with fresh passwords printed by `kompass demo`.

The two administrators, whose roles need a second factor, are enrolled with a fresh TOTP key;
`kompass demo` prints it, its otpauth URI, one recovery code and how to get a current code.
The others start without a second factor and may turn it on themselves.
"""

from flask import current_app
from sqlalchemy.orm import Session

from auth.staff import passwords, roles, second_factor
from auth.staff.login import find_user
from auth.staff.models import User, UserRole

USERS = [
    ("systemadmin", "Siri", "Systemadmin", None, [roles.SYSTEMADMIN]),
    ("bergen-admin", "Kari", "Kommuneadmin", "4601", [roles.KOMMUNEADMIN]),
    ("bergen-bosetting", "Bo", "Bosetting", "4601", [roles.BOSETTING]),
    ("bergen-mottak", "Vera", "Vertskommune", "4601", [roles.VERTSKOMMUNE]),
    ("oslo-veileder", "Ola", "Veileder", "0301", [roles.BOSETTING, roles.VERTSKOMMUNE]),
    ("analytiker", "Anna", "Analytiker", None, [roles.ANALYTIKER]),
    ("redaktor", "Rune", "Redaktør", None, [roles.INNHOLDSREDAKTOR]),
]
ENROLLED = ("systemadmin", "bergen-admin")
CURRENT_CODE = """.venv/bin/python -c 'import pyotp; print(pyotp.TOTP("{key}").now())'"""


def load(session: Session) -> dict:
    cost = current_app.config["KOMPASS_PASSWORD_HASH_COST"]
    users = {}
    for username, first, last, municipality, user_roles in USERS:
        password = passwords.initial_password()
        user = find_user(session, username) or User(username=username)
        user.first_name, user.last_name, user.municipality = first, last, municipality
        user.email, user.active, user.must_change_password = f"{username}@example.org", True, False
        user.password_hash = passwords.hash_password(password, cost)
        user.session_epoch = (user.session_epoch or 0) + 1
        user.role_rows = [row for row in user.role_rows if row.role in user_roles]
        user.role_rows += [UserRole(role=r) for r in user_roles if r not in user.roles]
        session.add(user)
        session.flush()
        second_factor.turn_off(session, user)
        users[username] = {
            "username": username,
            "password": password,
            "roles": user_roles,
            "municipality": municipality,
        }
        if username in ENROLLED:
            users[username].update(_enrol(session, user))
    session.commit()
    return {"users": users}


def _enrol(session: Session, user: User) -> dict:
    """A fresh TOTP key and recovery codes; what to print so one can log in."""
    user.totp_secret = second_factor.new_secret()
    codes = second_factor.enable(session, user, current_app.config["SECRET_KEY"])
    uri = second_factor.provisioning_uri(user)
    current = CURRENT_CODE.format(key=user.totp_secret)
    return {
        "totp_secret": user.totp_secret,
        "totp_uri": uri,
        "recovery_code": codes[0],
        "notes": [
            f"two-step log-in: key {user.totp_secret}  ({uri})",
            f"a current code: any authenticator app with that key, or {current}",
            f"or once: recovery code {codes[0]}",
        ],
    }
