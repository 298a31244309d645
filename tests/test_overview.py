"""The municipality overview (who is still waiting), and one mapping per person."""

import itertools
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select

from adminui import overview
from adminui.persons import visible_person
from auth.code_login import codes
from auth.code_login.models import LoginCode
from auth.people.models import BOSATT, MOTTAK, Person, ReceptionCentre
from auth.staff import access, roles
from auth.staff.models import AuditEvent, User
from engine.app.context import db_session
from engine.app.db import utcnow
from engine.responses import storage
from engine.responses.lifecycle import Lifecycle
from engine.responses.respondent import Respondent
from engine.responses.storage import Response
from tests.helpers import add_person
from tests.staff_helpers import (
    add_mottak_person,
    add_user,
    excel_rows,
    new_code_from,
    staff_login,
    token,
)

COMPLETE = {"citizenship": "SY", "mother_tongue": "ar"}
NOW = datetime(2025, 6, 15, 10, 0, tzinfo=UTC)
PERSON_LINK = re.compile(r'href="/admin/personer/(\d+)"')
OVERVIEW = "/admin/kommuner/kompass/oversikt"
EVERYONE = overview.Filters()


def give_code(app, person_id: int, days: int = 7) -> LoginCode:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        person = session.get(Person, person_id)
        return codes.create(session, person, timedelta(days=days), "fast").record


def respond(app, person_id: int, until: str) -> None:
    """Start a mapping ('draft'), submit it ('submitted') or submit and reopen it ('reopened')."""
    state = app.extensions["kompass"]
    subject = f"person:{person_id}"
    with app.app_context(), state.sessions() as session:
        service = Lifecycle(session, state.registry)
        opened = service.open(subject, "en")
        if until == "draft":
            return
        service.save_section(opened, "personal", COMPLETE, 1, "en", Respondent(subject))
        service.submit(opened, 2, Respondent(subject))
        if until == "reopened":
            service.reopen(opened, 3, "user:1", "Feil morsmål")


def listing(app, user_id: int, now=None, months=3) -> list[dict]:
    with app.app_context():
        session = db_session()
        user = session.get(User, user_id)
        context = overview.Context("kompass", now or utcnow(), months)
        found = overview.rows(session, user, EVERYONE, context)
        return [
            {"id": r.person.id, "state": r.state, "days": r.days_left, "deadline": r.deadline,
             "valid_to": r.code_valid_to, "activity": r.last_activity}
            for r in found
        ]  # fmt: skip


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


@pytest.fixture
def counsellor(app):
    add_user(app, "veileder", ["bosetting", "vertskommune"], "4601")
    client = app.test_client()
    staff_login(client, "veileder")
    return client


# The list and the single check cannot disagree.

MUNICIPALITIES = ("4601", "0301", "5001")
ROLE_SETS = [
    combo for size in range(len(roles.ALL) + 1) for combo in itertools.combinations(roles.ALL, size)
]


@st.composite
def registries(draw):
    """Centres and persons in 2–3 municipalities, and a municipality for every role set."""
    places = draw(st.sampled_from([MUNICIPALITIES[:2], MUNICIPALITIES]))
    centres = draw(st.lists(st.sampled_from(places), min_size=1, max_size=3))
    persons = draw(st.lists(st.tuples(
        st.sampled_from([BOSATT, MOTTAK, MOTTAK, None]),
        st.one_of(st.none(), st.sampled_from(places)),
        st.one_of(st.none(), st.integers(0, len(centres) - 1)),
    ), min_size=1, max_size=10))  # fmt: skip
    homes = draw(st.lists(st.one_of(st.none(), st.sampled_from(places)),
                          min_size=len(ROLE_SETS), max_size=len(ROLE_SETS)))  # fmt: skip
    return centres, persons, homes


def oracle(user: User, person: Person) -> bool:
    """The README's roles table, in plain Python."""
    if not user.municipality:
        return False
    if person.residence == BOSATT and roles.BOSETTING in user.roles:
        return person.municipality == user.municipality
    if person.residence == MOTTAK and roles.VERTSKOMMUNE in user.roles:
        centre = person.reception_centre
        return (centre.municipality if centre else person.municipality) == user.municipality
    return False


def load_registry(session, registry: tuple, user_ids: list[int]) -> list[Person]:
    """Replace every person and centre by this example's, and move each user to their home."""
    centres, persons, homes = registry
    session.execute(delete(Person))
    session.execute(delete(ReceptionCentre))
    for user_id, home in zip(user_ids, homes, strict=True):
        session.get(User, user_id).municipality = home
    places = [ReceptionCentre(name=f"Mottak {n}", municipality=m) for n, m in enumerate(centres)]
    session.add_all(places)
    session.flush()
    session.add_all(
        Person(duf=f"{n:012d}", first_name=f"P{n}", residence=residence, municipality=place,
               reception_centre_id=None if c is None else places[c].id,
               settled_on=date(2025, 1, 1))
        for n, (residence, place, c) in enumerate(persons)
    )  # fmt: skip
    session.commit()
    return session.scalars(select(Person)).all()


# Each registry is checked for every one of the 64 role sets (up to 700 queries). The registries
# are drawn alike on both databases and the overview's query is the same SQL; PostgreSQL's
# half checks that it means there what it means on SQLite (NULL municipalities and centres,
# the joins) on fewer of them, while SQLite searches further.
OVERVIEW_EXAMPLES = {"sqlite": 15, "postgresql": 5}


def test_the_overview_lists_exactly_the_persons_a_single_look_up_finds(app, database_backend):
    user_ids = [add_user(app, f"roles-{n}", role_set) for n, role_set in enumerate(ROLE_SETS)]

    @given(registries(), st.integers(0, len(ROLE_SETS) - 1))
    @settings(
        max_examples=OVERVIEW_EXAMPLES[database_backend],
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    def check(registry, http_from):
        with app.app_context():
            session = db_session()
            everyone = load_registry(session, registry, user_ids)
            users = [session.get(User, user_id) for user_id in user_ids]
            listed = {}
            for n, user in enumerate(users):
                rows = overview.rows(session, user, EVERYONE, overview.Context("kompass", NOW, 3))
                listed[n] = {row.person.id for row in rows}
                single = {p.id for p in everyone if visible_person(user, p.id)}
                assert listed[n] == single == {p.id for p in everyone if oracle(user, p)}
            searchers = [n for n, user in enumerate(users) if access.can_search_persons(user)]
        if searchers:
            n = min(searchers, key=lambda i: (i - http_from) % len(users))
            client = app.test_client()
            staff_login(client, f"roles-{n}")
            shown = {int(i) for i in PERSON_LINK.findall(client.get(OVERVIEW).text)}
            assert shown == listed[n]

    check()


# States, deadlines, order.


def test_each_of_the_six_states(app):
    user = add_user(app, "veileder", ["bosetting"], "4601")
    ids = {state: add_person(app, f"20200000{n:04d}") for n, state in enumerate(overview.STATES)}
    valid = give_code(app, ids["code_valid"])
    give_code(app, ids["code_expired"], days=-1)
    give_code(app, ids["in_progress"])
    respond(app, ids["in_progress"], "draft")
    respond(app, ids["submitted"], "submitted")
    respond(app, ids["reopened"], "reopened")
    found = {row["id"]: row for row in listing(app, user)}
    assert {row["id"]: row["state"] for row in found.values()} == {v: k for k, v in ids.items()}
    assert found[ids["no_code"]]["valid_to"] is None and found[ids["no_code"]]["activity"] is None
    assert found[ids["code_valid"]]["valid_to"] == valid.valid_to
    assert found[ids["code_valid"]]["activity"] == valid.valid_from
    assert found[ids["code_expired"]]["valid_to"] < utcnow()
    started, _ = mapping_of(app, ids["in_progress"])
    assert found[ids["in_progress"]]["activity"] == started.updated_at
    assert found[ids["submitted"]]["days"] is None and found[ids["no_code"]]["days"] < 0


def test_a_replaced_code_does_not_count_and_first_use_is_activity(app):
    user = add_user(app, "veileder", ["bosetting"], "4601")
    person = add_person(app)
    give_code(app, person)
    newest = give_code(app, person, days=-1)
    assert [row["state"] for row in listing(app, user)] == ["code_expired"]
    later = utcnow() + timedelta(hours=1)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.get(LoginCode, newest.id).first_used_at = later
        session.commit()
    assert listing(app, user)[0]["activity"] == later


def test_days_left_count_from_settlement_and_the_most_urgent_come_first(app):
    user = add_user(app, "veileder", ["bosetting", "vertskommune"], "4601")
    late = add_person(app, "202000000001", settled_on=date(2025, 3, 1), last_name="A")
    soon = add_person(app, "202000000002", settled_on=date(2025, 3, 20), last_name="B")
    later = add_person(app, "202000000003", settled_on=date(2025, 4, 15), last_name="C")
    undated = add_person(app, "202000000004", settled_on=None, last_name="D")
    done = add_person(app, "202000000005", settled_on=date(2025, 1, 2), last_name="E")
    again = add_person(app, "202000000006", settled_on=date(2025, 1, 3), last_name="F")
    centre = add_mottak_person(app, "202100000017", "4601")
    respond(app, done, "submitted")
    respond(app, again, "reopened")
    found = listing(app, user, now=NOW)
    assert [(row["id"], row["days"]) for row in found] == [
        (late, -14), (soon, 5), (later, 30),
        (undated, None), (done, None), (again, None), (centre, None),
    ]  # fmt: skip
    assert found[0]["deadline"] == date(2025, 6, 1)
    assert listing(app, user, now=NOW, months=6)[0]["days"] == 78


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2025, 10, 31), 3, date(2026, 1, 31)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 1, 31), 12, date(2026, 1, 31)),
    ],
)
def test_the_deadline_is_the_same_day_months_later_or_the_months_last(start, months, end):
    assert overview.add_months(start, months) == end


def test_the_deadline_setting_is_used_by_the_page(app, counsellor):
    add_person(app, settled_on=(utcnow() - timedelta(days=10)).date())
    app.config["KOMPASS_MAPPING_DEADLINE_MONTHS"] = 1
    page = counsellor.get(OVERVIEW).text
    assert "innen 1 måneder" in page
    assert re.search(r'<td class="number"[^>]*>(1[7-9]|2[0-2])</td>', page)


# The page: filters, links, CSV, audit.


def test_the_page_filters_by_state_and_residence_and_links_each_person(app, counsellor):
    settled = add_person(app, "202000000001", first_name="Amina")
    submitted = add_person(app, "202000000002", first_name="Bashir")
    mottak = add_mottak_person(app, "202100000017", "4601")
    respond(app, submitted, "submitted")
    everyone = counsellor.get(OVERVIEW)
    assert everyone.status_code == 200
    assert set(map(int, PERSON_LINK.findall(everyone.text))) == {settled, submitted, mottak}
    assert "<caption>" in everyone.text and 'scope="col"' in everyone.text
    assert re.search(r"<td[^>]*>Sendt inn</td>", everyone.text)
    assert re.search(r"<td[^>]*>Ingen kode</td>", everyone.text)
    by_state = counsellor.get(OVERVIEW, query_string={"state": "submitted"}).text
    assert set(map(int, PERSON_LINK.findall(by_state))) == {submitted}
    by_residence = counsellor.get(OVERVIEW, query_string={"residence": "mottak"}).text
    assert set(map(int, PERSON_LINK.findall(by_residence))) == {mottak}
    both = counsellor.get(OVERVIEW, query_string={"state": "no_code", "residence": "bosatt"})
    assert set(map(int, PERSON_LINK.findall(both.text))) == {settled}
    junk = counsellor.get(OVERVIEW, query_string={"state": "x", "residence": "<y>", "page": "z"})
    assert set(map(int, PERSON_LINK.findall(junk.text))) == {settled, submitted, mottak}
    assert counsellor.get(f"/admin/personer/{settled}").status_code == 200


def test_the_overview_is_linked_from_the_municipality_and_search_pages(counsellor):
    assert OVERVIEW in counsellor.get("/admin/kommuner").text
    assert OVERVIEW in counsellor.get("/admin/kommuner/kompass").text


def test_long_lists_are_paginated(app, counsellor):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.add_all(Person(duf=f"2020{n:08d}", municipality="4601", residence=BOSATT)
                        for n in range(overview.PAGE_SIZE + 5))  # fmt: skip
        session.commit()
    first = counsellor.get(OVERVIEW).text
    second = counsellor.get(OVERVIEW, query_string={"page": "2"}).text
    beyond = counsellor.get(OVERVIEW, query_string={"page": "99"}).text
    assert len(PERSON_LINK.findall(first)) == overview.PAGE_SIZE
    assert len(PERSON_LINK.findall(second)) == len(PERSON_LINK.findall(beyond)) == 5
    assert "Side 2 av 2" in second and "page=2" in first
    assert [e.details["count"] for e in events(app, "person.list")] == [overview.PAGE_SIZE, 5, 5]


def test_the_csv_has_the_same_rows_and_neutralises_formulas(app, counsellor):
    late = add_person(app, "202000000001", first_name="=HYPERLINK(1)", settled_on=date(2020, 1, 1))
    add_mottak_person(app, "202100000017", "4601")
    response = counsellor.get(f"{OVERVIEW}.csv", query_string={"residence": "bosatt"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = excel_rows(response.data)
    [row] = rows
    values = dict(zip(header, row, strict=True))
    assert values["Person-ID"] == str(late) and values["Navn"].startswith("'=HYPERLINK")
    assert values["Kartleggingsstatus"] == "Ingen kode" and values["Frist"] == "01.04.2020"
    assert int(values["Dager igjen"]) < -1000
    assert "HYPERLINK" not in response.headers["Content-Disposition"]


def test_listing_is_audited_with_its_count_and_filters(app, counsellor):
    add_person(app, "202000000001")
    add_person(app, "202000000002")
    counsellor.get(OVERVIEW, query_string={"residence": "bosatt"})
    counsellor.get(f"{OVERVIEW}.csv", query_string={"state": "no_code"})
    page, download = events(app, "person.list")
    assert page.details == {"count": 2, "page": 1, "residence": "bosatt"}
    assert download.details == {"count": 2, "format": "csv", "state": "no_code"}
    assert page.actor_municipality == "4601" and page.person_id is None


def test_a_download_is_audited_with_the_number_of_rows_it_holds(app, counsellor):
    """The count is taken before the rows stream: the same filters and the same persons."""
    give_code(app, add_person(app, "202000000001"))
    add_person(app, "202000000002")
    add_person(app, "202000000003", municipality="0301")
    response = counsellor.get(f"{OVERVIEW}.csv", query_string={"state": "no_code"})
    _, *rows = excel_rows(response.data)
    [download] = events(app, "person.list")
    assert download.details["count"] == len(rows) == 1


# One mapping per person: a new code for a submitted mapping reopens it, once confirmed.


def mapping_of(app, person_id: int) -> tuple[Response, list]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        query = select(Response).where(Response.subject == f"person:{person_id}")
        [response] = session.scalars(query).all()
        return response, storage.submissions(session, response.id)


def post_code(client, person_id: int, **form):
    data = {"csrf_token": token(client), **form}
    return client.post(f"/admin/personer/{person_id}/koder", data=data)


def code_count(app, person_id: int) -> int:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        query = select(func.count()).where(LoginCode.person_id == person_id)
        return session.scalar(query)


def test_a_new_code_for_a_submitted_mapping_asks_first_and_changes_nothing(app, counsellor):
    person = add_person(app)
    respond(app, person, "submitted")
    asked = post_code(counsellor, person)
    assert asked.status_code == 200
    assert "gjenåpner" in asked.text and 'name="confirm" value="1"' in asked.text
    assert re.search(r'<textarea id="code-reason" name="reason"[^>]* required', asked.text)
    assert not re.search(r'<strong class="code">[A-Z2-9]{6}</strong>', asked.text)
    response, [snapshot] = mapping_of(app, person)
    assert response.submitted and snapshot.reopened_at is None
    assert code_count(app, person) == 0 and events(app, "code.create") == []
    no_reason = post_code(counsellor, person, confirm="1", revision=response.revision, reason=" ")
    assert no_reason.status_code == 422 and "Skriv hvorfor" in no_reason.text
    assert mapping_of(app, person)[0].submitted and code_count(app, person) == 0


def test_confirmed_it_reopens_the_mapping_then_makes_the_code(app, counsellor):
    person = add_person(app)
    respond(app, person, "submitted")
    asked = post_code(counsellor, person)
    revision = re.search(r'name="revision" value="(\d+)"', asked.text).group(1)
    made = post_code(
        counsellor, person, confirm="1", revision=revision, reason="Ny arbeidserfaring"
    )
    assert made.status_code == 200 and new_code_from(made.text)
    response, [snapshot] = mapping_of(app, person)
    assert not response.submitted and snapshot.answers == COMPLETE
    assert snapshot.reopen_reason == "Ny arbeidserfaring"
    assert snapshot.reopened_by.startswith("user:")
    assert code_count(app, person) == 1
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["response.reopen", "code.create"]
    assert events(app, "response.reopen")[0].details == {"submission": 1}
    again = post_code(counsellor, person, confirm="1", revision=revision, reason="x")
    assert again.status_code == 200 and code_count(app, person) == 2
    assert len(mapping_of(app, person)[1]) == 1


def test_a_stale_confirmation_changes_nothing(app, counsellor):
    person = add_person(app)
    respond(app, person, "submitted")
    stale = post_code(counsellor, person, confirm="1", revision="2", reason="x")
    assert stale.status_code == 409
    assert mapping_of(app, person)[0].submitted and code_count(app, person) == 0


def test_a_draft_or_no_mapping_gets_the_code_at_once(app, counsellor):
    fresh = add_person(app, "202000000001")
    started = add_person(app, "202000000002")
    respond(app, started, "draft")
    for person in (fresh, started):
        made = post_code(counsellor, person)
        assert made.status_code == 200 and new_code_from(made.text)
        assert 'name="confirm"' not in made.text and code_count(app, person) == 1


# In the database: pages, the urgency order, the state filter, the query string.


def page_of(app, user_id: int, number: int, now=NOW, **chosen) -> overview.Page:
    with app.app_context():
        session = db_session()
        context = overview.Context("kompass", now, 3)
        filters = overview.Filters(**chosen)
        return overview.page(session, session.get(User, user_id), filters, number, context)


def test_pages_cut_the_urgency_order_without_gaps_or_overlap(app):
    user = add_user(app, "veileder", ["bosetting", "vertskommune"], "4601")
    settled = [add_person(app, f"2020{n:08d}", last_name=f"S{n:03d}",
                          settled_on=date(2025, 1, 1) + timedelta(days=(n * 37) % 120))
               for n in range(overview.PAGE_SIZE + 20)]  # fmt: skip
    centre = add_mottak_person(app, "202100000017", "4601")
    respond(app, settled[0], "submitted")
    whole = [row["id"] for row in listing(app, user, now=NOW)]
    first, second = page_of(app, user, 1), page_of(app, user, 2)
    assert (first.total, first.count, second.number) == (len(whole), 2, 2)
    assert [r.person.id for r in first.rows + second.rows] == whole
    assert whole[-2:] == [centre, settled[0]]  # no deadline: last, by name
    days = [r.days_left for r in first.rows + second.rows if r.days_left is not None]
    assert days == sorted(days) and days[0] < 0 < days[-1]  # overdue first, then fewest days
    assert page_of(app, user, 0).number == 1 and page_of(app, user, 9).number == 2


def test_the_state_filter_in_sql_agrees_with_each_rows_state(app):
    user = add_user(app, "veileder", ["bosetting"], "4601")
    ids = {state: add_person(app, f"20200000{n:04d}") for n, state in enumerate(overview.STATES)}
    give_code(app, ids["code_valid"])
    give_code(app, ids["code_expired"], days=-1)
    respond(app, ids["in_progress"], "draft")
    respond(app, ids["submitted"], "submitted")
    respond(app, ids["reopened"], "reopened")
    for state, person in ids.items():
        found = page_of(app, user, 1, utcnow(), state=state)
        assert [(r.person.id, r.state) for r in found.rows] == [(person, state)]
        assert found.total == 1
    assert page_of(app, user, 1, residence="mottak").total == 0


def test_filters_and_page_round_trip_through_the_query_string_without_personal_data(
    app, counsellor
):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.add_all(Person(duf=f"2020{n:08d}", first_name="Amina", municipality="4601",
                               residence=BOSATT, settled_on=date(2025, 1, 1))
                        for n in range(overview.PAGE_SIZE * 2 + 1))  # fmt: skip
        session.commit()
    chosen = {"state": "no_code", "residence": "bosatt"}
    page = counsellor.get(OVERVIEW, query_string={**chosen, "page": "2"}).text
    links = re.findall(r'href="(/admin/kommuner/kompass/oversikt\?[^"]*)"', page)
    assert links and all("state=no_code" in a and "residence=bosatt" in a for a in links)
    assert not [a for a in links if "Amina" in a or "2020" in a]
    assert 'aria-current="page"' in page and "Side 2 av 3" in page
    back = counsellor.get(links[0].replace("&amp;", "&")).text
    assert "selected>Ingen kode" in back and len(PERSON_LINK.findall(back)) == overview.PAGE_SIZE


def test_a_counsellor_pages_only_through_their_own_municipality(app, counsellor):
    mine = add_person(app, "202000000001")
    add_person(app, "202000000002", municipality="0301")
    add_mottak_person(app, "202100000017", "0301")
    page = counsellor.get(OVERVIEW, query_string={"page": "1"}).text
    assert set(map(int, PERSON_LINK.findall(page))) == {mine}
    assert "(1)" in re.search(r"<caption>(.*?)</caption>", page).group(1)
