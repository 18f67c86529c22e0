"""The search figures of the statistics (issue 15): what citizens search for, what
found nothing and whose förvaltning that is, what found something nobody chose, and
searches over time; and searches per topic for the self-service comparison.

Only the public search counts (agents search for callers), and only queries as
``SearchLogEntry.query_key`` holds them: a query that held personal data has an
empty key and never shows.  A query shows only when at least
``PORTAL_STATS_MIN_SEARCHES`` searches (3) typed it, so that no rare query points at
the person who typed it.  Tables of queries, and those linking to staff pages, stay
off the public JSON API (``public=False``).

Everything is counted by the database (GROUP BY); Python sees at most a few thousand
grouped rows (one per query and whether it found something), which the lists of
queries sort and cut.  A finished day's searches are first counted into
``SearchDay`` rows (``operations.roll_up``: hourly while ``portal serve`` runs, and
for the days a figure asks for that are not yet), so that a quarter of millions of
logged searches is read as the few rows of its distinct queries per day.  When the
figures go by month, a finished month is read from its sums per query
(``SearchMonth``) and per topic and document chosen (``SearchMonthTopic``); the filters
and clicks of the few queries that found nothing are read from the day rows by the
index on the query.  Only today's searches are grouped from the log itself.
"""
from collections import Counter
from datetime import datetime, time, timedelta

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, and_, case, cast, func, not_, or_, select, union_all

from portal import search
from portal.clock import utcnow
from portal.extensions import db
from portal.i18n import current_language
from portal.org.models import Department
from portal.org.queries import department_names
from portal.privacy import contains_personal_data
from portal.search import operations
from portal.search.documents import PUBLIC
from portal.search.models import SearchDay, SearchLogEntry as Log, SearchMonth, SearchMonthRolled, SearchMonthTopic
from portal.stats import Column, Section, Table, register_preparation, register_statistics
from portal.stats.bounds import bucket, days_around, whole_months, within
from portal.stats.sql import unclaimed
from portal.stats.topics import register_topic_figures

ROWS = 50            # rows of each list of queries
CANDIDATES = 1000    # queries that found nothing, assigned before a förvaltning's are picked


def init_app(app):
    register_preparation(app, "search", period)
    register_statistics(app, "search", search_section, order=60)
    register_topic_figures(app, "searches", _l("Sökningar"), searches_per_topic)


def min_searches():
    return current_app.config["PORTAL_STATS_MIN_SEARCHES"]


def period(query):
    """How the query's period is read, rolling up first what is not yet: (the conditions on
    ``SearchDay`` rows, the whole months read from the month tables, whether today is
    read from the log).  Months are read when the figures go by month; days are UTC days."""
    today = utcnow().date()
    last_finished = min(query.end, today - timedelta(days=1))
    operations.roll_up_finished_days([query.start + timedelta(days=n)
                                      for n in range((last_finished - query.start).days + 1)])
    months = whole_months(query.start, last_finished) if query.granularity == "month" else []
    for first in unclaimed(SearchMonthRolled, "month", months):
        operations.roll_up_month(first)
    on_days = [within(SearchDay.day, days_around(query.start, last_finished, months)), *in_language(SearchDay, query)]
    return on_days, months, query.end >= today


def in_language(table, query):
    return [table.lang == query.lang] if query.lang else []


def logged_today(query, grouped, measures, *where):
    """The log's public searches of today within the query, grouped by ``grouped``."""
    today_start = datetime.combine(max(utcnow().date(), query.start), time())
    return select(*grouped, *measures).where(
        Log.scope == PUBLIC, Log.created_at >= today_start,
        Log.created_at < datetime.combine(query.end, time()) + timedelta(days=1),
        *in_language(Log, query), *where).group_by(*grouped)


def query_counts(query):
    """The period's public searches per (day, query_key, found), with ``searches`` and
    ``clicked`` (those followed by a click on a hit)."""
    on_days, months, today = period(query)
    clicked = case((SearchDay.clicked_ref != "", SearchDay.searches), else_=0)
    parts = [select(SearchDay.day.label("day"), SearchDay.query_key.label("query_key"),
                    SearchDay.found.label("found"), SearchDay.searches.label("searches"),
                    clicked.label("clicked")).where(*on_days)]
    if months:
        parts.append(select(SearchMonth.day, SearchMonth.query_key, SearchMonth.found, SearchMonth.searches,
                            SearchMonth.clicked).where(SearchMonth.day.in_(months), *in_language(SearchMonth, query)))
    if today:
        parts.append(logged_today(query, (func.date(Log.created_at), func.coalesce(Log.query_key, ""), Log.hits > 0),
                                  (func.count(), func.count(Log.clicked_ref))))
    return union_all(*parts).subquery()


def topic_counts(query):
    """The period's public searches per (topic filter, clicked_ref), with ``searches``."""
    on_days, months, today = period(query)
    parts = [select(SearchDay.topic.label("topic"), SearchDay.clicked_ref.label("clicked_ref"),
                    SearchDay.searches.label("searches")).where(*on_days)]
    if months:
        parts.append(select(SearchMonthTopic.topic, SearchMonthTopic.clicked_ref, SearchMonthTopic.searches).where(
            SearchMonthTopic.day.in_(months), *in_language(SearchMonthTopic, query)))
    if today:
        parts.append(logged_today(query, (func.coalesce(Log.topic, ""), func.coalesce(Log.clicked_ref, "")),
                                  (func.count(),)))
    return union_all(*parts).subquery()


def filter_and_click_counts(query, keys):
    """The public searches of the query keys ``keys`` per (query_key, found, department,
    topic, clicked_ref), with ``searches``: from the day rows of the whole period (by the
    index on the key) and today's log."""
    today = utcnow().date()
    grouped = (SearchDay.query_key, SearchDay.found, SearchDay.department, SearchDay.topic, SearchDay.clicked_ref)
    parts = [select(*(column.label(column.key) for column in grouped), SearchDay.searches.label("searches")).where(
        SearchDay.query_key.in_(keys), SearchDay.day >= query.start,
        SearchDay.day <= min(query.end, today - timedelta(days=1)), *in_language(SearchDay, query))]
    if query.end >= today:
        parts.append(logged_today(query, (func.coalesce(Log.query_key, ""), Log.hits > 0,
                                          func.coalesce(Log.department, ""), func.coalesce(Log.topic, ""),
                                          func.coalesce(Log.clicked_ref, "")),
                                  (func.count(),), Log.query_key.in_(keys)))
    return union_all(*parts).subquery()


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


def clicked(c):
    return cast(func.sum(c.c.clicked), Integer)


def query_totals(query):
    """{(query_key, found): (searches, clicked)} of the period's queries that have a key:
    one GROUP BY, whose few thousand rows the lists of queries sort and cut."""
    c = query_counts(query)
    rows = db.session.execute(select(c.c.query_key, c.c.found, total(c), clicked(c))
                              .where(c.c.query_key != "").group_by(c.c.query_key, c.c.found))
    totals = Counter()
    for key, found, searches, clicks in rows:     # SQLite may give found as 0/1
        totals[key, bool(found)] = (searches, clicks)
    return totals


def most(rows, count):
    """The ``count`` rows with the highest second value (ties by the first), as ORDER BY … LIMIT."""
    return sorted(rows, key=lambda row: (-row[1], row[0]))[:count]


def top_searches(query, totals):
    searches, clicks = Counter(), Counter()
    for (key, _found), (n, clicked_n) in totals.items():
        searches[key] += n
        clicks[key] += clicked_n
    rows = most([(key, n, clicks[key]) for key, n in searches.items() if n >= min_searches()], ROWS)
    return Table(
        key="search_top", public=False, title=_l("Vanligaste sökningarna"),
        columns=[Column("query", _l("Sökfråga")), Column("searches", _l("Sökningar"), "int"),
                 Column("clicked", _l("Andel med klick på en träff"), "percent")],
        rows=[(key, n, 100 * clicked_n / n) for key, n, clicked_n in shown(rows)],
        chart="bar", note=query_note())


def unclicked_searches(query, totals):
    """Queries that found something that nobody chose: the hits may not answer them."""
    found = [(key, n, n - clicked_n) for (key, hit), (n, clicked_n) in totals.items() if hit and n >= min_searches()]
    rows = sorted(found, key=lambda row: (-row[2], row[0]))[:ROWS]
    return Table(
        key="search_no_click", public=False, title=_l("Sökningar med träffar men utan klick"),
        columns=[Column("query", _l("Sökfråga")), Column("searches", _l("Sökningar med träffar"), "int"),
                 Column("unclicked", _l("Utan klick"), "int")],
        rows=[row for row in shown(rows) if row[2]], note=query_note())


def zero_hit_searches(query, totals):
    """The queries that found nothing, each with the förvaltning it concerns (see
    ``ZeroHitOwners``); with förvaltningar chosen, only those assigned to them."""
    candidates = most([(key, n) for (key, hit), (n, _clicked) in totals.items() if not hit and n >= min_searches()],
                      ROWS if query.department_ids is None else CANDIDATES)
    candidates = shown(candidates)
    owners = ZeroHitOwners(query, [key for key, _n in candidates])
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
    c = query_counts(query)
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
        totals = query_totals(query)
        return Section(key="search", title=_l("Sökningar"), tables=[
            searches_over_time(query), top_searches(query, totals), zero_hit_searches(query, totals),
            unclicked_searches(query, totals)])


# --- whose is a search that found nothing -------------------------------------------
class ZeroHitOwners:
    """The förvaltning a query that found nothing concerns: the förvaltning filter its
    searchers chose most, else the förvaltning of the topic filter they chose most,
    else the förvaltning whose documents the same query led to most often via clicks
    when it found something.  None when none of that is known."""

    def __init__(self, query, keys):
        self.filters, self.clicks = self._filters_and_clicks(query, keys)
        self.topic_owners = search.topic_owners()
        self.departments = {d.code: d for d in db.session.scalars(select(Department))}

    @staticmethod
    def _filters_and_clicks(query, keys):
        """{key: Counter of ("department", code) / ("topic", slug)} of the searches without
        hits, and {key: Counter of department codes} of the documents the query led to
        when it found something: from one GROUP BY."""
        filters, clicked = {}, []
        if not keys:
            return filters, {}
        c = filter_and_click_counts(query, keys)
        for key, found, department, topic, ref, n in db.session.execute(
                select(c.c.query_key, c.c.found, c.c.department, c.c.topic, c.c.clicked_ref, total(c))
                .where(or_(and_(not_(c.c.found), (c.c.department != "") | (c.c.topic != "")),
                           and_(c.c.found, c.c.clicked_ref != "")))
                .group_by(c.c.query_key, c.c.found, c.c.department, c.c.topic, c.c.clicked_ref)):
            if not found:
                filters.setdefault(key, Counter())[("department", department) if department else ("topic", topic)] += n
            else:
                clicked.append((key, ref, n))
        return filters, ZeroHitOwners._departments_clicked(clicked)

    @staticmethod
    def _departments_clicked(clicked):
        """{key: Counter of department codes} of [(key, document chosen, searches)]."""
        facets = search.facets_of({ref for _key, ref, _n in clicked})
        clicks = {}
        for key, ref, n in clicked:
            if ref in facets and facets[ref][0]:
                clicks.setdefault(key, Counter())[facets[ref][0]] += n
        return clicks

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
    c = topic_counts(query)
    rows = db.session.execute(
        select(c.c.topic, c.c.clicked_ref, total(c))
        .where((c.c.topic != "") | (c.c.clicked_ref != "")).group_by(c.c.topic, c.c.clicked_ref)).all()
    facets = search.facets_of({ref for topic, ref, _n in rows if not topic})
    topics = Counter()
    for topic, ref, n in rows:
        for slug in [topic] if topic else facets.get(ref, (None, []))[1]:
            topics[slug] += n
    return dict(topics)
