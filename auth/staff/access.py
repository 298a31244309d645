"""Who may do what. Every staff route asks one of these, on the server."""

from sqlalchemy import Select, and_, false, func, or_, select

from auth.people.models import BOSATT, MOTTAK, Person, ReceptionCentre
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


def can_verify_mapping(actor: User) -> bool:
    """Counsellors mark sections of a mapping of a person they can see as gone through."""
    return can_search_persons(actor)


def visible_persons(actor: User) -> Select:
    """The persons `actor` may see, as one query: the only place this rule is written.

    Settled persons of their municipality for the settlement role; persons living in a
    reception centre in their municipality for the host role. Lists and single look-ups both
    filter this query, so they cannot disagree.
    """
    centre_municipality = func.coalesce(ReceptionCentre.municipality, Person.municipality)
    rules = []
    if actor.municipality and roles.BOSETTING in actor.roles:
        rules.append(and_(Person.residence == BOSATT, Person.municipality == actor.municipality))
    if actor.municipality and roles.VERTSKOMMUNE in actor.roles:
        rules.append(and_(Person.residence == MOTTAK, centre_municipality == actor.municipality))
    return (
        select(Person)
        .outerjoin(ReceptionCentre, Person.reception_centre_id == ReceptionCentre.id)
        .where(or_(*rules) if rules else false())
    )


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


def export_is_guarded(actor: User, identifiable: bool) -> bool:
    """A pseudonymised export (or feed) for someone who also sees identified events with their
    times (the audit log): years, no mode, whole years as filters, at least 5 alike."""
    return not identifiable and can_read_audit(actor)


def can_edit_content(actor: User) -> bool:
    """Questionnaire versions, previews, translations and publishing: content editors and
    system administrators."""
    return bool({roles.INNHOLDSREDAKTOR, roles.SYSTEMADMIN} & actor.roles)


def can_erase_persons(actor: User) -> bool:
    """Erasing a person's data on request: only a system administrator."""
    return roles.SYSTEMADMIN in actor.roles


def needs_second_factor(actor: User) -> bool:
    """Administrators of users must have a second factor before they may do anything else."""
    return can_manage_any_users(actor)


def can_reset_second_factor(actor: User, target: User) -> bool:
    """Only a system administrator, and not their own: a municipal administrator who could reset
    it could also take over another administrator of their municipality (with a new password)."""
    return roles.SYSTEMADMIN in actor.roles and actor.id != target.id


def can_manage_api_tokens(actor: User) -> bool:
    """Every user's API tokens, listed and revoked: only a system administrator."""
    return roles.SYSTEMADMIN in actor.roles
