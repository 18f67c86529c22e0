"""Writing a whole index at once (``WhooshEngine.rebuild``), faster than Whoosh's writer.

Whoosh's writer turns every posting (a term in a document's field: about 340
per 3 KB document here) into a tuple, pools and sorts them all, and hands
them one by one to the codec.  ``BulkWriter`` keeps each term's postings in
arrays as the documents come (documents are numbered in order, so each list
is sorted already), analyses each distinct word once per rebuild
(``FusedAnalyzer.term_counts``), and writes each term's postings a block at
a time.  The files are those Whoosh's writer makes with ``BulkCodec``.
"""
from array import array
from collections import defaultdict

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.formats import Frequency
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from portal.search.analysis import FusedAnalyzer


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
