"""Who may do what. Every staff route asks one of these, on the server."""

from auth.people.models import BOSATT, MOTTAK, Person
from auth.staff import roles
from auth.staff.models import User


def can_manage_users(actor: User, municipality: str | None) -> bool:
    """A system administrator anywhere; a municipal administrator in their own municipality."""
    if roles.SYSTEMADMIN in actor.roles:
        return True
    return (
        roles.KOMMUNEADMIN in actor.roles
        and actor.municipality is not None
        and municipality == actor.municipality
    )


def can_manage_any_users(actor: User) -> bool:
    return bool({roles.SYSTEMADMIN, roles.KOMMUNEADMIN} & actor.roles)


def grantable_roles(actor: User) -> tuple[str, ...]:
    """National roles only by a system administrator."""
    return roles.ALL if roles.SYSTEMADMIN in actor.roles else roles.MUNICIPAL


def can_search_persons(actor: User) -> bool:
    return bool({roles.BOSETTING, roles.VERTSKOMMUNE} & actor.roles) and bool(actor.municipality)


def can_reopen_mapping(actor: User) -> bool:
    """Counsellors reopen a submitted mapping of a person they can see, for correction."""
    return can_search_persons(actor)


def can_see_person(actor: User, person: Person) -> bool:
    """Settled persons for the settlement role, reception-centre residents for the host role."""
    if not actor.municipality:
        return False
    if person.residence == BOSATT and roles.BOSETTING in actor.roles:
        return person.municipality == actor.municipality
    if person.residence == MOTTAK and roles.VERTSKOMMUNE in actor.roles:
        centre = person.reception_centre
        return (centre.municipality if centre else person.municipality) == actor.municipality
    return False


def can_read_audit(actor: User) -> bool:
    return can_manage_any_users(actor)


def can_see_statistics(actor: User) -> bool:
    """Counts and distributions without personal data: analysts and system administrators."""
    return bool({roles.ANALYTIKER, roles.SYSTEMADMIN} & actor.roles)


def audit_scope(actor: User) -> str | None:
    """None for every municipality; else the one municipality whose entries the actor sees."""
    return None if roles.SYSTEMADMIN in actor.roles else actor.municipality


def can_export(actor: User) -> bool:
    """Analysts and system administrators nationally; a municipal administrator their own."""
    if {roles.ANALYTIKER, roles.SYSTEMADMIN} & actor.roles:
        return True
    return roles.KOMMUNEADMIN in actor.roles and bool(actor.municipality)


def export_scope(actor: User) -> str | None:
    """None for every municipality; else the one municipality the actor may export."""
    if {roles.ANALYTIKER, roles.SYSTEMADMIN} & actor.roles:
        return None
    return actor.municipality


def can_export_identifiable(actor: User) -> bool:
    """Exports with person identifiers in clear: only a system administrator, on request."""
    return roles.SYSTEMADMIN in actor.roles
