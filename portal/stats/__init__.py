"""Statistics: the seam every domain codes against (issue 15).

STAND-IN: this is part G's minimal local copy of exactly the seam's names, so that
``content/statistics.py`` and ``portal/search/statistics.py`` can register their
figures before part D is merged.  The lead replaces this file with part D's
``portal/stats/__init__.py`` (keeping ``topics.py`` next to it).

A domain registers a *provider* with :func:`register_statistics`: a function of a
:class:`StatsQuery` that returns a :class:`Section` of :class:`Table` s, each
computed by SQL aggregation and holding no personal data.
"""
from dataclasses import dataclass
from datetime import date

from flask import current_app

__all__ = ["StatsQuery", "Column", "Table", "Section", "register_statistics", "sections", "table"]


@dataclass(frozen=True)
class StatsQuery:
    start: date            # first day, inclusive (Europe/Stockholm calendar days)
    end: date              # last day, inclusive
    granularity: str       # "day" | "week" | "month": the buckets of time series
    department_ids: frozenset[int] | None   # None = all förvaltningar (manager/admin); else only these
    channel: str | None    # a value of eservices.models.Channel, or None
    case_type: str | None  # a question_type ("topic:<slug>" / "eservice:<code>"), or None
    lang: str | None       # a language code, or None


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


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


def register_statistics(app, key, provider, order=100):
    """``provider(query: StatsQuery) -> Section``; sections show in ``order``."""
    app.extensions.setdefault("portal.stats", {})[key] = (order, provider)


def sections(query):
    """Every registered provider's section, in order."""
    registered = current_app.extensions.get("portal.stats", {})
    return [provider(query) for _order, provider in sorted(registered.values(), key=lambda entry: entry[0])]


def table(query, key):
    """One table by its key (for exports); LookupError if no section has it."""
    for section in sections(query):
        for found in section.tables:
            if found.key == key:
                return found
    raise LookupError(key)
