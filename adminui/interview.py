"""Interview mode: a counsellor fills in a person's form with them, in the respondent pages.

The staff session carries which person is being interviewed; the engine learns it through the
`kompass_current_respondent` hook, checked again on every request.
"""

from flask import session, url_for

from adminui.persons import visible_person
from auth.people.models import Person
from auth.staff.session import INTERVIEW_KEY, current_user
from engine.responses.respondent import INTERVIEW, Respondent


def start(person: Person, questionnaire_id: str) -> None:
    session[INTERVIEW_KEY] = {"person_id": person.id, "questionnaire": questionnaire_id}


def stop() -> None:
    session.pop(INTERVIEW_KEY, None)


def current_respondent() -> Respondent | None:
    data = session.get(INTERVIEW_KEY)
    if not isinstance(data, dict):
        return None
    user = current_user()
    person = visible_person(user, data.get("person_id", 0)) if user else None
    if person is None:
        stop()
        return None
    return Respondent(
        subject=person.subject,
        mode=INTERVIEW,
        entered_by=f"user:{user.id}",
        include_staff=True,
        exit_url=url_for("adminui.person_page", person_id=person.id),
        questionnaire_id=data.get("questionnaire"),
    )
