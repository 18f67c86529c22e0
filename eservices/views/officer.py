"""The case officers' side: their förvaltning's cases, a case with its answers,
files and timeline, and recording a status or a decision (routes in
``eservices/blueprint.py``).  Every opening of a case or a file is recorded."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eservices import operations, queries, registry, uploads
from eservices.answers import answer_rows
from eservices.forms import DecisionForm, StatusForm
from eservices.models import CaseStatus
from portal.actions import ActionRefused
from portal.auth.access import role_required
from portal.auth.models import AGENT, MANAGER, OFFICER
from portal.extensions import db


@role_required(OFFICER)
def case_list():
    status = request.args.get("status", "open")
    if status not in ("open", "all", *CaseStatus):
        status = "open"
    cases = queries.cases_visible_to(current_user, status=None if status == "all" else status)
    return render_template("eservices/officer/list.html", cases=cases, status=status,
                           statuses=list(CaseStatus), today=date.today())


def decision_form(case):
    """The service's own decision form (a permit's validity dates), or the generic one."""
    service = registry.get(case.service_code)
    return ((service.decision_form(case) if service else None) or DecisionForm)()


@role_required(OFFICER, AGENT, MANAGER)   # the contact centre reads it (Case.can_view)
def case_page(case_id):
    case = queries.case_or_404(case_id)
    operations.record_read(case, current_user)
    return render_case(case, StatusForm(status=case.status), decision_form(case))


def render_case(case, status_form, decide_form, code=200):
    service = registry.get(case.service_code)
    return render_template("eservices/officer/case.html", case=case, service=service,
                           answers=answer_rows(service, case.answers) if service else [],
                           extra=service.case_extra(case) if service else "",
                           status_form=status_form, decision_form=decide_form), code


def status_arguments(form):
    return {"status": form.status.data, "note": form.note.data or "",
            "public": form.public.data == "public"}


def decision_arguments(form):
    return {"decision": {name: operations.jsonable(value) for name, value in form.data.items()
                         if name != "csrf_token"}}


ARGUMENTS = {"change_status": status_arguments, "decide": decision_arguments}


@role_required(OFFICER)
def case_action(case_id):
    case = queries.case_or_404(case_id)
    forms = {"change_status": StatusForm(), "decide": decision_form(case)}
    action = request.form.get("action")
    form = forms.get(action) or abort(400)
    if not form.validate_on_submit():
        return render_case(case, forms["change_status"], forms["decide"], code=400)
    try:
        operations.CASE_ACTIONS[action].execute(case, current_user, **ARGUMENTS[action](form))
        flash(_("Ärendet är uppdaterat."), "success")
    except ActionRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    return redirect(url_for("eservices.case_page", case_id=case.id))


@role_required(OFFICER, AGENT, MANAGER)
def case_file(case_id, file_id):
    case = queries.case_or_404(case_id)
    stored = next((f for f in case.files if f.id == file_id), None) or abort(404)
    operations.record_read(case, current_user, what=f"file:{stored.id}")
    return uploads.send_stored(stored.stored_name, stored.content_type, stored.original_name,
                               inline=stored.content_type.startswith("image/"))
