"""The translators' workspace: the page × language table, the side-by-side editor and
the review of a translation (routes in ``content/blueprint.py``)."""
from collections import Counter
from itertools import groupby

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from content import editing, queries
from content.diffing import source_diff, translation_diff
from content.forms import TranslationFilterForm, TranslationReviewForm, TranslatorForm, language_label
from content.models import Article, TranslationStatus
from content.operations import TRANSLATION_ACTIONS
from content.revisions import AgentText, Text
from content.views.editor import ARTICLE_FORM_BYTES, id_arg_or_none
from portal.actions import ActionRefused
from portal.auth.access import role_required
from portal.auth.models import EDITOR, TRANSLATOR
from portal.extensions import db
from portal.html import render_markdown
from portal.i18n import current_language, language
from portal.security import form_limit


@role_required(TRANSLATOR, EDITOR)
def workspace():
    """Every live page in each of the person's languages with the status of its
    translation, filtered by language, förvaltning, topic and status."""
    langs = queries.languages_translated_by(current_user)
    form = filter_form(langs)
    form.validate()
    topic = next((t for t in queries.topics() if t.slug == form.topic.data), None)
    shown_langs = [form.lang.data] if form.lang.data in langs else langs
    rows = queries.translation_rows(shown_langs, department_id=id_arg_or_none(form.department.data), topic=topic)
    pages = [(article, list(cells)) for article, cells in groupby(rows, key=lambda row: row.article)]
    return render_template("content/translation/workspace.html", form=form, langs=shown_langs,
                           counts=Counter(row.status for row in rows), statuses=list(TranslationStatus),
                           pages=[(article, cells) for article, cells in pages
                                  if not form.status.data or any(c.status == form.status.data for c in cells)])


def filter_form(langs):
    form = TranslationFilterForm(request.args)
    lang = current_language()
    everything = SelectChoice("", _("Alla"))
    form.lang.choices = [everything, *(SelectChoice(code, language_label(code)) for code in langs)]
    form.department.choices = [everything, *(SelectChoice(str(d.id), d.name_in(lang)) for d in queries.departments())]
    form.topic.choices = [everything, *(SelectChoice(t.slug, t.name_in(lang)) for t in queries.topics())]
    return form


def live_article_or_404(article_id, lang):
    """The live article to translate into ``lang``: 404 for an unknown article, one that
    is not published or a language articles are not translated into."""
    article = db.session.get(Article, article_id)
    if article is None or not article.is_live():
        abort(404)
    queries.translation_language_or_404(lang)
    return article


@role_required(TRANSLATOR)
@form_limit(ARTICLE_FORM_BYTES)
def translate(article_id, lang):
    """Source left, translation right, what changed in the source since the live
    translation was made on top; save, or save and send for review."""
    article = live_article_or_404(article_id, lang)
    if not article.can_translate(current_user, lang):
        abort(403)
    work = queries.translation_work(article, lang)
    live = article.live_revision
    if request.method == "POST":
        form = TranslatorForm(request.form)
        if save_translation(form, article, work):
            return redirect(url_for("content.translations") if work.in_review
                            else url_for("content.translate", article_id=article.id, lang=lang))
    else:
        form = TranslatorForm(version=work.version if work.id else "", source_revision_id=live.id,
                              **editing.translator_form_values(*work_or_live_text(work, live)))
    translation = article.translation(lang)
    origin = queries.revision_by_id(article, translation.source_revision_id) if translation else None
    return render_template("content/translation/translate.html", article=article, lang=lang, form=form,
                           work=work, source=live.content.source_text,
                           changes=source_diff(origin.content, live.content) if origin else [],
                           origin=origin, direction=direction(lang))


def direction(lang):
    """"rtl" or "ltr" for the translation's fields."""
    return language(lang).direction


def work_or_live_text(work, live):
    """(Text, AgentText) to start from: the work saved so far, else the live translation."""
    if work.id:
        return Text(**work.text), AgentText(**work.agent)
    return live.content.texts.get(work.lang), live.content.agent_text(work.lang) or AgentText()


def save_translation(form, article, work):
    """Validate and save (and send for review when that button was pressed); True when
    saved, False when the form must be shown again with what was written."""
    source = article.live_revision.content.source_text
    valid = form.validate_on_submit()
    valid = editing.check_translation_form(form, article, work.lang, source) and valid
    if not valid:
        return False
    text, agent = editing.translation_from_form(form)
    action = TRANSLATION_ACTIONS["submit_translation" if "submit" in request.form else "save_translation"]
    try:
        action.execute(work, current_user, text=text, agent=agent, seen_version=form.version.data,
                       source_revision=queries.revision_by_id(article, id_arg_or_none(form.source_revision_id.data)))
    except ActionRefused as refusal:
        db.session.rollback()
        form.form_errors.append(refusal.message)
        return False
    flash(_("Översättningen är skickad på granskning.") if work.in_review else _("Översättningen är sparad."),
          "success")
    return True


@role_required(TRANSLATOR, EDITOR)
def review_translation(article_id, lang):
    """The translation beside its source and what it changes in the live text;
    approve (publish) or return with a comment."""
    article = live_article_or_404(article_id, lang)
    if not article.can_review_translation(current_user, lang):
        abort(403)
    work = queries.translation_work(article, lang)
    form = TranslationReviewForm(version=work.version if work.id else "")
    if request.method == "POST":
        if form.decision.data not in ("approve", "return"):
            abort(400)
        if form.validate_on_submit() and decide(form, work):
            return redirect(url_for("content.translations"))
    live = article.live_revision.content
    text = Text(**work.text) if work.id else None
    return render_template("content/translation/review.html", article=article, lang=lang, form=form,
                           work=work, text=text, source=live.source_text,
                           body_html=render_markdown(text.body) if text else "", direction=direction(lang),
                           changes=translation_diff(lang, live.texts.get(lang), live.agent_text(lang),
                                                    text, AgentText(**work.agent)) if text else [],
                           can_approve=work.id is not None and work.can_approve(current_user))


def decide(form, work):
    action = TRANSLATION_ACTIONS[f"{form.decision.data}_translation"]
    try:
        action.execute(work, current_user, comment=form.comment.data or "", seen_version=form.version.data)
    except ActionRefused as refusal:
        db.session.rollback()
        form.form_errors.append(refusal.message)
        return False
    flash(_("Översättningen är publicerad.") if form.decision.data == "approve"
          else _("Översättningen är returnerad till översättaren."), "success")
    return True
