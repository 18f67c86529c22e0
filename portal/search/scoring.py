"""Matching and ranking over cached postings: the fast path of ``WhooshEngine.search``.

Whoosh's own searcher walks a tree of matcher objects one document at a
time, a few dozen Python calls per matching document.  A search must also
count every match (the total and the facet counts), so a query that matches
most of the index cost a quarter of a second (benchmarks/search.py).

This module evaluates the same query objects set-at-a-time instead: the
postings of each term (document numbers and term frequencies) are read once
per segment and kept in a bounded cache as NumPy arrays; a query is then a
few array operations per term over a segment-long array of scores and one of
matches.  That costs about as much whether a word matches ten documents or
all of them, which is what a corpus of long pages that mention everything
needs (the mixed corpus of benchmarks/search.py: a dict per term, merged in
Python, took 60 ms there).  The total and the facet counts stay exact.

Scores are Whoosh's BM25F with the same global statistics and boosts,
without Whoosh's coordination factor: ``Or(scale=0.9)`` multiplies a score
by a factor that Whoosh computes per *segment*, from how many of the query's
terms that segment holds, so after live writes Whoosh's own ranking depended
on which segment a document was in.  Raw scores therefore differ from
Whoosh's, while the order of the hits stays the same (within 2.5 % of the
best score; ``tests/test_search_oracle.py`` holds both to that).  Whoosh
still stores, analyses and corrects spelling; ``snippets.py`` marks the words.
"""
import threading
from collections import OrderedDict
from bisect import bisect_right
from math import log

import numpy as np
from whoosh import query as Q

B, K1 = 0.75, 1.2          # Whoosh's BM25F defaults, which the index was searched with
CACHED_POSTINGS = 2_000_000  # about 24 MB of document numbers and frequencies


class PostingsCache:
    """Per segment: each term's postings, each field's lengths and each document's keywords.

    Segments never change once written (deletions are checked per search),
    so entries stay true until the segment is merged away.  Term postings
    are evicted least recently used beyond ``limit`` postings; lengths and
    keywords are small; ``retain`` drops what belongs to segments gone.
    """

    def __init__(self, limit=CACHED_POSTINGS):
        self.limit = limit
        self._postings = OrderedDict()
        self._size = 0
        self._per_segment = {}
        self._lock = threading.Lock()

    def retain(self, segment_ids):
        """Forget the segments that are not ``segment_ids`` (merged away or rebuilt)."""
        keep = set(segment_ids)
        with self._lock:
            for key in [key for key in self._postings if key[0] not in keep]:
                self._size -= len(self._postings.pop(key)[0])
            for key in [key for key in self._per_segment if key[0] not in keep]:
                del self._per_segment[key]

    def postings(self, reader, field, text):
        """(document numbers, term frequencies) of ``field:text`` in the segment."""
        key = (_segment_id(reader), field, text)
        with self._lock:
            cached = self._postings.get(key)
            if cached is not None:
                self._postings.move_to_end(key)
                return cached
        cached = _read_postings(reader, field, text)
        with self._lock:
            self._postings[key] = cached
            self._size += len(cached[0])
            while self._size > self.limit and len(self._postings) > 1:
                _key, (ids, _tfs) = self._postings.popitem(last=False)
                self._size -= len(ids)
        return cached

    def lengths(self, reader, field):
        """Each document's length of ``field`` in the segment (as Whoosh stores it)."""
        return self._segment_value(reader, ("len", field), lambda: np.fromiter(
            (reader.doc_field_length(n, field, 1) or 1 for n in range(reader.doc_count_all())),
            dtype=np.float64, count=reader.doc_count_all()))

    def keywords(self, reader, field):
        """{term: the documents having it} of the keyword or id field ``field`` in the segment."""
        return self._segment_value(reader, ("kw", field), lambda: _read_keywords(reader, field))

    def having(self, reader, field, value):
        """Which documents of the segment have ``value`` in ``field`` (a boolean array)."""
        def compute():
            having = np.zeros(reader.doc_count_all(), dtype=bool)
            having[self.keywords(reader, field).get(value, [])] = True
            return having
        return self._segment_value(reader, ("having", field, value), compute)

    def expiries(self, reader):
        """(the expiry times, soonest first; the documents expiring at each) of the segment."""
        def compute():
            pairs = sorted((expiry, docnum) for expiry, docnums
                           in self.keywords(reader, "expires").items() for docnum in docnums)
            return [expiry for expiry, _n in pairs], np.array([n for _e, n in pairs], dtype=np.int64)
        return self._segment_value(reader, ("expiries",), compute)

    def next_expiry(self, reader, moment):
        """The first expiry time after ``moment`` in the segment, or None."""
        moments, _documents = self.expiries(reader)
        later = bisect_right(moments, moment)
        return moments[later] if later < len(moments) else None

    def _segment_value(self, reader, what, compute):
        key = (_segment_id(reader), what)
        value = self._per_segment.get(key)
        if value is None:
            value = compute()
            with self._lock:
                self._per_segment[key] = value
        return value


def _segment_id(reader):
    return reader.segment().segment_id()


def _read_postings(reader, field, text):
    ids, tfs = [], []
    if (field, text) in reader:
        matcher = reader.postings(field, text)
        while matcher.is_active():
            ids.append(matcher.id())
            tfs.append(matcher.weight())
            matcher.next()
    return np.array(ids, dtype=np.int64), np.array(tfs, dtype=np.float64)


def _read_keywords(reader, field):
    documents = {}
    if field in reader.indexed_field_names():
        from_bytes = reader.schema[field].from_bytes
        for btext in reader.lexicon(field):
            documents[from_bytes(btext)] = np.fromiter(reader.postings(field, btext).all_ids(),
                                                       dtype=np.int64)
    return documents


class Matches:
    """The documents a query matches in one searcher, with their scores.

    Filters (field → value) keep only the documents that have the value.
    With ``expired_at`` (a time as the ``expires`` field holds it), documents
    whose expiry is at or before it are left out.
    """

    def __init__(self, searcher, query, cache, filters=None, expired_at=None):
        self.searcher = searcher
        self.cache = cache
        self._stats = {}
        # (segment reader, offset of its document numbers, scores, which documents match)
        self._leaves = []
        for reader, offset in searcher.reader().leaf_readers():
            scores, matched = self._evaluate(query, reader)
            for field, value in (filters or {}).items():
                matched = matched & cache.having(reader, field, value)
            if expired_at:
                matched = _without(matched, _expired(cache.expiries(reader), expired_at))
            if reader.has_deletions():
                matched = _without(matched, sorted(reader.segment().deleted_docs()))
            self._leaves.append((reader, offset, scores, matched))

    def __len__(self):
        return sum(int(np.count_nonzero(matched)) for *_rest, matched in self._leaves)

    def top(self, start, stop):
        """(global document number, score) ranked ``start`` to ``stop``, best first;
        of equal scores, the lower document number first."""
        numbers, scores = [], []
        for _reader, offset, leaf_scores, matched in self._leaves:
            local = np.flatnonzero(matched)
            numbers.append(local + offset)
            scores.append(leaf_scores[local])
        numbers, scores = np.concatenate(numbers or [[]]), np.concatenate(scores or [[]])
        if len(scores) > stop > 0:
            # Only those at least as good as the stop-th best need sorting.
            kept = scores >= np.partition(scores, len(scores) - stop)[len(scores) - stop]
            numbers, scores = numbers[kept], scores[kept]
        order = np.lexsort((numbers, -scores))[start:stop]
        return [(int(n), float(s)) for n, s in zip(numbers[order], scores[order])]

    def facet_counts(self, field):
        """{value: number of matching documents having it} for a keyword or id field."""
        counts = {}
        for reader, _offset, _scores, matched in self._leaves:
            for value, documents in self.cache.keywords(reader, field).items():
                count = int(np.count_nonzero(matched[documents]))
                if count:
                    counts[value] = counts.get(value, 0) + count
        return counts

    # --- evaluating the query tree in one segment --------------------------
    def _evaluate(self, node, reader):
        """(each document's score, which documents match) of ``node`` in the segment."""
        if isinstance(node, Q.Term):
            return self._term(node, reader)
        if isinstance(node, (Q.Or, Q.And)):
            parts = [self._evaluate(sub, reader) for sub in node.subqueries]
            combine = np.logical_or if isinstance(node, Q.Or) else np.logical_and
            matched = combine.reduce([m for _s, m in parts]) if parts else _none(reader)
            scores = np.sum([s for s, _m in parts], axis=0) if parts else _zeros(reader)
            if isinstance(node, Q.And):
                scores = np.where(matched, scores, 0.0)
            return (scores * node.boost if node.boost != 1 else scores), matched
        if node is Q.NullQuery:
            return _zeros(reader), _none(reader)
        raise TypeError(f"cannot evaluate {node!r}")

    def _term(self, term, reader):
        scores, matched = _zeros(reader), _none(reader)
        ids, tfs = self.cache.postings(reader, term.fieldname, term.text)
        if not len(ids):
            return scores, matched
        idf, avgfl = self._global_stats(term.fieldname, term.text)
        lengths = self.cache.lengths(reader, term.fieldname)[ids]
        weight, norm = idf * (K1 + 1) * term.boost, K1 * B / avgfl
        base = K1 * (1 - B)
        scores[ids] = weight * tfs / (tfs + base + norm * lengths)
        matched[ids] = True
        return scores, matched

    def _global_stats(self, field, text):
        """BM25's inverse document frequency and average field length, as Whoosh's."""
        key = (field, text)
        if key not in self._stats:
            searcher = self.searcher
            count = searcher.doc_count_all()
            idf = log(count / (searcher.doc_frequency(field, text) + 1)) + 1
            self._stats[key] = (idf, searcher.avg_field_length(field) or 1)
        return self._stats[key]


def _zeros(reader):
    return np.zeros(reader.doc_count_all(), dtype=np.float64)


def _none(reader):
    return np.zeros(reader.doc_count_all(), dtype=bool)


def _without(matched, excluded):
    """``matched`` with the documents ``excluded`` (numbers) left out."""
    if not len(excluded):
        return matched
    matched = matched.copy()
    matched[excluded] = False
    return matched


def _expired(expiries, moment):
    """The documents whose expiry is at or before ``moment``."""
    moments, documents = expiries
    return documents[:bisect_right(moments, moment)]
