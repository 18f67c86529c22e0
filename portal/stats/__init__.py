"""Statistics: the seam the domains register their figures with.

STAND-IN: a minimal local copy of the shared seam of issue 15, written by part C
so that ``eservices/statistics.py`` can be built and tested before part D's
``portal/stats`` is merged.  The lead replaces this file with D's.
"""
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class StatsQuery:
    start: date
    end: date
    granularity: str
    department_ids: frozenset[int] | None = None
    channel: str | None = None
    case_type: str | None = None
    lang: str | None = None


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[tuple]
    chart: str | None = None
    target: tuple[float, float] | None = None
    note: str = ""
    links: list[str | None] | None = None


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


def register_statistics(app, key, provider, order=100):
    providers = app.extensions.setdefault("portal.stats", {})
    providers[key] = (order, provider)


def sections(query):
    from flask import current_app

    providers = current_app.extensions.get("portal.stats", {})
    return [provider(query) for _order, provider in sorted(providers.values(), key=lambda item: item[0])]


def table(query, key):
    for section in sections(query):
        for found in section.tables:
            if found.key == key:
                return found
    raise LookupError(key)
