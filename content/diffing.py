"""Differences between two revisions, field by field: line by line (the history's
comparison) or word by word (the review screen)."""
import difflib
import re
from typing import NamedTuple

from flask_babel import lazy_gettext as _l

from content import queries
from content.revisions import AGENT_PARTS, SOURCE_PARTS
from portal.extensions import db
from portal.i18n import current_language, source_language
from portal.org.models import Department

TEXT_LABELS = {"title": _l("Rubrik"), "summary": _l("Sammanfattning"), "body": _l("Brödtext"),
               "keywords": _l("Sökord"), "slug": _l("Adress"), "opening_hours": _l("Öppettider")}
AGENT_LABELS = {"notes": _l("Interna anteckningar"), "script": _l("Talmanus"), "checklist": _l("Checklista")}
OTHER_LABELS = {"topics": _l("Ämnen"), "rosa_level": _l("ROSA-nivå"), "contact": _l("Kontakt"),
                "eservices": _l("E-tjänster"), "related": _l("Relaterade artiklar"),
                "department_id": _l("Förvaltning")}


class Change(NamedTuple):
    """A field that differs: its label, the diff's rows, and the language its text is
    written in (the page's own for names of topics and departments)."""

    label: str
    rows: list
    lang: str


def _text(value):
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if hasattr(value, "__dataclass_fields__"):
        return "\n".join(f"{name}: {getattr(value, name)}" for name in value.__dataclass_fields__)
    return "" if value is None else str(value)


def _readable(key, value):
    """Ids as editors know them: article titles, förvaltning and topic names."""
    if not value:
        return value
    lang = current_language()
    if key == "related":
        return [a.title_in(lang) for a in queries.articles_by_id(value)]
    if key == "topics":
        return [t.name_in(lang) for t in queries.topics_by_slug(value)]
    if key == "department_id":
        department = db.session.get(Department, value)
        return department.name_in(lang) if department else value
    return value


def line_diff(old, new):
    """[(kind, line)] with kind "same", "del" or "ins"."""
    rows = []
    for line in difflib.ndiff(_text(old).splitlines(), _text(new).splitlines()):
        code, text = line[:2], line[2:]
        if code == "  ":
            rows.append(("same", text))
        elif code == "- ":
            rows.append(("del", text))
        elif code == "+ ":
            rows.append(("ins", text))
    return rows


WORD = re.compile(r"\s+|[^\s]+")


def word_diff(old, new):
    """[(kind, text)] with kind "same", "del" or "ins": runs of words and the
    spaces between them, so that a changed word shows as itself in its sentence."""
    before, after = WORD.findall(_text(old)), WORD.findall(_text(new))
    runs = []
    for code, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if code == "equal":
            runs.append(("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("del", "".join(before[i1:i2])))
        if j2 > j1:
            runs.append(("ins", "".join(after[j1:j2])))
    return runs


def text_diff(before, after, differ, lang, labels=TEXT_LABELS, suffix=""):
    """A :class:`Change` for each part named in ``labels`` that differs between two texts
    in ``lang`` (``revisions.Text`` or ``AgentText``, or None), its label ending in ``suffix``."""
    changes = []
    for key, label in labels.items():
        was, now = getattr(before, key, None), getattr(after, key, None)
        if was != now:
            changes.append(Change(f"{label}{suffix}", differ(was, now), lang))
    return changes


def source_diff(old, new):
    """What changed, word by word, in the source text a translation follows."""
    return text_diff(old.source_text, new.source_text, word_diff, source_language(),
                     {part: TEXT_LABELS[part] for part in SOURCE_PARTS})


def translation_diff(lang, old_text, old_agent, new_text, new_agent):
    """What a translation into ``lang`` changes, word by word, in the public text and
    the agent layer."""
    return (text_diff(old_text, new_text, word_diff, lang)
            + text_diff(old_agent, new_agent, word_diff, lang, AGENT_LABELS))


def revision_diff(old, new, differ=line_diff):
    """A :class:`Change` for every field that differs between two revisions' content,
    its rows as ``differ`` (``line_diff`` or ``word_diff``) gives them."""
    changes = []
    for lang in sorted(set(old.texts) | set(new.texts)):
        changes += text_diff(old.texts.get(lang), new.texts.get(lang), differ, lang, suffix=f" ({lang})")
    for part in AGENT_PARTS:
        was, now = getattr(old.agent, part), getattr(new.agent, part)
        if was != now:
            changes.append(Change(str(AGENT_LABELS[part]), differ(was, now), source_language()))
    for key, label in OTHER_LABELS.items():
        was, now = getattr(old, key), getattr(new, key)
        if was != now:
            changes.append(Change(str(label), differ(_readable(key, was), _readable(key, now)),
                                  current_language()))
    return changes
