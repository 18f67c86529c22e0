"""Service alerts (driftinformation) for editors and the contact-centre manager
(routes in ``content/blueprint.py``; who may publish what: ``content.models.Alert``)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from content import editing, queries
from content.forms import ActionForm, AlertForm
from content.models import Alert, Severity
from content.operations import ALERT_ACTIONS
from portal.actions import ActionRefused
from portal.auth.access import role_required
from portal.auth.models import EDITOR, MANAGER
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import current_language

ALERT_ROLES = (EDITOR, MANAGER)


@role_required(*ALERT_ROLES)
def alert_list():
    return render_template("content/editor/alerts.html",
                           alerts=queries.alerts_visible_to(current_user), now=utcnow())


def alert_or_404(alert_id, permission):
    alert = db.session.get(Alert, alert_id) or abort(404)
    if not getattr(alert, permission)(current_user):
        abort(403)
    return alert


def alert_form(formdata=None, alert=None):
    values = {}
    if alert is not None:
        values = dict(severity=alert.severity, department_id=alert.department_id,
                      title_sv=alert.titles.get("sv"), message_sv=alert.messages.get("sv"),
                      title_en=alert.titles.get("en"), message_en=alert.messages.get("en"),
                      starts_at=alert.starts_at, ends_at=alert.ends_at,
                      articles=[a.id for a in alert.articles], eservices=alert.eservices)
    form = AlertForm(formdata=formdata, **values)
    form.department_id.choices = [SelectChoice(d.id, d.name_in(current_language()))
                                  for d in queries.alert_departments_for(current_user)]
    form.articles.choices = editing.article_choices(current_language())
    form.eservices.choices = editing.eservice_choices()
    return form


def values_from_form(form):
    """The answers as ``SaveAlert`` takes them."""
    texts = (("sv", form.title_sv.data, form.message_sv.data), ("en", form.title_en.data, form.message_en.data))
    return {"severity": Severity(form.severity.data), "department_id": form.department_id.data,
            "titles": {lang: title for lang, title, _message in texts if title},
            "messages": {lang: message for lang, _title, message in texts if message},
            "starts_at": form.starts_at.data, "ends_at": form.ends_at.data,
            "articles": queries.articles_by_id(form.articles.data),
            "eservices": form.eservices.data}


def save_alert_form(form, alert):
    """Validate and save; True when saved, else the form is shown again with the reason."""
    values = form.validate_on_submit() and values_from_form(form)
    if not values:
        return False
    try:
        ALERT_ACTIONS["save_alert"].execute(alert, current_user, values=values)
    except ActionRefused as refusal:
        db.session.rollback()
        form.form_errors.append(refusal.message)
        return False
    if alert.is_pending:
        flash(_("Krismeddelandet är sparat men visas inte förrän en andra person har godkänt det."), "info")
    else:
        flash(_("Driftinformationen är sparad."), "success")
    return True


@role_required(*ALERT_ROLES)
def new_alert():
    form = alert_form(request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.starts_at.data = utcnow().replace(second=0, microsecond=0)   # "now" unless changed
    if request.method == "POST" and save_alert_form(form, Alert()):
        return redirect(url_for("content.alert_list"))
    return render_template("content/editor/alert_form.html", form=form, alert=None)


@role_required(*ALERT_ROLES)
def edit_alert(alert_id):
    alert = alert_or_404(alert_id, "can_edit")
    form = alert_form(request.form if request.method == "POST" else None, alert)
    if request.method == "POST" and save_alert_form(form, alert):
        return redirect(url_for("content.alert_list"))
    return render_template("content/editor/alert_form.html", form=form, alert=alert)


@role_required(*ALERT_ROLES)
def alert_action(alert_id):
    """Approve a proposed crisis alert, or end an alert now (whoever may approve
    an alert may also end it, so ``can_end`` lets both through)."""
    alert = alert_or_404(alert_id, "can_end")
    form = ActionForm()
    action = ALERT_ACTIONS.get(form.action.data)
    if not form.validate_on_submit() or form.action.data not in ("approve_alert", "end_alert"):
        abort(400)
    try:
        action.execute(alert, current_user)
        flash(_("Krismeddelandet är godkänt och visas på alla sidor.") if action.name == "approve_alert"
              else _("Driftinformationen har avslutats."), "success")
    except ActionRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    return redirect(url_for("content.alert_list"))
