"""Responses that serve files never set the session cookie.

A permanent session is sent again with every response; a font, picture or clip answered after
the next page would put back the session as it was when it was asked for, losing what that page
stored (the language chosen beside the form). Static files and views marked `@serves_files`
leave the cookie alone.
"""

from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface


def serves_files(view):
    """Marks a view that answers with a file: its responses never set the session cookie."""
    view.serves_files = True
    return view


class FilesKeepTheCookie(SecureCookieSessionInterface):
    def should_set_cookie(self, app, session) -> bool:
        return not _serves_files() and super().should_set_cookie(app, session)


def _serves_files() -> bool:
    endpoint = request.endpoint or ""
    view = current_app.view_functions.get(endpoint)
    return endpoint.rpartition(".")[2] == "static" or getattr(view, "serves_files", False)
