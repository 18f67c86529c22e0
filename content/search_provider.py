"""Articles as search documents: one per live language, for everyone to find."""
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from content.models import Article
from content.rendering import agent_plain_text
from portal.extensions import db
from portal.html import plain_text
from portal.search import EVERYONE, SearchDocument


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
        content = article.live_revision.content
        agent_text = agent_plain_text(content)
        for translation in article.translations:
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
