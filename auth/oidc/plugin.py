"""Hook implementations of single sign-on for staff (OpenID Connect), on when
`KOMPASS_OIDC_ISSUER` is set.

The views and the client libraries (Authlib, joserfc, requests) are imported only when sign-in is
configured: a deployment without it, and every command, starts without them.
"""

from urllib.parse import urlencode

from flask import current_app, request, url_for

from adminui.i18n import gettext as _
from auth.oidc import settings
from auth.staff.session import signed_in_via
from engine.app.hookspecs import hookimpl

# The staff users, their sessions, audit, lockout and code step; the staff log-in page.
REQUIRES = ("code_login", "staff", "adminui")


@hookimpl
def kompass_settings():
    return settings.DEFAULTS


@hookimpl
def kompass_init_app(app):
    configured = settings.OidcSettings.from_config(app.config)
    if configured is None:
        return
    from auth.oidc import views
    from auth.oidc.provider import Provider

    app.extensions[settings.EXTENSION] = Provider(configured)
    app.register_blueprint(views.bp)


def _provider():
    """The configured provider (`auth.oidc.provider.Provider`), or None."""
    return current_app.extensions.get(settings.EXTENSION)


@hookimpl
def kompass_staff_login_options():
    provider = _provider()
    if provider is None:
        return []
    label = provider.settings.button_label or _("Log in with the municipality's sign-in")
    next_path = request.args.get("next")
    return [(label, url_for("oidc.start", **({"next": next_path} if next_path else {})))]


@hookimpl
def kompass_staff_logout_url():
    """The provider's sign-out page (RP-initiated logout), when the user came from there."""
    provider, via = _provider(), signed_in_via()
    if provider is None or not via or via.get("method") != settings.METHOD:
        return None
    endpoint = provider.end_session_endpoint()
    if not endpoint:
        return None
    from auth.oidc.views import external_url

    back = external_url("adminui.login")
    query = {"id_token_hint": via.get("id_token", ""), "post_logout_redirect_uri": back,
             "client_id": provider.settings.client_id}  # fmt: skip
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"
