"""Changes to the database side of search: tuning, the query log and its clicks.

Synonym groups and best bets are read when a query runs, so a change works
on the next search without reindexing anything.  Each change of tuning sends
``search_tuning_changed``.
"""
import re
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import case, delete, func, insert, literal, select

from portal.clock import utcnow
from portal.extensions import db
from portal.privacy import contains_personal_data, scrub
from portal.search.documents import AGENT, PUBLIC, normalise
from portal.search.models import (
    BestBet, SearchDay, SearchDayRolled, SearchLogEntry, SearchMonth, SearchMonthRolled, SearchMonthTopic,
)
from portal.signals import search_tuning_changed
from portal.stats.sql import claim

MAX_TERM_LENGTH = 60


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
    _tuning_changed(group)
    return group


def add_best_bet(query, lang, ref, user):
    """Pin the document ``ref`` ("article:12") to the top of ``query`` in ``lang``."""
    doc_type, _sep, doc_id = ref.partition(":")
    bet = BestBet(query=normalise(query), lang=lang, doc_type=doc_type, doc_id=doc_id,
                  updated_by=user)
    db.session.add(bet)
    _tuning_changed(bet)
    return bet


def delete_tuning(item):
    """Remove a synonym group or a best bet."""
    db.session.delete(item)
    _tuning_changed(item)


def _tuning_changed(item):
    search_tuning_changed.send(type(item).__name__, item=item)
    db.session.commit()


def record_query(request, hits):
    """Log a search for statistics, without personal data; returns the entry's id.

    A citizen's query keeps its words with the personal data cut out.  An
    agent types what a caller says, so an agent's query that held personal
    data is logged without its words (the search still counts).
    """
    text = scrub(request.q)
    personal = contains_personal_data(request.q)
    if request.scope == AGENT and personal:
        text = ""
    entry = SearchLogEntry(lang=request.lang, scope=request.scope, query=text, hits=hits,
                           query_key="" if personal else normalise(text)[:200],
                           topic=_cut(request.topic, 80), department=_cut(request.department, 16))
    db.session.add(entry)
    db.session.commit()
    return entry.id


def _cut(value, length):
    """A filter as logged: the URL may hold anything, the column holds ``length``."""
    return value[:length] if value else None


def record_click(log_id, ref):
    """Note the result chosen after a search, once (the first click counts)."""
    entry = db.session.get(SearchLogEntry, log_id)
    if entry is not None and entry.clicked_ref is None:
        entry.clicked_ref = ref[:100]
        db.session.commit()


def purge_query_log(now):
    """Delete logged searches, and their days' counts, older than ``PORTAL_SEARCH_LOG_DAYS``."""
    cutoff = now - timedelta(days=current_app.config["PORTAL_SEARCH_LOG_DAYS"])
    db.session.execute(delete(SearchDay).where(SearchDay.day < cutoff.date()))
    db.session.execute(delete(SearchDayRolled).where(SearchDayRolled.day < cutoff.date()))
    db.session.execute(delete(SearchMonth).where(SearchMonth.day < cutoff.date()))
    db.session.execute(delete(SearchMonthTopic).where(SearchMonthTopic.day < cutoff.date()))
    db.session.execute(delete(SearchMonthRolled).where(SearchMonthRolled.month < cutoff.date()))
    return db.session.execute(delete(SearchLogEntry).where(
        SearchLogEntry.created_at < cutoff)).rowcount


def roll_up(day):
    """Count the public searches of a finished (UTC) ``day`` into ``SearchDay`` with one
    INSERT … SELECT … GROUP BY, once: the statistics then read those rows.  Clicks that
    come after the day is rolled up are not counted (a search is clicked within minutes)."""
    if db.session.get(SearchDayRolled, day) is not None:
        return
    log = SearchLogEntry
    start = datetime.combine(day, time())
    grouped = (log.lang, func.coalesce(log.query_key, ""), log.hits > 0, func.coalesce(log.department, ""),
               func.coalesce(log.topic, ""), func.coalesce(log.clicked_ref, ""))
    of_the_day = (log.scope == PUBLIC, log.created_at >= start, log.created_at < start + timedelta(days=1))
    if db.session.scalar(select(log.id).where(*of_the_day).limit(1)) is None:
        return   # asked again next time: a day's searches may be loaded later (a restore, a benchmark)
    db.session.execute(insert(SearchDay).from_select(
        ["day", "lang", "query_key", "found", "department", "topic", "clicked_ref", "searches"],
        select(literal(day), *grouped, func.count()).where(*of_the_day).group_by(*grouped)))
    db.session.add(SearchDayRolled(day=day))
    db.session.commit()


def roll_up_month(first):
    """Sum the rolled-up days of the finished month that begins on ``first`` into
    ``SearchMonth`` and ``SearchMonthTopic``, once (its days must be rolled up first)."""
    if not claim(SearchMonthRolled, "month", first):
        return
    days = (SearchDay.day >= first, SearchDay.day < (first + timedelta(days=32)).replace(day=1))
    per_query = (SearchDay.lang, SearchDay.query_key, SearchDay.found)
    clicked = case((SearchDay.clicked_ref != "", SearchDay.searches), else_=0)
    db.session.execute(insert(SearchMonth).from_select(
        ["day", "lang", "query_key", "found", "searches", "clicked"],
        select(literal(first), *per_query, func.sum(SearchDay.searches), func.sum(clicked))
        .where(*days).group_by(*per_query)))
    per_topic = (SearchDay.lang, SearchDay.topic, SearchDay.clicked_ref)
    db.session.execute(insert(SearchMonthTopic).from_select(
        ["day", "lang", "topic", "clicked_ref", "searches"],
        select(literal(first), *per_topic, func.sum(SearchDay.searches))
        .where(*days, (SearchDay.topic != "") | (SearchDay.clicked_ref != "")).group_by(*per_topic)))
    db.session.commit()


def roll_up_finished_days(days=None):
    """Roll up ``days`` (all finished days of the log when None) that are not yet."""
    if days is None:
        today = datetime.combine(utcnow().date(), time())
        days = {value if not isinstance(value, str) else datetime.fromisoformat(value).date()
                for value in db.session.scalars(select(func.date(SearchLogEntry.created_at)).where(
                    SearchLogEntry.created_at < today).distinct())}
    rolled = set(db.session.scalars(select(SearchDayRolled.day).where(SearchDayRolled.day.in_(days))))
    for day in sorted(set(days) - rolled):
        roll_up(day)
