"""Contact details the person adds to the CV on the receipt page: nothing kept unless added,
checked with translated messages, shown on the CV in both languages, removed on request and
with the person (erasure, retention)."""

import pytest
from sqlalchemy import func, select

from engine.responses.contact import SubjectContact
from tests.conftest import csrf_token
from tests.helpers import add_person, make_code
from tests.test_erasure import admin_client, confirm, shown_counts
from tests.test_export import answered
from tests.test_pdf import DUF, submit_as_the_person, text_of
from tests.test_retention import backdate, counts_in, retention_run

PHONE, EMAIL = "+47 912 34 567", "amina@example.com"


def contacts(app) -> list[tuple[str, str, str]]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        rows = session.scalars(select(SubjectContact))
        return [(row.subject, row.phone, row.email) for row in rows]


def send(client, page: str, **fields):
    data = {"csrf_token": csrf_token(page), "action": "add", **fields}
    return client.post("/ar/form/cv-contact", data=data)


@pytest.fixture
def sent(app, runner):
    """A browser whose person has just sent their mapping (in Arabic), and its receipt page."""
    client = app.test_client()
    submit_as_the_person(client, runner, app)
    return client


def test_the_receipt_offers_the_form_and_keeps_nothing_unless_it_is_used(app, sent):
    page = sent.get("/ar/form/receipt").text
    assert "أضف بيانات الاتصال الخاصة بك إلى السيرة الذاتية" in page
    assert 'action="/ar/kompass/form/cv-contact"' in page and "novalidate" in page
    assert 'name="phone" type="tel"' in page and 'name="email" type="email"' in page
    assert 'value="remove"' not in page  # nothing to remove
    assert contacts(app) == []
    text = text_of(sent.get("/ar/form/cv.pdf").data)
    assert "Navn Navnesen" in text and "Telefon" not in text and "الهاتف" not in text


def test_added_details_are_on_the_cv_in_both_languages_until_removed(app, sent):
    page = sent.get("/ar/form/receipt").text
    added = send(sent, page, phone=f"  {PHONE} ", email=EMAIL)
    assert added.status_code == 302 and added.location.endswith("/ar/form/receipt#cv-contact")
    assert contacts(app) == [(contacts(app)[0][0], PHONE, EMAIL)]
    page = sent.get("/ar/form/receipt").text
    assert "بيانات الاتصال الخاصة بك موجودة في السيرة الذاتية." in page  # the notice, once
    assert f'value="{PHONE}"' in page and f'value="{EMAIL}"' in page and 'value="remove"' in page
    assert "موجودة في السيرة الذاتية." not in sent.get("/ar/form/receipt").text
    text = text_of(sent.get("/ar/form/cv.pdf").data)
    for label in ("الاسم", "الهاتف", "البريد الإلكتروني", "Navn", "Telefon", "E-post"):
        assert label in text, label
    assert text.count(PHONE) == 2 and text.count(EMAIL) == 2 and text.count("Navn Navnesen") >= 2
    data = {"csrf_token": csrf_token(page), "action": "remove"}
    assert sent.post("/ar/form/cv-contact", data=data).status_code == 302
    assert contacts(app) == []
    assert "تم حذف بيانات الاتصال الخاصة بك." in sent.get("/ar/form/receipt").text


@pytest.mark.parametrize(
    ("fields", "messages"),
    [
        ({"phone": "", "email": " "}, ["اكتب رقم هاتف أو عنوان بريد إلكتروني."]),
        ({"phone": "12-34", "email": ""}, ["اكتب رقم هاتف من 5 إلى 15 رقمًا"]),
        ({"phone": "ring meg", "email": "amina@"},
         ["اكتب رقم هاتف من 5 إلى 15 رقمًا", "اكتب عنوان بريد إلكتروني مثل name@example.com."]),
        ({"phone": "1" * 16, "email": "a b@example.com"},
         ["اكتب رقم هاتف من 5 إلى 15 رقمًا", "اكتب عنوان بريد إلكتروني مثل name@example.com."]),
    ],
)  # fmt: skip
def test_wrong_details_get_a_translated_message_and_nothing_is_kept(app, sent, fields, messages):
    refused = send(sent, sent.get("/ar/form/receipt").text, **fields)
    assert refused.status_code == 422
    assert 'class="error-summary" role="alert"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    for message in messages:
        assert refused.text.count(message) == 2, message  # in the summary and at the field
    assert f'value="{fields["phone"]}"' in refused.text  # what was typed stays
    assert contacts(app) == []


def test_the_form_needs_the_csrf_token_and_a_cv_that_may_be_downloaded(app, sent):
    assert sent.post("/ar/form/cv-contact", data={"phone": PHONE}).status_code == 400
    stranger = app.test_client()
    refused = send(stranger, stranger.get("/ar/login").text, phone=PHONE)
    assert refused.status_code == 302 and refused.location.endswith("/ar/login")
    assert contacts(app) == []


def test_the_details_are_erased_with_the_person(app, sent):
    send(sent, sent.get("/ar/form/receipt").text, phone=PHONE)
    assert len(contacts(app)) == 1
    person_id = int(contacts(app)[0][0].split(":")[1])
    page = confirm(admin_client(app), person_id)
    assert page.status_code == 200 and "Kontaktopplysninger til CV-en" in page.text
    assert shown_counts(page.text) == ["1", "1", "1", "1", "1"]
    assert contacts(app) == []


def test_retention_deletes_the_details_when_it_anonymises_the_mapping(app, runner):
    person_id = add_person(app, DUF)
    make_code(runner, DUF)
    answered(app, person_id, answers={"citizenship": "SY", "mother_tongue": "ar"})
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.add(SubjectContact(subject=f"person:{person_id}", phone=PHONE, email=""))
        session.commit()
    backdate(app, person_id, 7 * 365, 6 * 365)
    counts = counts_in(retention_run(app))
    assert counts["contacts_deleted"] == 1 and counts["responses_anonymised"] == 1
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(SubjectContact)) == 0
