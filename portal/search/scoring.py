"""Matching and ranking over cached postings: the fast path of ``WhooshEngine.search``.

Whoosh's own searcher walks a tree of matcher objects one document at a
time, a few dozen Python calls per matching document.  A search must also
count every match (the total and the facet counts), so a query that matches
most of the index cost a quarter of a second (benchmarks/search.py).

This module evaluates the same query objects set-at-a-time instead: the
postings of each term (document numbers and term frequencies) are read once
per segment and kept in a bounded cache; a query is then a few dict merges
over them.  Scores are Whoosh's BM25F with the same global statistics and
boosts, without Whoosh's coordination factor: ``Or(scale=0.9)`` multiplies a
score by a factor that Whoosh computes per *segment*, from how many of the
query's terms that segment holds, so after live writes Whoosh's own ranking
depended on which segment a document was in.  Raw scores therefore differ
from Whoosh's, while the order of the hits stays the same (within 2.5 % of
the best score; ``tests/test_search_oracle.py`` holds both to that).  Whoosh
still stores, analyses and corrects spelling; ``snippets.py`` marks the words.
"""
import heapq
import threading
from array import array
from collections import Counter, OrderedDict
from itertools import chain, takewhile
from math import log
from operator import itemgetter

from whoosh import query as Q

B, K1 = 0.75, 1.2          # Whoosh's BM25F defaults, which the index was searched with
CACHED_POSTINGS = 2_000_000  # about 16 MB of document numbers and frequencies


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
        return self._segment_value(reader, ("len", field), lambda: array("f", (
            reader.doc_field_length(n, field, 1) or 1 for n in range(reader.doc_count_all()))))

    def keywords(self, reader, field):
        """Each document's terms of the keyword or id field ``field`` in the segment."""
        return self._segment_value(reader, ("kw", field), lambda: _read_keywords(reader, field))

    def lacking(self, reader, field, value):
        """The documents of the segment that do not have ``value`` in ``field``."""
        return self._segment_value(reader, ("lacking", field, value), lambda: frozenset(
            n for n, terms in enumerate(self.keywords(reader, field)) if value not in terms))

    def expiries(self, reader):
        """(expiry, document) of the segment's documents that expire, soonest first."""
        return self._segment_value(reader, ("expiries",), lambda: sorted(
            (terms[0], n) for n, terms in enumerate(self.keywords(reader, "expires")) if terms))

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
    ids, tfs = array("i"), array("f")
    if (field, text) in reader:
        matcher = reader.postings(field, text)
        while matcher.is_active():
            ids.append(matcher.id())
            tfs.append(matcher.weight())
            matcher.next()
    return ids, tfs


def _read_keywords(reader, field):
    terms = [() for _ in range(reader.doc_count_all())]
    if field in reader.indexed_field_names():
        from_bytes = reader.schema[field].from_bytes
        for btext in reader.lexicon(field):
            text = from_bytes(btext)
            for docnum in reader.postings(field, btext).all_ids():
                terms[docnum] += (text,)
    return terms


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
        self._leaves = []   # (segment reader, offset of its document numbers, {local docnum: score})
        for reader, offset in searcher.reader().leaf_readers():
            local = self._evaluate(query, reader)
            for field, value in (filters or {}).items():
                local = _without(local, cache.lacking(reader, field, value))
            if expired_at:
                local = _without(local, _expired(cache.expiries(reader), expired_at))
            if reader.has_deletions():
                local = {n: s for n, s in local.items() if not reader.is_deleted(n)}
            self._leaves.append((reader, offset, local))

    def __len__(self):
        return sum(len(local) for _reader, _offset, local in self._leaves)

    def top(self, start, stop):
        """(global document number, score) ranked ``start`` to ``stop``, best first."""
        scored = chain.from_iterable(((offset + n, s) for n, s in local.items())
                                     for _reader, offset, local in self._leaves)
        return heapq.nlargest(stop, scored, key=itemgetter(1))[start:stop]

    def facet_counts(self, field):
        """{value: number of matching documents having it} for a keyword or id field."""
        counts = Counter()
        for reader, _offset, local in self._leaves:
            keywords = self.cache.keywords(reader, field)
            counts.update(chain.from_iterable(map(keywords.__getitem__, local)))
        return counts

    # --- evaluating the query tree in one segment --------------------------
    def _evaluate(self, node, reader):
        if isinstance(node, Q.Term):
            return self._term(node, reader)
        if isinstance(node, Q.Or):
            return _scaled(_union([self._evaluate(sub, reader) for sub in node.subqueries]),
                           node.boost)
        if isinstance(node, Q.And):
            return _scaled(_intersection([self._evaluate(sub, reader) for sub in node.subqueries]),
                           node.boost)
        if node is Q.NullQuery:
            return {}
        raise TypeError(f"cannot evaluate {node!r}")

    def _term(self, term, reader):
        ids, tfs = self.cache.postings(reader, term.fieldname, term.text)
        if not ids:
            return {}
        idf, avgfl = self._global_stats(term.fieldname, term.text)
        lengths = self.cache.lengths(reader, term.fieldname)
        weight, norm = idf * (K1 + 1) * term.boost, K1 * B / avgfl
        base = K1 * (1 - B)
        return {n: weight * tf / (tf + base + norm * lengths[n]) for n, tf in zip(ids, tfs)}

    def _global_stats(self, field, text):
        """BM25's inverse document frequency and average field length, as Whoosh's."""
        key = (field, text)
        if key not in self._stats:
            searcher = self.searcher
            count = searcher.doc_count_all()
            idf = log(count / (searcher.doc_frequency(field, text) + 1)) + 1
            self._stats[key] = (idf, searcher.avg_field_length(field) or 1)
        return self._stats[key]


def _without(scores, excluded):
    """``scores`` without the documents in ``excluded``, at the cost of the smaller of
    the two (most filters exclude nothing or almost nothing, a facet almost all)."""
    if not excluded:
        return scores
    if len(excluded) < len(scores):
        kept = dict(scores)
        for docnum in excluded:
            kept.pop(docnum, None)
        return kept
    return {n: s for n, s in scores.items() if n not in excluded}


def _expired(expiries, moment):
    """The documents whose expiry is at or before ``moment`` (``expiries`` is sorted)."""
    return frozenset(n for expiry, n in takewhile(lambda pair: pair[0] <= moment, expiries))


def _union(scores):
    scores = sorted(scores, key=len, reverse=True)
    merged = dict(scores[0]) if scores else {}
    for other in scores[1:]:
        for docnum, score in other.items():
            merged[docnum] = merged.get(docnum, 0.0) + score
    return merged


def _intersection(scores):
    if not scores or not all(scores):
        return {}
    common = set(min(scores, key=len)).intersection(*scores)
    return {docnum: sum(s[docnum] for s in scores) for docnum in common}


def _scaled(scores, boost):
    if boost == 1:
        return scores
    return {docnum: score * boost for docnum, score in scores.items()}
