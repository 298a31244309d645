"""Helpers for staff-side tests: users with roles, log-in, and a small world to test access in."""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

import openpyxl
import pyotp
from sqlalchemy import select, update

from auth.people.models import MOTTAK, ReceptionCentre
from auth.staff import passwords
from auth.staff.models import AuditEvent, User, UserRole
from tests.conftest import csrf_token
from tests.helpers import add_person

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # every enrolled test user's key
NEEDS_SECOND_FACTOR = {"systemadmin", "kommuneadmin"}
CODE_PAGE = "/admin/login/kode"


def add_user(
    app, username: str, roles=(), municipality: str | None = "4601", active=True, enrolled=None
) -> int:
    """A user; enrolled with `TOTP_SECRET` when `enrolled`, by default when the role needs it."""
    if enrolled is None:
        enrolled = bool(NEEDS_SECOND_FACTOR & set(roles))
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        user = User(
            totp_secret=TOTP_SECRET if enrolled else None,
            totp_enabled=enrolled,
            username=username,
            first_name=username.title(),
            last_name="Test",
            municipality=municipality,
            active=active,
            must_change_password=False,
            password_hash=passwords.hash_password(PASSWORD, "fast"),
            role_rows=[UserRole(role=role) for role in roles],
        )
        session.add(user)
        session.commit()
        return user.id


def staff_login(client, username: str, password: str = PASSWORD):
    """Password, then (for an enrolled user) the current code: the last answer."""
    page = client.get("/admin/login")
    answer = client.post(
        "/admin/login",
        data={"csrf_token": csrf_token(page.text), "username": username, "password": password},
    )
    if answer.status_code == 302 and answer.location.endswith(CODE_PAGE):
        return send_code(client, current_code(client.application, username))
    return answer


def logged_in(app, username: str, roles: list[str], municipality: str | None = "4601"):
    """A client logged in as a new staff user with `roles`."""
    add_user(app, username, roles, municipality)
    client = app.test_client()
    staff_login(client, username)
    return client


def events(app, action: str) -> list[AuditEvent]:
    """The audit log's rows of `action`, oldest first."""
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return session.scalars(query).all()


def send_code(client, code: str):
    return client.post(CODE_PAGE, data={"csrf_token": token(client), "code": code})


def current_code(app, username: str) -> str:
    """The code of now, after forgetting the user's last used step: tests log in faster than
    one step (30 s) allows; tests/test_second_factor.py tests that a step works once."""
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.execute(update(User).where(User.username == username).values(totp_last_step=None))
        session.commit()
    return pyotp.TOTP(TOTP_SECRET).now()


def log_in_in_browser(page, app, username: str, password: str = PASSWORD) -> None:
    """The log-in form in a browser page, and the code page if it comes."""
    page.goto("/admin/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if page.url.endswith(CODE_PAGE):
        page.fill("#code", current_code(app, username))
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()


def token(client) -> str:
    return csrf_token(client.get("/admin/login").text)


def add_mottak_person(app, duf: str, municipality: str) -> int:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        centre = ReceptionCentre(name=f"Mottak {municipality}", municipality=municipality)
        session.add(centre)
        session.commit()
        centre_id = centre.id
    return add_person(
        app, duf, residence=MOTTAK, municipality=municipality, settled_on=None,
        reception_centre_id=centre_id,
    )  # fmt: skip


@dataclass
class World:
    """Persons and users in Bergen (4601) and Oslo (0301)."""

    settled_bergen: int = 0
    mottak_bergen: int = 0
    settled_oslo: int = 0
    user_bergen: int = 0
    user_oslo: int = 0
    national_user: int = 0
    actors: dict[str, str] = field(default_factory=dict)


ACTORS = {
    "systemadmin": (["systemadmin"], None),
    "analytiker": (["analytiker"], None),
    "innholdsredaktor": (["innholdsredaktor"], None),
    "kommuneadmin": (["kommuneadmin"], "4601"),
    "bosetting": (["bosetting"], "4601"),
    "vertskommune": (["vertskommune"], "4601"),
    "kommuneadmin_other": (["kommuneadmin"], "0301"),
    "bosetting_other": (["bosetting"], "0301"),
    "vertskommune_other": (["vertskommune"], "0301"),
}


def build_world(app) -> World:
    world = World()
    world.settled_bergen = add_person(app, "202000000000")
    world.mottak_bergen = add_mottak_person(app, "202100000017", "4601")
    world.settled_oslo = add_person(app, "201900000123", municipality="0301")
    world.user_bergen = add_user(app, "target-bergen", ["bosetting"], "4601")
    world.user_oslo = add_user(app, "target-oslo", ["bosetting"], "0301")
    world.national_user = add_user(app, "target-national", ["analytiker"], None)
    for name, (roles, municipality) in ACTORS.items():
        add_user(app, f"actor-{name}", roles, municipality)
        world.actors[name] = f"actor-{name}"
    add_user(app, "actor-inactive", ["bosetting", "kommuneadmin"], "4601", active=False)
    world.actors["inactive"] = "actor-inactive"
    return world


def new_code_from(html: str) -> str:
    return re.search(r'class="code">([A-Z2-9]{6})<', html).group(1)


def excel_rows(body: bytes) -> list[list[str]]:
    """A staff CSV read as Norwegian Excel reads it: a UTF-8 byte-order mark, then `;`."""
    assert body.startswith(codecs.BOM_UTF8)
    text = body[len(codecs.BOM_UTF8) :].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def xlsx_rows(body: bytes) -> list[list[str]]:
    """A staff XLSX's one sheet, every cell as the CSV writes it (empty for no value)."""
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return [["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)]  # fmt: skip
