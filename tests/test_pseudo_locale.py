"""No visible text slips past the catalogues (issue 14).

The test serves a pseudo-locale in place of English: a catalogue built from
``translations/messages.pot`` whose every msgstr is its msgid between ``⟦`` and
``⟧``.  The placeholders (``%(name)s``, ``{name}``) stay outside the markers, so
what is filled into a message is checked on its own.  Then every page of the
access matrix (``tests/test_access_matrix.py``) is requested at its ``/en/`` URL
as each role that may see it, each form of the matrix is sent empty (the error
states), and the error pages are shown.

A text a person can see (text nodes, and the attributes a browser or a screen
reader shows) is acceptable when it is between markers; or inside an element
whose ``lang`` says it is in another language than the page; or it is data: what
the database holds (articles, names, departments …), the e-services' own texts,
the settings of the municipality, and numbers, dates, addresses, references and
punctuation.  Everything else is reported with its URL.  So is a text the
database holds only in Swedish (an untranslated alert, a draft's title) shown on
the English page without ``lang="sv"`` around it.

Besides the matrix, every page of every e-service's form is shown and sent empty.
A page of the URL map that no request reached is reported: a new page is checked
once it has its rows in the matrix (``test_every_route_is_in_the_matrix`` asks for
them), and a page no role could open is not silently left out.

What may be shown without our catalogue beyond data is kept small: WTForms' own
messages (WTForms' catalogues translate them), the words Babel writes into dates
and amounts (and the units of sizes), the names of the languages, each written in its own language, and the
codes of the search analyzers.
"""
import functools
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel import Locale
from babel.units import format_unit
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from portal.extensions import babel, db
from portal.html import render_markdown
from portal.i18n import LANGUAGE_NAMES
from portal.search import analysis
from tests.conftest import copy_of_demo
from tests import test_access_matrix
from tests.test_access_matrix import FRESH, MATRIX, ROLES, Row, Visitor, row_urls, with_statistics

ROOT = Path(__file__).resolve().parent.parent
# The fixture with the matrix's demo instance and the objects its rows name.
matrix_template = test_access_matrix.matrix_template
PSEUDO = "en"           # the language the pseudo catalogue stands in for
OPEN, CLOSE = "⟦", "⟧"
PLACEHOLDER_RE = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdif]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")


# --- the pseudo catalogue ------------------------------------------------------------
def pseudo(text):
    """``text`` with its words between markers and its placeholders outside them,
    except a placeholder inside an HTML tag (a link's address), which stays inside."""
    parts, start = [], 0
    for match in PLACEHOLDER_RE.finditer(text):
        if text.count("<", 0, match.start()) > text.count(">", 0, match.start()):
            continue
        parts += [OPEN + text[start:match.start()] + CLOSE, match.group()]
        start = match.end()
    parts.append(OPEN + text[start:] + CLOSE)
    return "".join(parts).replace(OPEN + CLOSE, "")


def pseudo_catalogue():
    with open(ROOT / "translations" / "messages.pot", "rb") as handle:
        catalogue = read_po(handle, locale=PSEUDO)
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = [pseudo(msgid) for msgid in ids]
        message.string = tuple(strings[:1] + strings[1:] * (catalogue.num_plurals - 1)) \
            if isinstance(message.id, tuple) else strings[0]
    return catalogue


def pseudo_translations(folder):
    """A translations directory with the real catalogues and the pseudo one as PSEUDO."""
    shutil.copytree(ROOT / "translations", folder)
    with open(folder / PSEUDO / "LC_MESSAGES" / "messages.mo", "wb") as handle:
        write_mo(handle, pseudo_catalogue())
    return folder


def forget_loaded_catalogues(app):
    """Flask-Babel keeps loaded catalogues per process, not per app: the pseudo
    catalogue must neither meet the real English one nor stay behind."""
    with app.app_context():
        babel.domain_instance.cache.clear()


# --- what a person sees ----------------------------------------------------------------
SKIPPED_ELEMENTS = {"script", "style"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                 "track", "wbr"}
SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "aria-roledescription"}
BUTTON_TYPES = {"submit", "button", "reset"}


class VisibleText(HTMLParser):
    """Collects (text, language, element) of what a page shows: the parts of text
    nodes outside the markers (which may span elements), and the shown attributes.
    Elements marked ``translate="no"`` hold no text of the interface: the messages
    themselves on the pages where translators translate them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = [("", "", False)]     # (tag, language, marked translate="no")
        self.depth = 0              # how many markers are open in the text
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang", self.stack[-1][1])
        kept = attrs.get("translate") == "no" or self.stack[-1][2]
        for name, value in attrs.items():
            if value and not kept and self.shown(tag, name, value, attrs):
                self.found += [(text, lang, tag) for text in outside_markers(value)]
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, lang, kept))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        tags = [open_tag for open_tag, _lang, _kept in self.stack]
        if tag in tags:
            del self.stack[len(tags) - 1 - tags[::-1].index(tag):]

    def handle_data(self, data):
        tag, lang, kept = self.stack[-1]
        if tag in SKIPPED_ELEMENTS or kept:
            return
        texts, self.depth = split_markers(data, self.depth)
        self.found += [(text, lang, tag) for text in texts]

    @staticmethod
    def shown(tag, name, value, attrs):
        """Attributes people see or hear; ``data-*`` ones that hold words are texts
        a script shows (a status line), unlike codes and addresses (no space, no capital)."""
        if name in SHOWN_ATTRIBUTES:
            return True
        if name == "value" and tag == "input":
            return attrs.get("type") in BUTTON_TYPES
        return name.startswith("data-") and (" " in value.strip() or value[:1].isupper())


def split_markers(text, depth=0):
    """The pieces of ``text`` outside markers, and the number of markers still open."""
    pieces, current = [], []
    for char in text:
        if char == OPEN:
            depth += 1
        elif char == CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            current.append(char)
            continue
        pieces.append("".join(current))
        current = []
    pieces.append("".join(current))
    return [" ".join(piece.split()) for piece in pieces if piece.strip()], depth


def outside_markers(text):
    return split_markers(text)[0]


def visible_texts(html):
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.found


# --- data: what may be shown without the catalogue --------------------------------------
DATA_PATTERNS = [
    r"[+-]?\d[\d\s.,:/–-]*%?",                         # numbers, times, dates, ranges
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+",                      # e-mail addresses
    r"https?://\S+|/\S*",                               # addresses on the web and paths
    r"[A-Z]{2,5}-\d{4}-\d+",                            # case references (SJB-2026-000123)
    r"(?=.*\d)[0-9a-f]{10}",                            # the reference of an error (portal/errors.py)
]
DATA_RE = re.compile("|".join(f"(?:{pattern})" for pattern in DATA_PATTERNS))


CLDR_UNITS = ("digital-kilobyte", "length-meter")   # what |kilobytes and |measure write


def locale_words(lang):
    """Words Babel writes in ``lang``: months, weekdays, AM/PM in dates and times;
    currency codes and symbols in amounts; the units of sizes and distances."""
    locale = Locale.parse(lang)
    words = {"at", "UTC", *locale.currency_symbols.keys(), *locale.currency_symbols.values()}
    for unit in CLDR_UNITS:
        words.update(re.findall(r"[^\d\s.,]+", format_unit(2, unit, "short", locale=locale)))
    for names in (locale.months, locale.days, locale.day_periods):
        for context in names.values():
            for width in context.values():
                words.update(width.values())
    return {word for word in words if isinstance(word, str)}


def wtforms_messages():
    """WTForms' own messages ("This field is required."): they go through WTForms'
    catalogues, which Flask-WTF loads in the page's language."""
    from wtforms.i18n import messages_path

    with open(Path(messages_path()) / "wtforms.pot", "rb") as handle:
        return {text for message in read_po(handle) if message.id
                for text in (message.id if isinstance(message.id, tuple) else (message.id,))}


def strings_in(value):
    """The texts a stored value holds, and the strings inside JSON."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return {text for item in value for text in strings_in(item)}
    if not isinstance(value, str) or not value.strip():
        return set()
    return texts_of(value)


@functools.cache
def texts_of(value):
    """A stored text itself, its lines, and the texts it shows as HTML or Markdown."""
    texts = {value, *value.splitlines()}
    texts.update(text for text, *_where in visible_texts(render_markdown(value)))
    if "<" in value:
        texts.update(text for text, *_where in visible_texts(value))
    return frozenset(" ".join(text.split()) for text in texts if text.strip())


def database_texts(app):
    """Every text the database holds, by language (see ``by_language``)."""
    found = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                by_language(list(row), found)
    return found


def by_language(value, found, lang=None):
    """Add to ``found`` (language → texts) the texts in ``value``: those of a mapping
    with one entry per language ({"sv": …, "en": …}, at any depth of JSON) under its
    language, the others under None."""
    if isinstance(value, dict):
        per_language = bool(value) and set(value) <= set(LANGUAGE_NAMES)
        for key, item in value.items():
            by_language(item, found, key if per_language else lang)
    elif isinstance(value, (list, tuple)):
        for item in value:
            by_language(item, found, lang)
    else:
        found.setdefault(lang, set()).update(strings_in(value))
    return found


def known_data(app, stored):
    """The database's texts (``stored``), the e-services' texts, the municipality's
    settings, what the matrix types into search boxes, the names of the languages
    (each written in its own language) and of the search analyzers (PyStemmer's
    codes, "english", which the admins pick from)."""
    from eservices import registry

    known = strings_in(list(LANGUAGE_NAMES.values())) | wtforms_messages() | set().union(*stored.values())
    known |= set(analysis.ANALYZERS)
    known |= strings_in([value for name, value in app.config.items() if name.startswith("PORTAL_")])
    known |= strings_in([list(row.query.values()) for row in MATRIX])
    with app.app_context():
        for service in registry.services().values():
            known |= strings_in([[text.title, text.summary, text.help] for text in service.texts.values()])
    return {text for text in known if any(char.isalpha() for char in text)}


def source_only_texts(app, stored):
    """Texts of more than one word the database holds in the source language only (not
    in PSEUDO, and not as a name that has no language): on a PSEUDO page they are in
    another language, which their element must say (lang).  A single word is too often
    a keyword, a code or a search term, which have no language."""
    source = app.config["PORTAL_SOURCE_LANGUAGE"]
    texts = stored.get(source, set()) - stored.get(PSEUDO, set()) - stored.get(None, set())
    return {text for text in texts if " " in text}


class DataCheck:
    """Whether a text outside the markers is data (see the module's docstring).

    ``refresh`` reads the database again: the matrix adds objects as it goes."""

    def __init__(self, app):
        self.app = app
        self.words = locale_words(PSEUDO)
        self.refresh()

    def refresh(self):
        stored = database_texts(self.app)
        self.known = sorted(known_data(self.app, stored), key=len, reverse=True)
        self.known_set = set(self.known)
        self.source_only = source_only_texts(self.app, stored)

    def unmarked(self, text):
        """What is left of ``text`` once data is taken out ("" when it is all data)."""
        if text in self.known_set:
            return ""
        for known in [known for known in self.known if known in text]:
            text = re.sub(rf"(?<!\w){re.escape(known)}(?!\w)", " ", text)
        words = (without_symbols(word) for word in text.split())
        return " ".join(word for word in words
                        if word and not DATA_RE.fullmatch(word) and word not in self.words)


def without_symbols(word):
    """``word`` without the punctuation and symbols around it ("(v2)," → "v2")."""
    symbol = [unicodedata.category(char)[0] in "PS" for char in word]
    if all(symbol):
        return ""
    return word[symbol.index(False):len(word) - symbol[::-1].index(False)]


NO_LANG = "in the source language without lang"
# Elements whose text cannot mark a part of it as another language (the page's title).
WHOLE_TEXT_ELEMENTS = {"title"}


def problems_on(html, url, check):
    """(text, what is wrong, url) of the texts outside the markers that are not data,
    and of the database's source-language texts not marked as such.  None for a page in
    another language: a draft started in Swedish takes its visitor to its Swedish pages."""
    if f'<html lang="{PSEUDO}"' not in html:
        return []
    texts = [(text, tag) for text, lang, tag in visible_texts(html) if lang in ("", PSEUDO)]
    return [(text, left, url) for text, _tag in texts if (left := check.unmarked(text))] + \
        [(text, NO_LANG, url) for text, tag in texts
         if text in check.source_only and tag not in WHOLE_TEXT_ELEMENTS]


def report(problems):
    """One line per text: the text, the words in it that are not data when some of it
    is, and the pages it is on (the first three)."""
    pages = {}
    for text, left, url in problems:
        pages.setdefault((text, left), []).append(url)
    lines = []
    for (text, left), urls in pages.items():
        urls = list(dict.fromkeys(urls))
        words = "" if left == " ".join(filter(None, map(without_symbols, text.split()))) \
            else f" ({left})" if left == NO_LANG else f" (not data: {left!r})"
        more = f" and {len(urls) - 3} more" if len(urls) > 3 else ""
        lines.append(f"{text!r}{words} on {', '.join(urls[:3])}{more}")
    return f"{len(lines)} texts did not go through the catalogue:\n" + "\n".join(lines)


# --- the pages ----------------------------------------------------------------------------
def cells(role):
    """The rows of the matrix that ``role`` may open or send, then one it may not
    open and one that does not exist (the error pages)."""
    rows = [row for row in MATRIX if not row.relogin]
    allowed = [row for row in rows if row.expected[role] == "ok"]
    pages = [row for row in rows if row.method == "GET"]
    refused = [next(row for row in pages if row.expected[role] == outcome)
               for outcome in ("deny", "missing") if any(row.expected[role] == outcome for row in pages)]
    return sorted(allowed, key=lambda row: row.method == "POST") + refused


def eservice_rows(app):
    """Each e-service's start page and every page of its form, shown and sent empty
    (the matrix has the first page of one)."""
    from eservices import registry

    with app.app_context():
        services = list(registry.services().values())
    rows = []
    for service in services:
        rows.append(Row("eservices.landing", "GET", {}, {"code": service.code}))
        for page in service.pages:
            args = {"code": service.code, "page_name": page.name}
            rows += [Row("eservices.form_page", method, {}, args) for method in ("GET", "POST")]
    return rows


def pseudo_urls(app, row, objects):
    urls = row_urls(app, row, objects)
    return [url for lang, url in urls if lang == PSEUDO] or [url for _lang, url in urls]


MAX_REDIRECTS = 3


def visit(app, visitor, row, objects, check, reached):
    """The problems on what ``row`` shows ``visitor`` (forms are sent empty)."""
    problems, urls = [], pseudo_urls(app, row, objects)
    if FRESH.keys() & set(map(str, row.args.values())):
        check.refresh()     # the object made for this request (and deleted by it) is data
    for url in urls:
        response = visitor.send(row.method, url)
        for _step in range(MAX_REDIRECTS):      # where it leads, with its message
            if response.status_code not in (301, 302, 303):
                break
            response = visitor.client.get(response.location)
        if response.status_code < 400 or row.method == "POST":
            reached.add(row.endpoint)
        if response.mimetype == "text/html":
            problems += problems_on(response.get_data(as_text=True), f"{row.method} {url}", check)
    return problems


@pytest.fixture
def pseudo_app(matrix_template, tmp_path):
    app = with_statistics(copy_of_demo(matrix_template[0], tmp_path,
                                       TRANSLATIONS_DIR=pseudo_translations(tmp_path / "translations")))
    forget_loaded_catalogues(app)
    yield app
    forget_loaded_catalogues(app)


def test_every_visible_text_goes_through_the_catalogue(pseudo_app, matrix_template):
    objects, check, reached, problems = matrix_template[1], DataCheck(pseudo_app), set(), []
    home = pseudo_app.test_client().get(f"/{PSEUDO}/").get_data(as_text=True)
    assert OPEN in home, "the pseudo catalogue is not in use"
    passes = [(username, cells(role)) for role, username in ROLES.items()]
    for username, rows in passes + [(None, eservice_rows(pseudo_app))]:
        check.refresh()
        visitor = Visitor(pseudo_app, username)
        visitor.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = PSEUDO
        for row in rows:
            problems += visit(pseudo_app, visitor, row, objects, check, reached)
    pages = {rule.endpoint for rule in pseudo_app.url_map.iter_rules() if "GET" in rule.methods}
    unreached = sorted(pages - reached)
    assert not unreached, f"no role could open these pages, so their texts went unchecked: {unreached}"
    if problems:
        pytest.fail(report(problems), pytrace=False)
