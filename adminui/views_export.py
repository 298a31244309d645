"""Exports for analysts in the staff UI: the same export as `kompass export`, as a download.

Someone who also reads the audit log (identified events with times) gets a pseudonymised export
with years instead of dates, no mode, whole years as date filters and at least
`suppression.THRESHOLD` responses alike (docs/privacy.md)."""

import tempfile
from datetime import date

from flask import current_app, g, render_template, request, send_file

from adminui import questionnaire_choice, suppression
from adminui.blueprint import bp, requires
from adminui.i18n import gettext as _
from auth.people.export import MUNICIPALITY
from auth.staff import access
from engine.app import deployment
from engine.app.context import db_session, kompass
from engine.export import criteria as criteria_module
from engine.export import filters as export_filters
from engine.export.cli import details
from engine.export.formats import FORMATS
from engine.export.run import ExportError, Options, TooFewToExport, export
from engine.versions import published


@bp.get("/eksport")
@requires(access.can_export)
def export_form(user):
    return _form(user, values={}, error=None)


@bp.post("/eksport")
@requires(access.can_export)
def export_download(user):
    form = request.form
    chosen = _questionnaire()
    identifiable = form.get("identifiable") == "1"
    if identifiable and not access.can_export_identifiable(user):
        return _form(
            user, form, _("Only a system administrator may export identifiable data.")
        ), 403
    filters = export_filters.collect(kompass().plugins.hook)
    try:
        asked = _asked(user, form, chosen, filters)
        found = criteria_module.criteria(db_session(), asked, deployment.time_zone(), filters)
    except (ValueError, criteria_module.InvalidRequest):
        return _form(
            user, form, _("Check the filters: a date, version or choice is not valid.")
        ), 422
    refused = _refused(filters, asked)
    if refused is not None:
        return _form(user, form, _(refused)), 422
    guarded = access.export_is_guarded(user, identifiable)
    if guarded and not _coarse_filters(asked):
        return _form(user, form, _(
            "Your export can be filtered by whole years only (1 January to 31 December), "
            "not by mode: you also see the audit log."
        )), 422  # fmt: skip
    fmt = form.get("format", "csv")
    if fmt not in FORMATS:
        return _form(user, form, _("Choose one of the formats in the list.")), 422
    min_group = suppression.THRESHOLD if guarded else 0
    return _download(user, asked, Options(found, fmt, identifiable, min_group))


def _coarse_filters(asked: criteria_module.Asked) -> bool:
    """No filter finer than what a guarded export shows: whole years, no mode."""
    start, end = asked.submitted_from, asked.submitted_to
    return (
        asked.mode is None
        and (start is None or (start.month, start.day) == (1, 1))
        and (end is None or (end.month, end.day) == (12, 31))
    )


def _refused(filters, asked: criteria_module.Asked) -> str | None:
    """The message of the first filter given a value it does not offer, if any."""
    for found in filters:
        value = asked.filters.get(found.name)
        if value is not None and value not in dict(found.choices()):
            return found.refused
    return None


def fixed_filters(user) -> dict[str, str]:
    """The filters the user's access sets: a municipal user exports their municipality only."""
    scope = access.export_scope(user)
    return {} if scope is None else {MUNICIPALITY: scope}


def _asked(user, form, questionnaire_id: str, filters) -> criteria_module.Asked:
    fixed = fixed_filters(user)
    return criteria_module.Asked(
        questionnaire_id=questionnaire_id,
        version=form.get("version", "all")[:10],
        states=tuple(form.getlist("state")[:2]) or ("submitted",),
        submitted_from=_date(form.get("from")),
        submitted_to=_date(form.get("to")),
        language=form.get("language", "")[:20] or None,
        mode=form.get("mode") or None,
        filters={f.name: fixed.get(f.name, form.get(f.name, "")[:100] or None) for f in filters},
    )


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _download(user, asked, options: Options):
    """The ZIP is written to a file without a name in the folder (it vanishes when closed, on
    any outcome: sent, failed or a client gone mid-download)."""
    state = kompass()
    key = current_app.config["KOMPASS_EXPORT_PSEUDONYM_KEY"]
    target = tempfile.TemporaryFile(suffix=".zip")  # noqa: SIM115 (send_file closes it)
    try:
        summary = export(db_session(), state.registry, state.plugins.hook, options, target, key)
        target.seek(0)
        response = send_file(target, mimetype="application/zip", as_attachment=True,
                             download_name=_file_name(asked, options))  # fmt: skip
    except TooFewToExport:
        target.close()
        return _form(user, request.form, _(
            "Fewer than %(count)s mappings would share a year, state, version and place: "
            "choose more versions, states, years or places.", count=options.min_group,
        )), 422  # fmt: skip
    except ExportError:
        target.close()
        return _form(user, request.form, _("There is nothing to export yet.")), 422
    state.plugins.hook.kompass_exported(actor=user, details=details(options, asked, summary))
    return response


def _file_name(asked, options: Options) -> str:
    kind = "identifiable" if options.identifiable else "pseudonymised"
    place = "".join(f"-{value}" for value in asked.filters.values() if value)
    stem = f"{asked.questionnaire_id}-v{asked.version}{place}-{kind}-{options.format}"
    return f"{stem}-{date.today()}.zip"


def _questionnaire() -> str:
    """The questionnaire the form (a post) or the query string names; 404 if it is not served."""
    return questionnaire_choice.chosen(request.form if request.method == "POST" else request.args)


def _form(user, values, error):
    chosen = _questionnaire()
    versions = published.published_versions(db_session(), chosen)
    filters = export_filters.collect(kompass().plugins.hook)
    fixed = fixed_filters(user)
    return render_template(
        "admin/export.html", values=values, error=error, versions=versions,
        questionnaires=questionnaire_choice.options(g.staff_lang), questionnaire_id=chosen,
        query=questionnaire_choice.link(chosen), formats=list(FORMATS), filters=filters,
        fixed={f.name: dict(f.choices()).get(fixed[f.name], "—") for f in filters
               if fixed.get(f.name)},
        identifiable_allowed=access.can_export_identifiable(user),
        guarded=access.can_read_audit(user), threshold=suppression.THRESHOLD,
    )  # fmt: skip
