"""The citizen's side: the catalogue, a service's landing page, its form page by
page, check your answers, the receipt, and the tracking page with the citizen's
reply and reopening (routes in ``eservices/blueprint.py``).

Which draft a person is filling in is kept in their session (the token of
each service's draft); the private resume link carries the same token.
"""
from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from eservices import casework, operations, queries, registry, tracking
from eservices.answers import answer_rows
from eservices.forms import ActionForm, CitizenReplyForm, ReopenForm
from eservices.models import Channel
from portal.actions import ActionRefused
from portal.auth.models import AGENT
from portal.extensions import db
from portal.errors import render_error
from portal.i18n import current_language, languages
from portal.links import public_url
from portal.security import form_limit
from portal.templating import set_page_subject

DRAFTS = "eservice_drafts"     # session: {service code: draft token}
RECEIPT = "eservice_receipt"   # session: the last submission's reference and token
UPLOAD_BYTES = 32 * 1024 * 1024   # a page with files: above every service's per-field limits


def catalogue():
    return render_template("eservices/catalogue.html", services=registry.all_services())


def landing(code):
    service = queries.service_or_404(code)
    set_page_subject("eservice", code)
    return render_template("eservices/landing.html", service=service,
                           text=service.text(current_language()),
                           resumable=current_draft(service) is not None)


# --- the form, page by page -----------------------------------------------------------
def current_draft(service):
    return queries.draft_by_token(session.get(DRAFTS, {}).get(service.code), service.code)


def remember(service, token):
    session[DRAFTS] = {**session.get(DRAFTS, {}), service.code: token}


def forget(service):
    session[DRAFTS] = {code: token for code, token in session.get(DRAFTS, {}).items()
                       if code != service.code}


def draft_or_new(service):
    """The person's draft of ``service``, started now if they have none.  An agent
    who starts a service for a caller sets the channel (``?kanal=telefon``)."""
    draft = current_draft(service)
    if draft is None:
        channel, acting = Channel.WEB, None
        if current_user.is_authenticated and current_user.has_role(AGENT):
            visit = request.args.get("kanal") == Channel.VISIT
            channel, acting = (Channel.VISIT if visit else Channel.PHONE), current_user
        draft, token = operations.start_draft(service, current_language(), channel, acting)
        remember(service, token)
    return draft


def page_form(page, draft):
    """The page's form with what was just sent (POST) or what was saved for it."""
    return page.form() if request.method == "POST" else saved_page_form(page, draft)


def saved_page_form(page, draft):
    saved = (draft.answers.get(page.name, {}) if draft else {}).get("raw", {})
    return page.form(formdata=MultiDict([(k, v) for k, values in saved.items() for v in values]) or None)


def page_too_large(error):
    """A form page whose files were too large together: the page again, with what was
    saved for it and a message, instead of a bare error page (the body is not read)."""
    if request.endpoint == "eservices.reply_to_case":
        return reply_too_large()
    if request.endpoint != "eservices.form_page":
        return render_error(413)
    service = queries.service_or_404(request.view_args["code"])
    page = service.page(request.view_args["page_name"]) or abort(404)
    draft = current_draft(service)
    form = saved_page_form(page, draft)
    form.form_errors.append(_("Filerna var för stora tillsammans. Skicka högst %(mb)d MB åt gången, "
                              "till exempel en fil i taget.", mb=UPLOAD_BYTES // (1024 * 1024)))
    return render_page(service, page, form, draft, status=413)


def reply_too_large():
    """A reply whose files were too large together: the tracking page with a message at
    the file field.  The text was not read; the browser's Back button still has it."""
    token = request.view_args["token"]
    case = queries.case_by_token(token)
    form = CitizenReplyForm(formdata=None)
    form.attachments.errors = [_("Filerna var för stora tillsammans. Skicka högst %(mb)d MB åt gången. "
                                 "Gå tillbaka i webbläsaren, så finns det du skrev kvar.",
                                 mb=UPLOAD_BYTES // (1024 * 1024))]
    page, _status, headers = render_tracking(case, token, reply_form=form)
    return page, 413, headers


@form_limit(UPLOAD_BYTES)
def form_page(code, page_name):
    service = queries.service_or_404(code)
    page = service.page(page_name) or abort(404)
    set_page_subject("eservice", code)
    draft = current_draft(service)
    form = page_form(page, draft)
    if request.method == "POST":
        valid = form.validate_on_submit()
        draft = draft_or_new(service)
        valid = take_files(service, draft, form) and valid
        valid = service.check_page(page, form, draft) and valid
        if valid:
            operations.save_page(draft, page, form)
        db.session.commit()
        if valid:
            return redirect(after_page(service, page, draft))
    return render_page(service, page, form, draft)


def take_files(service, draft, form):
    """Keep the files sent with the page; refused ones become messages at their field."""
    ok = True
    for rule in service.attachments:
        if rule.field not in form:
            continue
        problems = operations.add_files(draft, rule, request.files.getlist(rule.field))
        if rule.required and not draft.files_for(rule.field) and not problems:
            problems = [_("Bifoga minst en fil.")]
        form[rule.field].errors = [*form[rule.field].errors, *problems]
        ok = ok and not problems
    return ok


def after_page(service, page, draft):
    """The next page, or check your answers when every page is done or the person
    came from there to change one answer."""
    following = service.next_page(page.name)
    if request.args.get("granska") or following is None or not operations.missing_pages(service, draft):
        return url_for("eservices.check", code=service.code)
    return url_for("eservices.form_page", code=service.code, page_name=following.name)


def render_page(service, page, form, draft, status=200):
    number = service.pages.index(page) + 1
    return render_template(page.template, service=service, page=page, form=form,
                           draft=draft, number=number, text=service.text(current_language())), status


def remove_file(code, file_id):
    service = queries.service_or_404(code)
    draft = current_draft(service) or abort(404)
    stored = next((f for f in draft.files if f.id == file_id), None) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    operations.remove_file(draft, stored)
    db.session.commit()
    return redirect(request.form.get("page") and url_for(
        "eservices.form_page", code=code, page_name=request.form["page"]) or url_for("eservices.check", code=code))


# --- check, submit, receipt -------------------------------------------------------------
def check(code):
    service = queries.service_or_404(code)
    set_page_subject("eservice", code)
    draft = current_draft(service)
    if draft is None:
        return redirect(url_for("eservices.landing", code=code))
    missing = operations.missing_pages(service, draft)
    if missing:
        return redirect(url_for("eservices.form_page", code=code, page_name=missing[0].name))
    refusal = None
    if request.method == "POST" and ActionForm().validate_on_submit():
        try:
            case, token = operations.SUBMIT.execute(draft, current_user if current_user.is_authenticated
                                                    else None, service=service)
        except ActionRefused as refused:
            db.session.rollback()
            refusal = refused
        else:
            forget(service)
            session[RECEIPT] = {"reference": case.reference, "token": token, "code": code}
            return redirect(url_for("eservices.receipt", code=code))
    data = operations.answer_data(draft)
    return render_template("eservices/check.html", service=service, draft=draft,
                           error=refusal.message if refusal else None,
                           error_extra=service.refusal_extra(refusal, data) if refusal else "",
                           extra=service.check_extra(data), answers=answer_rows(service, data),
                           files=files_by_page(service, draft), text=service.text(current_language()))


def files_by_page(service, draft):
    """{page name: the draft's files sent with that page}."""
    return {page.name: [f for f in draft.files if hasattr(page.form, f.field)]
            for page in service.pages}


def receipt(code):
    service = queries.service_or_404(code)
    done = session.get(RECEIPT)
    if not done or done.get("code") != code:
        return redirect(url_for("eservices.landing", code=code))
    return render_template("eservices/receipt.html", service=service, reference=done["reference"],
                           tracking_url=url_for("eservices.track", token=done["token"]))


def save_for_later(code):
    """Show the private link that opens this draft again, on any device."""
    service = queries.service_or_404(code)
    token = session.get(DRAFTS, {}).get(code)
    if queries.draft_by_token(token, code) is None or not ActionForm().validate_on_submit():
        abort(400)
    return render_template("eservices/saved.html", service=service,
                           resume_url=public_url("eservices.resume", token=token))


def resume(token):
    draft = queries.draft_by_token(token) or abort(404)
    service = queries.service_or_404(draft.service_code)
    remember(service, token)
    flash(_("Välkommen tillbaka. Det du har fyllt i finns kvar."), "success")
    return redirect(url_for("eservices.check", code=service.code))


# --- following a case --------------------------------------------------------------------
# The tracking link is a secret: the page is kept out of caches and search engines.
TRACKING_HEADERS = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def track(token):
    """The citizen's view of their case: status, förvaltning, expected date, the messages
    both ways and decisions; a reply form while it is open, a reopen form while it may be
    reopened.  A wrong token is the 404 of any unknown address."""
    case = queries.case_by_token(token)
    return render_tracking(case, token)


@form_limit(UPLOAD_BYTES)
def reply_to_case(token):
    case = queries.case_by_token(token)
    form = CitizenReplyForm()
    if form.validate_on_submit():
        try:
            casework.CITIZEN_ACTIONS["citizen_reply"].execute(case, None, text=form.text.data,
                                                              files=form.attachments.data)
        except casework.FilesRefused as refused:
            form.attachments.errors = list(refused.problems)
        except ActionRefused as refused:
            form.form_errors.append(refused.message)
        else:
            flash(_("Ditt meddelande är skickat."), "success")
            return redirect(url_for("eservices.track", token=token))
    return render_tracking(case, token, reply_form=form)


def reopen_case(token):
    case = queries.case_by_token(token)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            casework.CITIZEN_ACTIONS["reopen"].execute(case, None, text=form.text.data)
        except ActionRefused as refused:
            form.form_errors.append(refused.message)
        else:
            flash(_("Ärendet är öppnat igen. Vi hör av oss."), "success")
            return redirect(url_for("eservices.track", token=token))
    return render_tracking(case, token, reopen_form=form)


def render_tracking(case, token, reply_form=None, reopen_form=None):
    """The tracking page, with the form that was sent (and its errors) if one was.  A
    refused reply to a solved case fills the reopen form, so the text is not lost; where
    no form can take it, the page shows it to copy."""
    posted = reply_form if reply_form is not None else reopen_form
    if reply_form is None:
        reply_form = CitizenReplyForm(formdata=None)
    if reopen_form is None:
        reopen_form = ReopenForm(formdata=None, text=reply_form.text.data)
    lang = current_language()
    # The language switcher leads to the tracking page, also from a form's address (POST only).
    g.alternates = {code: url_for("eservices.track", token=token, lang_code=code) for code in languages()}
    return render_template(
        "eservices/track.html", case=case, service=registry.get(case.service_code), token=token,
        lines=tracking.timeline(case, lang), form=posted, reply_form=reply_form, reopen_form=reopen_form,
        can_reopen=casework.CITIZEN_ACTIONS["reopen"].allowed(case, None), reopen_until=tracking.reopen_until(case),
        unsent=posted.text.data if posted is not None and posted.form_errors else ""), 200, TRACKING_HEADERS
