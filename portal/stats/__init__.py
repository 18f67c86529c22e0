"""Statistics: the seam the domains register their figures through, and the shell
that shows them (the dashboard, SVG charts, CSV/XLSX exports, the JSON API and the
monthly report by mail).

A domain computes its figures (by SQL aggregation, never by loading rows into
Python) in a *provider*: a function from a :class:`StatsQuery` to a
:class:`Section` of :class:`Table` s, registered with :func:`register_statistics`.
The shell never computes a case or content figure itself.  Tables hold plain
values and never personal data.

A provider only reads.  What must be written before the figures can be read (the
days and months not yet rolled up) is done by *preparations*, registered with
:func:`register_preparation` and run first, one after the other; the providers then
run side by side in threads (``PORTAL_STATS_THREADS``), each in a copy of the
request's context with its own database session.  Their reads wait mostly on the
database, which lets go of Python's lock meanwhile, so the dashboard takes about as
long as its slowest sections.

Who may ask for which förvaltningar is decided in one place,
:func:`portal.stats.access.department_scope`, used by the page, the exports and the
report alike.
"""
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from flask import current_app, has_request_context, request

from portal.i18n import current_language, force_language


@dataclass(frozen=True)
class StatsQuery:
    start: date            # first day, inclusive (Europe/Stockholm calendar days)
    end: date              # last day, inclusive
    granularity: str       # "day" | "week" | "month": the buckets of time series
    department_ids: frozenset[int] | None = None   # None = all förvaltningar (manager/admin); else only these
    channel: str | None = None    # a value of eservices.models.Channel, or None
    case_type: str | None = None  # a question_type ("topic:<slug>" / "eservice:<code>"), or None
    lang: str | None = None       # a language code, or None


@dataclass
class Column:
    key: str
    label: str            # translated (lazy) header
    kind: str = "text"    # "text" | "int" | "percent" (0–100 float) | "hours" | "days" | "date" | "money" (SEK)


@dataclass
class Table:
    key: str              # stable, unique across the dashboard: names the CSV/XLSX/API export
    title: str            # translated
    columns: list[Column]
    rows: list[tuple]     # plain values (str, int, float, date, None); never personal data
    chart: str | None = None          # None | "line" (first column = time bucket) | "bar" (first column = category)
    target: tuple[float, float] | None = None   # a target band for a percent chart, e.g. (70, 80)
    note: str = ""        # translated explanation shown under the table
    links: list[str | None] | None = None       # optional URL per row (to the article, the editor's list …)
    # False keeps the table off the public JSON API (/api/v1/stats): for figures that
    # are fine for staff but not for everyone (e.g. staff-only links, internal costs).
    public: bool = True


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


def register_statistics(app, key, provider, order=100):
    """``provider(query: StatsQuery) -> Section`` is shown on the dashboard, lower
    ``order`` first; ``key`` names it (a second registration under a key replaces the first)."""
    providers = app.extensions.setdefault("portal.statistics", {})
    providers[key] = (order, provider)


def register_preparation(app, key, prepare):
    """``prepare(query: StatsQuery)`` brings up to date, and commits, what the providers
    read for ``query``; it runs before any provider (a second registration under a key
    replaces the first)."""
    app.extensions.setdefault("portal.stats_preparations", {})[key] = prepare


def register_filter_choices(app, name, choices):
    """``choices() -> [(value, label)]`` offered in the dashboard's filter ``name``
    (``"channel"`` or ``"case_type"``): the domain that knows the values names them."""
    app.extensions.setdefault("portal.stats_choices", {}).setdefault(name, []).append(choices)


def filter_choices(name):
    return [choice for choices in current_app.extensions.get("portal.stats_choices", {}).get(name, [])
            for choice in choices()]


def sections(query):
    """Every registered provider's section for ``query``, in order: the preparations
    first, then the providers side by side."""
    for prepare in current_app.extensions.get("portal.stats_preparations", {}).values():
        prepare(query)
    registered = current_app.extensions.get("portal.statistics", {})
    providers = [provider for _order, provider in sorted(registered.values(), key=lambda pair: pair[0])]
    threads = min(current_app.config["PORTAL_STATS_THREADS"], len(providers))
    if threads <= 1:
        return [provider(query) for provider in providers]
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="statistics") as pool:
        contexts = [context_copy() for _provider in providers]
        return list(pool.map(run_in, contexts, [current_language()] * len(providers), providers,
                             [query] * len(providers)))


def context_copy():
    """A context to push in another thread, with its own app context (so its own ``g``
    and database session): a request made from this request's environment (a copy of
    the request object would share, and change, its URL arguments), or an app context."""
    if has_request_context():
        return current_app.request_context(request.environ)
    return current_app.app_context()


def run_in(context, lang, provider, query):
    """``provider(query)`` in ``context``, in the language of the page that asked."""
    with context, force_language(lang):
        return provider(query)


def table(query, key):
    """The table ``key`` for ``query`` (for the exports); LookupError when no section has it."""
    for section in sections(query):
        for found in section.tables:
            if found.key == key:
                return found
    raise LookupError(key)


def init_app(app):
    from flask_babel import lazy_gettext as _l

    from portal.auth import register_start_page
    from portal.auth.models import MANAGER, OFFICER
    from portal.stats import cli
    from portal.stats.blueprint import bp
    from portal.templating import register_staff_link

    app.register_blueprint(bp)
    register_start_page(app, MANAGER, "stats.dashboard")
    register_staff_link(app, "stats.dashboard", _l("Statistik"), (MANAGER, OFFICER))
    cli.register(app)
