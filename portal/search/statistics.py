"""The search figures of the statistics (issue 15): what citizens search for, what
found nothing and whose förvaltning that is, what found something nobody chose, and
searches over time; and searches per topic for the self-service comparison.

Only the public search counts (agents search for callers), and only queries as
``SearchLogEntry.query_key`` holds them: a query that held personal data has an
empty key and never shows.  A query shows only when at least
``PORTAL_STATS_MIN_SEARCHES`` searches (3) typed it, so that no rare query points at
the person who typed it.  Tables of queries, and those linking to staff pages, stay
off the public JSON API (``public=False``).

Everything is counted by the database (GROUP BY with a LIMIT); Python sees at most a
few hundred grouped rows.  A finished day's searches are first counted into
``SearchDay`` rows (``operations.roll_up``: hourly while ``portal serve`` runs, and
for the days a figure asks for that are not yet), so that a quarter of millions of
logged searches is read as the few rows of its distinct queries per day, and a
finished month's days into ``SearchMonth`` rows, read when the figures go by month;
only today's searches are grouped from the log itself.
"""
from collections import Counter
from datetime import datetime, time, timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, case, cast, func, not_, select, true, union_all

from portal import search
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import current_language
from portal.org.models import Department
from portal.org.queries import department_names
from portal.privacy import contains_personal_data
from portal.search import operations
from portal.search.documents import PUBLIC
from portal.search.models import SearchDay, SearchLogEntry as Log, SearchMonth
from portal.stats import Column, Section, Table, register_statistics
from portal.stats.bounds import bucket
from portal.stats.topics import register_topic_figures

ROWS = 50            # rows of each list of queries
CANDIDATES = 1000    # queries that found nothing, assigned before a förvaltning's are picked


def init_app(app):
    register_statistics(app, "search", search_section, order=60)
    register_topic_figures(app, "searches", _l("Sökningar"), searches_per_topic)


def min_searches():
    return current_app.config["PORTAL_STATS_MIN_SEARCHES"]


def counts(query):
    """The query's public searches as counts per (day, lang, query_key, found, department,
    topic, clicked_ref): ``SearchMonth`` for the period's finished whole months when it
    is counted by month, ``SearchDay`` for its other finished days (each rolled up first
    where it is not yet), the log grouped alike for today.  Days are UTC days."""
    today = utcnow().date()
    last_finished = min(query.end, today - timedelta(days=1))
    days = [query.start + timedelta(days=n) for n in range((last_finished - query.start).days + 1)]
    operations.roll_up_finished_days(days)
    months = whole_months(query.start, last_finished) if query.granularity == "month" else []
    for first in months:
        operations.roll_up_month(first)
    outside = (SearchDay.day < months[0]) | (SearchDay.day >= next_month(months[-1])) if months else true()
    parts = [counted(SearchDay, query, SearchDay.day >= query.start, SearchDay.day <= last_finished, outside)]
    if months:
        parts.append(counted(SearchMonth, query, SearchMonth.day.in_(months)))
    if query.end >= today:
        parts.append(counted_today(query, today))
    return union_all(*parts).subquery()


def counted(table, query, *where):
    return select(table.day, table.lang, table.query_key, table.found, table.department, table.topic,
                  table.clicked_ref, table.searches.label("searches")).where(
        *where, *([table.lang == query.lang] if query.lang else []))


def counted_today(query, today):
    grouped = (func.date(Log.created_at), Log.lang, func.coalesce(Log.query_key, ""), Log.hits > 0,
               func.coalesce(Log.department, ""), func.coalesce(Log.topic, ""), func.coalesce(Log.clicked_ref, ""))
    today_start = datetime.combine(max(today, query.start), time())
    return select(*grouped, func.count()).where(
        Log.scope == PUBLIC, Log.created_at >= today_start,
        Log.created_at < datetime.combine(query.end, time()) + timedelta(days=1),
        *([Log.lang == query.lang] if query.lang else [])).group_by(*grouped)


def next_month(first):
    return (first + timedelta(days=32)).replace(day=1)


def whole_months(start, end):
    """The first days of the months that lie wholly within ``start`` – ``end``."""
    first = start if start.day == 1 else next_month(start)
    months = []
    while next_month(first) - timedelta(days=1) <= end:
        months.append(first)
        first = next_month(first)
    return months


def shown(rows):
    """Rows whose query (the first value) holds nothing that looks like personal data:
    checked again here, since a row logged before the key existed has a key made in SQL."""
    return [row for row in rows if not contains_personal_data(row[0])]


def query_note():
    return _l("Bara sökningar på den publika webbplatsen. En sökfråga visas först när minst "
              "%(k)d sökningar har skrivit den, och aldrig om den ser ut att innehålla "
              "personuppgifter (personnummer, e-post, telefonnummer).", k=min_searches())


# --- the tables ---------------------------------------------------------------------
def total(c):
    """The searches of a group (an integer on PostgreSQL too, where a sum is numeric)."""
    return cast(func.sum(c.c.searches), Integer)


def summed(c, when):
    """The searches of the group's rows where ``when`` holds."""
    return cast(func.sum(case((when, c.c.searches), else_=0)), Integer)


def top_searches(query):
    c = counts(query)
    searches = total(c).label("n")
    rows = db.session.execute(
        select(c.c.query_key, searches, summed(c, c.c.clicked_ref != ""))
        .where(c.c.query_key != "").group_by(c.c.query_key).having(searches >= min_searches())
        .order_by(searches.desc(), c.c.query_key).limit(ROWS)).all()
    return Table(
        key="search_top", public=False, title=_l("Vanligaste sökningarna"),
        columns=[Column("query", _l("Sökfråga")), Column("searches", _l("Sökningar"), "int"),
                 Column("clicked", _l("Andel med klick på en träff"), "percent")],
        rows=[(key, n, 100 * clicked / n) for key, n, clicked in shown(rows)],
        chart="bar", note=query_note())


def unclicked_searches(query):
    """Queries that found something that nobody chose: the hits may not answer them."""
    c = counts(query)
    searches = total(c)
    unclicked = summed(c, c.c.clicked_ref == "").label("unclicked")
    rows = db.session.execute(
        select(c.c.query_key, searches, unclicked).where(c.c.query_key != "", c.c.found)
        .group_by(c.c.query_key).having(searches >= min_searches())
        .order_by(unclicked.desc(), c.c.query_key).limit(ROWS)).all()
    return Table(
        key="search_no_click", public=False, title=_l("Sökningar med träffar men utan klick"),
        columns=[Column("query", _l("Sökfråga")), Column("searches", _l("Sökningar med träffar"), "int"),
                 Column("unclicked", _l("Utan klick"), "int")],
        rows=[row for row in shown(rows) if row[2]], note=query_note())


def zero_hit_searches(query):
    """The queries that found nothing, each with the förvaltning it concerns (see
    ``ZeroHitOwners``); with förvaltningar chosen, only those assigned to them."""
    c = counts(query)
    searches = total(c).label("n")
    candidates = db.session.execute(
        select(c.c.query_key, searches).where(c.c.query_key != "", not_(c.c.found)).group_by(c.c.query_key)
        .having(searches >= min_searches()).order_by(searches.desc(), c.c.query_key)
        .limit(ROWS if query.department_ids is None else CANDIDATES)).all()
    candidates = shown(candidates)
    owners = ZeroHitOwners(c, [key for key, _n in candidates])
    names = department_names(current_language())
    rows, links = [], []
    for key, n in candidates:
        department = owners.of(key)
        if query.department_ids is None or (department is not None and department.id in query.department_ids):
            rows.append((key, n, names.get(department.id) if department else None))
            links.append(url_for("search.new_best_bet", q=key))
    return Table(
        key="search_zero_hits", public=False, title=_l("Sökningar som inte gav någon träff"),
        columns=[Column("query", _l("Sökfråga")), Column("searches", _l("Sökningar"), "int"),
                 Column("department", _l("Förvaltning"))],
        rows=rows[:ROWS], links=links[:ROWS], chart="bar",
        note=" ".join((str(_l("Förvaltningen är den vars filter den sökande valde (förvaltning eller ämne), "
                              "annars den vars artiklar samma sökfråga ledde till när den gav träffar. Länken "
                              "lägger till en rekommenderad träff för sökfrågan.")), str(query_note()))))


def searches_over_time(query):
    c = counts(query)
    buckets = {}
    for day, n, zeros in db.session.execute(
            select(c.c.day, total(c), summed(c, not_(c.c.found))).group_by(c.c.day)):
        sums = buckets.setdefault(bucket(day, query.granularity), [0, 0])
        sums[0] += n
        sums[1] += zeros
    return Table(
        key="search_over_time", title=_l("Sökningar över tid"),
        columns=[Column("period", _l("Period"), "date"), Column("searches", _l("Sökningar"), "int"),
                 Column("zero_hits", _l("Utan träffar"), "int")],
        rows=[(start, *buckets[start]) for start in sorted(buckets)], chart="line",
        note=_l("Alla sökningar på den publika webbplatsen, också de som inte visas som sökfrågor."))


def search_section(query):
    with search.url_context():   # the monthly report asks outside a request
        return Section(key="search", title=_l("Sökningar"), tables=[
            searches_over_time(query), top_searches(query), zero_hit_searches(query), unclicked_searches(query)])


# --- whose is a search that found nothing -------------------------------------------
class ZeroHitOwners:
    """The förvaltning a query that found nothing concerns: the förvaltning filter its
    searchers chose most, else the förvaltning of the topic filter they chose most,
    else the förvaltning whose documents the same query led to most often via clicks
    when it found something.  None when none of that is known."""

    def __init__(self, c, keys):
        self.filters = self._filters(c, keys)
        self.clicks = self._clicks(c, keys)
        self.topic_owners = search.topic_owners()
        self.departments = {d.code: d for d in db.session.scalars(select(Department))}

    @staticmethod
    def _filters(c, keys):
        """{key: Counter of ("department", code) / ("topic", slug)} of the searches without hits."""
        found = {}
        if not keys:
            return found
        for key, department, topic, n in db.session.execute(
                select(c.c.query_key, c.c.department, c.c.topic, total(c))
                .where(not_(c.c.found), c.c.query_key.in_(keys), (c.c.department != "") | (c.c.topic != ""))
                .group_by(c.c.query_key, c.c.department, c.c.topic)):
            counter = found.setdefault(key, Counter())
            counter[("department", department) if department else ("topic", topic)] += n
        return found

    @staticmethod
    def _clicks(c, keys):
        """{key: Counter of department codes} of the documents the query led to."""
        if not keys:
            return {}
        rows = db.session.execute(
            select(c.c.query_key, c.c.clicked_ref, total(c))
            .where(c.c.found, c.c.clicked_ref != "", c.c.query_key.in_(keys))
            .group_by(c.c.query_key, c.c.clicked_ref)).all()
        facets = search.facets_of({ref for _key, ref, _n in rows})
        found = {}
        for key, ref, n in rows:
            if ref in facets and facets[ref][0]:
                found.setdefault(key, Counter())[facets[ref][0]] += n
        return found

    def of(self, key):
        for kind, value in (choice for choice, _n in self.filters.get(key, Counter()).most_common()):
            code = value if kind == "department" else self.topic_owners.get(value)
            if code in self.departments:
                return self.departments[code]
        for code, _n in self.clicks.get(key, Counter()).most_common():
            if code in self.departments:
                return self.departments[code]
        return None


# --- self-service -------------------------------------------------------------------
def searches_per_topic(query):
    """{topic slug: searches} of the period: a search counts for the topic its searcher
    filtered by, else for the topics of the document they chose."""
    c = counts(query)
    rows = db.session.execute(
        select(c.c.topic, c.c.clicked_ref, total(c))
        .where((c.c.topic != "") | (c.c.clicked_ref != "")).group_by(c.c.topic, c.c.clicked_ref)).all()
    facets = search.facets_of({ref for topic, ref, _n in rows if not topic})
    topics = Counter()
    for topic, ref, n in rows:
        for slug in [topic] if topic else facets.get(ref, (None, []))[1]:
            topics[slug] += n
    return dict(topics)
