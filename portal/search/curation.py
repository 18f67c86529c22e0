"""Editors' curation of search: synonym groups and best bets.

Both are read when a query runs (``synonyms_for``, ``best_bets_for``), so a
change works on the next search without reindexing anything.
"""
import re

from sqlalchemy import select

from portal import search
from portal.extensions import db
from portal.search.documents import SearchRequest
from portal.search.models import BestBet, SynonymGroup

MAX_TERM_LENGTH = 60
CANDIDATES = 10


def parse_terms(text):
    """The words of a synonym group as typed: separated by commas or lines,
    lower-cased, each once, in the order written."""
    terms = []
    for term in re.split(r"[,\n]", text or ""):
        term = " ".join(term.split()).lower()
        if term and term not in terms:
            terms.append(term)
    return terms


def save_synonym_group(group, terms, one_way, user):
    group.terms = ", ".join(terms)
    group.one_way = one_way
    group.updated_by = user
    db.session.add(group)
    db.session.commit()
    return group


def delete(item):
    db.session.delete(item)
    db.session.commit()


def best_bet_exists(query, lang, ref):
    doc_type, _sep, doc_id = ref.partition(":")
    return db.session.scalar(select(BestBet.id).where(
        BestBet.query == search.normalise(query), BestBet.lang == lang,
        BestBet.doc_type == doc_type, BestBet.doc_id == doc_id)) is not None


def add_best_bet(query, lang, ref, user):
    """Pin the document ``ref`` ("article:12") to the top of ``query`` in ``lang``."""
    doc_type, _sep, doc_id = ref.partition(":")
    bet = BestBet(query=search.normalise(query), lang=lang, doc_type=doc_type, doc_id=doc_id,
                  updated_by=user)
    db.session.add(bet)
    db.session.commit()
    return bet


def candidates(text, lang):
    """Pages an editor may pin: the top hits for ``text`` (not logged as a search)."""
    if not text:
        return []
    found = search.search(SearchRequest(q=text, lang=lang, per_page=CANDIDATES), log_query=False)
    return [hit for hit in found.hits if not hit.pinned]


def target_title(bet):
    stored = search.stored_document(bet.doc_type, bet.doc_id, bet.lang)
    return (stored["title"], stored["url"]) if stored else (None, None)


def synonym_groups():
    return db.session.scalars(select(SynonymGroup).order_by(SynonymGroup.terms)).all()


def best_bets():
    return db.session.scalars(select(BestBet).order_by(BestBet.query, BestBet.lang)).all()
