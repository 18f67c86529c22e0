"""SQLite FTS5 as a reference for the Whoosh engine: same documents, same queries.

One FTS5 table per language with the columns the Whoosh schema boosts
(title, keywords, text = summary + body, agent text), tokenizer
``unicode61 remove_diacritics 0`` and bm25 with the Whoosh boosts as column
weights.  A query is the OR of its words (stop words dropped as Whoosh does,
each word quoted, no prefix matching); the public scope leaves out the agent
column.  Like a Whoosh result page it returns the ranked top ten with a
snippet, the total and the facet counts.  What FTS5 does not do here:
stemming, compound splitting and "did you mean", so its work per query is
smaller, which is what a reference should show.
"""
import sqlite3
from collections import Counter

from portal.search.analysis import analyzer_name, stopwords, words
from portal.search.documents import AGENT
from portal.search.engine import BOOSTS

COLUMNS = ("title", "kw", "text", "agent")
WEIGHTS = ", ".join(str(BOOSTS[column]) for column in COLUMNS)
STORED = ("doc_type", "doc_id", "department", "topics", "url", "agent_url")
PER_PAGE = 10


class Fts5Index:
    def __init__(self, path, languages):
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.languages = languages
        for lang in languages:
            unindexed = ", ".join(f"{name} UNINDEXED" for name in STORED)
            self.db.execute(f"CREATE VIRTUAL TABLE docs_{lang} USING fts5("
                            f"{', '.join(COLUMNS)}, {unindexed}, "
                            "tokenize='unicode61 remove_diacritics 0')")

    @staticmethod
    def row(doc):
        """The rowid is the document id, so that a document is replaced by its id."""
        return (int(doc.doc_id), doc.title, " ".join(doc.keywords), f"{doc.summary} {doc.body}",
                doc.agent_text, doc.doc_type, str(doc.doc_id), doc.department,
                ",".join(doc.topics), doc.url, doc.agent_url)

    def insert(self, documents):
        for lang in self.languages:
            rows = [self.row(doc) for doc in documents if doc.lang == lang]
            self.db.execute(f"DELETE FROM docs_{lang} WHERE rowid IN "
                            f"({', '.join(str(row[0]) for row in rows) or 'NULL'})")
            self.db.executemany(f"INSERT INTO docs_{lang}(rowid, {', '.join(COLUMNS)}, "
                                f"{', '.join(STORED)}) VALUES ({', '.join('?' * 11)})", rows)

    # --- the interface the benchmark drives (as for Whoosh) ---------------------------
    def build(self, documents):
        self.insert(documents)
        for lang in self.languages:
            self.db.execute(f"INSERT INTO docs_{lang}(docs_{lang}) VALUES ('optimize')")
        self.db.commit()

    def publish(self, documents):
        self.insert(documents)
        self.db.commit()

    def search(self, q, lang, scope):
        """(total, ids of the first page) for the OR of the query's words."""
        match = self.match(q, lang, scope)
        if match is None:
            return 0, []
        table = f"docs_{lang}"
        hits = self.db.execute(
            f"SELECT doc_id, title, snippet({table}, 2, '<mark>', '</mark>', ' … ', 24) "
            f"FROM {table} WHERE {table} MATCH ? ORDER BY bm25({table}, {WEIGHTS}) LIMIT ?",
            (match, PER_PAGE)).fetchall()
        total, _facets = self.facets(table, match)
        return total, [doc_id for doc_id, _title, _snippet in hits]

    def facets(self, table, match):
        counts = {"department": Counter(), "topics": Counter(), "doc_type": Counter()}
        total = 0
        for department, topics, doc_type in self.db.execute(
                f"SELECT department, topics, doc_type FROM {table} WHERE {table} MATCH ?",
                (match,)):
            total += 1
            counts["department"][department] += 1
            counts["doc_type"][doc_type] += 1
            counts["topics"].update(t for t in topics.split(",") if t)
        return total, counts

    @staticmethod
    def match(q, lang, scope):
        """An FTS5 query: the quoted words OR-ed, limited to the public columns if public."""
        stop = stopwords(analyzer_name(lang))
        terms = [w for w in dict.fromkeys(words(q)) if w not in stop]
        if not terms:
            return None
        either = " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)
        return either if scope == AGENT else f"{{title kw text}} : ({either})"
