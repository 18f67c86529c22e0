"""The editors' workspace: dashboard, article form, history, diff, workflow, alerts."""
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from content import editing, workflow
from content.blueprint import bp
from content.diffing import revision_diff
from content.forms import ActionForm, AlertForm, article_form_class
from content.models import (
    IN_REVIEW, Alert, Article, ArticleEvent, ArticleRevision, ArticleTranslation, PageFeedback,
)
from content.queries import article_or_404
from portal.auth.access import role_required
from portal.auth.models import ADMIN, EDITOR
from portal.extensions import db
from portal.i18n import current_language, languages, localized_route
from portal.org.models import Department
from portal.search.models import SearchLogEntry

ACTIONS = {
    "submit": workflow.submit, "approve": workflow.approve, "reject": workflow.reject,
    "retract": workflow.retract, "archive": workflow.archive, "restore": workflow.restore,
}


def editable_departments():
    query = select(Department).order_by(Department.code)
    if ADMIN not in current_user.roles:
        query = query.where(Department.id.in_(current_user.department_ids(EDITOR)))
    return db.session.scalars(query).all()


def department_choices():
    return [SelectChoice(d.id, d.name_in(current_language())) for d in editable_departments()]


def my_articles():
    ids = [d.id for d in editable_departments()]
    return db.session.scalars(select(Article).where(Article.department_id.in_(ids))
                              .order_by(Article.updated_at.desc())).all()


@localized_route(bp, {"sv": "/redaktion", "en": "/editorial"})
@role_required(EDITOR)
def dashboard():
    articles = my_articles()
    ids = [a.id for a in articles]
    feedback = db.session.scalars(select(PageFeedback).where(PageFeedback.article_id.in_(ids))
                                  .order_by(PageFeedback.created_at.desc()).limit(20)).all()
    zero_hits = db.session.execute(
        select(SearchLogEntry.query, func.count().label("n"))
        .where(SearchLogEntry.hits == 0, SearchLogEntry.created_at > date.today() - timedelta(days=90))
        .group_by(SearchLogEntry.query).order_by(func.count().desc()).limit(20)).all()
    return render_template(
        "content/editor/dashboard.html",
        drafts=[a for a in articles if a.status == "draft" and a.has_unpublished_changes],
        waiting=[a for a in articles if a.review_state == IN_REVIEW and a.has_unpublished_changes
                 and a.can_approve(current_user)],
        review=sorted([a for a in articles if a.is_live() and a.review_due()], key=lambda a: a.review_before),
        articles=articles, feedback=feedback, zero_hits=zero_hits,
        articles_by_id={a.id: a for a in articles}, today=date.today())


def article_form(formdata=None, **values):
    form = article_form_class(languages())(formdata=formdata, **values)
    form.department_id.choices = department_choices()
    form.topics.choices = editing.topic_choices(current_language())
    return form


def save_article_form(form, article=None):
    """Validate and save; returns the article, or None when the form must be shown again."""
    valid = form.validate_on_submit()
    valid = editing.check_article_form(form, languages(), article) and valid
    if not valid or "preview" in request.form:
        return None
    previous = article.latest_revision.data if article else None
    data = editing.data_from_form(form, languages(), previous)
    try:
        if article is None:
            article = workflow.create_article(current_user, data, form.comment.data or "")
        else:
            workflow.save_draft(current_user, article, data, int(form.base_revision_id.data or 0),
                                form.comment.data or "")
    except workflow.StaleEdit as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return None
    except workflow.WorkflowError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return None
    flash(_("Utkastet är sparat (version %(n)d).", n=article.latest_revision.number), "success")
    for url in editing.broken_internal_links(data):
        flash(_("Länken %(url)s går till en sida som inte finns eller inte är publicerad.", url=url), "error")
    return article


def render_article_form(form, article=None):
    preview = None
    if "preview" in request.form and not form.errors:
        from content.rendering import render_revision
        preview = render_revision(editing.data_from_form(form, languages()))
    stale = (article is not None and form.base_revision_id.data
             and int(form.base_revision_id.data) != article.latest_revision_id)
    return render_template("content/editor/edit.html", form=form, article=article, preview=preview,
                           stale=stale, languages=languages())


@localized_route(bp, {"sv": "/redaktion/ny", "en": "/editorial/new"}, methods=("GET", "POST"))
@role_required(EDITOR)
def new_article():
    form = article_form(request.form if request.method == "POST" else None)
    if request.method == "POST":
        article = save_article_form(form)
        if article:
            return redirect(url_for("content.edit_article", article_id=article.id))
    return render_article_form(form)


@localized_route(bp, {"sv": "/redaktion/<int:article_id>", "en": "/editorial/<int:article_id>"},
                 methods=("GET", "POST"))
@role_required(EDITOR)
def edit_article(article_id):
    article = article_or_404(article_id, "can_edit")
    if request.method == "POST":
        form = article_form(request.form)
        if save_article_form(form, article):
            return redirect(url_for("content.edit_article", article_id=article.id))
    else:
        form = article_form(**editing.form_data_from_revision(article.latest_revision.data),
                            base_revision_id=article.latest_revision_id)
    return render_article_form(form, article)


@localized_route(bp, {"sv": "/redaktion/<int:article_id>/atgard", "en": "/editorial/<int:article_id>/action"},
                 methods=("POST",))
@role_required(EDITOR)
def article_action(article_id):
    article = article_or_404(article_id, "can_edit")
    form = ActionForm()
    operation = ACTIONS.get(form.action.data)
    if not form.validate_on_submit() or operation is None:
        abort(400)
    try:
        operation(current_user, article, form.comment.data or "")
        flash(_("Klart: %(action)s.", action=action_label(form.action.data)), "success")
    except workflow.WorkflowError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("content.edit_article", article_id=article.id))


def action_label(action):
    return {"submit": _("skickad på granskning"), "approve": _("godkänd"), "reject": _("returnerad"),
            "retract": _("återtagen"), "archive": _("arkiverad"), "restore": _("återställd")}[action]


@localized_route(bp, {"sv": "/redaktion/<int:article_id>/historik", "en": "/editorial/<int:article_id>/history"})
@role_required(EDITOR)
def history(article_id):
    article = article_or_404(article_id, "can_edit")
    revisions = db.session.scalars(select(ArticleRevision).where(ArticleRevision.article_id == article.id)
                                   .order_by(ArticleRevision.number.desc())).all()
    events = db.session.scalars(select(ArticleEvent).where(ArticleEvent.article_id == article.id)
                                .order_by(ArticleEvent.created_at.desc())).all()
    return render_template("content/editor/history.html", article=article, revisions=revisions,
                           events=events, action_form=ActionForm())


def revision_or_404(article, number):
    revision = db.session.scalar(select(ArticleRevision).where(
        ArticleRevision.article_id == article.id, ArticleRevision.number == number))
    return revision or abort(404)


@localized_route(bp, {"sv": "/redaktion/<int:article_id>/jamfor", "en": "/editorial/<int:article_id>/compare"})
@role_required(EDITOR)
def compare(article_id):
    article = article_or_404(article_id, "can_edit")
    latest = article.latest_revision.number
    old = revision_or_404(article, request.args.get("from", max(1, latest - 1), type=int))
    new = revision_or_404(article, request.args.get("to", latest, type=int))
    return render_template("content/editor/compare.html", article=article, old=old, new=new,
                           changes=revision_diff(old.data, new.data))


@localized_route(bp, {"sv": "/redaktion/<int:article_id>/aterstall/<int:number>",
                      "en": "/editorial/<int:article_id>/revert/<int:number>"}, methods=("POST",))
@role_required(EDITOR)
def revert(article_id, number):
    article = article_or_404(article_id, "can_edit")
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        workflow.revert(current_user, article, revision_or_404(article, number))
        flash(_("Artikeln är återställd till version %(n)d som ett nytt utkast.", n=number), "success")
    except workflow.WorkflowError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("content.history", article_id=article.id))


# --- alerts -------------------------------------------------------------------
@localized_route(bp, {"sv": "/redaktion/driftinformation", "en": "/editorial/service-alerts"})
@role_required(EDITOR)
def alert_list():
    alerts = db.session.scalars(select(Alert).order_by(Alert.ends_at.desc()).limit(100)).all()
    return render_template("content/editor/alerts.html", alerts=alerts)


def alert_form(formdata=None, alert=None):
    values = {}
    if alert is not None:
        slugs = db.session.scalars(select(ArticleTranslation.slug).where(
            ArticleTranslation.lang == "sv",
            ArticleTranslation.article_id.in_([a.id for a in alert.articles]))).all()
        values = dict(severity=alert.severity, department_id=alert.department_id,
                      title_sv=alert.titles.get("sv"), message_sv=alert.messages.get("sv"),
                      title_en=alert.titles.get("en"), message_en=alert.messages.get("en"),
                      starts_at=alert.starts_at, ends_at=alert.ends_at,
                      articles=", ".join(slugs), eservices=", ".join(alert.eservices))
    form = AlertForm(formdata=formdata, **values)
    form.department_id.choices = department_choices()
    return form


def save_alert(form, alert):
    slugs = editing.split_list(form.articles.data)
    articles = db.session.scalars(select(Article).join(ArticleTranslation).where(
        ArticleTranslation.lang == "sv", ArticleTranslation.slug.in_(slugs))).all() if slugs else []
    alert.severity = form.severity.data
    alert.department_id = form.department_id.data
    alert.titles = {k: v for k, v in (("sv", form.title_sv.data), ("en", form.title_en.data)) if v}
    alert.messages = {k: v for k, v in (("sv", form.message_sv.data), ("en", form.message_en.data)) if v}
    alert.starts_at, alert.ends_at = form.starts_at.data, form.ends_at.data
    alert.articles = articles
    alert.eservices = editing.split_list(form.eservices.data)
    alert.created_by_id = alert.created_by_id or current_user.id
    db.session.add(alert)
    db.session.commit()


@localized_route(bp, {"sv": "/redaktion/driftinformation/ny", "en": "/editorial/service-alerts/new"},
                 methods=("GET", "POST"))
@role_required(EDITOR)
def new_alert():
    form = alert_form(request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.starts_at.data = None
    if form.validate_on_submit():
        save_alert(form, Alert())
        flash(_("Driftinformationen är sparad."), "success")
        return redirect(url_for("content.alert_list"))
    return render_template("content/editor/alert_form.html", form=form, alert=None)


@localized_route(bp, {"sv": "/redaktion/driftinformation/<int:alert_id>",
                      "en": "/editorial/service-alerts/<int:alert_id>"}, methods=("GET", "POST"))
@role_required(EDITOR)
def edit_alert(alert_id):
    alert = db.session.get(Alert, alert_id) or abort(404)
    if not alert.can_edit(current_user):
        abort(403)
    form = alert_form(request.form if request.method == "POST" else None, alert)
    if form.validate_on_submit():
        save_alert(form, alert)
        flash(_("Driftinformationen är sparad."), "success")
        return redirect(url_for("content.alert_list"))
    return render_template("content/editor/alert_form.html", form=form, alert=alert)


