"""E-services as search documents: one per language of the catalogue entry."""
from flask import url_for
from flask_babel import lazy_gettext as _l

from eservices import queries
from portal.html import plain_text
from portal.i18n import languages
from portal.search import EVERYONE, SearchDocument


class EServiceProvider:
    label = _l("E-tjänst")

    def documents(self, doc_id):
        entry = queries.entry(doc_id)
        return list(self.for_entry(entry)) if entry else []

    def all_documents(self):
        for entry in queries.catalog().values():
            yield from self.for_entry(entry)

    def for_entry(self, entry):
        for lang, text in queries.texts(entry).items():
            if lang not in languages():
                continue
            url = url_for("eservices.landing", code=entry["code"], lang_code=lang)
            yield SearchDocument(doc_type="eservice", doc_id=entry["code"], lang=lang,
                                 audience=EVERYONE, title=text["title"],
                                 summary=text.get("summary", ""), body=plain_text(text.get("body", "")),
                                 keywords=text.get("keywords", []), topics=entry.get("topics", []),
                                 department=entry.get("department", ""), url=url, agent_url=url)
