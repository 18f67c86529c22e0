"""Address words (slugs), and numbers in URLs.  Numbers in URLs and query strings
are ids: bounded, so that a huge number gives a 404 (or is ignored) instead of
overflowing the database's integers."""
import re

from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1   # the largest 64-bit integer, the widest id either database has
SLUG_CHARS = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def slugify(text):
    """An address word of ``text``: "Bygga och bo" gives ``bygga-och-bo``."""
    text = text.lower().translate(SLUG_CHARS)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:120]


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: 0 to MAX_ID unless the route says otherwise."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def id_arg(value):
    """``request.args.get(name, type=id_arg)``: a bounded id, else the default."""
    number = int(value)
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"{value} is out of range")
    return number


def init_app(app):
    app.url_map.converters["int"] = IdConverter
