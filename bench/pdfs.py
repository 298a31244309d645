"""CPU seconds of a typical mapping's PDFs (issue 18, point 9: under 1 s), run by bench/run.py.

The typical mapping is the load test's respondent (bench/mappings.py). Each PDF is rendered in
this process as the rendering processes of renderers/pdf_pool.py render it (`pdf.render`), and
timed with `time.process_time`, after one render that loads WeasyPrint and the fonts (its CPU
seconds are given apart, as "first render").
"""

import statistics
import time
from datetime import date

from flask import g

from adminui import profile
from auth.people.models import BOSATT, Person
from bench import mappings
from engine.app.context import db_session, kompass
from engine.questionnaire import schema
from renderers import cv, pdf

ROUNDS = {"full": 5, "quick": 1}
LIMIT_SECONDS = 1.0
DUF = "209912310001"


def measure(app, mode: str, baseline_cpu_ms: float) -> dict:
    """Median CPU seconds of each PDF, as an absolute figure and as a ratio to the baseline."""
    with app.test_request_context("/admin/"):
        g.staff_lang = "nb"
        documents = _documents()
        first = _cpu_seconds(*next(iter(documents.values())))
        medians = {name: _median(job, ROUNDS[mode]) for name, job in documents.items()}
    worst = max(medians.values())
    return {
        "mapping": "typical (the load test's respondent: 2 schools, 1 language, 2 jobs)",
        "rounds": ROUNDS[mode],
        "first render cpu_s (loads fonts)": round(first, 3),
        "median cpu_s": {name: round(seconds, 3) for name, seconds in medians.items()},
        "ratio to the baseline (CPU)": {
            name: round(seconds * 1000 / baseline_cpu_ms) for name, seconds in medians.items()
        },
        "limit cpu_s": LIMIT_SECONDS,
        "verdict": "PASS" if worst < LIMIT_SECONDS else "FAIL",
    }


def _documents() -> dict[str, tuple[str, str]]:
    """The HTML and base URL of the typical mapping's CV and archival PDF."""
    session, registry = db_session(), kompass().registry
    person = Person(duf=DUF, first_name="Typisk", last_name="Kartlegging",
                    birth_date=date(1990, 1, 1), municipality="4601", residence=BOSATT)  # fmt: skip
    session.add(person)
    session.commit()
    answers = mappings.typical(schema.build(registry.active(session)))
    opened = mappings.store(session, registry, person.subject, "ar", answers)
    found = profile.build(session, registry, person, "nb")
    return {
        "CV (ar beside nb)": (cv.html(opened, "ar", cv.Who("Navn Navnesen", None)), cv.BASE_URL),
        "archival PDF (nb)": (profile.pdf_html(found, person, None), profile.PDF_BASE_URL),
    }


def _median(job: tuple[str, str], rounds: int) -> float:
    return statistics.median(_cpu_seconds(*job) for _ in range(rounds))


def _cpu_seconds(html: str, base_url: str) -> float:
    start = time.process_time()
    pdf.render(html, base_url)
    return time.process_time() - start
