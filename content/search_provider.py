"""Articles as search documents: one per live language."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from content.models import Article
from content.rendering import agent_plain_text
from portal.extensions import db
from portal.html import plain_text
from portal.search import SearchDocument


class ArticleProvider:
    label = _l("Artikel")

    def documents(self, doc_id):
        article = db.session.get(Article, int(doc_id))
        if article is None or not article.is_live():
            return []
        return list(self.for_article(article))

    def all_documents(self):
        for article in db.session.scalars(select(Article).where(
                Article.live_revision_id.is_not(None), Article.archived_at.is_(None))):
            if article.is_live():
                yield from self.for_article(article)

    def for_article(self, article):
        data = article.live_revision.data
        agent_text = agent_plain_text(data)
        for translation in article.translations:
            source = data["translations"][translation.lang]
            yield SearchDocument(
                doc_type="article", doc_id=article.id, lang=translation.lang,
                title=translation.title, summary=translation.summary,
                body=plain_text(source.get("body", "")), keywords=source.get("keywords", []),
                topics=[t.slug for t in article.topics], department=article.department.code,
                url=url_for("content.article", slug=translation.slug, lang_code=translation.lang),
                agent_text=agent_text,
                agent_url=url_for("content.agent_article", article_id=article.id,
                                  lang_code=translation.lang))
