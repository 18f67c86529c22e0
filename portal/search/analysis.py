"""Language analysis: stemming, stop words and Swedish compound splitting.

Swedish writes compounds as one word ("parkeringstillstånd"), so a citizen
who types "parkering" or "tillstånd" would miss it with stemming alone.  We
split compounds *against the index's own vocabulary*: a word is cut where
both sides are words (compared by stem, so that linking letters as in
parkering-s-tillstånd and changed endings as in förskol-e-plats match) that
occur on their own somewhere in the published text.  The parts are indexed
in a separate, lower-boosted field, and query words are split the same way.
This keeps precision (only real words of this municipality's text count) and
needs no dictionary to maintain.
"""
import re
from functools import lru_cache

import Stemmer
from whoosh.analysis import (
    CompositeAnalyzer, LowercaseFilter, PyStemmerFilter, RegexTokenizer, StopFilter, Token,
)
from whoosh.lang import stopwords_for_language

ANALYZED_LANGUAGES = {"sv": "swedish", "en": "english"}
COMPOUNDING = "sv"   # the language whose compounds are split
NEUTRAL = "xx"
WORD = re.compile(r"\w+", re.UNICODE)
# Letters a word needs to be indexed, searched and marked: a lone letter ("a" in
# "get a parking permit") is no word of Swedish, and matched "a-kassan".
MIN_WORD = 2
# Letters a compound part needs.  Measured on the demo text: with 4, a quarter of the
# splits were wrong (somm-aren, pass-agerare, ange-lägenheter, kör-logg); with 5 almost
# none, and the golden set is found either way.
MIN_PART = 5
MIN_COMPOUND = 2 * MIN_PART   # letters; shorter words are never split


def field_language(lang):
    """Languages with their own analysis, or the neutral analyzer for the rest."""
    return lang if lang in ANALYZED_LANGUAGES else NEUTRAL


@lru_cache(maxsize=None)
def analyzer(lang):
    parts = [RegexTokenizer(), LowercaseFilter()]
    if lang in ANALYZED_LANGUAGES:
        parts += [StopFilter(stoplist=stopwords_for_language(lang), minsize=MIN_WORD),
                  PyStemmerFilter(ANALYZED_LANGUAGES[lang], cachesize=50000)]
    return FusedAnalyzer(*parts)


class FusedAnalyzer(CompositeAnalyzer):
    """``RegexTokenizer | LowercaseFilter [| StopFilter | PyStemmerFilter]`` run as one loop.

    Whoosh runs each filter as a generator of its own, and handing every token
    down that chain took most of the time of indexing and of highlighting
    snippets.  This yields the same tokens (text, positions, character offsets,
    ``stopped``), reading the settings from the same components, which it keeps
    as its items.  Uncommon calls (no tokenizing, keeping the original text, no
    morphology) go through the plain chain.
    """

    def __init__(self, tokenizer, lowercase, stop=None, stemmer=None):
        super().__init__(*[part for part in (tokenizer, lowercase, stop, stemmer) if part])

    def __call__(self, value, no_morph=False, tokenize=True, keeporiginal=False, **kwargs):
        if no_morph or not tokenize or keeporiginal:
            return super().__call__(value, no_morph=no_morph, tokenize=tokenize,
                                    keeporiginal=keeporiginal, **kwargs)
        return self._tokens(value, **kwargs)

    def _tokens(self, value, positions=False, chars=False, removestops=True, start_pos=0,
                start_char=0, mode="", **kwargs):
        assert isinstance(value, str), f"{value!r} is not unicode"
        tokenizer, _lowercase, *rest = self.items
        stop, stemmer = (rest + [None, None])[:2]
        # The StopFilter's test: shorter than min, longer than max, or in the list.
        stops, low, high = (stop.stops, stop.min, stop.max) if stop else ((), 0, None)
        renumber = positions and stop is not None and stop.renumber
        stem, unstemmed = (stemmer._stem, stemmer.ignore) if stemmer else (None, ())
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        kept_pos = None
        for number, match in enumerate(tokenizer.expression.finditer(value)):
            text = match.group(0).lower()
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


@lru_cache(maxsize=None)
def stopwords(lang):
    return frozenset(stopwords_for_language(lang)) if lang in ANALYZED_LANGUAGES else frozenset()


def terms(lang, text):
    """The index terms ``text`` produces in the given field language."""
    return [token.text for token in analyzer(lang)(text)]


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
    stem = swedish_stem
    stop = stopwords(COMPOUNDING)
    seen = {word for text in texts for word in words(text)}
    return {stem(word) for word in seen if len(word) >= MIN_PART and word not in stop
            and not word.isdigit()}
