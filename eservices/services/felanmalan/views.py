"""Felanmälan's own pages (routes in ``eservices/blueprint.py``): the admins' fault
categories, the public list and page of reports, and Leaflet's files.  The form
itself is the e-service framework's (``eservices/views/public.py``)."""
from flask import abort, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from eservices.services.felanmalan import queries
from eservices.services.felanmalan.forms import CategoryForm
from eservices.services.felanmalan.models import FaultCategory
from eservices.services.felanmalan.operations import SAVE_CATEGORY
from portal.actions import ActionRefused
from portal.auth.access import role_required
from portal.auth.models import ADMIN
from portal.extensions import db
from portal.i18n import current_language
from portal.org.models import Department

# Leaflet's files, as the xstatic-leaflet package holds them; nothing else is served.
LEAFLET_FILES = frozenset({"leaflet.js", "leaflet.css", "images/marker-icon.png", "images/marker-icon-2x.png",
                           "images/marker-shadow.png", "images/layers.png", "images/layers-2x.png"})
LEAFLET_MAX_AGE = 24 * 3600


# --- fault categories (admins) -----------------------------------------------------------
@role_required(ADMIN)
def fault_categories():
    return render_template("eservices/felanmalan/categories.html", categories=queries.all_categories())


@role_required(ADMIN)
def new_fault_category():
    last = max((c.position for c in queries.all_categories()), default=0)
    return category_page(FaultCategory(active=True, position=last + 10, names={}, descriptions={}, keywords=[]))


@role_required(ADMIN)
def edit_fault_category(category_id):
    return category_page(queries.category_or_404(category_id))


def category_page(category):
    form = category_form(category)
    if form.validate_on_submit() and save(form, category):
        flash(_("Kategorin ”%(name)s” är sparad.", name=category.name_in(current_language())), "success")
        return redirect(url_for("eservices.fault_categories"))
    return render_template("eservices/felanmalan/category_form.html", form=form, category=category)


def category_form(category):
    values = {} if request.method == "POST" else dict(
        name_sv=category.names.get("sv"), name_en=category.names.get("en"),
        description_sv=category.descriptions.get("sv"), description_en=category.descriptions.get("en"),
        code=category.code, group=category.group, department_id=category.department_id,
        keywords=", ".join(category.keywords or []), position=category.position, active=category.active)
    form = CategoryForm(category_id=category.id, **values)
    departments = db.session.scalars(select(Department).order_by(Department.code)).all()
    form.department_id.choices = [SelectChoice(d.id, d.name_in(current_language())) for d in departments]
    return form


def values_from(form):
    """The form's answers as ``SaveCategory`` takes them."""
    def texts(sv, en):
        return {lang: text.strip() for lang, text in (("sv", sv), ("en", en)) if text and text.strip()}
    return {"code": form.code.data.strip(), "names": texts(form.name_sv.data, form.name_en.data),
            "descriptions": texts(form.description_sv.data, form.description_en.data),
            "keywords": [word.strip() for word in (form.keywords.data or "").split(",") if word.strip()],
            "group": (form.group.data or "").strip(), "department_id": form.department_id.data,
            "position": form.position.data, "active": form.active.data}


def save(form, category):
    """Save through the action; a refusal is shown at the top of the form."""
    try:
        SAVE_CATEGORY.execute(category, current_user, values=values_from(form))
    except ActionRefused as refusal:
        db.session.rollback()
        form.form_errors.append(refusal.message)
        return False
    return True


# --- reports, for everyone -------------------------------------------------------------------
def fault_reports():
    """Open reports, newest first, a page at a time; ``?kategori=`` keeps one category."""
    code = request.args.get("kategori") or None
    if code is not None and queries.category(code) is None:
        code = None
    page = request.args.get("sida", 1, type=int)
    page = page if page and page > 0 else 1
    reports, total = queries.open_reports(code, page)
    pages = max(1, -(-total // queries.PER_PAGE))
    if page > pages:
        abort(404)
    return render_template("eservices/felanmalan/reports.html", reports=reports, total=total, page=page,
                           pages=pages, chosen=code, categories=queries.all_categories())


def fault_report(case_id):
    return render_template("eservices/felanmalan/report.html", report=queries.report_or_404(case_id))


def leaflet_file(filename):
    """Leaflet from the Python package that ships it: no CDN, and the pages' own origin."""
    if filename not in LEAFLET_FILES:
        abort(404)
    from xstatic.pkg import leaflet

    return send_from_directory(leaflet.BASE_DIR, filename, max_age=LEAFLET_MAX_AGE)
