"""The receipt page's optional form: contact details the person adds to their CV, or removes.

Nothing is stored unless the person sends the form; what they send is checked here and stored
by `engine.responses.contact`, for the subject whose CV the browser may download.
"""

from dataclasses import dataclass, field

from flask import session

from engine.app.context import db_session
from engine.responses import contact
from renderers.html.bilingual import N_

NOTICE_KEY = "cv_contact_notice"
ADDED, REMOVED = "added", "removed"
MESSAGES = {
    "missing": N_("Enter a phone number or an e-mail address."),
    "phone": N_("Enter a phone number with 5 to 15 digits, for example +47 912 34 567."),
    "email": N_("Enter an e-mail address like name@example.com."),
}
NOTICES = {
    ADDED: N_("Your contact details are on the CV."),
    REMOVED: N_("Your contact details have been removed."),
}


@dataclass(frozen=True)
class Form:
    """What the form shows: the values (typed or stored), the problems by field, a notice."""

    values: contact.Contact
    stored: bool
    problems: dict[str, str] = field(default_factory=dict)
    notice: str | None = None

    def message(self, name: str) -> str | None:
        """The catalogue message for the field's problem (`ui` translates it), or None."""
        problem = self.problems.get(name)
        return MESSAGES[problem] if problem else None


def typed(form) -> contact.Contact:
    """The posted values, stripped and cut to a length no valid value exceeds."""
    phone = form.get("phone", "").strip()[: contact.PHONE_LENGTH + 1]
    return contact.Contact(phone, form.get("email", "").strip()[: contact.EMAIL_LENGTH + 1])


def shown(subject: str) -> Form:
    """The form as the receipt shows it: the stored details, and a notice once after a change."""
    stored = contact.find(db_session(), subject)
    notice = NOTICES.get(session.pop(NOTICE_KEY, None))
    return Form(stored or contact.Contact("", ""), stored is not None, notice=notice)


def send(subject: str, values: contact.Contact) -> Form | None:
    """Store `values` for `subject` and return None, or the form with its problems."""
    problems = contact.problems(values.phone, values.email)
    stored = contact.find(db_session(), subject) is not None
    if problems:
        return Form(values, stored, problems)
    contact.put(db_session(), subject, values)
    db_session().commit()
    session[NOTICE_KEY] = ADDED
    return None


def remove(subject: str) -> None:
    contact.remove(db_session(), subject)
    db_session().commit()
    session[NOTICE_KEY] = REMOVED
