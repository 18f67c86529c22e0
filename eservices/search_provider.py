"""E-services as search documents: one per language of each service's texts."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from eservices import registry
from portal.html import plain_text
from portal.search import EVERYONE, SearchDocument


class EServiceProvider:
    label = _l("E-tjänst")

    def documents(self, doc_id):
        service = registry.get(doc_id)
        return list(self.for_service(service)) if service else []

    def all_documents(self):
        for service in registry.services().values():
            yield from self.for_service(service)

    def for_service(self, service):
        for lang in registry.offered_languages(service):
            text = service.texts[lang]
            url = url_for("eservices.landing", code=service.code, lang_code=lang)
            yield SearchDocument(doc_type="eservice", doc_id=service.code, lang=lang, audience=EVERYONE,
                                 title=text.title, summary=text.summary, body=plain_text(text.help),
                                 keywords=list(text.keywords), topics=service.topics,
                                 department=service.department, url=url, agent_url=url)
