"""Brukeradministrasjon: list, create and edit staff users, add and remove roles."""

import re

from flask import abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select

from adminui.blueprint import bp, requires
from adminui.i18n import gettext as _
from auth.code_login import throttle
from auth.people import municipalities
from auth.staff import access, audit, passwords, roles, second_factor
from auth.staff.login import find_user, user_key
from auth.staff.models import User, UserRole
from engine.app.context import db_session

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ]{8,20}$")
FIELDS = (
    "username", "first_name", "last_name", "email", "phone", "municipality", "active",
    "external_name",
)  # fmt: skip
WITH_VALUES = ("roles", "active", "municipality")  # audited with old and new value
LONGEST = {"first_name": 100, "last_name": 100, "email": 200, "external_name": 200}  # columns


@bp.get("/brukere")
@requires(access.can_manage_any_users)
def users(user):
    query = select(User).order_by(User.municipality, User.username)
    scope = access.audit_scope(user)
    if scope is not None:
        query = query.where(User.municipality == scope)
    found = db_session().scalars(query).all()
    audit.record(db_session(), "user.list", user, count=len(found))
    return render_template("admin/users.html", users=found)


@bp.route("/brukere/ny", methods=["GET", "POST"])
@requires(access.can_manage_any_users)
def new_user(actor):
    if request.method == "GET":
        blank = {"municipality": actor.municipality or "", "active": "1"}
        return _form(actor, None, blank, {})
    values, errors = _read_form(actor, None)
    if errors:
        return _form(actor, None, values, errors, status=422)
    password = passwords.initial_password()
    cost = current_app.config["KOMPASS_PASSWORD_HASH_COST"]
    target = User(password_hash=passwords.hash_password(password, cost), must_change_password=True)
    _apply(target, values)
    db_session().add(target)
    db_session().commit()
    audit.record(db_session(), "user.create", actor, target_user_id=target.id)
    return _edit_page(actor, target, initial_password=password)


@bp.route("/brukere/<id:user_id>", methods=["GET", "POST"])
@requires(access.can_manage_any_users)
def edit_user(actor, user_id: int):
    target = _manageable(actor, user_id)
    if request.method == "GET":
        audit.record(db_session(), "user.view", actor, target_user_id=target.id)
        return _edit_page(actor, target)
    values, errors = _read_form(actor, target)
    if errors:
        return _form(actor, target, values, errors, status=422)
    was_active, before = target.active, _audited_state(target)
    _apply(target, values)
    if was_active and not target.active:
        target.session_epoch += 1
    db_session().commit()
    action = "user.deactivate" if was_active and not target.active else "user.update"
    changes = _changes(before, _audited_state(target))
    audit.record(db_session(), action, actor, target_user_id=target.id, **changes)
    return redirect(url_for("adminui.edit_user", user_id=target.id))


@bp.post("/brukere/<id:user_id>/roller")
@requires(access.can_manage_any_users)
def add_role(actor, user_id: int):
    target, role = _target_and_role(actor, user_id)
    if role in roles.MUNICIPAL and not target.municipality:
        return _edit_page(
            actor, target, error=_("Municipal roles need a municipality."), status=422
        )
    if role not in target.roles:
        target.role_rows.append(UserRole(role=role))
        db_session().commit()
        audit.record(db_session(), "role.add", actor, target_user_id=target.id, role=role)
    return redirect(url_for("adminui.edit_user", user_id=target.id))


@bp.post("/brukere/<id:user_id>/roller/fjern")
@requires(access.can_manage_any_users)
def remove_role(actor, user_id: int):
    target, role = _target_and_role(actor, user_id)
    target.role_rows = [row for row in target.role_rows if row.role != role]
    db_session().commit()
    audit.record(db_session(), "role.remove", actor, target_user_id=target.id, role=role)
    return redirect(url_for("adminui.edit_user", user_id=target.id))


@bp.post("/brukere/<id:user_id>/nytt-passord")
@requires(access.can_manage_any_users)
def reset_password(actor, user_id: int):
    target = _manageable(actor, user_id)
    password = passwords.initial_password()
    cost = current_app.config["KOMPASS_PASSWORD_HASH_COST"]
    target.password_hash = passwords.hash_password(password, cost)
    target.must_change_password = True
    throttle.clear(db_session(), user_key(current_app.config["SECRET_KEY"], target))
    target.session_epoch += 1
    db_session().commit()
    audit.record(db_session(), "user.password_reset", actor, target_user_id=target.id)
    return _edit_page(actor, target, initial_password=password)


@bp.post("/brukere/<id:user_id>/tofaktor/nullstill")
@requires(access.can_manage_any_users)
def reset_second_factor(actor, user_id: int):
    """The user must enrol again (if their role needs it) at the next log-in."""
    target = _manageable(actor, user_id)
    if not access.can_reset_second_factor(actor, target):
        abort(403)
    if request.form.get("confirm") != "yes":
        error = _("Tick the box to confirm the reset.")
        return _edit_page(actor, target, second_factor_error=error, status=422)
    second_factor.turn_off(db_session(), target)
    db_session().commit()
    audit.record(db_session(), "staff.totp_reset", actor, target_user_id=target.id)
    return redirect(url_for("adminui.edit_user", user_id=target.id))


def _audited_state(target: User) -> dict[str, str]:
    """What an update may change, as text (never the password)."""
    state = {
        key: "" if getattr(target, key) is None else str(getattr(target, key)) for key in FIELDS
    }
    state["roles"] = ",".join(sorted(target.roles))
    return state


def _changes(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """The names of the changed fields; old→new for the ones that decide access."""
    changed = [key for key in before if before[key] != after[key]]
    shown = {key: f"{before[key]}→{after[key]}" for key in changed if key in WITH_VALUES}
    return {"changed": ",".join(changed), **shown}


def _target_and_role(actor: User, user_id: int) -> tuple[User, str]:
    """The user to change and the posted role, which the actor must be allowed to give."""
    target = _manageable(actor, user_id)
    role = request.form.get("role", "")
    if role not in access.grantable_roles(actor):
        abort(403)
    return target, role


def _manageable(actor: User, user_id: int) -> User:
    """The user, if the actor may manage them; otherwise 404, as if they did not exist."""
    target = db_session().get(User, user_id)
    if target is None or not access.can_manage_users(actor, target.municipality):
        abort(404)
    if roles.SYSTEMADMIN not in actor.roles and target.roles & set(roles.NATIONAL):
        abort(404)
    return target


def _read_form(actor: User, target: User | None) -> tuple[dict, dict]:
    values = {key: request.form.get(key, "").strip() for key in FIELDS}
    values["username"] = values["username"].lower()
    values["external_name"] = values["external_name"].lower()
    if roles.SYSTEMADMIN not in actor.roles:
        values["municipality"] = actor.municipality or ""
    errors = {}
    if not USERNAME.match(values["username"]):
        errors["username"] = _("Use 3–60 lowercase letters, digits, '.', '_' or '-'.")
    else:
        existing = find_user(db_session(), values["username"])
        if existing is not None and existing is not target:
            errors["username"] = _("This user name is taken.")
    if not values["first_name"]:
        errors["first_name"] = _("Write the first name.")
    if not values["last_name"]:
        errors["last_name"] = _("Write the last name.")
    for key, longest in LONGEST.items():
        if len(values[key]) > longest:
            errors[key] = _("Write at most %(count)s characters.", count=longest)
    if values["email"] and not EMAIL.match(values["email"]):
        errors["email"] = _("Write an e-mail address like name@kommune.no.")
    if values["phone"] and not PHONE.match(values["phone"]):
        errors["phone"] = _("Write a phone number with 8 digits or more.")
    if values["external_name"] and _external_name_taken(values["external_name"], target):
        errors["external_name"] = _("Another user has this sign-in name.")
    if values["municipality"] and municipalities.find(values["municipality"]) is None:
        errors["municipality"] = _("Choose a municipality from the list.")
    return values, errors


def _external_name_taken(name: str, target: User | None) -> bool:
    holder = db_session().scalars(select(User).where(User.external_name == name)).first()
    return holder is not None and holder is not target


def _apply(target: User, values: dict) -> None:
    target.username = values["username"]
    target.first_name, target.last_name = values["first_name"], values["last_name"]
    target.email, target.phone = values["email"], values["phone"]
    target.municipality = values["municipality"] or None
    target.active = values["active"] == "1"
    target.external_name = values["external_name"] or None
    if target.municipality is None:
        target.role_rows = [row for row in target.role_rows if row.role not in roles.MUNICIPAL]


def _form(actor, target, values, errors, status=200):
    body = render_template(
        "admin/user_form.html",
        target=target,
        values=values,
        errors=errors,
        municipality_choices=_municipality_choices(actor),
    )
    return body, status


def _edit_page(
    actor, target, initial_password=None, error=None, status=200, second_factor_error=None
):
    values = {key: getattr(target, key) for key in FIELDS}
    values["active"] = "1" if target.active else "0"
    values["municipality"] = target.municipality or ""
    values["external_name"] = target.external_name or ""
    body = render_template(
        "admin/user_form.html",
        target=target,
        values=values,
        errors={},
        municipality_choices=_municipality_choices(actor),
        grantable=[r for r in access.grantable_roles(actor) if r not in target.roles],
        removable=[r for r in sorted(target.roles) if r in access.grantable_roles(actor)],
        initial_password=initial_password,
        role_error=error,
        can_reset_second_factor=access.can_reset_second_factor(actor, target),
        second_factor_error=second_factor_error,
    )
    return body, status


def _municipality_choices(actor: User) -> list:
    if roles.SYSTEMADMIN in actor.roles:
        return list(municipalities.all_municipalities().values())
    own = municipalities.find(actor.municipality)
    return [own] if own else []
