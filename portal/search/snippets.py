"""Search snippets: passages of a document's text around the words searched for.

Whoosh's highlighter tokenises the whole text to rank every possible
fragment, and its HTML then went through bleach: together most of a
search's time (benchmarks/search.py).  A snippet here is the first passages
that hold the query's words, so the scan stops early, and it is built from
escaped text and ``<mark>`` tags, so it is safe without a sanitiser.
"""
from markupsafe import Markup, escape

from portal.search import analysis

WIDTH = 220      # characters a passage may span
CONTEXT = 60     # characters of text shown before and after the words
PASSAGES = 2
BETWEEN = " … "


def snippet(text, words, lang):
    """Up to two passages of ``text`` with the ``words`` (stems in ``lang``) marked."""
    passages = []   # (first character, [(start, end) of each marked word])
    for start, end in _matches(text, words, lang):
        shown_until = passages[-1][0] + WIDTH if passages else 0
        if passages and end <= shown_until:
            passages[-1][1].append((start, end))
        elif len(passages) < PASSAGES:
            first = max(start - CONTEXT, shown_until) if shown_until <= start else start
            passages.append((first, [(start, end)]))
        else:
            break
    return Markup(BETWEEN).join(_passage(text, first, marks) for first, marks in passages)


def _matches(text, words, lang):
    if not words:
        return
    for token in analysis.analyzer(lang)(text, chars=True, removestops=False):
        if token.text in words:
            yield token.startchar, token.endchar


def _passage(text, first, marks):
    """``WIDTH`` characters of text from ``first``, cut at spaces, with the marks."""
    if first > 0:
        first = _after_space(text, first, marks[0][0])
    last = min(len(text), first + WIDTH)
    if last < len(text):
        last = _before_space(text, last, marks[-1][1])
    parts, position = [], first
    for start, end in marks:
        parts += [escape(text[position:start]), Markup("<mark>"), escape(text[start:end]),
                  Markup("</mark>")]
        position = end
    parts.append(escape(text[position:last]))
    return Markup("").join(parts)


def _after_space(text, position, limit):
    space = text.find(" ", position, limit)
    return space + 1 if space >= 0 else position


def _before_space(text, position, limit):
    space = text.rfind(" ", limit, position)
    return space if space >= 0 else position
