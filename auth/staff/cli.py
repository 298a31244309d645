"""`kompass users create-admin`, `kompass users totp-reset` and `kompass audit export`."""

import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from auth.staff import audit, passwords, roles, second_factor
from auth.staff.login import find_user
from auth.staff.models import User, UserRole
from engine.app.context import kompass

users = AppGroup("users", help="Staff user accounts.")
audit_group = AppGroup("audit", help="The audit log.")


@users.command("create-admin")
@click.option("--username", required=True)
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@click.option("--email", default="")
@click.password_option(help="At least 12 characters; asked for if not given.")
def create_admin(username: str, first_name: str, last_name: str, email: str, password: str):
    """Create the first system administrator (or give an existing user that role)."""
    if passwords.too_weak(password):
        raise click.ClickException(f"the password needs at least {passwords.MIN_LENGTH} characters")
    cost = current_app.config["KOMPASS_PASSWORD_HASH_COST"]
    with kompass().sessions() as session:
        user = find_user(session, username) or User(username=username.strip().lower())
        user.first_name, user.last_name, user.email = first_name, last_name, email
        user.password_hash = passwords.hash_password(password, cost)
        user.must_change_password, user.active = False, True
        if roles.SYSTEMADMIN not in user.roles:
            user.role_rows.append(UserRole(role=roles.SYSTEMADMIN))
        session.add(user)
        session.commit()
        audit.record(session, "user.create_admin", None, target_user_id=user.id, username="cli")
    click.echo(
        f"System administrator '{user.username}' is ready. Log in at /admin/ and set up"
        " two-step log-in there."
    )


@users.command("totp-reset")
@click.argument("username")
def totp_reset(username: str) -> None:
    """Remove a user's second factor (a lost phone); they enrol again if their role needs it."""
    with kompass().sessions() as session:
        user = find_user(session, username)
        if user is None:
            raise click.ClickException(f"no user named '{username}'")
        second_factor.turn_off(session, user)
        session.commit()
        audit.record(session, "staff.totp_reset", None, target_user_id=user.id,
                     username=audit.COMMAND_LINE)  # fmt: skip
    click.echo(f"Two-step log-in of '{user.username}' is reset.")


@audit_group.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--municipality", help="Only events by users of this municipality (number).")
@click.option("--since", type=click.DateTime(), help="From this time (UTC).")
def export(output: Path | None, municipality: str | None, since: datetime | None) -> None:
    """Write the audit log as CSV (to a file, or to standard output)."""
    filters = audit.Filter(municipality=municipality, since=since)
    with kompass().sessions() as session:
        if output is None:
            count = audit.export_csv(session, filters, sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = audit.export_csv(session, filters, handle)
            click.echo(f"Wrote {count} event(s) to {output}.", err=True)
        audit.record(session, "audit.export", None, username="cli", events=count)
