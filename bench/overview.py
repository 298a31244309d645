"""The staff overview's page with 1,000 and with 10,000 persons in one municipality, run by
bench/run.py (issue 22, point 5: 10,000 within 1.5× of 1,000).

Each size is its own municipality of settled persons (settlement dates spread over a year, so
some deadlines have passed), a third with a code and a fifth with a mapping (half of those
submitted); one counsellor per municipality. The page (`GET /admin/kommuner/kompass/oversikt`,
its first page of `overview.PAGE_SIZE` rows, urgency order) is timed as the other pages are, as
a ratio to the run's one-row baseline. Expected: the 10,000 page costs close to the 1,000 page
(`10,000 ÷ 1,000` at most 1.5; the database counts and orders all matching persons, which is a
small part of a page that renders 50 rows).
"""

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from auth.code_login.models import LoginCode
from auth.people.models import BOSATT, Person
from auth.staff import passwords
from auth.staff.models import User, UserRole
from engine.app.context import db_session
from engine.responses.storage import DRAFT, SUBMITTED, Response
from engine.versions.published import PublishedVersion

SIZES = {"1,000": ("5001", 1_000), "10,000": ("5501", 10_000)}
LIMIT = 1.5  # 10,000 ÷ 1,000, CPU
PAGE = "/admin/kommuner/kompass/oversikt"
PASSWORD = "bench password for the overview"
NOW = datetime(2025, 6, 1, tzinfo=UTC)


def measure(app, timer, rounds: int, baseline: tuple[float, float]) -> dict:
    """Median page time at each size, as ratios to the baseline and to each other."""
    timings = {}
    for name, (municipality, count) in SIZES.items():
        with app.app_context():
            _persons(municipality, count)
            _user(municipality)
        client = _logged_in(app, municipality)
        _expect(client.get(PAGE))  # warm-up
        timings[name] = timer(lambda c=client: _expect(c.get(PAGE)), rounds)
    wall, cpu = baseline
    small, large = timings["1,000"], timings["10,000"]
    return {
        "page": f"GET {PAGE} (first page, 50 rows)",
        "ratio to the baseline (CPU)": {name: round(t[1] / cpu, 2) for name, t in timings.items()},
        "ratio to the baseline (wall)": {n: round(t[0] / wall, 2) for n, t in timings.items()},
        "median_cpu_ms": {name: round(t[1], 3) for name, t in timings.items()},
        "10,000 ÷ 1,000 (CPU)": round(large[1] / small[1], 2),
        "10,000 ÷ 1,000 (wall)": round(large[0] / small[0], 2),
        "limit (CPU)": LIMIT,
        "verdict": "PASS" if large[1] / small[1] <= LIMIT else "FAIL",
    }


def _persons(municipality: str, count: int) -> None:
    """`count` settled persons, their codes and mappings, inserted in bulk."""
    session = db_session()
    start = int(municipality) * 1_000_000
    session.execute(insert(Person), [
        {"duf": f"{start + n:012d}", "first_name": f"Fornavn {n % 97}", "last_name": f"Etter {n}",
         "municipality": municipality, "residence": BOSATT,
         "settled_on": date(2024, 6, 1) + timedelta(days=n % 365)}
        for n in range(count)
    ])  # fmt: skip
    ids = session.scalars(select(Person.id).where(Person.municipality == municipality)).all()
    session.execute(insert(LoginCode), [
        {"person_id": i, "code_hash": "-", "masked": "****", "valid_from": NOW,
         "valid_to": NOW + timedelta(days=7 * (i % 2 * 2 - 1))}
        for i in ids[::3]
    ])  # fmt: skip
    version = session.scalars(select(PublishedVersion.id).limit(1)).one()
    session.execute(insert(Response), [
        {"subject": f"person:{i}", "questionnaire_id": "kompass", "version_id": version,
         "language": "nb", "state": SUBMITTED if i % 2 else DRAFT, "answers": {}}
        for i in ids[::5]
    ])  # fmt: skip
    session.commit()


def _user(municipality: str) -> None:
    session = db_session()
    session.add(User(
        username=f"bench-{municipality}", first_name="Bench", last_name=municipality,
        municipality=municipality, active=True, must_change_password=False,
        password_hash=passwords.hash_password(PASSWORD, "fast"),
        role_rows=[UserRole(role="bosetting")],
    ))  # fmt: skip
    session.commit()


def _logged_in(app, municipality: str):
    client = app.test_client()
    page = client.get("/admin/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "username": f"bench-{municipality}", "password": PASSWORD}
    if client.post("/admin/login", data=form).status_code != 302:
        raise RuntimeError("the benchmark's counsellor could not log in")
    return client


def _expect(response):
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.path}: {response.status_code}, not 200")
    return response
