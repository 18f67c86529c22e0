"""Template helpers and the places where domains plug into shared pages:
the staff menu, banners and page sections.

A page that shows one item (an article, an e-service) names it with
:func:`set_page_subject`, so that banners from other domains can show what
concerns that item (the alerts linked to an e-service) without either
domain importing the other.
"""
import math
import re
from datetime import datetime, time
from functools import lru_cache

from babel.dates import format_skeleton, format_time
from babel.units import format_unit
from flask import current_app, g
from flask_babel import format_date, format_datetime, get_locale, to_user_timezone
from flask_login import current_user

from portal.html import render_markdown, without_control_characters


def register_staff_link(app, endpoint, label, roles):
    """Show a link in the staff menu to users holding any of ``roles``."""
    app.extensions.setdefault("portal.staff_links", []).append((endpoint, label, roles))


def register_section(app, place, render):
    """``render()`` returns HTML (Markup) placed, in order, where a page calls
    ``sections(place)``: ``"home"`` (the start page) or ``"agent_search"``
    (above the agents' search, e.g. current service alerts)."""
    app.extensions.setdefault("portal.sections", {}).setdefault(place, []).append(render)


def register_banner(app, render):
    """``render()`` returns HTML shown above the content of every page: crisis
    alerts everywhere, others on the page of the item they concern
    (see :func:`page_subject`)."""
    app.extensions.setdefault("portal.banners", []).append(render)


def set_page_subject(kind, key):
    """Name the item this page shows, such as ``("article", 12)`` or ``("eservice", "felanmalan")``."""
    g.page_subject = (kind, key)


def page_subject():
    """``(kind, key)`` of the item the current page shows, or None."""
    return g.get("page_subject")


def banners():
    return [render() for render in current_app.extensions.get("portal.banners", [])]


def staff_links():
    if not current_user.is_authenticated:
        return []
    return [(endpoint, label) for endpoint, label, roles
            in current_app.extensions.get("portal.staff_links", [])
            if current_user.has_role(*roles)]


def sections(place):
    return [render() for render in current_app.extensions.get("portal.sections", {}).get(place, [])]


# The named formats where a language's own CLDR ones are not how the portal writes:
# the English pages of a Swedish municipality write "1 December 2026, 15:04", not
# the American "December 1, 2026, 3:04 PM" nor the ambiguous "12/1/26".
# Besides CLDR's four, "weekday" ("onsdag 16 december"), "weekday_year" and
# "day_month" ("16 december"); a language without its own pattern for these gets
# CLDR's nearest one for the same fields (SKELETONS), in its own order.
DAY_PATTERNS = {"weekday": "EEEE d MMMM", "weekday_year": "EEEE d MMMM y", "day_month": "d MMMM"}
DATE_FORMATS = {
    "sv": DAY_PATTERNS,
    "en": {"short": "d MMM y", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE d MMMM y", **DAY_PATTERNS},
    "fi": {"weekday": "EEEE d. MMMM", "weekday_year": "EEEE d. MMMM y", "day_month": "d. MMMM"},
}
DATETIME_FORMATS = {"en": {name: f"{DATE_FORMATS['en'][name]}, HH:mm" for name in ("short", "medium", "long", "full")}}
SKELETONS = {"weekday": "MMMMEEEEd", "weekday_year": "yMMMMEEEEd", "day_month": "MMMMd"}


def _pattern(formats, fmt):
    """The pattern for ``fmt`` in the language being rendered (a mail's, in a mail)."""
    return formats.get(str(get_locale()), {}).get(fmt, fmt)


def date_filter(value, fmt="long"):
    """``{{ day|date }}``: a date (or the day of a UTC moment, in Swedish time) as the
    page's language writes it; ``fmt`` is a named format or a CLDR pattern."""
    if not value:
        return ""
    pattern = _pattern(DATE_FORMATS, fmt)
    if pattern in SKELETONS:
        day = to_user_timezone(value) if isinstance(value, datetime) else value
        return format_skeleton(SKELETONS[pattern], day, locale=get_locale())
    return format_date(value, pattern)


def datetime_filter(value, fmt="short"):
    """``{{ moment|datetime }}``: a moment in Swedish time as the page's language writes it."""
    return format_datetime(value, _pattern(DATETIME_FORMATS, fmt)) if value else ""


# How a time of day is written where CLDR's is not the custom: Swedish "kl. 21.35"
# (Språkrådet; opening hours without the leading zero, "8.00–16.30"), and the 24-hour
# clock on the English pages.  Other languages write CLDR's short time.
TIME_FORMATS = {"sv": {"short": "HH.mm", "opening": "H.mm"},
                "en": {"short": "HH:mm", "opening": "HH:mm"}}


def time_of_day(value, fmt="short"):
    """``18.00``, ``18:00``: a wall-clock time (a ``time``, or a local ``datetime``,
    shown as it is and never moved to another zone) as the language being rendered
    writes it; ``fmt="opening"`` for opening hours."""
    wall = value if isinstance(value, time) else value.time()
    pattern = TIME_FORMATS.get(str(get_locale()), {}).get(fmt, "short")
    return format_time(wall.replace(tzinfo=None), pattern, locale=get_locale())


def measure(value, unit):
    """``{{ distance|measure("length-meter") }}``: a number with its unit (a CLDR unit
    name) as the language being rendered writes them: "1 200 m", "1,200 m"."""
    return format_unit(value, unit, "short", locale=get_locale())


def kilobytes(size):
    """``{{ stored.size|kilobytes }}``: a file's size in whole kilobytes, rounded up (a
    small file is "1 kB", never "0 kB"), in the language's digits and unit ("kt" in
    Finnish)."""
    return measure(math.ceil(size / 1024), "digital-kilobyte")


HOURS = re.compile(r"^\s*(\d{1,2})[:.](\d\d)\s*[-–]\s*(\d{1,2})[:.](\d\d)\s*$")


def hours_in_words(text):
    """``PORTAL_OPENING_HOURS`` ("08:00-16:30") as the current language writes opening
    hours (8.00–16.30, 08:00–16:30); a value in another shape is shown as it is."""
    return _hours_in_words(text, str(get_locale()))


@lru_cache(maxsize=64)
def _hours_in_words(text, _locale):
    """``hours_in_words`` once per text and Babel locale: every page renders it, in
    each of its templates, and formatting the two times took a fortieth of a page."""
    found = HOURS.match(text)
    if found is None:
        return text
    hours = [int(number) for number in found.groups()]
    opens, closes = (time_of_day(time(h, m), "opening") for h, m in (hours[:2], hours[2:]))
    return f"{opens}–{closes}"


def init_app(app):
    app.jinja_env.globals.update(staff_links=staff_links, sections=sections,
                                banners=banners)
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["time"] = time_of_day
    app.jinja_env.filters["kilobytes"] = kilobytes
    app.jinja_env.filters["measure"] = measure
    app.jinja_env.filters["xml_text"] = without_control_characters
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site_context():
        return {"municipality": app.config["PORTAL_MUNICIPALITY"],
                "contact_phone": app.config["PORTAL_CONTACT_PHONE"],
                "contact_email": app.config["PORTAL_CONTACT_EMAIL"],
                "visiting_address": app.config["PORTAL_VISITING_ADDRESS"],
                "opening_hours": hours_in_words(app.config["PORTAL_OPENING_HOURS"])}
