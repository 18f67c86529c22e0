"""Articles as search documents: one per live language that the site serves, for
everyone to find; and what the agents' search shows of each hit besides
(``agent_hit_details``).  A translation into a language the site does not serve
(yet) has no page to link to; the index gets it when the language is added
(``portal.search.rebuild_if_outdated``)."""
import threading

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from content.models import Article, ArticleRevision
from content.rendering import agent_plain_text
from content.revisions import RevisionData
from portal.extensions import db
from portal.html import plain_text
from portal.i18n import languages
from portal.search import EVERYONE, SearchDocument


class ArticleProvider:
    label = _l("Artikel")

    def documents(self, doc_id):
        article = db.session.get(Article, int(doc_id))
        if article is None or not article.is_live():
            return []
        return list(self.for_article(article))

    def all_documents(self):
        """Every live article's documents, for a rebuild: the live revisions are read with
        the articles (one statement for all, not one per article)."""
        for article in db.session.scalars(select(Article).where(
                Article.live_revision_id.is_not(None), Article.archived_at.is_(None))
                .options(selectinload(Article.live_revision))):
            if article.is_live():
                yield from self.for_article(article)

    def for_article(self, article):
        content = article.live_revision.content
        agent_text = agent_plain_text(content)
        for translation in article.translations:
            if translation.lang not in languages():
                continue
            text = content.texts[translation.lang]
            yield SearchDocument(
                doc_type="article", doc_id=article.id, lang=translation.lang, audience=EVERYONE,
                title=translation.title, summary=translation.summary,
                body=plain_text(text.body), keywords=text.keywords,
                topics=[t.slug for t in article.topics], department=article.department.code,
                url=url_for("content.article", slug=translation.slug, lang_code=translation.lang),
                agent_text=agent_text, expires_at=article.unpublish_at,
                agent_url=url_for("content.agent_article", article_id=article.id,
                                  lang_code=translation.lang))


def agent_hit_details(doc_ids):
    """Labels for the agents' hits, by id: the ROSA level, and whether the article
    has a call script or a checklist to go through with the caller."""
    ids = [int(doc_id) for doc_id in doc_ids if str(doc_id).isdigit()]
    live = db.session.execute(select(Article.id, Article.live_revision_id).where(
        Article.id.in_(ids), Article.live_revision_id.is_not(None))).all()
    facts = current_app.extensions["content.revision_facts"]([revision_id for _id, revision_id in live])
    return {str(article_id): labels(*facts[revision_id])
            for article_id, revision_id in live if revision_id in facts}


class RevisionFacts:
    """What the labels say of a revision (ROSA level, call script, checklist), kept by
    revision id in each app (``content.init_app``).  Revisions never change, and
    reading one means parsing its whole text, which the agents' search did for every
    hit of every keystroke."""

    size = 4096

    def __init__(self):
        self.kept = {}
        self.lock = threading.Lock()

    def __call__(self, revision_ids):
        """{revision id: (ROSA level, has a call script, has a checklist)}."""
        kept = self.kept
        found = {i: kept[i] for i in revision_ids if i in kept}
        missing = [i for i in revision_ids if i not in found]
        if missing:
            read = {revision_id: facts_of(RevisionData.from_json(data)) for revision_id, data in db.session.execute(
                select(ArticleRevision.id, ArticleRevision.data).where(ArticleRevision.id.in_(missing)))}
            with self.lock:
                if len(self.kept) + len(read) > self.size:
                    self.kept = {}
                self.kept.update(read)
            found.update(read)
        return found


def facts_of(content):
    return content.rosa_level, bool(content.agent.script), bool(content.agent.checklist)


def labels(rosa_level, has_script, has_checklist):
    found = [_("ROSA-nivå %(level)s", level=rosa_level)]
    if has_script:
        found.append(_("Talmanus"))
    if has_checklist:
        found.append(_("Checklista"))
    return found
