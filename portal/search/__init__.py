"""The search layer: ``index``, ``delete``, ``search``, ``rebuild``.

Views and domains use only these functions; the engine behind them
(:class:`~portal.search.engine.WhooshEngine`) could be swapped for another
(OpenSearch for several servers) without touching them.

Domains register a *provider* per document type: an object with
``documents(doc_id)`` (the searchable documents for one item, one per
language, or ``[]`` when it must leave the index) and ``all_documents()``.
A domain announces a change with the ``document_changed`` signal; the change
is written to the outbox in the same transaction and applied to the index
after the request, by one writer at a time.  Whatever cannot be applied
(another process holds the index) stays in the outbox for the next drain.
"""
import logging
import re

from contextlib import nullcontext

from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from whoosh.index import LockError

from portal.extensions import db
from portal.privacy import scrub
from portal.search.documents import SearchDocument, SearchRequest, SearchResults  # noqa: F401
from portal.search.engine import WhooshEngine
from portal.search.models import BestBet, SearchLogEntry, SearchOutbox, SynonymGroup
from portal.signals import document_changed

log = logging.getLogger(__name__)


def url_context():
    """Providers build URLs with ``url_for``; outside a request (CLI, the drain
    thread) they get a request context for the configured base URL."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["PORTAL_BASE_URL"])


def init_app(app):
    app.extensions["portal.search"] = WhooshEngine(app.config["PORTAL_INDEX_DIR"])
    app.extensions["portal.search.providers"] = {}
    app.after_request(_drain_after_request)
    from portal.auth.models import AGENT, EDITOR
    from portal.search import admin  # noqa: F401  (registers the curation pages on bp)
    from portal.search.views import bp
    from portal.templating import register_staff_link

    app.register_blueprint(bp)
    app.jinja_env.globals["facet_label"] = facet_label
    register_staff_link(app, "search.agent_search", _l("Kunskapsbank"), (AGENT,))
    register_staff_link(app, "search.curation_overview", _l("Sökanpassning"), (EDITOR,))


def register_provider(app, doc_type, provider):
    app.extensions["portal.search.providers"][doc_type] = provider


def engine() -> WhooshEngine:
    return current_app.extensions["portal.search"]


def providers():
    return current_app.extensions["portal.search.providers"]


# --- keeping the index true ------------------------------------------------
@document_changed.connect
def _queue(doc_type, doc_id=None, **extra):
    db.session.add(SearchOutbox(doc_type=doc_type, doc_id=str(doc_id)))
    g.search_pending = True


def _drain_after_request(response):
    if g.pop("search_pending", False):
        drain()
    return response


def drain():
    """Apply waiting outbox entries to the index; returns how many were applied."""
    entries = db.session.scalars(select(SearchOutbox).order_by(SearchOutbox.id)).all()
    if not entries:
        return 0
    documents, refs = [], set()
    with url_context():
        for doc_type, doc_id in {(e.doc_type, e.doc_id) for e in entries}:
            provider = providers().get(doc_type)
            if provider is not None:
                documents += provider.documents(doc_id)
            refs.add(f"{doc_type}:{doc_id}")
    try:
        index(documents, removed_refs=refs)
    except (LockError, FileNotFoundError) as error:
        log.warning("Search index busy or missing (%s); %d changes wait", error, len(entries))
        return 0
    db.session.execute(delete(SearchOutbox).where(SearchOutbox.id.in_([e.id for e in entries])))
    db.session.commit()
    return len(entries)


def index(documents, removed_refs=()):
    """Put ``documents`` in the index (replacing earlier versions) and drop ``removed_refs``."""
    engine().write(list(documents), set(removed_refs))


def delete_document(doc_type, doc_id):
    engine().write([], {f"{doc_type}:{doc_id}"})


def all_documents():
    for provider in providers().values():
        yield from provider.all_documents()


def rebuild(progress=None):
    """Rebuild the whole index from the database into a fresh directory."""
    started = db.session.scalar(select(SearchOutbox.id).order_by(SearchOutbox.id.desc()))
    with url_context():
        count = engine().rebuild(all_documents(), progress=progress)
    if started is not None:
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id <= started))
        db.session.commit()
    return count


def health():
    return engine().health()


def stored_document(doc_type, doc_id, lang):
    """What the index holds for a document (title, summary, url, agent_url), or None."""
    return engine().stored(f"{doc_type}:{doc_id}:{lang}")


def url_for_document(doc_type, doc_id, lang, agent=False):
    """The URL the index holds for a document, or None if it is not indexed."""
    stored = stored_document(doc_type, doc_id, lang)
    if stored is None:
        return None
    return stored["agent_url"] if agent else stored["url"]


# --- searching ----------------------------------------------------------------
def facet_label(name, key):
    """A facet value as people read it: topic and department names, type labels."""
    from portal.i18n import current_language
    from portal.org.models import Department, Topic

    lang = current_language()
    if name == "doc_type":
        provider = providers().get(key)
        return str(provider.label) if provider else key
    if "facet_names" not in g:
        g.facet_names = {
            "topics": {t.slug: t.name_in(lang) for t in db.session.scalars(select(Topic))},
            "department": {d.code: d.name_in(lang) for d in db.session.scalars(select(Department))},
        }
    return g.facet_names.get(name, {}).get(key, key)


def normalise(text):
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def synonyms_for(query):
    """Phrases to search besides ``query``, from the editors' synonym groups."""
    padded = f" {normalise(query)} "
    phrases = []
    for group in db.session.scalars(select(SynonymGroup)):
        terms = group.term_list
        sources = terms[:1] if group.one_way else terms
        for term in sources:
            if f" {normalise(term)} " in padded:
                phrases += [t for t in terms if t != term]
    return phrases


def best_bets_for(request):
    bets = db.session.scalars(select(BestBet).where(
        BestBet.query == normalise(request.q), BestBet.lang == request.lang))
    return [f"{bet.doc_type}:{bet.doc_id}:{bet.lang}" for bet in bets]


def search(request: SearchRequest, log_query=True) -> SearchResults:
    results = engine().search(request, synonyms=synonyms_for(request.q),
                              pinned_keys=best_bets_for(request))
    if log_query and request.q and request.page == 1 and not results.unavailable:
        results.log_id = record_query(request, results.total)
    return results


def record_query(request, hits):
    entry = SearchLogEntry(lang=request.lang, scope=request.scope, query=scrub(request.q),
                           hits=hits)
    db.session.add(entry)
    db.session.commit()
    return entry.id


def record_click(log_id, ref):
    entry = db.session.get(SearchLogEntry, log_id)
    if entry is not None and entry.clicked_ref is None:
        entry.clicked_ref = ref[:100]
        db.session.commit()
