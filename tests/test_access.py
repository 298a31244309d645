"""The access rules of auth/staff/access.py, one role (and municipality) at a time."""

import pytest

from auth.people.models import MOTTAK
from auth.staff import access, roles
from auth.staff.models import User, UserRole
from tests.helpers import add_person
from tests.staff_helpers import add_mottak_person

ACTORS = {
    "systemadmin": ([roles.SYSTEMADMIN], None),
    "analytiker": ([roles.ANALYTIKER], None),
    "innholdsredaktor": ([roles.INNHOLDSREDAKTOR], None),
    "kommuneadmin": ([roles.KOMMUNEADMIN], "4601"),
    "kommuneadmin_nowhere": ([roles.KOMMUNEADMIN], None),
    "bosetting": ([roles.BOSETTING], "4601"),
    "bosetting_nowhere": ([roles.BOSETTING], None),
    "vertskommune": ([roles.VERTSKOMMUNE], "4601"),
    "vertskommune_nowhere": ([roles.VERTSKOMMUNE], None),
    "no_roles": ([], "4601"),
}


def actor(name: str) -> User:
    role_names, municipality = ACTORS[name]
    return User(municipality=municipality, role_rows=[UserRole(role=r) for r in role_names])


def who(rule) -> set[str]:
    return {name for name in ACTORS if rule(actor(name))}


SEARCHERS = {"bosetting", "vertskommune"}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (access.can_manage_any_users, {"systemadmin", "kommuneadmin", "kommuneadmin_nowhere"}),
        (access.can_search_persons, SEARCHERS),
        (access.can_reopen_mapping, SEARCHERS),
        (access.can_read_audit, {"systemadmin", "kommuneadmin", "kommuneadmin_nowhere"}),
        (access.can_see_statistics, {"systemadmin", "analytiker"}),
        (access.can_export, {"systemadmin", "analytiker", "kommuneadmin"}),
        (access.can_export_identifiable, {"systemadmin"}),
        (access.can_edit_content, {"systemadmin", "innholdsredaktor"}),
    ],
)
def test_who_may(rule, expected):
    assert who(rule) == expected


@pytest.mark.parametrize(
    ("municipality", "expected"),
    [("4601", {"systemadmin", "kommuneadmin"}), ("0301", {"systemadmin"}), (None, {"systemadmin"})],
)
def test_who_may_manage_the_users_of_a_municipality(municipality, expected):
    assert who(lambda user: access.can_manage_users(user, municipality)) == expected


def test_only_a_system_administrator_grants_national_roles():
    grants = {name: access.grantable_roles(actor(name)) for name in ACTORS}
    assert grants.pop("systemadmin") == roles.ALL
    assert set(grants.values()) == {roles.MUNICIPAL}


def test_audit_and_export_scopes():
    audit = {name: access.audit_scope(actor(name)) for name in ACTORS}
    export = {name: access.export_scope(actor(name)) for name in ACTORS}
    assert audit["systemadmin"] is None and audit["kommuneadmin"] == "4601"
    assert audit["analytiker"] is None
    placed_admin = User(municipality="4601", role_rows=[UserRole(role=roles.SYSTEMADMIN)])
    assert access.audit_scope(placed_admin) is None
    placed_analyst = User(municipality="4601", role_rows=[UserRole(role=roles.ANALYTIKER)])
    assert access.export_scope(placed_admin) is None is access.export_scope(placed_analyst)
    assert export["systemadmin"] is None and export["analytiker"] is None
    assert export["kommuneadmin"] == "4601" and export["bosetting"] == "4601"


def test_visible_persons_follow_residence_and_the_centre(app):
    settled_bergen = add_person(app, "202000000000")
    settled_oslo = add_person(app, "201900000123", municipality="0301")
    mottak_bergen = add_mottak_person(app, "202100000017", "4601")
    mottak_no_centre = add_person(
        app, "202200000011", residence=MOTTAK, municipality="4601", settled_on=None
    )
    both = User(municipality="4601", role_rows=[UserRole(role=roles.BOSETTING),
                                                UserRole(role=roles.VERTSKOMMUNE)])  # fmt: skip
    expected = {
        "bosetting": {settled_bergen},
        "vertskommune": {mottak_bergen, mottak_no_centre},
        "bosetting_nowhere": set(),
        "vertskommune_nowhere": set(),
        "systemadmin": set(),
        "kommuneadmin": set(),
    }
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        for name, persons in expected.items():
            found = session.scalars(access.visible_persons(actor(name))).all()
            assert {p.id for p in found} == persons, name
        found = {p.id for p in session.scalars(access.visible_persons(both))}
        assert found == {settled_bergen, mottak_bergen, mottak_no_centre}
        assert settled_oslo not in found
