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
from array import array
from collections import defaultdict

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.formats import Frequency
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from portal.search.analysis import FusedAnalyzer

# Forked, so that each process gets its share of the documents without pickling them.
FORK = multiprocessing.get_context("fork")


def write_index(ix, documents, fields_of, processes=1, more=(), progress=None):
    """Write ``documents`` into the new, empty index ``ix`` and commit it.

    ``fields_of(document)`` gives a document's fields.  The documents are split
    into ``processes`` shares, each written as a segment, all but the last by
    a process of its own; this process writes the last share, then the fields
    ``more``.  ``progress(n)`` is told of every ``n`` documents written.
    """
    size = -(-len(documents) // processes) or 1
    shares = [documents[start:start + size] for start in range(0, len(documents), size)]
    own = shares.pop() if shares else []
    others = [SegmentProcess(ix, share, fields_of) for share in shares]
    writer = BulkWriter(ix)
    try:
        for document in own:
            writer.add_document(**fields_of(document))
            if progress:
                progress(1)
        for fields in more:
            writer.add_document(**fields)
        segments = []
        for other, share in zip(others, shares):
            segments.append(other.segment())
            if progress:
                progress(len(share))
    except BaseException:
        writer.cancel()
        raise
    finally:
        for other in others:
            other.stop()
    writer.commit_with(segments)


class SegmentProcess:
    """A process that writes ``documents`` (fields: ``fields_of``) as a segment of ``ix``."""

    def __init__(self, ix, documents, fields_of):
        self._results, sender = FORK.Pipe(duplex=False)
        self._process = FORK.Process(target=self._write, args=(sender, ix, documents, fields_of),
                                     daemon=True)
        self._process.start()
        sender.close()

    @staticmethod
    def _write(sender, ix, documents, fields_of):
        try:
            writer = BulkWriter(ix, _lk=False)
            for document in documents:
                writer.add_document(**fields_of(document))
            sender.send(writer._finalize_segment())
        except BaseException as error:
            sender.send(error)

    def segment(self):
        """The segment written; raises what went wrong in the process (EOFError if it died)."""
        result = self._results.recv()
        if isinstance(result, BaseException):
            raise result
        return result

    def stop(self):
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._results.close()


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
        a time: as many ``add`` calls would, with no field lengths."""
        self.start_term(btext)
        writer = self._postwriter
        size = writer._blocklimit
        value_size = self._format.fixed_value_size()
        for start in range(0, len(postings.docnums), size):
            if start:
                writer._write_block()
            end = start + size
            writer._ids = postings.docnums[start:end]
            writer._weights = postings.weights[start:end]
            writer._values = [bytes(postings.values[start * value_size:end * value_size])]
            writer._maxweight = max(0, max(writer._weights))
        self.finish_term()


class Postings:
    """One term's postings in one field, in the order of the documents."""

    __slots__ = ("docnums", "weights", "values")

    def __init__(self):
        self.docnums = array("I")
        self.weights = array("f")
        self.values = bytearray()   # each posting's value, of the format's fixed size


class BulkWriter(SegmentWriter):
    """A writer of one new segment that pools postings per term (see the module).

    It takes the fields this index uses: indexed ones whose format has values of
    a fixed size (``Existence``, ``Frequency``), and stored ones; no vectors,
    columns, separate spelling words or boosts.
    """

    def __init__(self, ix, **kwargs):
        super().__init__(ix, codec=BulkCodec(), **kwargs)
        for name, field in self.schema.items():
            if (field.vector or field.column_type or field.separate_spelling()
                    or (field.indexed and field.format.fixed_value_size() is None)):
                raise ValueError(f"BulkWriter cannot write the field {name!r}")
        self._postings = defaultdict(lambda: defaultdict(Postings))   # field → term → postings
        self._known = defaultdict(dict)   # analyzer name → word → term (``term_counts``)

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
        postings, docnum, length = self._postings[name], self.docnum, 0
        for btext, frequency, weight, vbytes in self._terms(field, value):
            term = postings[btext]
            term.docnums.append(docnum)
            term.weights.append(weight)
            term.values += vbytes
            length += frequency
        return length if field.scorable else 0

    def _terms(self, field, value):
        """(term, frequency, weight, value) of each term of ``value``: ``field.index``,
        with the text analysed by ``FusedAnalyzer.term_counts`` where it can be."""
        analyzer = field.analyzer
        if not (type(field.format) is Frequency and isinstance(analyzer, FusedAnalyzer)
                and analyzer.name):
            return field.index(value)
        boost = field.format.field_boost
        counts = analyzer.term_counts(value, self._known[analyzer.name])
        return ((term.encode(), frequency, frequency * boost, pack_uint(frequency))
                for term, frequency in counts.items())

    def commit_with(self, segments):
        """Commit this writer's segment and ``segments``, written by others, as the
        segments of the index (which had none)."""
        self._check_state()
        self._commit_toc([*segments, self._finalize_segment()])
        self._finish()

    def _flush_segment(self):
        """Write the pooled postings, fields and terms in order, and the per-document files."""
        self.perdocwriter.close()
        fields = self.fieldwriter
        for name in sorted(self._postings):
            fields.start_field(name, self.schema[name])
            terms = self._postings[name]
            for btext in sorted(terms):
                fields.add_term(btext, terms[btext])
            fields.finish_field()
        fields.close()
