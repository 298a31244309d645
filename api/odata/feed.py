"""One service of the feed: a questionnaire's version (or all its versions) as one token owner
may read it, with the staff export's rules: `access.can_export` (the token's scope), the
owner's fixed scope (a municipal administrator reads their own municipality, whatever they
filter), identifiable only on request and for `access.can_export_identifiable`, and for a
guarded reader (`access.export_is_guarded`) years, no mode, whole years as date filters and
the min-group rule. The tables, rows and pseudonyms are the export's own."""

from dataclasses import dataclass, replace

from flask import current_app

from adminui import suppression
from adminui.views_export import fixed_filters
from api.odata import filter_parse, filter_sql
from api.odata.errors import ODataError, not_found
from auth.staff import access
from auth.staff.models import User
from engine.app import deployment
from engine.app.context import db_session, kompass
from engine.export import criteria as criteria_module
from engine.export import filters as export_filters
from engine.export import rows, run
from engine.export.layout import Layout, Table
from engine.export.pseudonymise import GroupCheck, TooFewAlike

SUBMITTED_ONLY = ("submitted",)


@dataclass(frozen=True)
class Feed:
    """`base`: the versions and the owner's fixed scope, every state; `min_group` > 0 for a
    guarded reader."""

    owner: User
    questionnaire_id: str
    version: str
    identifiable: bool
    layout: Layout
    base: rows.Criteria
    subject_filters: list[export_filters.SubjectFilter]
    shown: rows.Shown
    min_group: int

    def table(self, name: str) -> Table:
        found = next((t for t in self.layout.tables if t.name == name), None)
        if found is None:
            raise not_found(f"no entity set {name!r}; see the service document")
        return found

    def filterable(self, table: Table) -> filter_sql.Filterable:
        precision = filter_sql.TIME if self.identifiable else filter_sql.DAY
        return filter_sql.Filterable(
            version_ids=self.base.version_ids,
            subject_filters={f.name: f for f in self.subject_filters},
            precision=filter_sql.YEAR if self.min_group else precision,
            zone=deployment.time_zone(), hides_mode=bool(self.min_group),
            prefix="" if table.parent is None else "response/",
        )  # fmt: skip

    def criteria(self, table: Table, node: filter_parse.Node | None) -> rows.Criteria:
        """The rows the request asks for: submitted responses unless the filter names the
        state, as the export's default."""
        if node is None:
            return replace(self.base, states=SUBMITTED_ONLY)
        names = {path.split("/")[-1] for path in filter_parse.paths(node)}
        states = self.base.states if "state" in names else SUBMITTED_ONLY
        condition = filter_sql.condition(node, self.filterable(table))
        return replace(self.base, states=states, conditions=(condition,))

    def subject_values(self) -> rows.SubjectValues:
        return run.subject_values(db_session(), kompass().plugins.hook, self.identifiable)

    def check_groups(self, criteria: rows.Criteria) -> None:
        """A guarded reader's whole filtered set must have at least `min_group` responses
        in every combination of linkable values, before any row is given."""
        if not self.min_group:
            return
        check = GroupCheck.of(run.linkable(self.layout), self.min_group)
        for facts in rows.facts(db_session(), criteria, self.layout, self.subject_values(),
                                self.shown):  # fmt: skip
            check.add(facts)
        try:
            check.verify()
        except TooFewAlike:
            raise ODataError(403, "too_few_alike", (
                f"Fewer than {self.min_group} responses would share a year, state, version "
                "and place: filter by more versions, states, years or places."
            )) from None  # fmt: skip


def open_feed(owner: User, questionnaire_id: str, version: str, identifiable: bool) -> Feed:
    """The service at `/odata/<questionnaire>/<v<N> or all>/`; unknown ones are a 404."""
    if identifiable and not access.can_export_identifiable(owner):
        raise ODataError(403, "identifiable_not_allowed",
                         "Only a system administrator may read identifiable data.")  # fmt: skip
    session, state = db_session(), kompass()
    number = _version(version)
    if questionnaire_id not in state.registry.served_ids(session):
        raise not_found(f"no questionnaire {questionnaire_id!r} is published")
    subject_filters = export_filters.collect(state.plugins.hook)
    known = {f.name for f in subject_filters}
    fixed = {name: value for name, value in fixed_filters(owner).items() if name in known}
    asked = criteria_module.Asked(questionnaire_id, number, criteria_module.STATES, filters=fixed)
    try:
        base = criteria_module.criteria(session, asked, deployment.time_zone(), subject_filters)
    except criteria_module.InvalidRequest:
        raise not_found(f"version {version} of {questionnaire_id!r} is not published") from None
    versions = [state.registry.get(session, i) for i in base.version_ids.values()]
    min_group = suppression.THRESHOLD if access.export_is_guarded(owner, identifiable) else 0
    key = current_app.config["KOMPASS_EXPORT_PSEUDONYM_KEY"]
    return Feed(
        owner, questionnaire_id, number, identifiable,
        run.layout_of(versions, state.plugins.hook, identifiable), base, subject_filters,
        run.shown_as(identifiable, key, min_group), min_group,
    )  # fmt: skip


def _version(text: str) -> str:
    """ "v3" is version 3, "all" every published version."""
    if text == "all":
        return text
    if text.startswith("v") and text[1:].isascii() and text[1:].isdecimal() and len(text) <= 10:
        return str(int(text[1:]))
    raise not_found(f"{text!r} is not a version: use v1, v2, ... or all")
