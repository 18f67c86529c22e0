"""The search layer: ``index``, ``search``, ``rebuild``, ``drain``.

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

The package: this API, ``documents`` (the engine-neutral dataclasses),
``engine``/``scoring``/``analysis``/``snippets``/``cache`` (Whoosh and what is
built on it), ``models`` (outbox, synonyms, best bets, query log), ``queries`` and
``operations`` (reading and changing those), ``forms``, ``blueprint`` (the URL
map) and ``views`` (search pages, the JSON API, search tuning).
"""
import logging
from contextlib import nullcontext
from dataclasses import replace

from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from whoosh.index import LockError

from portal.extensions import db
from portal.i18n import languages
from portal.search import analysis, operations, queries
from portal.search.documents import (  # noqa: F401  (the API's dataclasses)
    AGENT, EVERYONE, PUBLIC, STAFF, SearchDocument, SearchRequest, SearchResults,
)
from portal.search.engine import WhooshEngine
from portal.search.models import SearchOutbox
from portal.signals import document_changed

log = logging.getLogger(__name__)
DRAIN_EVERY_SECONDS = 2
ROLL_UP_EVERY_SECONDS = 3600


def url_context():
    """Providers build URLs with ``url_for``; outside a request (CLI, the drain
    thread) they get a request context for the configured base URL."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["PORTAL_BASE_URL"])


def init_app(app):
    from portal.auth import register_start_page
    from portal.auth.models import AGENT as AGENT_ROLE, EDITOR
    from portal.search import statistics
    from portal.search.blueprint import bp
    from portal.tasks import register_periodic, register_retention
    from portal.templating import register_staff_link

    app.extensions["portal.search"] = WhooshEngine(app.config["PORTAL_INDEX_DIR"])
    app.extensions["portal.search.providers"] = {}
    app.extensions["portal.search.hit_details"] = {}
    app.extensions["portal.search.facet_lookups"] = {}
    app.extensions["portal.search.topic_owners"] = []
    app.after_request(_drain_after_request)
    app.register_blueprint(bp)
    app.add_template_global(facet_label)
    register_staff_link(app, "search.agent_search", _l("Kunskapsbank"), (AGENT_ROLE,))
    register_staff_link(app, "search.curation_overview", _l("Sökanpassning"), (EDITOR,))
    register_start_page(app, AGENT_ROLE, "search.agent_search")
    register_periodic(app, "search outbox", drain, DRAIN_EVERY_SECONDS)
    register_periodic(app, "search index languages", rebuild_if_outdated, DRAIN_EVERY_SECONDS)
    register_retention(app, "search log", operations.purge_query_log)
    register_periodic(app, "search statistics", operations.roll_up_finished_days, ROLL_UP_EVERY_SECONDS)
    statistics.init_app(app)


def register_provider(app, doc_type, provider):
    app.extensions["portal.search.providers"][doc_type] = provider


def register_hit_details(app, doc_type, details):
    """``details(doc_ids)`` gives what an agent needs to know about hits of ``doc_type``
    before opening one, as short labels in the current language by id (an article's
    ROSA level, whether it has a call script).  Read from the database when an agents'
    search runs, so the index holds none of it."""
    app.extensions["portal.search.hit_details"][doc_type] = details


def register_facet_lookup(app, doc_type, lookup):
    """``lookup(doc_ids)`` gives {doc_id (str): (department code, [topic slugs])} of
    documents of ``doc_type``, read from the database: the search statistics use it to
    tell which förvaltning and topics the searches that led to a document concern."""
    app.extensions["portal.search.facet_lookups"][doc_type] = lookup


def register_topic_owners(app, owners):
    """``owners()`` gives {topic slug: department code}: the förvaltning a search filtered
    by the topic concerns (statistics of searches that found nothing)."""
    app.extensions["portal.search.topic_owners"].append(owners)


def facets_of(refs):
    """{ref: (department code, [topic slugs])} of the documents ``refs`` ("article:12") that
    a domain can tell about."""
    by_type = {}
    for ref in refs:
        doc_type, _sep, doc_id = ref.partition(":")
        by_type.setdefault(doc_type, []).append(doc_id)
    found = {}
    for doc_type, doc_ids in by_type.items():
        lookup = current_app.extensions["portal.search.facet_lookups"].get(doc_type)
        if lookup is not None:
            found.update({f"{doc_type}:{doc_id}": facets for doc_id, facets in lookup(doc_ids).items()})
    return found


def topic_owners():
    owners = {}
    for function in current_app.extensions["portal.search.topic_owners"]:
        owners.update(function())
    return owners


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


def all_documents():
    for provider in providers().values():
        yield from provider.all_documents()


def rebuild(progress=None):
    """Rebuild the whole index from the database into a fresh directory."""
    started = db.session.scalar(select(SearchOutbox.id).order_by(SearchOutbox.id.desc()))
    with url_context():
        count = engine().rebuild(all_documents(), progress=progress, languages=languages())
    if started is not None:
        db.session.execute(delete(SearchOutbox).where(SearchOutbox.id <= started))
        db.session.commit()
    return count


def rebuild_if_outdated():
    """Rebuild the index if it was built for other languages than the site has now, with
    other analyzers for them or in an older format; returns whether it did.

    ``portal serve`` checks every couple of seconds, so a language added while the
    site runs (or in the configuration, then restarted) gets its documents indexed
    with its analyzer, and an upgrade that changes the index's fields needs no
    ``portal reindex``.  Searches use the old index until the new one is swapped in.
    """
    if not engine().outdated(languages()):
        return False
    log.info("The search index was built for other languages or in an older format; rebuilding")
    rebuild()
    return True


def health():
    return engine().health()


def stored_document(doc_type, doc_id, lang, scope=AGENT):
    """What the index holds for a document that a search in ``scope`` may show now
    (title, summary, url, agent_url), or None."""
    return engine().stored(f"{doc_type}:{doc_id}:{lang}", scope=scope)


# --- searching ----------------------------------------------------------------
def facet_label(name, key):
    """A facet value as people read it: topic and department names, type labels."""
    if name == "doc_type":
        provider = providers().get(key)
        return str(provider.label) if provider else key
    if "facet_names" not in g:
        g.facet_names = queries.facet_names()
    return g.facet_names.get(name, {}).get(key, key)


def _has_stemmer(lang):
    """Has ``lang`` a stemmer (fields of an analyzer that tells it from other languages)?"""
    return analysis.analyzer_name(lang) != analysis.NEUTRAL


def other_language(results):
    """The language the query of ``results`` looks written in, when that is another
    language with a stemmer of its own and a search in it finds something; else None."""
    request = results.request
    if results.unavailable or not request.q or not _has_stemmer(request.lang):
        return None
    for lang in languages():
        if (lang != request.lang and _has_stemmer(lang)
                and engine().looks_written_in(request.q, lang, request.lang)):
            found = engine().search(replace(request, lang=lang, page=1, topic=None,
                                            department=None, doc_type=None))
            return lang if found.total else None
    return None


def search(request: SearchRequest, log_query=True) -> SearchResults:
    results = engine().search(request, synonyms=queries.synonyms_for(request.q),
                              pinned_keys=queries.best_bets_for(request))
    if log_query and request.q and request.page == 1 and not results.unavailable:
        results.log_id = operations.record_query(request, results.total)
    if request.scope == AGENT:
        add_details(results.hits)
    return results


def add_details(hits):
    for doc_type, details in current_app.extensions["portal.search.hit_details"].items():
        of_type = [hit for hit in hits if hit.doc_type == doc_type]
        if of_type:
            found = details([hit.doc_id for hit in of_type])
            for hit in of_type:
                hit.details = found.get(hit.doc_id, [])
