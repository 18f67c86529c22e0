"""Search queries like citizens and agents type them, drawn from the demo vocabulary.

Every golden query (``tests/golden/*.toml``) comes first; the rest are drawn
at random, in fixed shares, from the words of the demo titles, keywords,
texts and agent notes: single words, two words, whole compounds, compounds
typed as their parts, misspellings (a letter dropped, doubled, swapped or
typed without å/ä/ö) and English words.
"""
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

from portal.search.analysis import Decompounder, analyzer_name, stopwords, vocabulary, words

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden"
SHARES = {"word": 25, "two words": 20, "compound": 10, "compound parts": 10,
          "misspelling": 15, "english": 12, "agent word": 8}
NO_DIACRITICS = str.maketrans("åäöé", "aaoe")


@dataclass(frozen=True)
class Query:
    q: str
    lang: str
    kind: str


def golden_queries():
    return [Query(case["q"], case["lang"], f"golden {case.get('kind', '')}".strip())
            for path in sorted(GOLDEN.glob("*.toml"))
            for case in tomllib.loads(path.read_text("utf-8"))["query"]]


def content_words(texts, lang):
    """Distinct words of four letters or more that are not stop words, in first-seen order."""
    stop = stopwords(analyzer_name(lang))
    return list(dict.fromkeys(w for text in texts for w in words(text)
                              if len(w) >= 4 and w not in stop and w.isalpha()))


def misspell(word, rng):
    """One typing mistake: without diacritics, a letter dropped, doubled or swapped."""
    if word != word.translate(NO_DIACRITICS) and rng.random() < 0.4:
        return word.translate(NO_DIACRITICS)
    i = rng.randrange(1, len(word) - 1)
    return rng.choice((word[:i] + word[i + 1:], word[:i] + word[i] + word[i:],
                       word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]))


class QueryMaker:
    def __init__(self, corpus, seed):
        self.rng = random.Random(f"{seed}:queries")
        sv, en = corpus.general["sv"], corpus.general["en"]
        self.topic_words = {"sv": content_words(sv.phrases, "sv"),
                            "en": content_words(en.phrases, "en")}
        self.text_words = content_words(sv.chain, "sv")
        # Per demo article: the words of its titles and keywords, and of its text.
        self.article_words = {lang: [(content_words(blend.own.phrases, lang),
                                      content_words(blend.own.chain, lang))
                                     for blend in corpus.blends[lang]] for lang in ("sv", "en")}
        self.agent_words = content_words(corpus.general["agent"].chain, "sv")
        decompounder = Decompounder(vocabulary(sv.chain))
        self.compounds = {word: parts for word, parts in
                          ((w, decompounder.split(w)) for w in self.text_words if len(w) >= 10)
                          if len(parts) == 2 and min(map(len, parts)) >= 4}
        self.compound_words = list(self.compounds)
        self.long_words = {lang: [w for w in pool if len(w) >= 6]
                           for lang, pool in self.topic_words.items()}

    def make(self, count):
        golden = golden_queries()[:count]
        kinds = self.rng.choices(list(SHARES), weights=list(SHARES.values()),
                                 k=count - len(golden))
        return golden + [getattr(self, kind.replace(" ", "_"))() for kind in kinds]

    def pick(self, pool):
        return self.rng.choice(pool)

    def word(self):
        pool = self.topic_words["sv"] if self.rng.random() < 0.7 else self.text_words
        return Query(self.pick(pool), "sv", "word")

    def related_words(self, lang):
        """Two words one article has: one of its title or keywords, one of its text."""
        topic, text = self.pick(self.article_words[lang])
        first = self.pick(topic)
        return f"{first} {self.pick([w for w in text if w != first])}"

    def two_words(self):
        return Query(self.related_words("sv"), "sv", "two words")

    def compound(self):
        return Query(self.pick(self.compound_words), "sv", "compound")

    def compound_parts(self):
        return Query(" ".join(self.compounds[self.pick(self.compound_words)]), "sv",
                     "compound parts")

    def misspelling(self):
        lang = "sv" if self.rng.random() < 0.8 else "en"
        word = self.pick(self.long_words[lang])
        return Query(misspell(word, self.rng), lang, "misspelling")

    def english(self):
        if self.rng.random() < 0.6:
            return Query(self.pick(self.topic_words["en"]), "en", "english")
        return Query(self.related_words("en"), "en", "english")

    def agent_word(self):
        return Query(self.pick(self.agent_words), "sv", "agent word")
