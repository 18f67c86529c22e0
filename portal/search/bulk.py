"""Writing a whole index at once (``WhooshEngine.rebuild``), faster than Whoosh's writer.

Whoosh's writer turns every posting (a term in a document's field: about 340
per 3 KB document here) into a tuple, pools and sorts them all, and hands
them one by one to the codec.  ``BulkWriter`` keeps each term's postings in
arrays as the documents come (documents are numbered in order, so each list
is sorted already), analyses each distinct word once per rebuild
(``FusedAnalyzer.term_counts``), and writes each term's postings a block at
a time.  The files are those Whoosh's writer makes with ``BulkCodec``.

``write_index`` splits the documents over processes, each writing a segment.
"""
import multiprocessing
import struct
from array import array
from collections import defaultdict
from functools import partial

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.formats import Existence, Frequency
from whoosh.writing import SegmentWriter

from portal.search.analysis import FusedAnalyzer

# Processes are forked, so that each has its share of the documents without pickling
# them; where there is no fork (Windows), a rebuild runs in one process.
CAN_FORK = "fork" in multiprocessing.get_all_start_methods()


def write_index(ix, documents, fields_of, processes=1, more=(), progress=None):
    """Write ``documents`` into the new, empty index ``ix`` and commit it.

    ``fields_of(document)`` gives a document's fields.  The documents are split
    into ``processes`` shares (``in_processes``), each written as a segment;
    this process writes the last share, then the fields ``more``.
    ``progress(n)`` is told of every ``n`` documents written.
    """
    writer = BulkWriter(ix)

    def write_own(share):
        add_documents(writer, share, fields_of, progress)
        for fields in more:
            writer.add_document(**fields)
        return writer.finish_segment()   # while the other processes finish theirs
    parts = shares(documents, processes)
    try:
        segments = in_processes(partial(write_segment, ix, fields_of), parts, last=write_own)
    except BaseException:
        writer.cancel()
        raise
    if progress:
        progress(len(documents) - len(parts[-1]))
    writer.commit_segments(segments)


def write_segment(ix, fields_of, documents):
    """Write ``documents`` as a segment of ``ix``; returns it, for ``commit_segments``."""
    writer = BulkWriter(ix, _lk=False)
    add_documents(writer, documents, fields_of)
    return writer.finish_segment()


def add_documents(writer, documents, fields_of, progress=None):
    for document in documents:
        writer.add_document(**fields_of(document))
        if progress:
            progress(1)


def shares(items, count):
    """``items`` in at most ``count`` runs of about the same length, in order (at least
    one run, if empty)."""
    size = -(-len(items) // count) or 1
    return [items[start:start + size] for start in range(0, max(len(items), 1), size)]


def in_processes(function, shares, last=None):
    """``[function(share) for share in shares]``: all but the last share's computed by a
    forked process each, and meanwhile the last share's by this process, by ``last``
    instead if given."""
    others = [Forked(function, share) for share in shares[:-1]]
    try:
        own = (last or function)(shares[-1])
        return [other.result() for other in others] + [own]
    except BaseException:
        for other in others:
            other.stop()
        raise


class Forked:
    """``function(*args)`` computed by a forked process: it has ``args``, and all else,
    without pickling them; only the result comes back pickled."""

    def __init__(self, function, *args):
        fork = multiprocessing.get_context("fork")
        self._results, sender = fork.Pipe(duplex=False)
        self._process = fork.Process(target=self._run, args=(sender, function, args),
                                     daemon=True)
        self._process.start()
        sender.close()

    @staticmethod
    def _run(sender, function, args):
        try:
            sender.send(function(*args))
        except BaseException as error:
            sender.send(error)

    def result(self):
        """What the function returned; raises what it raised (EOFError if the process died)."""
        with self._results:
            result = self._results.recv()
        self._process.join()
        if isinstance(result, BaseException):
            raise result
        return result

    def stop(self):
        """End the process, whether it has finished or not."""
        self._process.kill()
        self._process.join()


class BulkCodec(W3Codec):
    """Whoosh's codec, without the shortest and longest field length of each block of
    postings, for rebuilds.

    Whoosh's writer read back every posting's field length from the lengths it
    had just written, only to store those two numbers per block; a quarter of
    the time of writing postings.  Only Whoosh's own searcher reads them, to
    skip blocks when it collects a limited number of hits; ``scoring`` reads
    postings whole, and without them Whoosh would only skip less.  Each
    segment names its codec in the index, so this class must stay importable
    (also as ``portal.search.engine.BulkCodec``, which older segments name);
    live writes add segments with Whoosh's default codec.
    """

    def field_writer(self, storage, segment):
        return BulkFieldWriter(self, storage, segment)


class BulkFieldWriter(W3FieldWriter):
    def add_term(self, btext, postings):
        """Write the term ``btext`` of the current field with its ``postings``, a block at
        a time, as Whoosh's ``add`` of each posting would (with no field lengths)."""
        self.start_term(btext)
        writer = self._postwriter
        size = writer._blocklimit
        for start in range(0, len(postings.docnums), size):
            if start:
                writer._write_block()
            writer._ids = postings.docnums[start:start + size]
            writer._weights, writer._values = self._weights_and_values(
                postings.frequencies[start:start + size])
            writer._maxweight = max(0, max(writer._weights))
        self.finish_term()

    def _weights_and_values(self, frequencies):
        """The weights and the values of postings of these ``frequencies``, as the
        field's format (one of ``BulkWriter.FORMATS``) makes them."""
        boost = self._format.field_boost
        if type(self._format) is Existence:
            return array("f", [boost] * len(frequencies)), []
        return (array("f", [frequency * boost for frequency in frequencies]),
                [struct.pack(f"!{len(frequencies)}I", *frequencies)])   # each as ``pack_uint``


class Postings:
    """One term's postings in one field, in the order of the documents."""

    __slots__ = ("docnums", "frequencies")

    def __init__(self):
        self.docnums = array("I")
        self.frequencies = array("I")


class BulkWriter(SegmentWriter):
    """A writer of one new segment that pools postings per term (see the module).

    It takes the fields this index uses: stored ones, and indexed ones of the
    ``FORMATS``, whose postings' weights and values follow from their
    frequencies; no vectors, columns, separate spelling words or boosts.
    """

    FORMATS = (Existence, Frequency)

    def __init__(self, ix, **kwargs):
        super().__init__(ix, codec=BulkCodec(), **kwargs)
        for name, field in self.schema.items():
            if (field.vector or field.column_type or field.separate_spelling()
                    or (field.indexed and type(field.format) not in self.FORMATS)):
                raise ValueError(f"BulkWriter cannot write the field {name!r}")
        self._postings = defaultdict(lambda: defaultdict(Postings))   # field → term → postings
        self._known = defaultdict(dict)   # analyzer name → word → term (``term_counts``)
        self._counted = defaultdict(dict)   # field name → value → term counts, without one

    def add_document(self, **fields):
        self._check_state()
        writer = self.perdocwriter
        writer.start_doc(self.docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            field = self.schema[name]
            length = self._index(name, field, value) if field.indexed else 0
            writer.add_field(name, field, value if field.stored else None, length)
        writer.finish_doc()
        self._added = True
        self.docnum += 1

    def _index(self, name, field, value):
        """Pool the postings of ``value`` in the field ``name``; the field's length in
        this document (the number of its terms' occurrences) if it is scorable."""
        counts = self._term_counts(name, field, value)
        postings, docnum = self._postings[name], self.docnum
        for term, frequency in counts.items():
            posting = postings[term]
            posting.docnums.append(docnum)
            posting.frequencies.append(frequency)
        return sum(counts.values()) if field.scorable else 0

    def _term_counts(self, name, field, value):
        """{term: frequency} of ``value`` in the field ``name``: what ``field.index`` gives
        (but terms as text), with ``FusedAnalyzer.term_counts`` where it can be."""
        analyzer = field.analyzer
        if isinstance(analyzer, FusedAnalyzer) and analyzer.name:
            return analyzer.term_counts(value, self._known[analyzer.name])
        counted = self._counted[name]   # short values that recur: a language, a department
        if value not in counted:
            counted[value] = {field.from_bytes(btext): frequency
                              for btext, frequency, _weight, _value in field.index(value)}
        return counted[value]

    def finish_segment(self):
        """Write this writer's segment; returns it, for ``commit_segments``."""
        self._check_state()
        return self._finalize_segment()

    def commit_segments(self, segments):
        """Make ``segments`` (this writer's, and those of other processes) the segments of
        the index, which had none."""
        self._commit_toc(segments)
        self._finish()

    def _flush_segment(self):
        """Write the pooled postings, fields and terms in order, and the per-document files."""
        self.perdocwriter.close()
        fields = self.fieldwriter
        for name, terms in sorted(self._postings.items()):
            if not terms:
                continue   # as in Whoosh's writer, a field is in the terms' file only with terms
            field = self.schema[name]
            fields.start_field(name, field)
            for btext, term in sorted((field.to_bytes(term), term) for term in terms):
                fields.add_term(btext, terms[term])
            fields.finish_field()
        fields.close()
