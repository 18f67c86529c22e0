"""The statistics dashboard, its exports and the public JSON API (routes in ``blueprint.py``)."""
from functools import partial

from flask import abort, jsonify, render_template, request
from flask_babel import format_decimal, gettext as _
from flask_login import current_user, login_required

from portal import stats
from portal.stats import charts, exports
from portal.stats.access import department_scope, may_see_statistics, visible_departments
from portal.stats.forms import StatsFilterForm
from portal.templating import date_filter

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def staff_query():
    """The filter form of the request and, when it is valid, the query the user may ask."""
    if not may_see_statistics(current_user):
        abort(403)
    form = StatsFilterForm(request.args, departments=visible_departments(current_user))
    if not form.validate():
        return form, None
    return form, form.query(department_scope(current_user, form.department_id()))


@login_required
def dashboard():
    form, query = staff_query()
    if query is None:
        return render_template("stats/dashboard.html", form=form, query=None, sections=[]), 400
    return render_template("stats/dashboard.html", form=form, query=query, sections=stats.sections(query),
                           export_args=request.args.to_dict())


@login_required
def export(key, fmt):
    _form, query = staff_query()
    if query is None:
        abort(400)
    try:
        found = stats.table(query, key)
    except LookupError:
        abort(404)
    data = exports.to_csv(found) if fmt == "csv" else exports.to_xlsx([found])
    return data, 200, {"Content-Type": CONTENT_TYPES[fmt],
                       "Content-Disposition": f'attachment; filename="{exports.filename(found, query, fmt)}"'}


def formatted(value, kind):
    """``{{ value|stat(column.kind) }}``: a figure as the page's language writes it."""
    if value is None:
        return "–"
    if kind == "date":
        return date_filter(value, "medium")
    if kind == "percent":
        return f"{format_decimal(value, '0.0')} %"
    if kind in ("hours", "days"):
        return format_decimal(value, "#,##0.0")
    if kind in ("int", "money"):
        return format_decimal(value, "#,##0")
    return str(value)


def chart(table):
    """The SVG of ``table`` (None when it has no chart), named after its table."""
    if table.chart is None:
        return None
    name = _("Diagram: %(title)s. Samma siffror finns i tabellen under diagrammet.", title=table.title)
    kind = next((table.columns[i].kind for i in charts.numeric_columns(table)), "int")
    fmt, label = partial(formatted, kind=kind), partial(formatted, kind=table.columns[0].kind)
    empty = _("Inga uppgifter för perioden.")
    if table.chart == "line":
        low_high = table.target or (0, 0)
        target = _("Mål %(low)s–%(high)s %%", low=format_decimal(low_high[0]), high=format_decimal(low_high[1]))
        return charts.line_chart(table, name, fmt=fmt, label=label, target_label=target, empty_text=empty)
    return charts.bar_chart(table, name, fmt=fmt, label=label, empty_text=empty)


# --- the public JSON API ----------------------------------------------------------
def api_error(message, status=400):
    return jsonify(error=message), status


def api_query():
    form = StatsFilterForm(request.args)
    if not form.validate():
        return None, {field.name: [str(error) for error in field.errors] for field in form if field.errors}
    return form.query(None), None


def public_tables(query):
    return [found for section in stats.sections(query) for found in section.tables if found.public]


def api_index():
    query, errors = api_query()
    if errors:
        return jsonify(error=_("Perioden är inte giltig."), fields=errors), 400
    return jsonify(tables=[{"key": found.key, "title": str(found.title)} for found in public_tables(query)])


def api_table(key):
    query, errors = api_query()
    if errors:
        return jsonify(error=_("Perioden är inte giltig."), fields=errors), 400
    found = next((found for found in public_tables(query) if found.key == key), None)
    if found is None:
        return api_error(_("Det finns ingen sådan tabell."), 404)
    return jsonify(key=found.key, title=str(found.title), note=str(found.note),
                   start=query.start.isoformat(), end=query.end.isoformat(), granularity=query.granularity,
                   columns=[{"key": c.key, "label": str(c.label), "kind": c.kind} for c in found.columns],
                   rows=[[value.isoformat() if hasattr(value, "isoformat") else value for value in row]
                         for row in found.rows])
