"""The person registry's export columns are joined in SQL to each response's subject
(`kompass_export_joins`): a subject gets a person's facts only when it is exactly that person's
`person:<id>`, and any other subject (anonymised, mistyped, too long for an id) gets none,
without an error, on SQLite and PostgreSQL alike."""

from datetime import date

from auth.people.models import MOTTAK
from engine.export import layout as layouts
from engine.export import rows
from engine.export.criteria import Asked, criteria
from engine.export.filters import collect
from tests.helpers import add_person
from tests.test_export import answered
from tests.test_export_criteria import LANGUAGES, OSLO


def exported_facts(app, identifiable: bool) -> dict[str, dict]:
    """Per subject, the plugins' columns of its response row (an identified export)."""
    state = app.extensions["kompass"]
    hook = state.plugins.hook
    with app.app_context(), state.sessions() as session:
        found = criteria(session, Asked("kompass"), OSLO, collect(hook))
        versions = [state.registry.get(session, i) for i in found.version_ids.values()]
        extra = [c for part in hook.kompass_export_columns(identifiable=identifiable) for c in part]
        joins = [j for part in hook.kompass_export_joins(identifiable=identifiable) for j in part]
        layout = layouts.build(versions, extra, LANGUAGES, joins=joins)
        streamed = rows.stream(session, layout, found, lambda subjects: {}, rows.Identified())
        names = [c.name for c in extra]
        return {row["person"]: {n: row[n] for n in names}
                for table, row in streamed if table == layouts.RESPONSES}  # fmt: skip


def test_only_a_persons_own_subject_gets_its_facts(app):
    settled = add_person(app, "202000000001", municipality="4601", settled_on=date(2024, 5, 1))
    placed = add_person(app, "202100000002", municipality="0301", residence=MOTTAK,
                        settled_on=None)  # fmt: skip
    others = (f"0{settled}", f"{settled}x", f" {settled}", "99999999999", "", "-1")
    for person in (settled, placed, *others):
        answered(app, person)  # subject f"person:{person}"
    facts = exported_facts(app, identifiable=True)
    assert facts.pop(f"person:{settled}") == {
        "municipality": "4601", "county": "Vestland", "residence": "bosatt",
        "settled_year": "2024", "duf": "202000000001",
    }  # fmt: skip
    assert facts.pop(f"person:{placed}") == {
        "municipality": "0301", "county": "Oslo", "residence": MOTTAK, "settled_year": None,
        "duf": "202100000002",
    }  # fmt: skip
    assert facts == {f"person:{o}": dict.fromkeys(facts[f"person:{o}"]) for o in others}
    assert len(facts) == len(others)


def test_a_pseudonymised_export_joins_no_duf(app):
    answered(app, add_person(app, "202000000001"))
    [facts] = exported_facts(app, identifiable=False).values()
    assert set(facts) == {"municipality", "county", "residence", "settled_year"}
    assert facts["county"] == "Vestland"
