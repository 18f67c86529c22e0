"""The Whoosh engine behind the search layer.

Layout on disk: ``<PORTAL_INDEX_DIR>/current`` is a symlink to one
``gen-<n>`` directory.  A rebuild writes a new generation and swaps the link
atomically, so searchers never see a half-built index and a broken one is
repaired by rebuilding.  Each generation keeps ``vocabulary.txt``, the stems
the decompounder splits against.
"""
import logging
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh import sorting
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.util.filelock import try_for

from portal.html import safe_snippet
from portal.search import analysis
from portal.search.documents import AGENT, Hit, SearchResults

log = logging.getLogger(__name__)
FIELD_LANGUAGES = (*analysis.ANALYZED_LANGUAGES, analysis.NEUTRAL)
FACETS = ("topics", "department", "doc_type")
# How much a match in each field counts; parts (compound pieces) least.
BOOSTS = {"title": 5.0, "kw": 3.0, "text": 1.0, "parts": 0.8, "agent": 0.8}
WRITE_TIMEOUT = 5.0


def build_schema():
    fields = {
        "key": ID(unique=True, stored=True),
        "ref": ID(stored=True),
        "doc_type": ID(stored=True),
        "doc_id": STORED(),
        "lang": ID(stored=True),
        "topics": KEYWORD(stored=True, commas=True),
        "department": ID(stored=True),
        "title": STORED(),
        "summary": STORED(),
        "body": STORED(),
        "url": STORED(),
        "agent_url": STORED(),
        # Only its terms and their frequencies are read ("did you mean"): no positions.
        "spell": TEXT(analyzer=analysis.analyzer(analysis.NEUTRAL), spelling=True, phrase=False),
    }
    for lang in FIELD_LANGUAGES:
        for name in BOOSTS:
            fields[f"{name}_{lang}"] = TEXT(analyzer=analysis.analyzer(lang), phrase=False)
    return Schema(**fields)


class TermsFacet(sorting.FacetType):
    """Groups hits by the terms of a field, read once per segment.

    Whoosh's own field facet reads all postings of the field again for every
    query when the field has no column (and always when one document may be in
    several groups), which made each search as slow as the index is large.
    ``cache`` maps (segment id, field) to each document's terms; segments never
    change once written, so it stays true across writes.
    """

    def __init__(self, fieldname, cache, allow_overlap=False):
        self.fieldname = fieldname
        self.cache = cache
        self.allow_overlap = allow_overlap

    def categorizer(self, global_searcher):
        return TermsCategorizer(self.fieldname, self.cache, self.allow_overlap)


class TermsCategorizer(sorting.Categorizer):
    def __init__(self, fieldname, cache, allow_overlap):
        self.fieldname = fieldname
        self.cache = cache
        self.allow_overlap = allow_overlap
        self._terms = []

    def set_searcher(self, segment_searcher, docoffset):
        reader = segment_searcher.reader()
        key = (reader.segment().segment_id(), self.fieldname)
        if key not in self.cache:
            self.cache[key] = self._read_terms(reader)
        self._terms = self.cache[key]

    def _read_terms(self, reader):
        """For each document of the segment, its terms in the field (in term order)."""
        terms = [[] for _ in range(reader.doc_count_all())]
        if self.fieldname in reader.indexed_field_names():
            from_bytes = reader.schema[self.fieldname].from_bytes
            for btext in reader.lexicon(self.fieldname):
                text = from_bytes(btext)
                for docnum in reader.postings(self.fieldname, btext).all_ids():
                    terms[docnum].append(text)
        return terms

    def keys_for(self, matcher, segment_docnum):
        return self._terms[segment_docnum] or [None]

    def key_for(self, matcher, segment_docnum):
        terms = self._terms[segment_docnum]
        return terms[0] if terms else None


class WhooshEngine:
    def __init__(self, root):
        self.root = Path(root)
        self._write_lock = threading.Lock()
        self._decompounders = {}
        self._local = threading.local()
        self._facet_terms = {}   # see TermsFacet

    # --- opening -----------------------------------------------------------
    @property
    def current(self):
        return self.root / "current"

    def open(self):
        return whoosh_index.open_dir(str(self.current))

    def searcher(self):
        """This thread's searcher on the current generation, reopened only when it changed.

        Opening an index reads its table of contents and schema and opens the
        files of every segment, which cost more than many queries.  Whoosh
        searchers must not be shared between threads, hence one per thread.
        """
        generation = os.path.realpath(self.current)
        cached = getattr(self._local, "searcher", None)
        if cached is not None and cached[0] == generation:
            searcher = cached[1].refresh()   # the same searcher unless a write committed
        else:
            self._local.searcher = None
            if cached is not None:
                cached[1].close()
                self._facet_terms = {}   # a new generation has segments of its own
            searcher = whoosh_index.open_dir(generation).searcher()
        self._local.searcher = (generation, searcher)
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

    # --- writing -----------------------------------------------------------
    def fields_for(self, doc, decompounder):
        lang = analysis.field_language(doc.lang)
        keywords = " ".join(doc.keywords)
        text = f"{doc.summary} {doc.body}"
        fields = {
            "key": doc.key, "ref": doc.ref, "doc_type": doc.doc_type, "doc_id": str(doc.doc_id),
            "lang": doc.lang, "topics": ",".join(doc.topics), "department": doc.department,
            "title": doc.title, "summary": doc.summary, "body": doc.body, "url": doc.url,
            "agent_url": doc.agent_url or doc.url,
            "spell": f"{doc.title} {keywords} {text}",
            f"title_{lang}": doc.title, f"kw_{lang}": keywords, f"text_{lang}": text,
            f"agent_{lang}": doc.agent_text,
        }
        if lang == "sv":
            fields["parts_sv"] = decompounder.parts_text(f"{doc.title} {keywords} {text}")
        return fields

    def write(self, documents, removed_refs):
        """Replace the documents of the given refs; raises LockError on timeout."""
        with self._write_lock:
            ix = self.open()
            writer = ix.writer(timeout=WRITE_TIMEOUT)
            try:
                decompounder = self.decompounder()
                for ref in {*removed_refs, *(doc.ref for doc in documents)}:
                    writer.delete_by_term("ref", ref)
                for doc in documents:
                    writer.add_document(**self.fields_for(doc, decompounder))
            except BaseException:
                writer.cancel()
                raise
            writer.commit(merge=False)

    def rebuild(self, documents, progress=None):
        """Index ``documents`` into a new generation and swap it in.

        While building, the old generation's write lock is held, so live
        updates wait in the outbox and are applied to the new index after.
        """
        documents = list(documents)
        self.root.mkdir(parents=True, exist_ok=True)
        generation = self.root / f"gen-{time.time_ns()}"
        generation.mkdir()
        texts = [f"{d.title} {' '.join(d.keywords)} {d.summary} {d.body}"
                 for d in documents if d.lang == "sv"]
        stems = analysis.vocabulary(texts)
        (generation / "vocabulary.txt").write_text("\n".join(sorted(stems)))
        decompounder = analysis.Decompounder(stems)
        with self._write_lock:
            with self._hold_old_index():
                ix = whoosh_index.create_in(str(generation), build_schema())
                writer = ix.writer(limitmb=256)
                for doc in documents:
                    writer.add_document(**self.fields_for(doc, decompounder))
                    if progress:
                        progress(1)
                writer.commit(optimize=True)
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

    def stored(self, key):
        """The stored fields of the document ``key`` (title, url, …), or None."""
        try:
            with self.open().searcher() as searcher:
                return searcher.document(key=key)
        except Exception:  # a missing or broken index holds nothing
            return None

    # --- searching ---------------------------------------------------------
    def search(self, request, synonyms=(), pinned_keys=()):
        """Run ``request``, also matching the ``synonyms`` phrases."""
        results = SearchResults(request=request)
        if not request.q:
            return results
        try:
            searcher = self.searcher()
        except Exception:
            log.exception("Search index unavailable")
            results.unavailable = True
            return results
        query = self.build_query(request, synonyms)
        self._run(searcher, query, request, results, pinned_keys)
        if results.total < 3:
            self._try_correction(searcher, request, synonyms, results, pinned_keys)
        return results

    def build_query(self, request, synonyms=(), words=None):
        """OR of the query's words (documents matching more words rank higher).

        Each Swedish word also matches as its compound parts, and each synonym
        phrase is an alternative of its own.
        """
        lang = analysis.field_language(request.lang)
        names = [name for name in BOOSTS if name != "agent" or request.scope == AGENT]
        decompounder = self.decompounder() if lang == "sv" else None
        clauses = []
        for word in words or analysis.words(request.q):
            alternatives = [self._word_query(word, lang, names)]
            parts = decompounder.split(word) if decompounder else []
            if parts:
                alternatives.append(Q.And([self._word_query(p, lang, names) for p in parts],
                                          boost=0.7))
            clauses.append(Q.Or(alternatives))
        for phrase in synonyms:
            clauses.append(Q.And([self._word_query(w, lang, names)
                                  for w in analysis.words(phrase)], boost=0.9))
        clauses = [clause.normalize() for clause in clauses]
        clauses = [clause for clause in clauses if clause is not Q.NullQuery]
        return Q.Or(clauses, scale=0.9) if clauses else Q.NullQuery

    def _word_query(self, word, lang, names):
        stems = analysis.terms(lang, word)
        if not stems:
            return Q.NullQuery
        return Q.Or([Q.Term(f"{name}_{lang}", stem, boost=BOOSTS[name])
                     for name in names for stem in stems])

    @staticmethod
    def _filter(request):
        """The chosen facet values, and the language where the fields do not imply it.

        A language with its own analysis has fields of its own (``title_sv``…),
        so a query on them matches only its documents; filtering on ``lang``
        as well would make Whoosh read the ids of all of them for every query.
        """
        filters = [Q.Term(field, value) for field, value in request.filters.items()]
        if analysis.field_language(request.lang) == analysis.NEUTRAL:
            filters.append(Q.Term("lang", request.lang))
        return Q.And(filters) if filters else None

    def _run(self, searcher, query, request, results, pinned_keys):
        if query is Q.NullQuery:
            return
        facets = sorting.Facets()
        for name in FACETS:
            facets.add_facet(name, TermsFacet(name, self._facet_terms,
                                              allow_overlap=(name == "topics")))
        page = searcher.search_page(query, request.page, pagelen=request.per_page,
                                    filter=self._filter(request), groupedby=facets,
                                    terms=True)
        results.total = page.total
        results.facets = {name: {key: len(docs) for key, docs in page.results.groups(name).items()
                                 if key}
                          for name in FACETS}
        fragmenter = ContextFragmenter(maxchars=220, surround=60)
        formatter = HtmlFormatter(tagname="mark", between=" … ")
        page.results.fragmenter = fragmenter
        page.results.formatter = formatter
        text_field = f"text_{analysis.field_language(request.lang)}"
        hits = [self._hit(hit, text_field, request) for hit in page]
        if request.page == 1 and pinned_keys:
            hits = self._pin(searcher, hits, pinned_keys, request)
        results.hits = hits

    def _hit(self, hit, text_field, request):
        snippet = safe_snippet(
            hit.highlights(text_field, text=f"{hit['summary']} {hit['body']}", top=2))
        return self._from_stored(hit.fields(), request, snippet=snippet, score=hit.score or 0.0)

    @staticmethod
    def _from_stored(stored, request, snippet="", score=0.0, pinned=False):
        return Hit(doc_type=stored["doc_type"], doc_id=stored["doc_id"], lang=stored["lang"],
                   title=stored["title"], summary=stored["summary"], snippet=snippet,
                   url=stored["agent_url"] if request.scope == AGENT else stored["url"],
                   topics=[t for t in stored["topics"].split(",") if t],
                   department=stored["department"], score=score, pinned=pinned)

    def _pin(self, searcher, hits, pinned_keys, request):
        """Best bets first, then the ranked hits without them."""
        pinned = []
        for key in pinned_keys:
            docnum = searcher.document_number(key=key)
            if docnum is not None:
                pinned.append(self._from_stored(searcher.stored_fields(docnum), request,
                                                pinned=True))
        refs = {(h.doc_type, h.doc_id) for h in pinned}
        return pinned + [h for h in hits if (h.doc_type, h.doc_id) not in refs]

    def _try_correction(self, searcher, request, synonyms, results, pinned_keys):
        """Offer "Menade du …?" for unknown words; show its hits if the query had none."""
        corrector = searcher.corrector("spell")
        reader = searcher.reader()
        original = analysis.words(request.q)
        corrected = []
        for word in original:
            if len(word) < 4 or word.isdigit() or reader.frequency("spell", word) > 0:
                corrected.append(word)
                continue
            suggestions = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
            corrected.append(suggestions[0] if suggestions else word)
        if corrected == original:
            return
        results.suggestion = " ".join(corrected)
        if results.total == 0:
            query = self.build_query(request, synonyms, words=corrected)
            self._run(searcher, query, request, results, pinned_keys)
            results.corrected = results.total > 0
