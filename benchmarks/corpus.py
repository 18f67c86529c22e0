"""Generated articles that read like the demo knowledge base, for the benchmarks.

Every text comes from the demo articles (``content/demo/articles/*.toml``).
Each generated article has a *source*, one demo article: it takes the source's
department and topics, and most of its text comes from the source. Sentences
are walked through a word-level Markov chain of the source's own sentences,
and headings, list items, keywords and titles are drawn from the source's. A
fifth of the pieces come from the whole demo instead.  So each article keeps to
one subject, as real articles do, and a word that only a few demo articles use
is also rare in the corpus.  Were every article a blend of the whole demo, each
query would match most of the corpus.

That is what the *mixed* corpus (``Corpus(seed, mixed=True)``) is for: real
knowledge bases also have long pages that mention everything, and agents
type common words ("kommun", "ansökan", "avgift").  A mixed article draws
every piece from the whole demo and has more sections (about 3 KB of text),
so a common word matches most of the corpus and every search must rank and
count a large share of the index.

A generated article has the shape of a demo TOML file (``sv``, ``en`` and
``agent`` tables), so ``content.demo.revision_content`` turns it into revision
content and :func:`search_documents` into what the article provider would index.
Article *n* depends only on the seed and *n* (each has its own
``random.Random``), so every process that uses the same seed sees the same
corpus, and a larger corpus starts with the articles of a smaller one.
"""
import random
import re
import tomllib
from collections import defaultdict

from content.demo import ARTICLES
from content.rendering import agent_plain_text
from content.revisions import AgentLayer, RevisionData
from portal.demo import DEPARTMENTS
from portal.html import plain_text
from portal.urls import slugify
from portal.search import EVERYONE, SearchDocument

LANGUAGES = ("sv", "en")
SEED = 2025
OWN_SHARE = 0.8            # of the pieces of an article that come from its source
SECTIONS = (3, 5)          # sections of an article's body: about 2 KB of text in all
MIXED_SECTIONS = (5, 8)    # a mixed article's: about 3 KB
CONNECTORS = {"sv": ("och", "för", "i", "vid", "med"), "en": ("and", "for", "in", "at", "with")}
ROUTES = {"sv": ("artikel", "kunskap"), "en": ("article", "knowledge")}
LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.)\s+(.+)$")
MARKUP = re.compile(r"\*\*?|`|\[|\]\([^)]*\)")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
START, END = "\x02", "\x03"
MAX_SENTENCE_WORDS = 28


def demo_articles():
    return [tomllib.loads(path.read_text("utf-8")) for path in sorted(ARTICLES.glob("*.toml"))]


def plain(line):
    return MARKUP.sub("", line).strip()


class TextModel:
    """What some texts are made of: a sentence chain plus pools of their real pieces."""

    def __init__(self):
        self.chain = defaultdict(list)   # word → the words that follow it (repeats kept)
        self.headings, self.items, self.phrases, self.opening_hours = [], [], [], []

    def learn_markdown(self, text):
        """Headings and list items go to their pools; every line feeds the chain."""
        for line in text.splitlines():
            if line.startswith("#"):
                self.headings.append(line.lstrip("# ").strip())
            elif line.startswith("|") or not line.strip():
                continue
            else:
                item = LIST_ITEM.match(line)
                if item:
                    self.items.append(plain(item.group(1)))
                self.learn_prose(plain(item.group(1) if item else line))

    def learn_prose(self, text):
        for sentence in SENTENCE_END.split(text):
            tokens = [START, *sentence.split(), END]
            for before, after in zip(tokens, tokens[1:]):
                self.chain[before].append(after)

    def learn_translation(self, text):
        self.learn_markdown(text["body"])
        self.learn_prose(text["summary"])
        self.phrases += [text["title"], *text.get("keywords", [])]
        if text.get("opening_hours"):
            self.opening_hours.append(text["opening_hours"])

    def learn_agent_layer(self, agent):
        self.learn_markdown(agent.get("notes", ""))
        self.learn_markdown(agent.get("script", ""))
        self.phrases += agent.get("checklist", [])

    def sentence(self, rng):
        words, word = [], rng.choice(self.chain[START])
        while word != END and len(words) < MAX_SENTENCE_WORDS:
            words.append(word)
            word = rng.choice(self.chain[word])
        text = " ".join(words).rstrip(",;:–-")
        return text if text[-1:] in ".!?" else text + "."


def learned(texts, learn):
    model = TextModel()
    for text in texts:
        learn(model, text)
    return model


class Blend:
    """A source's own model, with a share of the pieces drawn from the whole demo
    (all of them when ``own_share`` is 0)."""

    def __init__(self, own, general, own_share=OWN_SHARE):
        self.own, self.general, self.own_share = own, general, own_share

    def model(self, rng, pool):
        """The own model most of the time, or when it has none of ``pool``."""
        own_pool = getattr(self.own, pool)
        return self.own if own_pool and rng.random() < self.own_share else self.general

    def pick(self, rng, pool):
        return rng.choice(getattr(self.model(rng, pool), pool))

    def sentences(self, rng, low, high):
        return " ".join(self.model(rng, "chain").sentence(rng)
                        for _ in range(rng.randint(low, high)))

    def picks(self, rng, pool, low, high):
        """``low`` to ``high`` different pieces from ``pool`` (fewer if they run out)."""
        wanted, chosen = rng.randint(low, high), {}
        for _ in range(wanted * 3):
            chosen.setdefault(self.pick(rng, pool), None)
            if len(chosen) == wanted:
                break
        return list(chosen)

    def bullet_list(self, rng, low, high, numbered=False):
        return "\n".join(f"{f'{i}.' if numbered else '-'} {item}" for i, item
                         in enumerate(self.picks(rng, "items", low, high), start=1))


class Corpus:
    """``article(n)``: the n-th generated article, as a demo-TOML-shaped dict."""

    def __init__(self, seed=SEED, mixed=False):
        self.seed = seed
        self.sections = MIXED_SECTIONS if mixed else SECTIONS
        own_share = 0.0 if mixed else OWN_SHARE
        self.demo = demo_articles()
        self.emails = {code: email for code, _sv, _en, email in DEPARTMENTS}
        learners = {**{lang: TextModel.learn_translation for lang in LANGUAGES},
                    "agent": TextModel.learn_agent_layer}
        self.general = {part: learned([raw[part] for raw in self.demo if part in raw], learn)
                        for part, learn in learners.items()}
        self.blends = {part: [Blend(learned([self.with_part(raw, part)[part]], learn),
                                    self.general[part], own_share) for raw in self.demo]
                       for part, learn in learners.items()}

    def with_part(self, raw, part):
        """``raw`` if it has ``part`` (a language, the agent layer), else the first demo
        article on the same topic that has it: the source of an article without English
        lends the English of a topic mate."""
        if part in raw:
            return raw
        mates = [other for other in self.demo if part in other]
        return next((m for m in mates if set(m["topics"]) & set(raw["topics"])), mates[0])

    def rng(self, n, purpose):
        return random.Random(f"{self.seed}:{n}:{purpose}")

    def source(self, n):
        return self.rng(n, "source").randrange(len(self.demo))

    def title(self, n, lang):
        """"Bygglovsansökan för ritningar": one or two of the source's titles or keywords."""
        rng, blend = self.rng(n, f"title-{lang}"), self.blends[lang][self.source(n)]
        first = blend.pick(rng, "phrases")
        if rng.random() < 0.3:
            return first[:1].upper() + first[1:]
        second = blend.pick(rng, "phrases").lower()
        return f"{first[:1].upper()}{first[1:]} {rng.choice(CONNECTORS[lang])} {second}"

    def slug(self, n, lang="sv"):
        return f"{slugify(self.title(n, lang))[:100]}-{n}"

    def translation(self, n, lang):
        rng, blend = self.rng(n, f"text-{lang}"), self.blends[lang][self.source(n)]
        return {"slug": self.slug(n, lang), "title": self.title(n, lang),
                "summary": blend.sentences(rng, 1, 3),
                "keywords": blend.picks(rng, "phrases", 5, 12),
                "opening_hours": blend.pick(rng, "opening_hours"),
                "body": "\n\n".join(self.section(rng, blend) for _ in range(rng.randint(*self.sections)))}

    @staticmethod
    def section(rng, blend):
        parts = [f"## {blend.pick(rng, 'headings')}", blend.sentences(rng, 2, 4)]
        if rng.random() < 0.6:
            parts.append(blend.bullet_list(rng, 3, 5, numbered=rng.random() < 0.3))
        return "\n\n".join(parts)

    def agent_layer(self, n):
        rng, blend = self.rng(n, "agent"), self.blends["agent"][self.source(n)]
        return {"notes": blend.bullet_list(rng, 3, 6),
                "script": blend.bullet_list(rng, 3, 5, numbered=True),
                "checklist": blend.picks(rng, "phrases", 3, 5)}

    def article(self, n):
        """Article n; it relates to up to three of the articles before it (by Swedish slug)."""
        rng, source = self.rng(n, "meta"), self.demo[self.source(n)]
        related = rng.sample(range(n), min(n, rng.randint(0, 3)))
        return {
            "department": source["department"], "topics": source["topics"],
            "rosa_level": rng.randint(1, 3),
            "related": [self.slug(m) for m in related],
            "contact_phone": "0480-45 00 00", "contact_email": self.emails[source["department"]],
            **{lang: self.translation(n, lang) for lang in LANGUAGES},
            "agent": self.agent_layer(n),
        }


def search_documents(raw, doc_id):
    """The documents the article provider would index for this article, one per language."""
    agent_text = agent_plain_text(RevisionData(department_id=0, agent=AgentLayer(**raw["agent"])))
    for lang in LANGUAGES:
        text = raw[lang]
        public, agent = ROUTES[lang]
        yield SearchDocument(
            doc_type="article", doc_id=doc_id, lang=lang, title=text["title"], audience=EVERYONE,
            summary=text["summary"], body=plain_text(text["body"]), keywords=text["keywords"],
            topics=raw["topics"], department=raw["department"],
            url=f"/{lang}/{public}/{text['slug']}", agent_text=agent_text,
            agent_url=f"/{lang}/{agent}/{doc_id}")
