"""Reading the database side of search: synonyms, best bets, names for facets."""
from sqlalchemy import select

from portal.extensions import db
from portal.i18n import current_language
from portal.org.models import Department, Topic
from portal.search.documents import normalise
from portal.search.models import BestBet, SynonymGroup


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
    """Index keys of the pages pinned to this query in its language."""
    bets = db.session.scalars(select(BestBet).where(
        BestBet.query == normalise(request.q), BestBet.lang == request.lang))
    return [f"{bet.doc_type}:{bet.doc_id}:{bet.lang}" for bet in bets]


def best_bet_exists(query, lang, ref):
    doc_type, _sep, doc_id = ref.partition(":")
    return db.session.scalar(select(BestBet.id).where(
        BestBet.query == normalise(query), BestBet.lang == lang,
        BestBet.doc_type == doc_type, BestBet.doc_id == doc_id)) is not None


def synonym_groups():
    return db.session.scalars(select(SynonymGroup).order_by(SynonymGroup.terms)).all()


def best_bets():
    return db.session.scalars(select(BestBet).order_by(BestBet.query, BestBet.lang)).all()


def facet_names():
    """{facet: {key: name in the current language}} for topics and departments."""
    lang = current_language()
    return {"topics": {t.slug: t.name_in(lang) for t in db.session.scalars(select(Topic))},
            "department": {d.code: d.name_in(lang) for d in db.session.scalars(select(Department))}}
