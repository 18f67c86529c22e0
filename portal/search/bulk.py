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

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.formats import Existence, Frequency
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
        segment = writer.finish_segment()   # while the other processes finish theirs
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
    writer.commit_segments([*segments, segment])


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
            sender.send(writer.finish_segment())
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
        self._postings = defaultdict(lambda: defaultdict(Postings))   # field → term → its postings
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
        counts = self._term_counts(field, value)
        postings, docnum = self._postings[name], self.docnum
        for term, frequency in counts.items():
            posting = postings[term]
            posting.docnums.append(docnum)
            posting.frequencies.append(frequency)
        return sum(counts.values()) if field.scorable else 0

    def _term_counts(self, field, value):
        """{term: frequency} of ``value`` in ``field``: what ``field.index`` gives (but
        terms as text), with ``FusedAnalyzer.term_counts`` where it can be."""
        analyzer = field.analyzer
        if isinstance(analyzer, FusedAnalyzer) and analyzer.name:
            return analyzer.term_counts(value, self._known[analyzer.name])
        return {field.from_bytes(btext): frequency
                for btext, frequency, _weight, _value in field.index(value)}

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
