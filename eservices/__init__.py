"""E-services.  Until the e-service registry is built, the catalogue in
``demo_catalog.toml`` gives each e-service a landing page and a search entry."""
import tomllib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, render_template, url_for
from flask_babel import lazy_gettext as _l

from portal.html import plain_text, render_markdown
from portal.i18n import current_language, localized_route
from portal.search import SearchDocument

CATALOG = Path(__file__).parent / "demo_catalog.toml"
bp = Blueprint("eservices", __name__, template_folder="templates")


@lru_cache(maxsize=1)
def catalog():
    return {entry["code"]: entry for entry in tomllib.loads(CATALOG.read_text("utf-8"))["eservice"]}


def text_in(entry, lang):
    return entry.get(lang) or entry["sv"]


def eservice_title(code):
    entry = catalog().get(code)
    return text_in(entry, current_language())["title"] if entry else code


@localized_route(bp, {"sv": "/e-tjanster/<code>", "en": "/e-services/<code>"})
def landing(code):
    entry = catalog().get(code) or abort(404)
    text = text_in(entry, current_language())
    return render_template("eservices/landing.html", entry=entry, text=text,
                           body=render_markdown(text.get("body", "")))


class EServiceProvider:
    label = _l("E-tjänst")

    def documents(self, doc_id):
        entry = catalog().get(doc_id)
        return list(self.for_entry(entry)) if entry else []

    def all_documents(self):
        for entry in catalog().values():
            yield from self.for_entry(entry)

    def for_entry(self, entry):
        for lang in ("sv", "en"):
            if lang not in entry:
                continue
            text = entry[lang]
            url = url_for("eservices.landing", code=entry["code"], lang_code=lang)
            yield SearchDocument(doc_type="eservice", doc_id=entry["code"], lang=lang,
                                 title=text["title"], summary=text.get("summary", ""),
                                 body=plain_text(text.get("body", "")), keywords=text.get("keywords", []),
                                 topics=entry.get("topics", []), department=entry.get("department", ""),
                                 url=url, agent_url=url)


def init_app(app):
    from portal import search

    app.register_blueprint(bp)
    app.jinja_env.globals["eservice_title"] = eservice_title
    search.register_provider(app, "eservice", EServiceProvider())
