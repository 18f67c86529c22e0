"""The e-service catalogue (read from ``demo_catalog.toml`` until the registry exists)."""
import tomllib
from functools import lru_cache
from pathlib import Path

from flask import url_for

from portal.i18n import current_language, localized, localized_language
from portal.links import Link

CATALOG = Path(__file__).parent / "demo_catalog.toml"


@lru_cache(maxsize=1)
def catalog():
    return {entry["code"]: entry for entry in tomllib.loads(CATALOG.read_text("utf-8"))["eservice"]}


def entry(code):
    return catalog().get(code)


def texts(entry):
    """{lang: text} of an entry (the TOML keeps each language's texts under its code)."""
    return {key: value for key, value in entry.items() if isinstance(value, dict)}


def text_in(entry, lang=None):
    return localized(texts(entry), lang, default={})


def link(code):
    """The e-service's title and landing page in the current language, or None."""
    found = entry(code)
    if found is None:
        return None
    lang = current_language()
    return Link(title=text_in(found, lang)["title"], url=url_for("eservices.landing", code=code),
                lang=localized_language(texts(found), lang))
