"""Statistics benchmark (issue 15): the dashboard and the cost-allocation key over a year of a big municipality.

    .venv/bin/python benchmarks/stats.py [--cases 1000000] [--searches 5000000]
        [--database sqlite|postgresql] [--url postgresql+psycopg://…] [--repeat 20]
        [--year rolling|months] [--instance DIR]

A throw-away demo instance (``portal init --demo``; on PostgreSQL the database
``--url``, or ``PORTAL_BENCH_DATABASE_URL``, emptied first and created when
missing) is filled in bulk with:

- ``--cases`` cases over 13 months, made by ``cases.py``'s generator (its
  förvaltningar, channels, question types, priorities, outcomes, clocks and
  timelines), only squeezed into 13 months instead of three years;
- ``--searches`` rows of the search log over the same 13 months: queries drawn
  from a Zipf-like distribution (a few hundred popular queries make most
  searches, a long tail of rare ones and misspellings), some finding nothing,
  some clicked, some with a topic or förvaltning filter, agents' searches
  among them, and a few whose query held personal data (no ``query_key``).
  The finished days are then rolled up into ``search_day`` as the running
  portal does every hour (``operations.roll_up_finished_days``), and every day's
  cases into ``case_day`` (``eservices.rollup.rebuild``: the bulk insert went around
  the session that marks a written case's day), each timed apart.

``--instance DIR`` keeps the instance (and, on PostgreSQL, uses the database as it
is when it holds the data): a second run migrates it, rolls up again and measures
without filling.

Then, in an app context, ``--repeat`` times: the whole dashboard,
``portal.stats.sections(StatsQuery(a year, "month"))`` for all förvaltningar (the
365 days up to today, or with ``--year months`` the twelve whole months before this
one), with each section timed by itself, and the cost-allocation key
(``eservices.statistics.cost_allocation``) for the same year.  Printed: p50/p95/max
in ms of the dashboard, of each section and of the cost allocation, the time to
fill, and the targets (dashboard p95 under 1 s on PostgreSQL, 2 s on SQLite).
"""
import argparse
import bisect
import itertools
import os
import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)   # the repository, not benchmarks/

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks import cases as case_bench  # noqa: E402
from benchmarks.harness import Stopwatch, latency_ms, print_table  # noqa: E402

MONTHS_SPAN = timedelta(days=396)     # 13 months
BATCH = 20_000
TARGET_SECONDS = {"sqlite": 2.0, "postgresql": 1.0}

# What citizens type: municipal words, alone, in pairs, and misspelt.
WORDS = ["bygglov", "parkering", "förskola", "skola", "soptömning", "avfall", "återvinning", "bibliotek",
         "simhall", "hemtjänst", "äldreboende", "försörjningsstöd", "bostad", "detaljplan", "karta", "felanmälan",
         "gatubelysning", "snöröjning", "vägarbete", "busskort", "färdtjänst", "skolskjuts", "lediga jobb",
         "sommarjobb", "sfi", "vuxenutbildning", "komvux", "fritidsgård", "idrottshall", "badplats",
         "hundrastgård", "miljötillstånd", "livsmedel", "buller", "ved", "eldning", "brandskydd", "strandskydd",
         "tomt", "fiber", "vatten", "avlopp", "taxa", "faktura", "kontakt", "öppettider", "val", "röstning",
         "kommunfullmäktige", "protokoll", "nämnd", "budget", "skatt", "barnomsorg", "modersmål", "elevhälsa",
         "skollunch", "lov", "parkeringstillstånd", "boendeparkering", "trafik", "cykel", "lekplats", "park",
         "träd", "ogräs", "klotter", "hål i vägen", "trasig lampa", "vinterväghållning", "bidrag", "förening",
         "kulturskola", "konsthall", "museum", "turism", "evenemang", "näringsliv", "upphandling", "serveringstillstånd"]
LANGS = ["sv"] * 90 + ["en"] * 10
MISSPELL = str.maketrans("åäö", "aao")


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--searches", type=int, default=5_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--url", default=os.environ.get("PORTAL_BENCH_DATABASE_URL"),
                        help="PostgreSQL URL (or PORTAL_BENCH_DATABASE_URL); its database is emptied first")
    parser.add_argument("--repeat", type=int, default=20, help="dashboards and cost allocations timed (20)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--year", choices=["rolling", "months"], default="rolling",
                        help="the 365 days up to today (rolling) or the twelve whole months before this one")
    parser.add_argument("--instance", type=Path, help="keep (or reuse) the filled instance here; with "
                        "PostgreSQL its database is used as it is when it already holds the data")
    opts = parser.parse_args()
    if opts.database == "postgresql" and not opts.url:
        parser.error("--database postgresql needs --url or PORTAL_BENCH_DATABASE_URL")
    return opts


log = case_bench.log


def ensure_database(url):
    """CREATE DATABASE when the URL's database does not exist yet."""
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": target.database}):
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    engine.dispose()


# --- the search log ---------------------------------------------------------------------------
class Queries:
    """A vocabulary of queries with Zipf-like popularity; each query always finds
    nothing or always finds something (a few finding nothing are popular)."""

    def __init__(self, rng):
        single = WORDS
        pairs = [f"{a} {b}" for a, b in itertools.permutations(WORDS[:40], 2)]
        misspelt = [w.translate(MISSPELL) for w in WORDS if w.translate(MISSPELL) != w]
        typos = [w[:i] + w[i + 1:] for w in WORDS for i in range(1, len(w) - 1, 3)]
        tail = misspelt + pairs + typos
        rng.shuffle(tail)
        vocabulary = self.queries = single + tail
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(vocabulary))))
        self.finds = [rng.random() > (0.05 if i < 100 else 0.25) for i in range(len(vocabulary))]

    def pick(self, rng):
        index = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return min(index, len(self.queries) - 1)


def search_rows(count, rng, now, topics, departments):
    from portal.search.documents import normalise

    queries = Queries(rng)
    batch = []
    for n in range(count):
        created = now - MONTHS_SPAN * (1 - n / count) - timedelta(seconds=rng.randint(0, 600))
        index = queries.pick(rng)
        query = queries.queries[index]
        personal = rng.random() < 0.005
        found = queries.finds[index]
        hits = rng.randint(1, 40) if found else 0
        filtered = rng.random()
        batch.append({
            "created_at": created, "lang": rng.choice(LANGS), "scope": "public" if rng.random() < 0.85 else "agent",
            "query": "[personuppgift]" if personal else query,
            "hits": hits, "query_key": "" if personal else normalise(query),
            "clicked_ref": f"article:{index % 400 + 1}" if found and rng.random() < 0.45 else None,
            "topic": rng.choice(topics) if filtered < 0.10 else None,
            "department": rng.choice(departments) if 0.10 <= filtered < 0.15 else None,
        })
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def fill_searches(app, count, seed):
    from portal.clock import utcnow
    from portal.extensions import db
    from portal.org.models import Department, Topic
    from portal.search.models import SearchLogEntry

    rng = random.Random(seed)
    with app.app_context():
        topics = list(db.session.scalars(select(Topic.slug)))
        departments = list(db.session.scalars(select(Department.code)))
        done = 0
        for batch in search_rows(count, rng, utcnow(), topics, departments):
            db.session.execute(SearchLogEntry.__table__.insert(), batch)
            db.session.commit()
            done += len(batch)
            if done % 500_000 == 0 or done == count:
                log(f"  {done:,}/{count:,} searches")


def roll_up(app):
    """The daily counts the dashboard reads: the search log's finished days (as the running
    portal does every hour) and every day's cases (written in bulk, around the session that
    marks a changed case's day); the seconds each took."""
    from eservices import rollup
    from portal.search import operations

    with app.app_context():
        with Stopwatch() as searches:
            operations.roll_up_finished_days()
        with Stopwatch() as cases:
            rollup.rebuild()
    return searches.seconds, cases.seconds


def employees_known(app):
    """The cost-allocation key needs every förvaltning's employees (the demo sets them)."""
    from portal.extensions import db
    from portal.org.models import Department

    with app.app_context():
        for department in db.session.scalars(select(Department).where(Department.employees.is_(None))):
            department.employees = 500
        db.session.commit()


# --- measuring ----------------------------------------------------------------------------------
def one_year(kind="rolling"):
    """The year the dashboard is asked for, by month: the 365 days up to today ("rolling":
    eleven whole months and a month of days at the ends) or the twelve whole months
    before this one ("months", as a year's report reads it)."""
    from portal.stats import StatsQuery
    from portal.stats.bounds import local_today

    today = local_today()
    if kind == "months":
        end = today.replace(day=1) - timedelta(days=1)
        return StatsQuery(start=end.replace(year=end.year - 1) + timedelta(days=1), end=end, granularity="month")
    return StatsQuery(start=today - timedelta(days=364), end=today, granularity="month")


def measure(app, repeat, year):
    """Dashboards and cost allocations, each in a fresh session as a request has."""
    from eservices.statistics import Budget, cost_allocation
    from portal.extensions import db
    from portal.stats import sections

    query = one_year(year)
    section_seconds = {}
    dashboard, allocation = [], []
    with app.test_request_context("/sv/statistik"):
        providers = app.extensions["portal.statistics"]
        original = dict(providers)
        for key, (order, provider) in original.items():
            providers[key] = (order, timed_provider(provider, section_seconds.setdefault(key, [])))
        try:
            for number in range(repeat + 1):        # the first of each warms the caches and is not counted
                with Stopwatch() as watch:
                    shown = sections(query)
                    rows = sum(len(t.rows) for s in shown for t in s.tables)
                db.session.remove()
                if number:
                    dashboard.append(watch.seconds)
                else:
                    for seconds in section_seconds.values():
                        seconds.clear()
                with Stopwatch() as watch:
                    key = cost_allocation(query, Budget(yearly=45_000_000, base_percent=40))
                db.session.remove()
                if number:
                    allocation.append(watch.seconds)
        finally:
            providers.update(original)
    return query, latency_ms(dashboard), {k: latency_ms(v) for k, v in section_seconds.items()}, \
        latency_ms(allocation), rows, len(key.rows)


def timed_provider(provider, seconds):
    def timed(query):
        with Stopwatch() as watch:
            section = provider(query)
        seconds.append(watch.seconds)
        return section
    return timed


def data_shape(app, query):
    from eservices.models import Case
    from eservices.rollup import CaseDay
    from portal.extensions import db
    from portal.search.models import SearchDay, SearchLogEntry

    start = datetime.combine(query.start, datetime.min.time())
    with app.app_context():
        return {
            "cases": db.session.scalar(select(func.count(Case.id))),
            "cases in the year": db.session.scalar(select(func.count(Case.id)).where(Case.created_at >= start)),
            "search-log rows": db.session.scalar(select(func.count(SearchLogEntry.id))),
            "distinct query keys": db.session.scalar(select(func.count(func.distinct(SearchLogEntry.query_key)))),
            "search_day rows": db.session.scalar(select(func.count(SearchDay.id))),
            "case_day rows": db.session.scalar(select(func.count(CaseDay.id))),
        }


def main():
    opts = options()
    url = opts.url if opts.database == "postgresql" else None
    if url:
        ensure_database(url)
    case_bench.SPAN = MONTHS_SPAN           # cases.py's generator, over 13 months
    with tempfile.TemporaryDirectory() as scratch:
        folder = opts.instance or Path(scratch) / "instance"
        app = case_bench.make_app(folder, url)
        record = folder / "benchmark-fill.txt"     # the fill's seconds: cases, searches
        if opts.instance and case_bench.already_filled(app, opts.cases) and searches_filled(app, opts.searches):
            log("Using the filled instance; migrating it")
            case_bench.run_command(app, "db", "upgrade")
            fills = [float(s) for s in record.read_text().split()] if record.exists() else [0, 0]
        else:
            fills = fill(app, opts)
            record.write_text(f"{fills[0]:.0f} {fills[1]:.0f}\n")
        log("Rolling up")
        rolling = roll_up(app)
        case_bench.analyse(app)
        log(f"Measuring {opts.repeat} dashboards")
        query, dashboard, per_section, allocation, rows, key_rows = measure(app, opts.repeat, opts.year)
        shape = data_shape(app, query)
    report(opts, query, dashboard, per_section, allocation, rows, key_rows, shape, (*fills, *rolling))


def fill(app, opts):
    """Cases and searches in bulk: the seconds each took."""
    url = opts.url if opts.database == "postgresql" else None
    log(f"Filling {opts.cases:,} cases")
    with Stopwatch() as filling_cases:
        case_bench.prepare(app, url)
        case_bench.fill(app, opts.cases, opts.seed)
    employees_known(app)
    log(f"Filling {opts.searches:,} search-log rows")
    with Stopwatch() as filling_searches:
        fill_searches(app, opts.searches, opts.seed)
    return [filling_cases.seconds, filling_searches.seconds]


def searches_filled(app, count):
    from portal.extensions import db
    from portal.search.models import SearchLogEntry

    with app.app_context():
        return (db.session.scalar(select(func.count(SearchLogEntry.id))) or 0) >= count


def report(opts, query, dashboard, per_section, allocation, rows, key_rows, shape, fills):
    database = "PostgreSQL" if opts.database == "postgresql" else "SQLite"
    ms = lambda f: [f"{f['p50']:.0f}", f"{f['p95']:.0f}", f"{f['max']:.0f}"]     # noqa: E731
    table = [["dashboard: sections(), all förvaltningar", *ms(dashboard)]]
    table += [[f"  section {key}", *ms(f)] for key, f in sorted(per_section.items(), key=lambda p: -p[1]["p50"])]
    table += [["cost allocation (year)", *ms(allocation)]]
    print_table(f"Statistics benchmark: {shape['cases']:,} cases, {shape['search-log rows']:,} search-log rows "
                f"on {database}; {query.start} – {query.end} by month, {opts.repeat} runs each, in process",
                ["what", "p50 ms", "p95 ms", "max ms"], table)
    slowest = max(per_section.items(), key=lambda p: p[1]["p95"])
    print(f"\nSlowest section: {slowest[0]} (p95 {slowest[1]['p95']:.0f} ms); the dashboard shows {rows:,} rows, "
          f"the key {key_rows} förvaltningar")
    print("Data: " + ", ".join(f"{name} {value:,}" for name, value in shape.items()))
    print(f"Fill: cases {fills[0]:.0f} s, search log {fills[1]:.0f} s; roll-up of the search log's finished days "
          f"{fills[2]:.1f} s, of every day's cases {fills[3]:.1f} s")
    print(f"Load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    target = TARGET_SECONDS[opts.database] * 1000
    print(f"Target: dashboard p95 < {target:.0f} ms on {database}: "
          f"{'yes' if dashboard['p95'] < target else 'NO'} ({dashboard['p95']:.0f} ms)")


if __name__ == "__main__":
    main()
