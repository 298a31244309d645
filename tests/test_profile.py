"""The counsellor reads a mapping in Norwegian, whatever language it was answered in."""

import re

from sqlalchemy import select

from auth.staff.models import AuditEvent
from engine.responses.lifecycle import Lifecycle
from engine.responses.respondent import INTERVIEW, Respondent
from tests.helpers import add_person
from tests.staff_helpers import add_user, staff_login

NURSE = "ممرضة في مستشفى حلب"
CITIZENSHIP_NB = "Hvilket land er du statsborger av nå?"


def arabic_mapping(app, person_id: int, counsellor_id: int) -> None:
    state = app.extensions["kompass"]
    subject = f"person:{person_id}"
    person = Respondent(subject)
    interview = Respondent(subject, INTERVIEW, f"user:{counsellor_id}", include_staff=True)
    with app.app_context(), state.sessions() as session:
        service = Lifecycle(session, state.registry)
        opened = service.open(subject, "ar")
        service.save_section(opened, "personal", {"citizenship": "SY", "mother_tongue": "ar"},
                             1, "ar", person)  # fmt: skip
        entry = service.add_entry(opened, "education", 2, "ar", person).entry_id
        education = {"education": [{"_id": entry, "edu_level": "3", "edu_name": NURSE}]}
        service.save_section(opened, "education", education, 3, "ar", person)
        service.save_section(opened, "assessment", {"interpreter_used": "yes"}, 4, "ar", interview)


def test_the_mapping_reads_in_norwegian_with_free_text_as_written(app):
    person = add_person(app)
    counsellor = add_user(app, "veileder", ["bosetting"], "4601")
    arabic_mapping(app, person, counsellor)
    client = app.test_client()
    staff_login(client, "veileder")
    assert "Les kartleggingen" in client.get(f"/admin/personer/{person}").text
    page = client.get(f"/admin/personer/{person}/kartlegging").text
    assert "Syria" in page and CITIZENSHIP_NB in page
    assert re.search(rf'<span class="free-text" lang="ar" dir="rtl">{NURSE}</span>', page)
    assert "Videregående skole (studieforberedende eller yrkesfag)" in page
    assert "versjon 1" in page
    answered_in = re.search(r"Besvart på</th><td>(.*?)</td>", page).group(1)
    assert (
        answered_in == 'Arabisk (<span lang="ar" dir="rtl">العربية</span>)'
    )  # never a bare endonym
    assert "Startet, ikke sendt inn" in page
    assert "Fylt inn i samtale av Veileder Test" in page
    assert "Fylt inn av personen alene" in page and "Ikke besvart ennå." in page
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        reads = session.scalars(select(AuditEvent).where(AuditEvent.action == "mapping.read"))
        assert [e.person_id for e in reads] == [person]


def test_the_mapping_can_be_read_in_english(app):
    person = add_person(app)
    counsellor = add_user(app, "veileder", ["bosetting"], "4601")
    arabic_mapping(app, person, counsellor)
    client = app.test_client()
    staff_login(client, "veileder")
    client.post("/admin/language", data={"locale": "en", "csrf_token": _token(client)})
    page = client.get(f"/admin/personer/{person}/kartlegging").text
    assert "Syria" in page and "Entered in an interview by Veileder Test" in page
    assert re.search(r"Answered in</th><td>Arabic \(<span lang=\"ar\"", page)


def _token(client) -> str:
    from tests.staff_helpers import token

    return token(client)


def test_the_person_page_names_the_languages_in_norwegian_beside_their_own_names(app):
    person = add_person(app)
    add_user(app, "veileder", ["bosetting"], "4601")
    client = app.test_client()
    staff_login(client, "veileder")
    page = client.get(f"/admin/personer/{person}").text
    assert '<option value="fa-AF">Dari – دری</option>' in page
    assert '<option value="kmr">Kurmandsji (nordkurdisk) – Kurmancî</option>' in page
    assert '<option value="uk">Ukrainsk – Українська</option>' in page
