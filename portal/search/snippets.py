"""Search snippets: passages of a document's text around the words searched for.

Whoosh's highlighter tokenises the whole text to rank every possible
fragment, and its HTML then went through bleach: together most of a
search's time (benchmarks/search.py).  A snippet here is the first passages
that hold the query's words, so the scan stops early, and it is built from
escaped text and ``<mark>`` tags, so it is safe without a sanitiser.

Long pages that mention everything still had to be scanned to their end
for a word found once, token by token through the analyzer: most of a
search's time on the mixed corpus.  Now the tokenizer's regular expression
lists the text's distinct words, each is analysed once per search (however
many hits and times repeat it), and only the words to mark are looked for.
"""
import re

from markupsafe import Markup, escape

from portal.search import analysis

WIDTH = 220      # characters a passage may span
CONTEXT = 60     # characters of text shown before and after the words
PASSAGES = 2
ELLIPSIS = "…"   # where the text is cut
BLOCK_BREAK = re.compile(r"\s*\n\s*")
BLOCK_SEPARATOR = " · "
SPACE = re.compile(r"\s+")
TOKENS = re.compile(analysis.TOKEN)   # the analyzers' tokenizer: a match is one token
LETTER = re.compile(analysis.LETTER)


def snippet(text, words, analyzer, part_stems=None, marked=None):
    """Up to two passages of ``text`` with the ``words`` (terms of the analyzer
    ``analyzer``) marked, and an ellipsis wherever the text is cut.  With ``part_stems``
    (a word's compound parts as stems), a compound is marked where one of its parts is
    one of the ``words``.  ``marked`` ({word: whether to mark it}) keeps the decisions
    for the next snippet of the same search."""
    marked = {} if marked is None else marked
    regions = _regions(_matches(text, words, analyzer, part_stems, marked))
    if not regions:
        return Markup("")
    result, shown = Markup(""), 0
    for first, last, marks in (_cut(text, *region) for region in regions):
        result += _gap(text[shown:first], " " if shown else "", " ")
        result += _marked(text, first, last, marks)
        shown = last
    return result + _gap(text[shown:], " ", "")


def _regions(matches):
    """[first, last, marks]: the stretches of text to show, in character offsets.

    Each of the first ``PASSAGES`` matches outside what is already shown opens a
    window of ``WIDTH`` characters; a window that reaches the one before it
    extends that one, so no words go missing between two passages.
    """
    regions, windows = [], 0
    for start, end in matches:
        if regions and end <= regions[-1][1]:
            regions[-1][2].append((start, end))
            continue
        if windows == PASSAGES:
            break
        windows += 1
        first = max(0, start - CONTEXT)
        last = max(first + WIDTH, end)
        if regions and first <= regions[-1][1]:
            regions[-1][1] = last
            regions[-1][2].append((start, end))
        else:
            regions.append([first, last, [(start, end)]])
    return regions


def _matches(text, words, analyzer, part_stems, marked):
    """(start, end) of each word of ``text`` to mark, in order; stop words are never marked."""
    if not words:
        return []
    present = set(TOKENS.findall(text))
    for word in present.difference(marked):
        marked[word] = _to_mark(word, words, analyzer, part_stems)
    found = []
    for word in filter(marked.__getitem__, present):
        start = text.find(word)
        while start >= 0:
            if _is_token(text, start, word):
                found.append((start, start + len(word)))
            start = text.find(word, start + 1)
    return sorted(found)


def _is_token(text, start, word):
    """Is the ``word`` found at ``start`` a whole token there, as the tokenizer cuts ``text``?
    (Not part of a longer word, nor of a dotted one such as "sjobacka.se".)"""
    if start and (LETTER.match(text, start - 1)
                  or (text[start - 1] == "." and start > 1 and LETTER.match(text, start - 2))):
        return False
    token = TOKENS.match(text, start)
    return token.group(0) == word


def _to_mark(word, words, analyzer, part_stems):
    """Is ``word`` (one token) one of ``words`` or a compound with one as a part?"""
    term = analysis.term(analyzer, word)   # None for a stop word
    return term is not None and (term in words or bool(
        part_stems and not part_stems(word.lower()).isdisjoint(words)))


def _cut(text, first, last, marks):
    """The region's bounds moved to spaces, so that no word is cut."""
    if first > 0:
        first = _after_space(text, first, marks[0][0])
    last = min(len(text), last)
    if last < len(text):
        last = _before_space(text, last, marks[-1][1])
    return first, last, marks


def _marked(text, first, last, marks):
    """Text from ``first`` to ``last`` with ``<mark>`` around the marks, escaped."""
    parts, position = [], first
    for start, end in marks:
        parts += [_plain(text[position:start]), Markup("<mark>"), escape(text[start:end]),
                  Markup("</mark>")]
        position = end
    parts.append(_plain(text[position:last]))
    return Markup("").join(parts)


def _plain(text):
    """Escaped text; where a heading, paragraph, list item or table cell ends, a separator.

    The indexed text keeps one block per line, and on one line a heading ran
    into its paragraph and a table's cells into each other.
    """
    return escape(BLOCK_BREAK.sub(BLOCK_SEPARATOR, text))


def _gap(skipped, before, after):
    """What stands for text left out: an ellipsis, or the spaces if only spaces were."""
    return Markup(f"{before}{ELLIPSIS}{after}") if skipped.strip() else _plain(skipped)


def _after_space(text, position, limit):
    space = SPACE.search(text, position, limit)
    return space.end() if space else position


def _before_space(text, position, limit):
    spaces = [space.start() for space in SPACE.finditer(text, limit, position)]
    return spaces[-1] if spaces else position
