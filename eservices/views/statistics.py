"""The manager's pages of the statistics that belong to the cases: the employees per
förvaltning and the cost-allocation key they share the contact centre's budget by.

The key needs a budget besides the dashboard's query, so it has its own page (a
GET form whose address can be shared); its table downloads as CSV and XLSX
like the dashboard's.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from eservices import statistics
from eservices.forms import CostAllocationForm, employees_form
from eservices.operations import SET_EMPLOYEES
from portal.auth.access import role_required
from portal.auth.models import MANAGER
from portal.extensions import db
from portal.i18n import current_language
from portal.org.models import Department
from portal.stats import StatsQuery, exports


def all_departments():
    return db.session.scalars(select(Department).order_by(Department.code)).all()


@role_required(MANAGER)
def employees():
    """Each förvaltning's employees, the base part of the cost-allocation key."""
    departments = all_departments()
    form = employees_form(departments, current_language(), post=request.method == "POST")
    if form.validate_on_submit():
        SET_EMPLOYEES.execute(departments, current_user, employees=form.counts(departments))
        flash(_("Antalet anställda är sparat."))
        return redirect(url_for("eservices.cost_allocation"))
    return render_template("eservices/statistics/employees.html", form=form,
                           fields=[form[f"department_{department.id}"] for department in departments])


@role_required(MANAGER)
def cost_allocation():
    """The key for a period and a yearly budget; ``format=csv`` or ``xlsx`` downloads its table."""
    form = CostAllocationForm(request.args)
    table = missing = None
    if request.args and form.validate():
        query = StatsQuery(form.first_day, form.last_day, "month")
        try:
            table = statistics.cost_allocation(query, statistics.Budget(form.yearly, form.base_percent))
        except statistics.KeyIncomplete as incomplete:
            missing = incomplete.missing
    fmt = request.args.get("format")
    if table is not None and fmt in exports.CONTENT_TYPES:
        return exports.download(table, query, fmt)
    downloads = {fmt: url_for("eservices.cost_allocation", **{**request.args.to_dict(), "format": fmt})
                 for fmt in exports.CONTENT_TYPES} if table else None
    return render_template("eservices/statistics/cost_allocation.html", form=form, table=table,
                           missing=missing, downloads=downloads)
