"""The Whoosh engine behind the search layer.

Layout on disk: ``<PORTAL_INDEX_DIR>/current`` is a symlink to one
``gen-<n>`` directory.  A rebuild writes a new generation and swaps the link
atomically, so searchers never see a half-built index and a broken one is
repaired by rebuilding.  Each generation keeps ``vocabulary.txt``, the stems
the decompounder splits against, and ``languages.json``, the index format
and the analyzer of each language it was built for: an index built in
another format, or before a language was added or its analyzer changed, is
``outdated`` and gets rebuilt.
"""
import json
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.util.filelock import try_for

from portal.clock import utcnow
from portal.i18n import source_language
from portal.search import analysis, bulk, scoring, snippets
# Segments written before BulkCodec moved to ``bulk`` name it here.
from portal.search.bulk import BulkCodec  # noqa: F401
from portal.search.cache import RESULTS_KEPT, ResultCache
from portal.search.documents import AGENT, EVERYONE, Hit, SearchResults

log = logging.getLogger(__name__)
FACETS = ("topics", "department", "doc_type")
# How much a match in each field counts; parts (compound pieces) least.
BOOSTS = {"title": 5.0, "kw": 3.0, "text": 1.0, "parts": 0.8, "agent": 0.8}
WRITE_TIMEOUT = 5.0
SPELLING_KEY = "spelling"
PARALLEL_INDEXING_FROM = 2000   # documents; fewer are not worth starting processes for
MAX_INDEX_PROCESSES = 4
MERGE_AT_SEGMENTS = 10   # every search reads every segment
SHORT_WORD = 5   # letters; a word this short gets spelling corrections one edit away
MOMENT_FORMAT = "%Y%m%d%H%M%S"   # expiry times as sortable text
# The fields' layout; raise it when they change, so that older indexes are rebuilt.
# 2: fields per analyzer (``title_swedish``), no longer per language (``title_sv``).
# 3: compound parts for the compounding analyzer only; analyzers pickled by name;
#    rebuilt segments written with ``BulkCodec``.
INDEX_FORMAT = 3
LANGUAGES_FILE = "languages.json"


def moment_key(moment):
    return moment.strftime(MOMENT_FORMAT)


def build_schema():
    fields = {
        "key": ID(unique=True, stored=True),
        "ref": ID(stored=True),
        "doc_type": ID(stored=True),
        "doc_id": STORED(),
        "lang": ID(stored=True),
        "topics": KEYWORD(stored=True, commas=True),
        "department": ID(stored=True),
        "audience": ID(stored=True),
        "expires": ID(stored=True),
        "title": STORED(),
        "summary": STORED(),
        "body": STORED(),
        "url": STORED(),
        "agent_url": STORED(),
        "agent_text": STORED(),   # for agents' snippets only
        # Only its terms and their frequencies are read ("did you mean"): no positions.
        "spell": TEXT(analyzer=analysis.analyzer(analysis.NEUTRAL), spelling=True, phrase=False),
    }
    for analyzer in analysis.ANALYZERS:
        for name in analyzed_fields(analyzer):
            fields[f"{name}_{analyzer}"] = TEXT(analyzer=analysis.analyzer(analyzer), phrase=False)
    return Schema(**fields)


def analyzed_fields(analyzer):
    """The kinds of field (of ``BOOSTS``) that the analyzer ``analyzer`` has.

    Every analyzer has its fields, used by an enabled language or not, so that
    a language added while the site runs finds its fields in the index (see
    ``analysis``); only compound parts are the compounding analyzer's alone,
    as no other analyzer ever writes or searches them.
    """
    return [name for name in BOOSTS if name != "parts" or analyzer == analysis.COMPOUNDING]


def all_text(doc):
    """Every word of ``doc`` a citizen may type: title, keywords, summary and body."""
    return f"{doc.title} {' '.join(doc.keywords)} {doc.summary} {doc.body}"


def spelling_dictionary(words):
    """One index document holding each of ``words`` (every word of the documents), for
    "did you mean".

    Indexing each document's words in the spelling field as well doubled the
    time of a rebuild; live writes still add their documents' new words.
    The document has no searchable field, so no search matches it.
    """
    return {"key": SPELLING_KEY, "ref": SPELLING_KEY, "spell": " ".join(sorted(words))}


def distinct_words(documents, compounding):
    """(every word of ``documents``, those of the documents in the languages ``compounding``,
    whose compounds are split), read in one pass: the spelling dictionary and the
    decompounder's vocabulary."""
    every, compounding_words = set(), set()
    for doc in documents:
        words = analysis.words(all_text(doc))
        every.update(words)
        if doc.lang in compounding:
            compounding_words.update(words)
    return every, compounding_words


def distinct_words_in_processes(documents, compounding, processes):
    """``distinct_words``, the documents split over ``processes`` forked processes."""
    found = bulk.in_processes(partial(distinct_words, compounding=compounding),
                              bulk.shares(documents, processes))
    return (set().union(*(every for every, _compounding in found)),
            set().union(*(compounding for _every, compounding in found)))


def indexing_processes(count):
    """How many processes index ``count`` documents: one per core (see ``bulk``), up to
    ``MAX_INDEX_PROCESSES``, for many documents where processes can be forked."""
    if count < PARALLEL_INDEXING_FROM or not bulk.CAN_FORK:
        return 1
    return min(os.cpu_count() or 1, MAX_INDEX_PROCESSES)


def built_for(languages):
    """What ``languages.json`` says of an index built for ``languages``."""
    return {"format": INDEX_FORMAT,
            "analyzers": {lang: analysis.analyzer_name(lang) for lang in languages}}


class WhooshEngine:
    def __init__(self, root, results_kept=RESULTS_KEPT):
        """``results_kept``: result pages kept in the cache (0: none, as the benchmark
        measures the search itself)."""
        self.root = Path(root)
        self._write_lock = threading.Lock()
        self._decompounders = {}
        self._local = threading.local()
        self._postings = scoring.PostingsCache()
        self._results = ResultCache(results_kept)

    # --- opening -----------------------------------------------------------
    @property
    def current(self):
        return self.root / "current"

    def open(self):
        return whoosh_index.open_dir(str(self.current))

    def searcher(self):
        """This thread's searcher, reopened only when a write or a rebuild changed the index.

        Opening an index reads its table of contents and schema and opens the
        files of every segment, which cost more than many queries.  Whoosh
        searchers must not be shared between threads, hence one per thread.
        It is reopened rather than ``refresh()``-ed: a refreshed searcher reuses
        its segment readers, which then miss documents deleted since.
        """
        generation = os.path.realpath(self.current)
        cached = getattr(self._local, "searcher", None)
        if cached is not None:
            cached_generation, ix, searcher = cached
            if (cached_generation == generation
                    and ix.latest_generation() == searcher.reader().generation()):
                return searcher
            self._local.searcher = None
            searcher.close()
        ix = whoosh_index.open_dir(generation)
        searcher = ix.searcher()
        self._local.searcher = (generation, ix, searcher)
        self._postings.retain(reader.segment().segment_id()
                              for reader, _offset in searcher.reader().leaf_readers())
        return searcher

    def health(self):
        if not self.current.exists():
            return "missing"
        try:
            ix = self.open()
            with ix.searcher() as searcher:
                searcher.doc_count()
            return "ok"
        except Exception:  # any failure to read means the index must be rebuilt
            log.exception("Search index at %s cannot be read", self.current)
            return "corrupt"

    def decompounder(self):
        """The decompounder of the current generation (cached per generation)."""
        generation = os.path.realpath(self.current)
        if generation not in self._decompounders:
            path = Path(generation) / "vocabulary.txt"
            stems = set(path.read_text().split()) if path.exists() else set()
            self._decompounders = {generation: analysis.Decompounder(stems)}
        return self._decompounders[generation]

    def outdated(self, languages):
        """Was the current index built in another format, or for other languages than
        ``languages`` or with other analyzers for them?  (No index is not outdated.)"""
        if not self.current.exists():
            return False
        try:
            built = json.loads((self.current / LANGUAGES_FILE).read_text())
        except FileNotFoundError:   # built before the file was written
            return True
        return built != built_for(languages)

    # --- writing -----------------------------------------------------------
    def fields_for(self, doc, decompounder, spelling=True):
        """The index fields of ``doc``; its words go to the spelling field if ``spelling``."""
        analyzer = analysis.analyzer_name(doc.lang)
        keywords = " ".join(doc.keywords)
        text = f"{doc.summary} {doc.body}"
        fields = {
            "key": doc.key, "ref": doc.ref, "doc_type": doc.doc_type, "doc_id": str(doc.doc_id),
            "lang": doc.lang, "topics": ",".join(doc.topics), "department": doc.department,
            "audience": doc.audience,
            "title": doc.title, "summary": doc.summary, "body": doc.body, "url": doc.url,
            "agent_url": doc.agent_url or doc.url, "agent_text": doc.agent_text,
            f"title_{analyzer}": doc.title, f"kw_{analyzer}": keywords, f"text_{analyzer}": text,
            f"agent_{analyzer}": doc.agent_text,
        }
        if doc.expires_at:
            fields["expires"] = moment_key(doc.expires_at)
        if analyzer == analysis.COMPOUNDING:
            fields[f"parts_{analyzer}"] = decompounder.parts_text(all_text(doc))
        if spelling:
            fields["spell"] = all_text(doc)
        return fields

    def write(self, documents, removed_refs):
        """Replace the documents of the given refs; raises LockError on timeout.

        Fields the index does not have are left out: an index built before an
        upgrade added a field keeps taking live writes until ``portal reindex``.
        """
        with self._write_lock:
            ix = self.open()
            writer = ix.writer(timeout=WRITE_TIMEOUT)
            try:
                decompounder = self.decompounder()
                schema = writer.schema   # ``ix.schema`` reads the table of contents every time
                for ref in {*removed_refs, *(doc.ref for doc in documents)}:
                    writer.delete_by_term("ref", ref)
                for doc in documents:
                    fields = self.fields_for(doc, decompounder)
                    writer.add_document(**{name: value for name, value in fields.items()
                                           if name in schema})
            except BaseException:
                writer.cancel()
                raise
            # Merging can take seconds, so a live write merges only when there are
            # many segments, and then (Whoosh's MERGE_SMALL) only the small ones.
            writer.commit(merge=len(writer.segments) >= MERGE_AT_SEGMENTS)

    def rebuild(self, documents, progress=None, languages=()):
        """Index ``documents`` into a new generation, built for ``languages``, and swap it in.

        While building, the old generation's write lock is held, so live
        updates wait in the outbox and are applied to the new index after.
        Forked processes (``bulk``) read the documents' words and make and index
        their fields; the analyzers of the documents' languages are looked up here
        first (``compounding``), so that those processes never ask the database.
        """
        documents = list(documents)
        self.root.mkdir(parents=True, exist_ok=True)
        generation = self.root / f"gen-{time.time_ns()}"
        generation.mkdir()
        processes = indexing_processes(len(documents))
        compounding = {lang for lang in {doc.lang for doc in documents}
                       if analysis.analyzer_name(lang) == analysis.COMPOUNDING}
        every_word, compounding_words = distinct_words_in_processes(documents, compounding,
                                                                    processes)
        stems = analysis.stems(compounding_words)
        (generation / "vocabulary.txt").write_text("\n".join(sorted(stems)))
        (generation / LANGUAGES_FILE).write_text(json.dumps(built_for(languages)))
        decompounder = analysis.Decompounder(stems)
        with self._write_lock:
            with self._hold_old_index():
                ix = whoosh_index.create_in(str(generation), build_schema())
                fields_of = partial(self.fields_for, decompounder=decompounder, spelling=False)
                bulk.write_index(ix, documents, fields_of, processes=processes,
                                 more=[spelling_dictionary(every_word)], progress=progress)
                self._swap(generation)
            self._remove_generations_except(generation)
        return len(documents)

    @contextmanager
    def _hold_old_index(self):
        """Hold the current generation's write lock (if there is one) meanwhile."""
        lock = None
        if self.health() == "ok":
            lock = whoosh_index.open_dir(os.path.realpath(self.current)).lock("WRITELOCK")
            if not try_for(lock.acquire, timeout=WRITE_TIMEOUT * 6):
                log.warning("Rebuilding while another process writes the old index")
                lock = None
        try:
            yield
        finally:
            if lock is not None:
                lock.release()

    def _swap(self, generation):
        link = self.root / f"current.{generation.name}"
        link.symlink_to(generation.name)
        os.replace(link, self.current)

    def _remove_generations_except(self, generation):
        for old in self.root.glob("gen-*"):
            if old != generation:
                shutil.rmtree(old, ignore_errors=True)

    def stored(self, key, scope=AGENT, at=None):
        """The stored fields of the document ``key`` (title, url, …) if a search in
        ``scope`` at the moment ``at`` may show it, else None."""
        try:
            with self.open().searcher() as searcher:
                stored = searcher.document(key=key)
        except Exception:  # a missing or broken index holds nothing
            return None
        return stored if stored and visible(stored, scope, at or utcnow()) else None

    # --- searching ---------------------------------------------------------
    def search(self, request, synonyms=(), pinned_keys=()):
        """Run ``request``, also matching the ``synonyms`` phrases."""
        results = SearchResults(request=request)
        if not request.q:
            return results
        try:
            searcher = self.searcher()
            if f"text_{analysis.analyzer_name(request.lang)}" not in searcher.schema:
                # An index of an older format, until it is rebuilt: no hits would be wrong.
                return SearchResults(request=request, unavailable=True)
            key = self._results_key(searcher, request, synonyms, pinned_keys)
            cached = self._results.get(key, request)
            if cached is not None:
                return cached
            query = self.build_query(request, synonyms)
            self._run(searcher, query, request, results, pinned_keys)
            if results.total < 3:
                self._try_correction(searcher, request, synonyms, results, pinned_keys)
            self._results.put(key, results)
        except Exception:  # a missing, damaged or vanished index must not break the page
            log.exception("Search index unavailable")
            self._local.searcher = None   # the next search opens the index afresh
            return SearchResults(request=request, unavailable=True)
        return results

    def _results_key(self, searcher, request, synonyms, pinned_keys):
        """What the results of ``request`` depend on (see ``cache``): the index's generation
        and, of the moment of the search, only the first expiry still to come."""
        generation = self._local.searcher[0]
        moment = moment_key(request.at or utcnow())
        expiries = [self._postings.next_expiry(reader, moment)
                    for reader, _offset in searcher.reader().leaf_readers()]
        return (generation, searcher.reader().generation(),
                min(filter(None, expiries), default=None),
                request.q, request.lang, analysis.analyzer_name(request.lang), request.scope,
                request.page, request.per_page, request.topic, request.department,
                request.doc_type, tuple(synonyms), tuple(pinned_keys))

    def build_query(self, request, synonyms=(), words=None):
        """OR of the query's words (documents matching more words rank higher), analysed
        as the request's language is.

        A Swedish word that the index does not hold whole also matches as its
        compound parts, and each synonym phrase is an alternative of its own.
        """
        analyzer = analysis.analyzer_name(request.lang)
        names = [name for name in analyzed_fields(analyzer)
                 if name != "agent" or request.scope == AGENT]
        clauses = []
        for word in words or analysis.words(request.q):
            alternatives = [self._word_query(word, analyzer, names)]
            parts = self._unknown_compound_parts(word, analyzer, names)
            if parts:
                alternatives.append(Q.And([self._word_query(p, analyzer, names) for p in parts],
                                          boost=0.7))
            clauses.append(Q.Or(alternatives))
        for phrase in synonyms:
            clauses.append(Q.And([self._word_query(w, analyzer, names)
                                  for w in analysis.words(phrase)], boost=0.9))
        clauses = [clause.normalize() for clause in clauses]
        clauses = [clause for clause in clauses if clause is not Q.NullQuery]
        return Q.Or(clauses, scale=0.9) if clauses else Q.NullQuery

    def _unknown_compound_parts(self, word, analyzer, names):
        """The parts of ``word`` if it is a compound that no field ``names`` holds whole.

        A word that pages use whole is searched whole only: its parts also
        matched pages about something else ("körlogg" found Kulturskolan through
        "kör" in its text and "logga" in its call script, above the page that
        says "körlogg"), so a whole-word match always outranks a match on parts.
        """
        parts = self.decompounder().split(word) if analyzer == analysis.COMPOUNDING else []
        if parts and _holds(self.searcher().reader(), word, analyzer, names):
            return []
        return parts

    def looks_written_in(self, q, other, lang):
        """Does ``q`` look written in the language ``other`` rather than in ``lang``?

        A word counts for a language when it is one of its analyzer's stop words
        or the index holds it in that analyzer's pages; a word of both ("park", or
        "bygglov" in an English page's e-mail address) counts for neither.  The
        query looks written in ``other`` when more of its words are only that
        language's than only ``lang``'s (never when the two share an analyzer).
        """
        reader = self.searcher().reader()
        other, lang = analysis.analyzer_name(other), analysis.analyzer_name(lang)
        balance = 0
        for word in analysis.words(q):
            balance += (_in_language(reader, word, other) - _in_language(reader, word, lang))
        return balance > 0

    def _word_query(self, word, analyzer, names):
        stems = analysis.terms(analyzer, word)
        if not stems:
            return Q.NullQuery
        return Q.Or([Q.Term(f"{name}_{analyzer}", stem, boost=BOOSTS[name])
                     for name in names for stem in stems])

    @staticmethod
    def _filters(request):
        """The chosen facet values, the audience the scope may see, and the language.

        The fields are the analyzer's, which languages share (Swedish and
        easy-to-read Swedish, every language without a stemmer).
        """
        filters = dict(request.filters)
        if request.scope != AGENT:
            filters["audience"] = EVERYONE
        filters["lang"] = request.lang
        return filters

    def _matches(self, searcher, query, request):
        """What ``query`` matches among the documents ``request`` may show."""
        return scoring.Matches(searcher, query, self._postings, self._filters(request),
                               expired_at=moment_key(request.at or utcnow()))

    def _run(self, searcher, query, request, results, pinned_keys):
        if query is Q.NullQuery:
            return
        matches = self._matches(searcher, query, request)
        results.total = len(matches)
        results.facets = {name: dict(matches.facet_counts(name)) for name in FACETS}
        start = (request.page - 1) * request.per_page
        snippet = self._snippet_maker(query, request)
        hits = [self._from_stored(searcher.stored_fields(docnum), request, snippet=snippet,
                                  score=score)
                for docnum, score in matches.top(start, start + request.per_page)]
        if request.page == 1 and pinned_keys:
            hits = self._pin(searcher, hits, pinned_keys, request)
        results.hits = hits

    def _snippet_maker(self, query, request):
        """A function of a document's stored fields: the passages of its text that hold
        the query's words, whole or as a compound's part; for agents, of the agent layer
        when its text has none (an index built before it was stored has none)."""
        analyzer = analysis.analyzer_name(request.lang)
        text_field = f"text_{analyzer}"
        words = frozenset(term.text for term in query.leaves()
                          if isinstance(term, Q.Term) and term.fieldname == text_field)
        parts = self.decompounder().part_stems if analyzer == analysis.COMPOUNDING else None
        marked = {}   # the words met in the hits' texts so far: whether to mark each

        def snippet(stored):
            """(the snippet, its language): the agent layer is written in the source language."""
            found = snippets.snippet(f"{stored['summary']} {stored['body']}", words, analyzer,
                                     parts, marked)
            if found or request.scope != AGENT:
                return found, stored["lang"]
            found = snippets.snippet(stored.get("agent_text", ""), words, analyzer, parts, marked)
            return found, source_language() if found else stored["lang"]
        return snippet

    @staticmethod
    def _from_stored(stored, request, snippet=None, score=0.0, pinned=False):
        """A hit from a document's stored fields; ``snippet`` makes its snippet (or none)."""
        text, text_lang = snippet(stored) if snippet else ("", stored["lang"])
        return Hit(doc_type=stored["doc_type"], doc_id=stored["doc_id"], lang=stored["lang"],
                   title=stored["title"], summary=stored["summary"], snippet=text, snippet_lang=text_lang,
                   url=stored["agent_url"] if request.scope == AGENT else stored["url"],
                   topics=[t for t in stored["topics"].split(",") if t],
                   department=stored["department"], score=score, pinned=pinned)

    def _pin(self, searcher, hits, pinned_keys, request):
        """Best bets first (those the search may show), then the ranked hits without them."""
        pinned = []
        at = request.at or utcnow()
        for key in pinned_keys:
            docnum = searcher.document_number(key=key)
            stored = searcher.stored_fields(docnum) if docnum is not None else None
            if stored and visible(stored, request.scope, at):
                pinned.append(self._from_stored(stored, request, pinned=True))
        refs = {(h.doc_type, h.doc_id) for h in pinned}
        return pinned + [h for h in hits if (h.doc_type, h.doc_id) not in refs]

    def _try_correction(self, searcher, request, synonyms, results, pinned_keys):
        """Offer "Menade du …?" for unknown words; show its hits if the query had none."""
        reader = searcher.reader()
        original = analysis.words(request.q)
        corrected = []
        for word in original:
            if len(word) < 4 or word.isdigit() or reader.frequency("spell", word) > 0:
                corrected.append(word)
            else:
                corrected.append(self._nearest_word(searcher, word, request) or word)
        if corrected == original:
            return
        results.suggestion = " ".join(corrected)
        if results.total == 0:
            query = self.build_query(request, synonyms, words=corrected)
            self._run(searcher, query, request, results, pinned_keys)
            results.corrected = results.total > 0

    def _nearest_word(self, searcher, word, request):
        """The known word fewest edits from ``word``, with its first letter; among equally
        near ones, the one that most documents the search may show have. Or None.

        Only words that find something count: the spelling dictionary keeps the
        words of documents that were removed or that this search may not show.
        Words of up to five letters allow one edit, longer ones two: two edits
        turn a short unknown word into an unrelated common one ("radon" → "redan").
        """
        reader = searcher.reader()
        analyzer = analysis.analyzer_name(request.lang)

        def documents_having(candidate):
            query = self._word_query(candidate, analyzer, ("title", "kw", "text"))
            return len(self._matches(searcher, query, request)) if query is not Q.NullQuery else 0
        for distance in (1, 2) if len(word) > SHORT_WORD else (1,):
            counted = [(documents_having(c), c) for c in reader.terms_within(
                "spell", word, distance, prefix=1) if c != word]
            found = [pair for pair in counted if pair[0]]
            if found:
                return max(found, key=lambda pair: pair[0])[1]
        return None


def _holds(reader, word, analyzer, names):
    """Does any of the fields ``names`` of the analyzer ``analyzer`` hold ``word``?"""
    return any(reader.doc_frequency(f"{name}_{analyzer}", stem)
               for stem in analysis.terms(analyzer, word) for name in names)


def _in_language(reader, word, analyzer):
    """Is ``word`` a stop word of ``analyzer`` or a word of its pages' text?"""
    return (word in analysis.stopwords(analyzer)
            or _holds(reader, word, analyzer, ("title", "kw", "text")))


def visible(stored, scope, at):
    """May a search in ``scope`` show this document at the moment ``at``?"""
    expires = stored.get("expires")
    return ((scope == AGENT or stored.get("audience") == EVERYONE)
            and not (expires and expires <= moment_key(at)))
