"""Language tags (BCP 47, RFC 5646) and what a language gets when only its tag is given.

A tag is checked for well-formedness with the grammar of RFC 5646 (language,
extlang, script, region, variants, extensions and private use, as in
``sv-x-lattlast``).  The primary language subtag must have two or three
letters: the four- to eight-letter forms the grammar also allows are reserved
or unregistered, so ``english`` is refused as the mistake it is.

The defaults come from Babel's CLDR data: the language's own name, its
direction of writing and the locale that formats its dates and numbers; the
search analyzer is the Snowball stemmer (PyStemmer) named after the language in
English, when there is one.
"""
import re
from dataclasses import dataclass
from functools import cache

import Stemmer
from babel import Locale, UnknownLocaleError

MAX_LENGTH = 35     # RFC 5646 §4.4.1: the longest tag an implementation has to keep
TAG = re.compile(r"""
    (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3})
    (?:-(?P<script>[a-z]{4}))?
    (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
    (?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)
    (?P<extensions>(?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*)
    (?:-(?P<private>x(?:-[a-z0-9]{1,8})+))?
    """, re.IGNORECASE | re.VERBOSE)
DIRECTIONS = ("ltr", "rtl")
NEUTRAL = ""    # the analyzer of a language without a stemmer: words as they are written

# Names of languages in the language itself where the CLDR data cannot give them
# (private-use tags) or the portal writes them its own way; the rest come from Babel.
OWN_NAMES = {
    "sv": "Svenska", "en": "English", "ar": "العربية", "fi": "Suomi",
    "so": "Soomaali", "fa": "فارسی", "ti": "ትግርኛ", "uk": "Українська",
    "sv-x-lattlast": "Lättläst svenska",
}


@dataclass(frozen=True)
class LanguageInfo:
    """What the portal needs to know of a language, built in or added."""

    code: str
    name: str
    direction: str
    locale: str
    analyzer: str
    enabled: bool = True


def is_well_formed(tag):
    return len(tag) <= MAX_LENGTH and TAG.fullmatch(tag) is not None


def canonical(tag):
    """A well-formed tag in the case RFC 5646 recommends: ``sv``, ``zh-Hant-TW``, ``sv-x-lattlast``."""
    parts = TAG.fullmatch(tag).groupdict(default="")
    script, region = parts["script"].title(), parts["region"].upper()
    rest = f"{parts['variants']}{parts['extensions']}".lower()
    private = parts["private"].lower()
    return "-".join(filter(None, (parts["language"].lower(), script, region))) + rest + (f"-{private}" if private else "")


def babel_locale(tag):
    """The Babel locale for formatting in ``tag``: the tag itself when Babel knows it,
    else its primary language subtag (``sv-x-lattlast`` → ``sv``); None when Babel
    knows neither."""
    for candidate in (tag, tag.split("-")[0]):
        try:
            return str(Locale.parse(candidate, sep="-"))
        except (ValueError, UnknownLocaleError):
            continue
    return None


def parse_locale(value):
    """``value`` as Babel's locale identifier (``fi``, ``pt_BR``), or None when Babel does not know it."""
    try:
        return str(Locale.parse(value.replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return None


def analyzers():
    """The Snowball stemmers PyStemmer has, by name."""
    return sorted(Stemmer.algorithms())


def own_name(tag, locale):
    """The language's name in the language itself, capitalised for a menu ("Suomi")."""
    name = OWN_NAMES.get(tag) or Locale.parse(locale).get_display_name(locale)
    return name[:1].upper() + name[1:]


def default_analyzer(locale):
    english = Locale.parse(locale).english_name.split(" (")[0].lower()
    return english if english in Stemmer.algorithms() else NEUTRAL


def direction_of(locale):
    return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"


@cache
def describe(tag, locale=None):
    """A language as it is when only its tag is given, and perhaps the ``locale``
    that formats its dates and numbers (by default :func:`babel_locale`).

    Name, direction and analyzer come from what Babel knows of the tag itself; of
    a language Babel does not know, the name is the tag, the direction the
    locale's and the analyzer neutral.  Remembered: every page asks it of each
    language it names, and the answer never changes while the process runs.
    """
    known = babel_locale(tag)
    locale = locale or known
    return LanguageInfo(code=tag, name=own_name(tag, known) if known else OWN_NAMES.get(tag, tag),
                        direction=direction_of(known or locale), locale=locale,
                        analyzer=default_analyzer(known) if known else NEUTRAL)
