"""Statistikk: counts and distributions for analysts, as charts, tables and CSV files."""

from flask import abort, g, render_template, request

from adminui import charts, downloads, questionnaire_choice, statistics
from adminui.blueprint import bp, requires
from adminui.i18n import gettext as _
from auth.people import municipalities
from auth.staff import access, audit
from engine.app.context import db_session, kompass


@bp.get("/statistikk")
@requires(access.can_see_statistics)
def statistics_page(user):
    source, filters, query = _asked()
    audit.record(db_session(), "statistics.view", user, **query)
    counted = statistics.has_tables(db_session(), kompass().registry, source)
    tables = _tables(source, filters) if counted else []
    return render_template(
        "admin/statistics.html", tables=tables, filters=filters, versions=sorted(source.versions),
        charts={table.key: _chart(table) for table in tables if table.chart}, query=query,
        years=statistics.years(db_session(), source.questionnaire_id), counted=counted,
        places=sorted(municipalities.all_municipalities().values(), key=lambda m: m.name),
        questionnaires=questionnaire_choice.options(g.staff_lang),
        questionnaire_id=source.questionnaire_id,
    )  # fmt: skip


@bp.get("/statistikk/<chart>.<any(csv, xlsx):file_format>")
@requires(access.can_see_statistics)
def statistics_download(user, chart: str, file_format: str):
    if chart not in statistics.CHARTS:
        abort(404)
    source, filters, query = _asked()
    if not statistics.has_tables(db_session(), kompass().registry, source):
        abort(404)
    audit.record(db_session(), "statistics.view", user, chart=chart, format=file_format, **query)
    table = next(t for t in _tables(source, filters) if t.key == chart)
    name = f"{source.questionnaire_id}-statistikk-{chart}"
    return downloads.response(_download_table(table, name), file_format)


def _asked() -> tuple[statistics.Source, statistics.Filters, dict]:
    """The questionnaire asked for (404 if it is not served) with its published versions, the
    filters of the query string, and both as query arguments for links and the audit log."""
    source = statistics.source(db_session(), questionnaire_choice.chosen(request.args))
    if not source.versions:
        abort(503)
    filters = statistics.parse_filters(request.args, source.versions)
    return source, filters, {**questionnaire_choice.link(source.questionnaire_id), **filters.args()}


def _tables(source: statistics.Source, filters: statistics.Filters) -> list[statistics.Table]:
    return statistics.tables(db_session(), kompass().registry, source, filters, g.staff_lang)


def _chart(table: statistics.Table):
    groups = [
        charts.BarGroup(group.label, [charts.Bar(r.label, r.value, r.shown) for r in group.rows])
        for group in table.groups
    ]
    description = _(
        "%(description)s Bars of hidden numbers are hatched and all of the same length. "
        "The numbers are in the table beside the chart.",
        description=table.description,
    )
    return charts.bar_chart(f"chart-{table.key}", table.title, description, groups)


def _download_table(table: statistics.Table, name: str) -> downloads.Table:
    """One line per row and per total, with the same suppression as the page; a shown number
    is a number, `<5` and `:` are text."""
    headers = [_("Group code"), _("Group"), _("Code"), _("Category"), _("Persons")]
    rows = [
        [group.code, group.label, row.code, row.label, _number(row.shown)]
        for group in table.groups
        for row in [*group.rows, group.total]
    ]
    if table.total is not None:
        rows.append(["", "", table.total.code, table.total.label, _number(table.total.shown)])
    return downloads.Table(name, headers, rows)


def _number(shown: str) -> int | str:
    return int(shown) if shown.isdigit() else shown
