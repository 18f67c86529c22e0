"""What a translation must keep from its source: placeholders and HTML tags.

A placeholder left out, renamed (``%(namn)s`` for ``%(name)s``) or added makes
``gettext(..., name=…)`` fail or show the wrong text; a tag lost or left open
breaks the page around it.  The check compares tokens exactly, so the
translation has precisely the source's placeholders, in any order.
"""
import re
from collections import Counter

from flask_babel import gettext as _

# %(name)s, %s, %02d, %%: printf style; a lone % counts where the source uses
# printf placeholders, since Python then reads it as the start of one.
PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]|%")
BRACES = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
# What shows that a source is formatted with %: a named placeholder or a plain %s/%d
# ("100 % gratis" is a percent sign, though "% g" could be read as a conversion).
PRINTF_USED = re.compile(r"%\([^)]*\)|%[sd]")
VOID_ELEMENTS = {"br", "hr", "img", "input", "meta", "link", "wbr"}


def placeholders(text, printf=True):
    """The placeholders in ``text`` (escapes such as ``%%`` and ``{{`` are not)."""
    found = [token for token in PRINTF.findall(text) if token != "%%"] if printf else []
    found += [token for token in BRACES.findall(text) if token not in ("{{", "}}")]
    return Counter(found)


def printf_style(source):
    """Whether ``source`` has printf placeholders (so that ``%`` starts one)."""
    return bool(PRINTF_USED.search(source.replace("%%", "")))


def of(source):
    """The placeholders of a source text, for the translator's hint."""
    return sorted(placeholders(source, printf_style(source)))


def tags(text):
    return [(closing, name.lower()) for closing, name, _self_closing in TAG.findall(text)]


def balanced(found):
    """Every tag opened is closed, innermost first."""
    open_tags = []
    for closing, name in found:
        if name in VOID_ELEMENTS:
            continue
        if not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            return False
    return not open_tags


def problem(source, translation):
    """Why ``translation`` cannot stand for ``source`` (a sentence for the
    translator), or None when it keeps the source's placeholders and tags."""
    printf = printf_style(source)
    wanted, got = placeholders(source, printf), placeholders(translation, printf)
    if wanted != got:
        missing, extra = sorted((wanted - got).elements()), sorted((got - wanted).elements())
        parts = []
        if missing:
            parts.append(_("Det saknas: %(placeholders)s.", placeholders=" ".join(missing)))
        if extra:
            parts.append(_("Det finns inte i källtexten: %(placeholders)s.", placeholders=" ".join(extra)))
        return " ".join([_("Översättningen måste ha samma platshållare som källtexten."), *parts])
    if Counter(tags(source)) != Counter(tags(translation)) or not balanced(tags(translation)):
        return _("Översättningen måste ha samma HTML-taggar som källtexten, öppnade och stängda i rätt ordning.")
    return None


def form_sources(msgid, plural, count):
    """The source text each of ``count`` forms translates: the singular for the
    first, the plural msgid for the others (a message without a plural: itself)."""
    return [msgid] + [plural or msgid] * (count - 1)


def first_problem(msgid, plural, forms):
    """The problem of the first form of a translation that has one, or None."""
    for source, text in zip(form_sources(msgid, plural, len(forms)), forms):
        found = problem(source, text)
        if found:
            return found
    return None
