"""Articles as search documents: one per live language that the site serves, for
everyone to find; and what the agents' search shows of each hit besides
(``agent_hit_details``).  A translation into a language the site does not serve
(yet) has no page to link to; the index gets it when the language is added
(``portal.search.rebuild_if_outdated``)."""
from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from content.models import Article
from content.rendering import agent_plain_text
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
    articles = db.session.scalars(select(Article).where(Article.id.in_(ids))
                                  .options(selectinload(Article.live_revision)))
    return {str(article.id): article_labels(article.live_revision.content)
            for article in articles if article.live_revision}


def article_labels(content):
    labels = [_("ROSA-nivå %(level)s", level=content.rosa_level)]
    if content.agent.script:
        labels.append(_("Talmanus"))
    if content.agent.checklist:
        labels.append(_("Checklista"))
    return labels
