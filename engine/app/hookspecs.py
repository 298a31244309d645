"""The contract between the engine and its plugins (pluggy hook specifications).

Besides its hooks, a plugin module sets `REQUIRES`: the names of the plugins it needs (their
tables, modules or pages), checked at start-up by `engine.app.plugins`.
"""

import pluggy

PROJECT = "kompass"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def kompass_question_types():
    """Return a list of `engine.definition.qtypes.QuestionType` this plugin provides.

    The engine's own types come through this hook too; a name registered twice stops start-up.
    """


@hookspec
def kompass_widget_templates():
    """Return {widget name: Jinja template name} for the widgets of this plugin's question types.

    The HTML renderer includes the template for a question whose type names the widget; the
    plugin makes the template findable (a blueprint's `template_folder`). A question type whose
    widget neither the renderer nor a plugin knows stops start-up.
    """


@hookspec
def kompass_questionnaire_uses():
    """Return a list of `engine.definition.uses.Use`: what this plugin reads from a questionnaire's
    `uses:`
    (its key, the model of its entry and the questions the entry names)."""


@hookspec
def kompass_migration_locations():
    """Return the path of a folder of Alembic revision scripts for this plugin's own tables."""


@hookspec
def kompass_settings():
    """Return {NAME: default} of this plugin's own settings.

    Each is read like the engine's: the default, then the environment variable `KOMPASS_<NAME>`
    (converted to the default's type), then an override given to `create_app`; the app's config
    holds it as `KOMPASS_<NAME>`.
    """


@hookspec
def kompass_init_app(app):
    """Register blueprints, CLI commands and template globals on the Flask app."""


@hookspec(firstresult=True)
def kompass_current_respondent():
    """Return the `engine.responses.respondent.Respondent` of this request, or None if nobody
    logged in."""


@hookspec(firstresult=True)
def kompass_login_url(lang):
    """Return the URL where a respondent logs in, in the language `lang`."""


@hookspec
def kompass_logout():
    """Forget the respondent of this session."""


@hookspec
def kompass_staff_login_options():
    """Return a list of (label, URL): other ways to log in that the staff log-in page offers
    beside the password (e.g. an identity provider)."""


@hookspec
def kompass_staff_menu_items(user):
    """Return a list of (label, URL): links the staff menu shows the logged-in staff `user`
    after the staff UI's own (e.g. a plugin's page), in the staff language."""


@hookspec(firstresult=True)
def kompass_staff_logout_url():
    """Return where a staff user's browser goes when they log out (e.g. their identity provider's
    sign-out page), or None for the log-in page. Called before the session ends."""


@hookspec
def kompass_response_event(session, event, response, actor, mode, section, details):
    """Called once by the lifecycle (`engine/responses/lifecycle.py`) for every write it made,
    never for
    a refused or stale one: `event` is "saved" (a section, an entry added or removed),
    "submitted", "reopened" or "verified" (a section); `actor` who did it (the respondent's
    `entered_by` in an interview, else the subject; for a reopening or a verification the
    staff user's "user:<id>"); `mode` "self", "interview" or, for a staff user's own act,
    "staff"; `section` the section id or None; `details` {"state": ...} of a verification, else
    {}. No answers or notes are passed (the audit log, closing log-in codes at submission).

    Add what you write to `session` and do not commit: the lifecycle commits the write and what
    every implementation added at once, and stores nothing if one of them raises."""


@hookspec
def kompass_respondent_signed_in(session, subject):
    """Called when a respondent logged in (the subject, nothing they typed), for the audit log."""


@hookspec
def kompass_demo_data(session, questionnaire):
    """Add demo data with `session`; return {key: {id: {field: value}}} for `kompass demo`.

    Entries under the same key and id from several plugins are merged (e.g. a person from the
    registry and the code made for them).
    """


@hookspec
def kompass_health(session):
    """Return a dict of extra facts for /healthz (no personal data)."""


@hookspec
def kompass_export_columns(identifiable):
    """Return a list of `engine.export.layout.Column` to add to each exported response row.

    The engine knows only subjects; a plugin that knows more about them (e.g. where a person
    lives) adds it here. Identifying columns only when `identifiable` is true.
    """


@hookspec
def kompass_export_joins(identifiable):
    """Return a list of `engine.export.joins.SubjectJoin`: the SQL values of columns of
    `kompass_export_columns`, from the plugin's tables joined to each response's subject, so the
    database adds them to the export's rows (the fast way; `kompass_export_values` otherwise)."""


@hookspec
def kompass_export_values(session, subjects, identifiable):
    """Return {subject: {column name: value}} for the columns of `kompass_export_columns` that
    no `kompass_export_joins` fills (values only Python can find), per batch of subjects."""


@hookspec
def kompass_export_filters():
    """Return a list of `engine.export.filters.SubjectFilter`: what an export can be narrowed by
    that only this plugin knows about the subjects (e.g. where a person lives). Each becomes an
    option of `kompass export` and a choice on the staff export page, and its condition on
    `Response.subject` is added to the export's query, so the database filters the rows."""


@hookspec
def kompass_exported(actor, details):
    """Called after every export: `actor` is the staff user (None from the command line),
    `details` what was exported (filters, format, row count), for the audit log."""


@hookspec
def kompass_command_done(session, action, person_id, details):
    """Called after a command-line action that changed persons or their access (`action`, e.g.
    "code.create"), for the audit log: `person_id` the person concerned or None, `details`
    counts and settings, never personal data. An implementation commits what it writes."""


@hookspec(firstresult=True)
def kompass_subject_name(session, subject):
    """Return the name of `subject` as documents made for them show it (the CV), or None."""


@hookspec
def kompass_erase_subject(session, subject):
    """Delete what this plugin keeps about `subject` with `session` (do not commit).

    Return {kind: number deleted}, e.g. {"persons_deleted": 1}. Called when a subject is erased
    on request and when retention removes it; the engine removes the responses itself.
    """


@hookspec
def kompass_retention(run):
    """Remove what this plugin keeps longer than allowed (do not commit); return {kind: count}.

    `run` is an `engine.responses.retention.Run`: its `session`, `now`, `setting(name)`, and its
    `remover` to erase or anonymise a subject. A dry run does the same and then rolls back.
    """


@hookspec
def kompass_data_removed(session, actor, subject, counts):
    """Called before an erasure (`subject`) or a retention run (`subject` None) is committed
    with `session`, for the audit log: `actor` is the staff user (None from the command line),
    `counts` what was removed by kind. No personal data is passed."""
