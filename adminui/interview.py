"""Interview mode: a counsellor fills in a person's form with them, in the respondent pages.

The staff session carries which person is being interviewed; the engine learns it through the
`kompass_current_respondent` hook, checked again on every request.
"""

from flask import Response, request, session, url_for

from adminui.persons import visible_person
from auth.people.models import Person
from auth.staff import audit
from auth.staff.session import INTERVIEW_KEY, current_user
from engine.context import db_session
from engine.respondent import INTERVIEW, Respondent

SAVES = {"respondent.section": "interview.save", "respondent.submit": "interview.submit"}
SAVED = (200, 302, 303, 422)  # 422: the valid answers were kept, the others reported


def start(person: Person) -> None:
    session[INTERVIEW_KEY] = {"person_id": person.id}


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
    )


def record_save(response: Response) -> Response:
    """Audit a section a counsellor saved (or the submission) in interview mode: which one,
    never the answers."""
    data = session.get(INTERVIEW_KEY)
    action = SAVES.get(request.endpoint or "")
    if request.method != "POST" or action is None or response.status_code not in SAVED:
        return response
    user = current_user()
    if isinstance(data, dict) and user is not None:
        section = (request.view_args or {}).get("section_id")
        details = {"section": section} if section else {}
        audit.record(db_session(), action, user, person_id=data.get("person_id"), **details)
    return response
