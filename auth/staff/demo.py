"""One demo staff user per role, with fresh passwords printed by `kompass demo`."""

from flask import current_app
from sqlalchemy.orm import Session

from auth.staff import passwords, roles
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
        users[username] = {
            "username": username,
            "password": password,
            "roles": user_roles,
            "municipality": municipality,
        }
    session.commit()
    return {"users": users}
