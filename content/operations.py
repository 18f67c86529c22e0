"""Changes to articles, alerts and page feedback: the only code that makes them.

Every change is an action (:class:`portal.actions.Action`) with ``check`` and
``execute``, used alike by the views, the CLI, the demo loader and the
templates (which offer only the actions whose ``allowed`` is true).  Each
article action writes a revision (content changes) or an event (workflow
steps) for the history, sends ``article_workflow`` and, when what the public
sees changes, ``document_changed`` so that search follows; alert changes send
``alert_changed``, feedback ``page_feedback_changed`` (``portal.signals``).

Actions that act on a revision (save, submit, approve, reject, take back from
review) carry the revision the person saw and are refused with
:class:`StaleRevision` when it is no longer the latest: nobody approves a
text they have not read.

Translators work on a ``TranslationWork`` row per article and language
(``TRANSLATION_ACTIONS``, sending ``translation_workflow``); its approval
publishes that language alone, on top of the live revision.
"""
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from functools import cache
from time import monotonic

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, select

from content import queries, rendering
from content.reminders import notify_reviewers
from content.models import (
    Article, ArticleEvent, ArticleRevision, ArticleSlug, ArticleTranslation, ArticleViews, PageFeedback,
    ReviewState, TranslationState,
)
from content.revisions import AgentText, RevisionData, Text
from portal import search
from portal.actions import Action, ActionRefused, require
from portal.auth.models import EDITOR, MANAGER
from portal.clock import utcnow
from portal.database import upsert
from portal.extensions import db
from portal.stats.bounds import local_today
from portal.signals import (
    alert_changed, article_workflow, document_changed, page_feedback_changed, translation_workflow,
)

REVIEW_INTERVAL = timedelta(days=365)


class StaleRevision(ActionRefused):
    """The revision acted on is not the latest any more; ``seen`` and ``latest``
    are their numbers, for a link to what changed."""

    def __init__(self, seen, latest):
        super().__init__(_l("Artikeln har ändrats sedan du öppnade sidan: version %(n)d är nu "
                            "den senaste. Läs ändringarna och försök igen.", n=latest))
        self.seen, self.latest = seen, latest


# --- the rows behind an article ---------------------------------------------------
def _event(article, user, action, comment=""):
    number = article.latest_revision.number if article.latest_revision else None
    db.session.add(ArticleEvent(article_id=article.id, action=action, comment=comment,
                                revision_number=number, user_id=user.id if user else None))


def _new_revision(article, user, content, comment):
    number = (article.latest_revision.number + 1) if article.latest_revision else 1
    revision = ArticleRevision(article_id=article.id, number=number, data=content.to_json(),
                               rendered=rendering.render_revision(content), comment=comment,
                               created_by_id=user.id if user else None)
    db.session.add(revision)
    db.session.flush()
    article.latest_revision = revision
    article.department_id = content.department_id
    article.updated_at = utcnow()
    reserve_slugs(article)
    return revision


def reserve_slugs(article):
    """Hold the addresses of the live text and of the latest revision, and no others."""
    wanted = {(t.lang, t.slug) for t in article.translations}
    if article.latest_revision:
        wanted |= {(lang, text.slug) for lang, text in article.latest_revision.content.texts.items()}
    held = {(row.lang, row.slug): row for row in db.session.scalars(
        select(ArticleSlug).where(ArticleSlug.article_id == article.id))}
    for key, row in held.items():
        if key not in wanted:
            db.session.delete(row)
    for lang, slug in wanted - held.keys():
        db.session.add(ArticleSlug(article_id=article.id, lang=lang, slug=slug))
    db.session.flush()


def publish_revision(article, revision, now):
    """Make ``revision`` the live version: copy it into the live tables.

    The version's end and review dates take effect now, with it (never at its
    approval, when the live version may still be another).
    """
    content = revision.content
    article.live_revision = revision
    article.review_state = ReviewState.DRAFT
    article.first_published_at = article.first_published_at or now
    article.last_published_at = now
    article.publish_at = content.publish_at
    article.unpublish_at = content.unpublish_at if content.unpublish_at and content.unpublish_at > now else None
    article.review_before = content.review_before or (now + REVIEW_INTERVAL).date()
    db.session.execute(delete(ArticleTranslation).where(ArticleTranslation.article_id == article.id))
    db.session.flush()
    article.translations = [
        ArticleTranslation(lang=lang, slug=text.slug, title=text.title, summary=text.summary,
                           source_revision_id=content.origin(lang, revision.id))
        for lang, text in content.texts.items()]
    article.topics = queries.topics_by_slug(content.topics)
    article.related = queries.articles_by_id(content.related)
    reserve_slugs(article)


def unpublish(article):
    article.live_revision = None
    db.session.execute(delete(ArticleTranslation).where(ArticleTranslation.article_id == article.id))
    article.translations = []
    reserve_slugs(article)


def _require_current(article, revision):
    """Refuse unless ``revision`` (what the person saw) is the latest revision."""
    latest = article.latest_revision
    if revision is None or latest is None or revision.id != latest.id:
        raise StaleRevision(revision.number if revision else 0, latest.number if latest else 0)


def _require_free_slugs(article, content):
    for lang, text in content.texts.items():
        require(queries.slug_holder(lang, text.slug, article.id) is None,
                _l("Adressen ”%(slug)s” används redan av en annan artikel. Ändra adressen och "
                   "spara igen.", slug=text.slug))


# --- article actions --------------------------------------------------------------
PUBLIC_EVENTS = frozenset({"approved", "self_approved", "unpublished", "archived",
                           "published_on_schedule", "unpublished_on_schedule"})


class ArticleAction(Action):
    """A step of the editorial workflow on one article.

    ``change`` makes the change and returns the name of the history event
    (``event`` unless the outcome decides).  Events in ``PUBLIC_EVENTS``
    change what the public and search see.  ``button`` lists the action among
    the workflow buttons, with ``done`` as the message after: on the review
    screen when ``review`` (the reviewer's decision, after the text and the
    diff), else on the edit page.  ``confirm`` is the question a person answers
    on a page of its own before an action that takes the article away.
    """

    event = ""
    button = False
    review = False
    confirm = None
    done = ""

    def execute(self, article, user, **context):
        context.setdefault("now", utcnow())
        return super().execute(article, user, **context)

    def apply(self, article, user, revision=None, comment="", **context):
        event = self.change(article, user, revision=revision, comment=comment, **context) or self.event
        _event(article, user, event, comment)
        article_workflow.send(self.name, article=article, user=user, revision=revision)
        if event in PUBLIC_EVENTS:
            document_changed.send("article", doc_id=article.id)
        return article

    def change(self, article, user, **context):
        raise NotImplementedError

    def conflict_message(self, error):
        if "article_slug" in str(error) or "article_translation" in str(error):
            return str(_l("En annan artikel har just tagit en av adresserna. Ändra adressen och spara igen."))
        return super().conflict_message(error)


class SaveDraft(ArticleAction):
    """Save the form as a new revision; the live version (if any) stays up."""

    name, event = "save", "saved"

    def check(self, article, user, content=None, base_revision=None, **context):
        require(article.can_edit(user), _l("Du har inte behörighet att ändra artikeln."))
        require(article.archived_at is None,
                _l("Arkiverade artiklar kan inte ändras. Återställ den först."))
        _require_current(article, base_revision)
        require(user.acts_for_department(EDITOR, content.department_id),
                _l("Du kan bara flytta artikeln till en förvaltning du är redaktör för."))
        _require_free_slugs(article, content)

    def change(self, article, user, content=None, comment="", **context):
        latest = article.latest_revision
        _new_revision(article, user, content.keep_origins(latest.content, latest.id) if latest else content,
                      comment)
        article.review_state = ReviewState.DRAFT


class Revert(SaveDraft):
    """A new revision with the content of an older one; history is never rewritten."""

    name, event = "revert", "reverted"

    def check(self, article, user, revision=None, **context):
        require(revision is not None and revision.article_id == article.id
                and revision.id != article.latest_revision_id,
                _l("Välj en äldre version att återställa."))
        super().check(article, user, content=revision.content,
                      base_revision=article.latest_revision)

    def change(self, article, user, revision=None, **context):
        comment = str(_l("Återställd till version %(n)d", n=revision.number))
        super().change(article, user, content=revision.content, comment=comment)


class Submit(ArticleAction):
    """Send the latest revision for review; its reviewers get a mail (``notify``)
    unless this revision has been sent before."""

    name, event, button = "submit", "submitted", True
    label, done = _l("Skicka på granskning"), _l("skickad på granskning")

    def check(self, article, user, revision=None, **context):
        require(article.can_edit(user), _l("Du har inte behörighet att skicka artikeln på granskning."))
        require(article.archived_at is None and article.has_draft_changes,
                _l("Det finns inga ändringar att skicka på granskning."))
        _require_current(article, revision)

    def change(self, article, user, notify=True, **context):
        article.review_state = ReviewState.IN_REVIEW
        if notify and not _submitted_before(article):
            notify_reviewers(article, user)


def _submitted_before(article):
    """True when this revision has been sent for review before (and taken back):
    its reviewers have had their mail about it."""
    return db.session.scalar(select(ArticleEvent.id).where(
        ArticleEvent.article_id == article.id, ArticleEvent.action == "submitted",
        ArticleEvent.revision_number == article.latest_revision.number).limit(1)) is not None


class Approve(ArticleAction):
    """Publish the revision under review now, or schedule it for its ``publish_at``.

    An admin who approves their own text (an emergency power) leaves a
    ``self_approved`` or ``self_scheduled`` event in the history.
    """

    name, button, review = "approve", True, True
    label, done = _l("Godkänn och publicera"), _l("godkänd")

    def check(self, article, user, revision=None, **context):
        require(article.awaits_review, _l("Artikeln väntar inte på granskning."))
        require(article.can_approve(user),
                _l("En annan redaktör i förvaltningen (eller en administratör) måste godkänna."))
        _require_current(article, revision)
        _require_free_slugs(article, revision.content)

    def change(self, article, user, now=None, **context):
        own = "self_" if user.id == article.latest_author_id else ""
        publish_at = article.latest_revision.content.publish_at
        if publish_at and publish_at > now:
            article.publish_at = publish_at
            article.review_state = ReviewState.SCHEDULED
            return f"{own}scheduled"
        publish_revision(article, article.latest_revision, now)
        return f"{own}approved"


class Reject(ArticleAction):
    """The reviewer returns the revision to its authors with what needs changing."""

    name, event, button, review = "reject", "rejected", True, True
    label, done = _l("Returnera med kommentar"), _l("returnerad")

    def check(self, article, user, revision=None, **context):
        require(article.has_unpublished_changes
                and article.review_state in (ReviewState.IN_REVIEW, ReviewState.SCHEDULED),
                _l("Artikeln väntar inte på granskning."))
        require(article.can_approve(user), _l("Du har inte behörighet att granska artikeln."))
        _require_current(article, revision)

    def validate(self, article, user, comment="", **context):
        require(comment.strip(), _l("Skriv vad som behöver ändras."))

    def change(self, article, user, **context):
        article.review_state = ReviewState.DRAFT


class Retract(ArticleAction):
    """Take back from review (or from a scheduled publication); else take a live
    article offline."""

    name, button = "retract", True
    label, done = _l("Ta tillbaka"), _l("återtagen")
    confirm = _l("Vill du ta tillbaka artikeln? Väntar den på granskning blir den ett utkast igen; "
                 "är den publicerad försvinner den från webbplatsen.")

    def check(self, article, user, revision=None, **context):
        require(article.can_edit(user), _l("Du har inte behörighet att ändra artikeln."))
        require(article.archived_at is None and (self._in_review(article) or article.live_revision_id),
                _l("Artikeln är inte publicerad."))
        if self._in_review(article):
            _require_current(article, revision)

    @staticmethod
    def _in_review(article):
        return article.has_unpublished_changes and article.review_state != ReviewState.DRAFT

    def change(self, article, user, **context):
        if self._in_review(article):
            article.review_state = ReviewState.DRAFT
            return "retracted"
        unpublish(article)
        return "unpublished"


class Archive(ArticleAction):
    name, event, button = "archive", "archived", True
    label, done = _l("Arkivera"), _l("arkiverad")
    confirm = _l("Vill du arkivera artikeln? Den försvinner från webbplatsen och kunskapsbanken "
                 "tills någon återställer den.")

    def check(self, article, user, **context):
        require(article.can_edit(user), _l("Du har inte behörighet att arkivera artikeln."))
        require(article.archived_at is None, _l("Artikeln är redan arkiverad."))

    def change(self, article, user, now=None, **context):
        unpublish(article)
        article.archived_at = now


class Restore(ArticleAction):
    """Bring an archived article back as a draft (it is not published again by itself)."""

    name, event, button = "restore", "restored", True
    label, done = _l("Återställ från arkivet"), _l("återställd")

    def check(self, article, user, **context):
        require(article.can_edit(user), _l("Du har inte behörighet att återställa artikeln."))
        require(article.archived_at is not None, _l("Artikeln är inte arkiverad."))

    def change(self, article, user, **context):
        article.archived_at = None
        article.review_state = ReviewState.DRAFT


class PublishScheduled(ArticleAction):
    """The scheduler publishes an approved revision when its time has come."""

    name, event = "publish_scheduled", "published_on_schedule"

    def check(self, article, user, now=None, **context):
        require(article.review_state == ReviewState.SCHEDULED and article.has_unpublished_changes
                and article.publish_at is not None and article.publish_at <= (now or utcnow()),
                _l("Artikeln ska inte publiceras nu."))

    def change(self, article, user, now=None, **context):
        publish_revision(article, article.latest_revision, now)


class UnpublishScheduled(ArticleAction):
    """The scheduler takes an article down when its unpublish time has come."""

    name, event = "unpublish_scheduled", "unpublished_on_schedule"

    def check(self, article, user, now=None, **context):
        require(article.live_revision_id is not None and article.is_expired(now),
                _l("Artikeln ska inte avpubliceras nu."))

    def change(self, article, user, **context):
        unpublish(article)


ACTIONS = {action.name: action for action in (
    SaveDraft(), Revert(), Submit(), Approve(), Reject(), Retract(), Archive(), Restore(),
    PublishScheduled(), UnpublishScheduled())}
BUTTONS = [action for action in ACTIONS.values() if action.button]


def available_actions(article, user, review=False):
    """The workflow buttons ``user`` may use on the article as it is now: the
    reviewer's (``review``) or the edit page's."""
    return [action for action in BUTTONS if action.review == review
            and action.allowed(article, user, revision=article.latest_revision)]


def create_article(user, content, comment=""):
    """A new article whose first revision is a draft."""
    article = Article(department_id=content.department_id, review_state=ReviewState.DRAFT)
    require(article.can_edit(user), _l("Du kan bara skapa artiklar för din egen förvaltning."))
    _require_free_slugs(article, content)
    db.session.add(article)
    db.session.flush()
    _new_revision(article, user, content, comment)
    _event(article, user, "created", comment)
    article_workflow.send("create", article=article, user=user, revision=article.latest_revision)
    db.session.commit()
    return article


def apply_schedules(now=None):
    """Publish what is due and take down what has expired; returns (published, unpublished).

    ``portal serve`` runs this every few seconds; cron can run ``portal publish-scheduled``.
    """
    now = now or utcnow()
    due = db.session.scalars(select(Article).where(
        Article.review_state == ReviewState.SCHEDULED, Article.publish_at <= now)).all()
    expired = db.session.scalars(select(Article).where(
        Article.live_revision_id.is_not(None), Article.unpublish_at <= now)).all()
    published = sum(_run_scheduled(ACTIONS["publish_scheduled"], article, now) for article in due)
    unpublished = sum(_run_scheduled(ACTIONS["unpublish_scheduled"], article, now)
                      for article in expired)
    return published, unpublished


def publish_due():
    """Apply due schedules and bring search up to date at once, so that an article
    is findable from the moment it is visible.  Returns (published, unpublished)."""
    counts = apply_schedules()
    search.drain()
    return counts


def _run_scheduled(action, article, now):
    try:
        action.execute(article, None, now=now)
    except ActionRefused:   # changed meanwhile (edited, taken back): nothing is due any more
        return 0
    return 1


def rerender_all():
    """Render every revision's HTML again (after the sanitiser's rules changed).

    Only the derived HTML is written; the revisions' content stays as it was.
    """
    count = 0
    for revision in db.session.scalars(select(ArticleRevision)):
        revision.rendered = rendering.render_revision(revision.content)
        count += 1
    for article_id in db.session.scalars(select(Article.id).where(Article.live_revision_id.is_not(None))):
        document_changed.send("article", doc_id=article_id)
    db.session.commit()
    return count


# --- translations -----------------------------------------------------------------
class TranslationAction(Action):
    """A step of the work on one article's text in one language: ``work`` is its
    ``TranslationWork`` row (not yet stored before the first save).  ``seen_version``
    is the row's version the person had on their page: acting on a newer one is
    refused, so no save overwrites another unseen and nobody approves unread text.
    """

    def check(self, work, user, seen_version=None, **context):
        require(str(seen_version or "") == (str(work.version) if work.id else ""),
                _l("Någon annan har ändrat översättningen sedan du öppnade sidan. Ladda om sidan och "
                   "läs ändringarna innan du fortsätter."))

    def apply(self, work, user, **context):
        self.change(work, user, **context)
        translation_workflow.send(self.name, work=work, user=user, lang=work.lang)
        return work

    def change(self, work, user, **context):
        raise NotImplementedError


class SaveTranslation(TranslationAction):
    """Keep what the translator wrote (``text``, ``agent``) and the source revision
    they translated (``source_revision``); nothing is published."""

    name = "save_translation"

    def check(self, work, user, **context):
        require(work.article.can_translate(user, work.lang),
                _l("Du kan bara översätta publicerade artiklar till språk du är tilldelad."))
        require(not work.in_review, _l("Översättningen väntar på granskning och kan inte ändras nu."))
        super().check(work, user, **context)

    def validate(self, work, user, text=None, source_revision=None, **context):
        require(source_revision is not None and source_revision.article_id == work.article_id,
                _l("Källtexten finns inte längre. Ladda om sidan."))
        _require_free_slugs(work.article, RevisionData(department_id=0, texts={work.lang: text}))

    def change(self, work, user, text=None, agent=None, source_revision=None, **context):
        work.text, work.agent = asdict(text), asdict(agent or AgentText())
        work.source_revision_id = source_revision.id
        work.author_id, work.updated_at = user.id, utcnow()
        db.session.add(work)
        db.session.flush()


class SubmitTranslation(SaveTranslation):
    """Save, and send for review to the förvaltning's editors and the language's
    other translators."""

    name = "submit_translation"

    def change(self, work, user, **context):
        super().change(work, user, **context)
        work.state, work.reviewer_comment = TranslationState.IN_REVIEW, ""


class ReviewTranslation(TranslationAction):
    """A reviewer's decision on a translation waiting for review."""

    def check(self, work, user, **context):
        require(work.in_review, _l("Översättningen väntar inte på granskning."))
        require(work.article.can_review_translation(user, work.lang),
                _l("Bara en redaktör i artikelns förvaltning eller en översättare till språket får granska."))
        require(user.id != work.author_id, _l("Någon annan än den som översatte måste granska."))
        super().check(work, user, **context)


class ApproveTranslation(ReviewTranslation):
    """Publish the language: a new revision on top of the live one with this text
    (so an unapproved change of the Swedish is not published with it), carried
    into the working copy too when there is one."""

    name = "approve_translation"

    def check(self, work, user, **context):
        super().check(work, user, **context)
        require(work.article.is_live(), _l("Artikeln är inte publicerad."))
        _require_free_slugs(work.article, RevisionData(department_id=0, texts={work.lang: Text(**work.text)}))

    def change(self, work, user, now=None, **context):
        article = work.article
        working_copy = article.latest_revision if article.has_unpublished_changes else None
        waiting = (article.review_state, article.publish_at)
        comment = str(_l("Översättning (%(lang)s) godkänd", lang=work.lang))
        live = _new_revision(article, user, with_translation(article.live_revision, work), comment)
        publish_revision(article, live, now or utcnow())
        if working_copy is not None:
            _new_revision(article, user, with_translation(working_copy, work), comment)
            article.review_state, article.publish_at = waiting
        _event(article, user, "translation_approved", work.lang)
        db.session.delete(work)
        article_workflow.send(self.name, article=article, user=user, revision=live)
        document_changed.send("article", doc_id=article.id)


def with_translation(revision, work):
    """The content of ``revision`` with the work row's text and agent layer in its language."""
    copy = RevisionData.from_json(revision.data).stamp_origins(revision.id)
    copy.texts[work.lang] = Text(**work.text)
    copy.translated_from[work.lang] = work.source_revision_id
    agent = AgentText(**work.agent)
    if agent == AgentText():
        copy.agent_translations.pop(work.lang, None)
    else:
        copy.agent_translations[work.lang] = agent
    return copy


class ReturnTranslation(ReviewTranslation):
    """Send the translation back to its translators with what needs changing."""

    name = "return_translation"

    def validate(self, work, user, comment="", **context):
        require(comment.strip(), _l("Skriv vad som behöver ändras."))

    def change(self, work, user, comment="", **context):
        work.state, work.reviewer_comment = TranslationState.IN_PROGRESS, comment.strip()


TRANSLATION_ACTIONS = {action.name: action for action in (
    SaveTranslation(), SubmitTranslation(), ApproveTranslation(), ReturnTranslation())}


# --- alerts -----------------------------------------------------------------------
class SaveAlert(Action):
    """Create or change an alert from ``values`` (a dict of the form's answers).

    See :class:`content.models.Alert` for who may publish which alerts.
    """

    name = "save_alert"

    def check(self, alert, user, values=None, **context):
        require(alert.id is None or alert.can_edit(user),
                _l("Du har inte behörighet att ändra den här driftinformationen."))
        require(values["department_id"] in {d.id for d in queries.alert_departments_for(user)},
                _l("Du kan bara publicera driftinformation för en förvaltning du är redaktör för."))
        if not user.has_role(MANAGER):
            require(all(user.acts_for_department(EDITOR, a.department_id) for a in values["articles"]),
                    _l("Du kan bara visa driftinformation på artiklar i förvaltningar du är redaktör för."))

    def apply(self, alert, user, values=None, **context):
        for name in ("severity", "department_id", "titles", "messages", "starts_at", "ends_at",
                     "articles", "eservices"):
            setattr(alert, name, values[name])
        alert.created_by_id = alert.created_by_id or user.id
        alert.updated_by_id, alert.updated_at = user.id, utcnow()
        needs_second_person = alert.is_crisis and not user.has_role(MANAGER)
        alert.approved_at = None if needs_second_person else utcnow()
        alert.approved_by_id = None if needs_second_person else user.id
        db.session.add(alert)
        db.session.flush()
        alert_changed.send(alert.id, alert=alert)
        return alert


class ApproveAlert(Action):
    """A second person approves a proposed crisis alert, which then shows on every page."""

    name = "approve_alert"

    def check(self, alert, user, **context):
        require(alert.is_pending, _l("Driftinformationen är redan godkänd."))
        require(alert.can_approve(user),
                _l("En annan person (kontaktcenterchefen, en administratör eller en annan redaktör "
                   "i förvaltningen) måste godkänna ett krismeddelande."))

    def apply(self, alert, user, **context):
        alert.approved_at, alert.approved_by_id = utcnow(), user.id
        alert_changed.send(alert.id, alert=alert)
        return alert


class EndAlert(Action):
    """End an alert now (it stays in the list, no longer shown on pages)."""

    name = "end_alert"

    def check(self, alert, user, **context):
        require(alert.can_end(user), _l("Du har inte behörighet att avsluta den här driftinformationen."))
        require(not alert.has_ended(), _l("Driftinformationen har redan slutat gälla."))

    def apply(self, alert, user, **context):
        now = utcnow()
        alert.starts_at = min(alert.starts_at, now)
        alert.ends_at = now
        alert.updated_by_id, alert.updated_at = user.id, now
        alert_changed.send(alert.id, alert=alert)
        return alert


ALERT_ACTIONS = {action.name: action for action in (SaveAlert(), ApproveAlert(), EndAlert())}


# --- page feedback ----------------------------------------------------------------
def record_feedback(article, lang, helpful, comment):
    """Keep a reader's answer (personal data already scrubbed from ``comment``)."""
    feedback = PageFeedback(article_id=article.id, lang=lang, helpful=helpful, comment=comment)
    db.session.add(feedback)
    db.session.flush()
    page_feedback_changed.send(article.id, feedback=feedback)
    db.session.commit()
    return feedback


def comment_on_feedback(feedback, comment):
    """Add the reader's comment (personal data already scrubbed) to the answer they gave."""
    feedback.comment = comment
    page_feedback_changed.send(feedback.article_id, feedback=feedback)
    db.session.commit()
    return feedback


class MarkFeedback(Action):
    """Mark an answer as spam (left out of lists and statistics), or not spam."""

    name = "mark_feedback"

    def check(self, feedback, user, spam=True, **context):
        article = db.session.get(Article, feedback.article_id)
        require(article is not None and article.can_edit(user),
                _l("Du har inte behörighet att ändra omdömen om den här artikeln."))

    def apply(self, feedback, user, spam=True, **context):
        feedback.spam = spam
        page_feedback_changed.send(feedback.article_id, feedback=feedback)
        return feedback


MARK_FEEDBACK = MarkFeedback()


def purge_feedback(now):
    """Delete page feedback older than ``PORTAL_FEEDBACK_DAYS``."""
    cutoff = now - timedelta(days=current_app.config["PORTAL_FEEDBACK_DAYS"])
    return db.session.execute(delete(PageFeedback).where(PageFeedback.created_at < cutoff)).rowcount


# --- article views ------------------------------------------------------------------
VIEW_COUNT_SECONDS = 5


@dataclass
class PendingViews:
    """Reads counted and not yet written (one per app)."""
    counts: Counter = field(default_factory=Counter)
    since: float = field(default_factory=monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)


def count_view_later(article_id, lang):
    """Add one to today's count of the article read in ``lang`` (no row per reader:
    nothing is kept of who read it), whether the view made the page or the page cache
    served it: in memory, written with the others once ``VIEW_COUNT_SECONDS`` have
    passed (by the next read or the periodic task).  A write for every read cost more
    than serving a kept page, and a tenth of making one.  No signal: it changes nothing
    anyone reacts to."""
    pending = current_app.extensions["content.pending_views"]
    with pending.lock:
        pending.counts[(article_id, lang, local_today())] += 1
        due = monotonic() - pending.since >= VIEW_COUNT_SECONDS
    if due:
        write_pending_view_counts()


def write_pending_view_counts():
    pending = current_app.extensions["content.pending_views"]
    with pending.lock:
        counts, pending.counts, pending.since = pending.counts, Counter(), monotonic()
    if counts:
        write_view_counts(counts)


def write_view_counts(counts):
    """Add ``{(article id, lang, day): views}`` to the stored counts."""
    rows = [{"article_id": article_id, "lang": lang, "day": day, "views": views}
            for (article_id, lang, day), views in counts.items()]
    db.session.execute(view_count_statement(db.session.get_bind().dialect.name), rows)
    db.session.commit()


@cache
def view_count_statement(dialect):
    """The upsert of ``write_view_counts`` for the database ``dialect``, built once per
    process: an uncached article page writes one, and building it cost more than running it."""
    table = ArticleViews.__table__
    statement = upsert(dialect, table).values(article_id=bindparam("article_id"), lang=bindparam("lang"),
                                              day=bindparam("day"), views=bindparam("views"))
    return statement.on_conflict_do_update(index_elements=[table.c.article_id, table.c.lang, table.c.day],
                                           set_={"views": table.c.views + statement.excluded.views})


def purge_views(now):
    """Delete article view counts older than ``PORTAL_FEEDBACK_DAYS``, as page feedback."""
    cutoff = now - timedelta(days=current_app.config["PORTAL_FEEDBACK_DAYS"])
    return db.session.execute(delete(ArticleViews).where(ArticleViews.day < cutoff.date())).rowcount
