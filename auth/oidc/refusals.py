"""Why a sign-in through the identity provider was refused: a reason code for the audit log and
a clear message for the log-in page."""

from adminui.i18n import gettext as _

MESSAGES = {
    "state": lambda: _(
        "The sign-in could not be completed: the answer did not belong to a sign-in started "
        "here, or it took too long. Try again."
    ),
    "provider_error": lambda: _(
        "The identity provider stopped the sign-in. Try again, or log in with your password."
    ),
    "code": lambda: _(
        "The identity provider did not accept the sign-in (its code was already used or has "
        "expired). Try again."
    ),
    "issuer": lambda: _(
        "The answer came from another issuer than the one Kompass trusts. The sign-in was refused."
    ),
    "nonce": lambda: _(
        "The identity provider's proof did not belong to this sign-in. The sign-in was refused; "
        "try again."
    ),
    "expired": lambda: _(
        "The identity provider's proof has expired. Try again; if it happens again, the clock "
        "of this server or of the identity provider may be wrong."
    ),
    "token": lambda: _(
        "The identity provider's proof could not be verified. The sign-in was refused."
    ),
    "unreachable": lambda: _(
        "The identity provider does not answer. Try again later, or log in with your password."
    ),
    "no_claim": lambda: _(
        "The identity provider did not say who you are (the detail Kompass needs is missing). "
        "Ask your administrator."
    ),
    "unknown_user": lambda: _(
        "You are signed in at the identity provider, but you are not a user of Kompass. Ask an "
        "administrator to add you."
    ),
    "inactive": lambda: _("Your Kompass user is deactivated. Ask an administrator."),
    "locked": lambda: _(
        "Your Kompass user is locked for a while after too many wrong attempts. Wait a few "
        "minutes and try again."
    ),
}
ABOUT_THE_USER = {"no_claim", "unknown_user", "inactive", "locked"}


class Refused(Exception):
    """A sign-in refused for `reason` (a key of MESSAGES)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def message(self) -> str:
        return MESSAGES[self.reason]()

    @property
    def status(self) -> int:
        return 403 if self.reason in ABOUT_THE_USER else 400
