"""Language analysis: an analyzer per language, and Swedish compound splitting.

Each language is analysed by an *analyzer*: one of PyStemmer's Snowball
stemmers (``Stemmer.algorithms()``) with whoosh.lang's stop words where it
has a list for that language, or the neutral analyzer (words lower-cased,
nothing else) for a language without a stemmer.  The index has its fields
per analyzer, not per language, so a language added while the site runs
(``fi`` gets Finnish's, ``sv-x-lattlast`` shares Swedish's) finds its fields
there already.

Swedish writes compounds as one word ("parkeringstillstånd"), so a citizen
who types "parkering" or "tillstånd" would miss it with stemming alone.  We
split compounds *against the index's own vocabulary*: a word is cut where
both sides are words (compared by stem, so that linking letters as in
parkering-s-tillstånd and changed endings as in förskol-e-plats match) that
occur on their own somewhere in the published text.  The parts are indexed
in a separate, lower-boosted field, and query words are split the same way.
This keeps precision (only real words of this municipality's text count) and
needs no dictionary to maintain.  Only the Swedish analyzer splits, so
easy-to-read Swedish does too.
"""
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import Stemmer
from flask import has_app_context
from whoosh.analysis import (
    CompositeAnalyzer, Filter, LowercaseFilter, PyStemmerFilter, RegexTokenizer, StopFilter, Token,
)
from whoosh.lang import NoStopWords, stopwords_for_language

from portal.i18n import language
from portal.languages import tags

NEUTRAL = "neutral"
ANALYZERS = (*Stemmer.algorithms(), NEUTRAL)   # each has index fields of its own
COMPOUNDING = "swedish"   # the analyzer whose compounds are split


def combining_marks():
    """The combining marks of the Basic Multilingual Plane, as a regex character class body.

    ``\\w`` does not match them, so Arabic written with its vowel signs ("رُخْصَة")
    or Hindi fell apart into single letters; a word keeps its marks.
    """
    marks = [code for code in range(0x300, 0x10000) if unicodedata.category(chr(code))[0] == "M"]
    runs, start = [], marks[0]
    for previous, code in zip(marks, marks[1:] + [None]):
        if code != previous + 1:
            runs.append(f"\\u{start:04x}-\\u{previous:04x}")
            start = code
    return "".join(runs)


LETTER = rf"[\w{combining_marks()}]"
WORD = re.compile(rf"{LETTER}+", re.UNICODE)
# Whoosh's default token (``\w+(\.?\w+)*``: "3.5", "sjobacka.se") of such letters.  Its
# dot is not optional here: a run of letters ends where no letter follows, so a dotless
# repeat never matched, and trying one at every word's end made tokenizing ~40 % slower.
TOKEN = rf"{LETTER}+(?:\.{LETTER}+)*"
# Letters a word needs to be indexed, searched and marked: a lone letter ("a" in
# "get a parking permit") is no word of Swedish, and matched "a-kassan".
MIN_WORD = 2
# Letters a compound part needs.  Measured on the demo text: with 4, a quarter of the
# splits were wrong (somm-aren, pass-agerare, ange-lägenheter, kör-logg); with 5 almost
# none, and the golden set is found either way.
MIN_PART = 5
MIN_COMPOUND = 2 * MIN_PART   # letters; shorter words are never split

ARABIC_FOLDING = str.maketrans({
    "\u0649": "\u064a",   # alef maqsura → yeh: "مستشفى" and "مستشفي" are one word
    "\u06a9": "\u0643",   # keheh (Persian keyboards) → kaf
    "\u06cc": "\u064a",   # Farsi yeh (Persian keyboards) → yeh
    **{chr(0x06f0 + digit): str(digit) for digit in range(10)},   # Persian digits
})
FOLDINGS = {"arabic": ARABIC_FOLDING}


def stemmer_for(lang):
    """The PyStemmer algorithm that analyses the language ``lang`` (a BCP 47 tag), or ""
    for the neutral analyzer: the language registry's choice (``language(code).analyzer``,
    which an admin may have changed); outside an app (the engine's own tests and
    benchmarks), or for a language nobody has added, the one the registry would give it.
    """
    if has_app_context():
        try:
            return language(lang).analyzer
        except LookupError:
            pass
    return _default_stemmer(lang)


@lru_cache(maxsize=None)
def _default_stemmer(lang):
    return tags.describe(lang).analyzer


def analyzer_name(lang):
    """The analyzer of the language ``lang``, which names its index fields."""
    stemmer = stemmer_for(lang)
    return stemmer if stemmer in ANALYZERS else NEUTRAL


@lru_cache(maxsize=None)
def analyzer(name):
    """The analyzer ``name`` (one of ``ANALYZERS``)."""
    parts = [RegexTokenizer(TOKEN), LowercaseFilter()]
    if name in FOLDINGS:
        parts.append(Folding(FOLDINGS[name]))
    if name != NEUTRAL:
        parts += [StopFilter(stoplist=stopwords(name), minsize=MIN_WORD),
                  PyStemmerFilter(name, cachesize=50000)]
    fused = FusedAnalyzer(*parts)
    fused.name = name
    return fused


class Folding(Filter):
    """Writes each token with the letters that stand for others replaced (a
    ``str.translate`` table), so that spelling variants make one index term.

    Arabic: Snowball's Arabic stemmer already drops the vowel signs (harakat)
    and the tatweel that stretches a word, reads the hamza forms of alef as
    alef, presentation forms as letters and Arabic-Indic digits as digits.  It
    leaves alef maqsura and yeh apart at the end of a word, where writers use
    either ("على"/"علي", "مستشفى"/"مستشفي"), and the keheh and Farsi yeh that a
    keyboard set for Persian types; ``ARABIC_FOLDING`` makes them one.  Folding
    the hamza forms here as well would hide prefixes from the stemmer ("وأنا").
    """

    def __init__(self, table):
        self.table = table

    def __call__(self, tokens):
        for token in tokens:
            token.text = token.text.translate(self.table)
            yield token


class FusedAnalyzer(CompositeAnalyzer):
    """``RegexTokenizer | LowercaseFilter [| Folding] [| StopFilter | PyStemmerFilter]`` run
    as one loop.

    Whoosh runs each filter as a generator of its own, and handing every token
    down that chain took most of the time of indexing and of highlighting
    snippets.  This yields the same tokens (text, positions, character offsets,
    ``stopped``), reading the settings from the same components, which it keeps
    as its items.  Uncommon calls (no tokenizing, keeping the original text, no
    morphology) go through the plain chain.

    It pickles as its name: the index's schema, which Whoosh unpickles each
    time it opens the index, holds a field per analyzer, and with every
    stemmer's settings and stop words in it that took 8 of the 11 ms of
    opening.  Unpickled, it is ``analyzer(name)`` of the running code, which
    is the analyzer the index was built with as long as ``languages.json``
    says so (an index built with other analysis is outdated and rebuilt).
    """

    name = None   # set by ``analyzer``; an analyzer put together otherwise pickles whole

    def __reduce__(self):
        if self.name is None:
            return super().__reduce__()
        return analyzer, (self.name,)

    def __call__(self, value, no_morph=False, tokenize=True, keeporiginal=False, **kwargs):
        if no_morph or not tokenize or keeporiginal:
            return super().__call__(value, no_morph=no_morph, tokenize=tokenize,
                                    keeporiginal=keeporiginal, **kwargs)
        return self._tokens(value, **kwargs)

    def _tokens(self, value, positions=False, chars=False, removestops=True, start_pos=0,
                start_char=0, mode="", **kwargs):
        assert isinstance(value, str), f"{value!r} is not unicode"
        tokenizer = self.items[0]
        folding, stop, stemmer = map(self._item, (Folding, StopFilter, PyStemmerFilter))
        # The StopFilter's test: shorter than min, longer than max, or in the list.
        stops, low, high = (stop.stops, stop.min, stop.max) if stop else ((), 0, None)
        renumber = positions and stop is not None and stop.renumber
        stem, unstemmed = (stemmer._stem, stemmer.ignore) if stemmer else (None, ())
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        kept_pos = None
        for number, match in enumerate(tokenizer.expression.finditer(value)):
            text = match.group(0).lower()
            if folding:
                text = text.translate(folding.table)
            token.boost = 1.0
            if positions:
                token.pos = start_pos + number
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            if len(text) < low or text in stops or (high is not None and len(text) > high):
                if removestops:
                    continue
                token.stopped, token.text = True, text
            else:
                if renumber:
                    kept_pos = token.pos if kept_pos is None else kept_pos + 1
                    token.pos = kept_pos
                token.stopped = False
                token.text = stem(text) if stem and text not in unstemmed else text
            yield token

    def term_counts(self, value, known):
        """{term: how often it occurs} of the text ``value``, stop words left out: what
        indexing it makes of the tokens, without positions.

        ``known`` maps each word seen before (as the tokenizer found it) to its term,
        or None for a stop word, and learns the new ones: a rebuild analyses each
        distinct word once rather than each of its occurrences.  A word's term is
        that of the word alone, so it is the term the full analysis gives it.
        """
        words = self.items[0].expression.findall(value)
        for word in set(words).difference(known):
            known[word] = next((token.text for token in self._tokens(word)), None)
        counts = Counter(map(known.__getitem__, words))
        counts.pop(None, None)
        return counts

    def _item(self, kind):
        """The component of the class ``kind``, or None."""
        return next((item for item in self.items if isinstance(item, kind)), None)


@lru_cache(maxsize=None)
def stopwords(name):
    """The stop words of the analyzer ``name``: whoosh.lang's list for its language, if any."""
    try:
        return frozenset(stopwords_for_language(name))
    except NoStopWords:
        return frozenset()


def terms(name, text):
    """The index terms ``text`` produces with the analyzer ``name``."""
    return [token.text for token in analyzer(name)(text)]


@lru_cache(maxsize=200_000)
def term(name, word):
    """The index term of ``word`` (one token) with the analyzer ``name``, or None for a
    stop word.  Kept for the words snippets meet again and again."""
    found = terms(name, word)
    return found[0] if found else None


swedish_stem = Stemmer.Stemmer("swedish").stemWord


def words(text):
    return WORD.findall((text or "").lower())


class Decompounder:
    """Splits Swedish compounds against a set of known stems."""

    def __init__(self, stems):
        self.stems = stems
        self._stem = swedish_stem
        self._cache = {}
        self._part_stems = {}

    def known(self, word):
        return word in self.stems or self._stem(word) in self.stems

    def known_head(self, head):
        """A first part may end in the linking "s" (trygghet-s-larm)."""
        return self.known(head) or (head.endswith("s") and self.known(head[:-1]))

    def split(self, word):
        """Parts of ``word`` (longest first part preferred), or [] if it is no compound."""
        if len(word) < MIN_COMPOUND or word.isdigit():
            return []
        if word not in self._cache:
            self._cache[word] = self._split(word)
        return self._cache[word]

    def _split(self, word):
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            if not self.known_head(head):
                continue
            if self.known(tail):
                return [head, tail]
            rest = self.split(tail)
            if rest:
                return [head, *rest]
        return []

    def part_stems(self, word):
        """The index terms of the parts of ``word`` (empty if it is no compound)."""
        parts = self.split(word)
        if not parts:
            return frozenset()
        if word not in self._part_stems:
            self._part_stems[word] = frozenset(terms(COMPOUNDING, " ".join(parts)))
        return self._part_stems[word]

    def parts_text(self, text):
        """All compound parts found in ``text``, as one string for the parts field."""
        return " ".join(part for word in words(text) for part in self.split(word))


def vocabulary(texts):
    """Stems of the Swedish words (not stop words) that occur in ``texts``."""
    return stems({word for text in texts for word in words(text)})


def stems(seen):
    """Stems of the Swedish words ``seen`` that may be compound parts (not stop words)."""
    stem = swedish_stem
    stop = stopwords(COMPOUNDING)
    return {stem(word) for word in seen if len(word) >= MIN_PART and word not in stop
            and not word.isdigit()}
