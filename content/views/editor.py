"""The editors' workspace: dashboard, article form, workflow, history and diff,
page feedback (routes in ``content/blueprint.py``)."""
from datetime import date
from functools import partial

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from content import editing, operations, queries
from content.diffing import revision_diff, word_diff
from content.forms import ActionForm, article_form_class
from content.models import ArticleRevision, PageFeedback
from content.operations import ACTIONS, StaleRevision, available_actions
from content.rendering import render_revision
from content.revisions import RevisionData
from portal.actions import ActionRefused
from portal.auth.access import role_required
from portal.auth.models import EDITOR
from portal.extensions import db
from portal.i18n import current_language, languages
from portal.links import link_to
from portal.org.models import Department
from portal.security import form_limit
from portal.urls import id_arg

ARTICLE_FORM_BYTES = 2 * 1024 * 1024   # every language's body and the agent layer, percent-encoded
FEEDBACK_PER_PAGE = 50


@role_required(EDITOR)
def dashboard():
    work = queries.worklist_for(current_user)
    feedback, _total = queries.feedback_visible_to(current_user, per_page=20)
    return render_template(
        "content/editor/dashboard.html", drafts=work.drafts, waiting=work.approvals,
        submitted=queries.submitted_by(current_user),
        review=work.reviews, articles=work.articles, feedback=feedback,
        zero_hits=queries.zero_hit_searches(), articles_by_id={a.id: a for a in work.articles},
        today=date.today())


def article_form(formdata=None, article=None, **values):
    form = article_form_class(languages())(formdata=formdata, **values)
    lang = current_language()
    form.department_id.choices = [SelectChoice(d.id, d.name_in(lang))
                                  for d in queries.departments_edited_by(current_user)]
    form.topics.choices = editing.topic_choices(lang)
    form.related.choices = editing.article_choices(lang, except_id=article.id if article else None)
    form.eservices.choices = editing.eservice_choices()
    return form


def save_article_form(form, article=None):
    """Validate and save; returns the article, or None when the form must be shown again."""
    valid = form.validate_on_submit()
    valid = editing.check_article_form(form, languages(), article) and valid
    if not valid or "preview" in request.form:
        return None
    previous = article.latest_revision.content if article else None
    content = editing.content_from_form(form, languages(), previous)
    comment = form.comment.data or ""
    try:
        if article is None:
            article = operations.create_article(current_user, content, comment)
        else:
            base = queries.revision_by_id(article, id_arg_or_none(form.base_revision_id.data))
            ACTIONS["save"].execute(article, current_user, content=content,
                                    base_revision=base, comment=comment)
    except ActionRefused as refusal:
        db.session.rollback()
        form.form_errors.append(refusal.message)
        return None
    flash(_("Utkastet är sparat (version %(n)d).", n=article.latest_revision.number), "success")
    for url in editing.broken_internal_links(content):
        flash(_("Länken %(url)s går till en sida som inte finns eller inte är publicerad.", url=url), "error")
    return article


def id_arg_or_none(value):
    try:
        return id_arg(value)
    except (TypeError, ValueError):
        return None


def page_preview(revision):
    """What the preview of ``revision`` (saved, or made from the form and not saved)
    shows besides its text: the förvaltning, related articles and e-services."""
    content = revision.content
    return {"revision": revision, "department": db.session.get(Department, content.department_id),
            "related": [a for a in queries.articles_by_id(content.related) if a.is_live()],
            "eservices": [link for link in map(partial(link_to, "eservice"), content.eservices) if link]}


def unsaved_revision(content):
    """A revision of ``content`` for the preview; it is never added to the session."""
    return ArticleRevision(data=content.to_json(), rendered=render_revision(content))


def render_article_form(form, article=None):
    preview = None
    if "preview" in request.form and not form.errors:
        preview = page_preview(unsaved_revision(editing.content_from_form(form, languages())))
    base_id = id_arg_or_none(form.base_revision_id.data)
    stale = article is not None and base_id is not None and base_id != article.latest_revision_id
    base = queries.revision_by_id(article, base_id) if stale else None
    return render_template("content/editor/edit.html", form=form, article=article, preview=preview,
                           stale=stale, base=base, languages=languages(),
                           actions=available_actions(article, current_user) if article else [],
                           can_review=bool(article and available_actions(article, current_user, review=True)),
                           action_form=ActionForm())


@role_required(EDITOR)
@form_limit(ARTICLE_FORM_BYTES)
def new_article():
    form = article_form(request.form if request.method == "POST" else None)
    if request.method == "POST":
        article = save_article_form(form)
        if article:
            return redirect(url_for("content.edit_article", article_id=article.id))
    return render_article_form(form)


@role_required(EDITOR)
@form_limit(ARTICLE_FORM_BYTES)
def edit_article(article_id):
    article = queries.article_or_404(article_id, "can_edit")
    if request.method == "POST":
        form = article_form(request.form, article)
        if save_article_form(form, article):
            return redirect(url_for("content.edit_article", article_id=article.id))
    else:
        form = article_form(None, article, **editing.form_values(article.latest_revision.content),
                            base_revision_id=article.latest_revision_id)
    return render_article_form(form, article)


@role_required(EDITOR)
def article_action(article_id):
    article = queries.article_or_404(article_id, "can_edit")
    form = ActionForm()
    action = ACTIONS.get(form.action.data)
    if not form.validate_on_submit() or action is None or not action.button:
        abort(400)
    if action.confirm and form.confirmed.data != "yes":
        return render_template("content/editor/confirm.html", article=article, action=action, form=form)
    revision = queries.revision_by_id(article, id_arg_or_none(form.revision_id.data))
    try:
        action.execute(article, current_user, revision=revision, comment=form.comment.data or "")
        flash(_("Klart: %(action)s.", action=action.done), "success")
    except ActionRefused as refusal:
        db.session.rollback()
        flash(refusal_message(article, refusal), "error")
    return redirect(url_for("content.edit_article", article_id=article.id))


def refusal_message(article, refusal):
    """The refusal, with a link to what changed when the page was out of date."""
    if not isinstance(refusal, StaleRevision) or not refusal.seen:
        return refusal.message
    url = url_for("content.compare", article_id=article.id, **{"from": refusal.seen, "to": refusal.latest})
    return Markup('{} <a href="{}">{}</a>').format(escape(refusal.message), url, _("Se vad som ändrats"))


@role_required(EDITOR)
def review(article_id):
    """The review screen: the page as citizens and agents will see it, and what
    changed since the live version, word by word, before the reviewer's buttons."""
    article = queries.article_or_404(article_id, "can_edit")
    latest, live = article.latest_revision, article.live_revision
    before = live.content if live else RevisionData(department_id=latest.content.department_id)
    return render_template("content/editor/review.html", article=article, live=live,
                           preview=page_preview(latest),
                           changes=revision_diff(before, latest.content, differ=word_diff),
                           actions=available_actions(article, current_user, review=True))


@role_required(EDITOR)
def history(article_id):
    article = queries.article_or_404(article_id, "can_edit")
    return render_template("content/editor/history.html", article=article,
                           revisions=queries.revisions(article),
                           events=queries.events(article), action_form=ActionForm())


@role_required(EDITOR)
def compare(article_id):
    article = queries.article_or_404(article_id, "can_edit")
    latest = article.latest_revision.number
    old = queries.revision_or_404(article, request.args.get("from", max(1, latest - 1), type=id_arg))
    new = queries.revision_or_404(article, request.args.get("to", latest, type=id_arg))
    return render_template("content/editor/compare.html", article=article, old=old, new=new,
                           changes=revision_diff(old.content, new.content))


@role_required(EDITOR)
def revert(article_id, number):
    article = queries.article_or_404(article_id, "can_edit")
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        ACTIONS["revert"].execute(article, current_user, revision=queries.revision_or_404(article, number))
        flash(_("Artikeln är återställd till version %(n)d som ett nytt utkast.", n=number), "success")
    except ActionRefused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
    return redirect(url_for("content.history", article_id=article.id))


# --- page feedback ----------------------------------------------------------------
@role_required(EDITOR)
def feedback_list():
    """Every answer on the articles the editor keeps (``article``: on that one, as the
    statistics link to it), newest first, page by page."""
    page = request.args.get("page", 1, type=id_arg) or 1
    show_spam = request.args.get("spam") == "1"
    article_id = request.args.get("article", type=id_arg)
    rows, total = queries.feedback_visible_to(current_user, page=page, per_page=FEEDBACK_PER_PAGE,
                                              include_spam=show_spam, article_id=article_id)
    articles = {a.id: a for a in queries.articles_by_id({f.article_id for f in rows})}
    return render_template("content/editor/feedback.html", rows=rows, total=total, page=page,
                           pages=max(1, -(-total // FEEDBACK_PER_PAGE)), show_spam=show_spam,
                           article_id=article_id, articles=articles, action_form=ActionForm())


@role_required(EDITOR)
def mark_feedback(feedback_id):
    feedback = db.session.get(PageFeedback, feedback_id) or abort(404)
    queries.article_or_404(feedback.article_id, "can_edit")
    form = ActionForm()
    if not form.validate_on_submit() or form.action.data not in ("spam", "not_spam"):
        abort(400)
    operations.MARK_FEEDBACK.execute(feedback, current_user, spam=form.action.data == "spam")
    flash(_("Omdömet är markerat som skräp.") if feedback.spam
          else _("Omdömet visas igen."), "success")
    return redirect(url_for("content.feedback_list", page=request.args.get("page", type=id_arg)))
