"""Reading the interface catalogues: the messages of a language with their
translations, filtered and paged, and how much of each language is translated."""
import hashlib
from dataclasses import dataclass
from math import ceil

from flask import abort

from portal.catalogs import placeholders, runtime
from portal.catalogs.languages import translatable_languages

PER_PAGE = 50
FROM_DATABASE, FROM_FILE = "database", "file"


@dataclass
class Entry:
    """One message as a translator sees it."""
    key: str
    source: object             # the template's babel Message
    forms: tuple               # the current translation, one text per form ("" where missing)
    origin: str | None         # FROM_DATABASE, FROM_FILE, or None when untranslated
    saved: runtime.Saved | None

    @property
    def msgid(self):
        return runtime.message_key(self.source.id)

    @property
    def plural(self):
        return self.source.id[1] if self.source.pluralizable else None

    @property
    def placeholders(self):
        return placeholders.of(self.msgid)

    @property
    def saved_id(self):
        """The row of the newest browser save (0: none), to notice a save made meanwhile."""
        return self.saved.id if self.saved else 0

    @property
    def translated(self):
        return self.origin is not None

    def matches(self, words):
        text = " ".join([*(self.source.id if self.source.pluralizable else [self.source.id]), *self.forms])
        return words.casefold() in text.casefold()


@dataclass
class Coverage:
    code: str
    translated: int
    total: int

    @property
    def percent(self):
        return 100 * self.translated // self.total if self.total else 100


def url_key(source):
    """A short, stable name for a message in URLs."""
    text = f"{source.context or ''}\x04{runtime.message_key(source.id)}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def language_or_404(code):
    if code not in translatable_languages():
        abort(404)
    return code


def entries(code):
    """Every message of the template with its translation in ``code``."""
    built = runtime.language_catalog(code)
    return [entry_for(source, built) for source in runtime.template() if source.id]


def entry_for(source, built):
    current = built.catalog.get(source.id, source.context)
    forms = texts(current, built.catalog.num_plurals if source.pluralizable else 1)
    translated = bool(current and all(forms) and "fuzzy" not in current.flags)
    saved = built.saved.get((source.context or "", runtime.message_key(source.id)))
    origin = (FROM_DATABASE if saved else FROM_FILE) if translated else None
    return Entry(url_key(source), source, forms, origin, saved)


def texts(message, count):
    """The translation of ``message`` as ``count`` texts."""
    if message is None:
        return ("",) * count
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return tuple((list(strings) + [""] * count)[:count])


def entry_or_404(code, key):
    for entry in entries(code):
        if entry.key == key:
            return entry
    abort(404)


def entry_page(code, words="", untranslated=False, page=1):
    """(entries on ``page``, number of pages, number found) among the messages of
    ``code`` whose source or translation holds ``words``."""
    found = [entry for entry in entries(code)
             if (not untranslated or not entry.translated) and (not words or entry.matches(words))]
    pages = max(1, ceil(len(found) / PER_PAGE))
    start = (min(page, pages) - 1) * PER_PAGE
    return found[start:start + PER_PAGE], pages, len(found)


def coverage(code):
    found = entries(code)
    return Coverage(code, sum(entry.translated for entry in found), len(found))


def plural_examples(code, count):
    """For each plural form of ``code``, a few numbers that take it."""
    plural = runtime.language_catalog(code).translations.plural
    examples = [[] for _form in range(count)]
    for number in range(0, 200):
        form = plural(number)
        if form < count and len(examples[form]) < 4:
            examples[form].append(number)
    return examples
