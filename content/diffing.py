"""Differences between two revisions, field by field, line by line."""
import difflib

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from content.models import Article
from portal.extensions import db
from portal.i18n import current_language
from portal.org.models import Department, Topic

FIELD_LABELS = {"title": _l("Rubrik"), "summary": _l("Sammanfattning"), "body": _l("Brödtext"),
                "keywords": _l("Sökord"), "slug": _l("Adress"), "opening_hours": _l("Öppettider")}
AGENT_LABELS = {"notes": _l("Interna anteckningar"), "script": _l("Talmanus"), "checklist": _l("Checklista")}
OTHER_LABELS = {"topics": _l("Ämnen"), "rosa_level": _l("ROSA-nivå"), "contact": _l("Kontakt"),
                "eservices": _l("E-tjänster"), "related": _l("Relaterade artiklar"),
                "department_id": _l("Förvaltning")}


def _text(value):
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {v}" for k, v in sorted(value.items()))
    return "" if value is None else str(value)


def _readable(key, value):
    """Ids as editors know them: article titles, förvaltning and topic names."""
    if not value:
        return value
    lang = current_language()
    if key == "related":
        return [a.title_in(lang) for a in db.session.scalars(select(Article).where(Article.id.in_(value)))]
    if key == "topics":
        return [t.name_in(lang) for t in db.session.scalars(select(Topic).where(Topic.slug.in_(value)))]
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


def revision_diff(old, new):
    """[(label, rows)] for every field that differs between two revision data dicts."""
    changes = []
    langs = sorted(set(old.get("translations", {})) | set(new.get("translations", {})))
    for lang in langs:
        before = old.get("translations", {}).get(lang, {})
        after = new.get("translations", {}).get(lang, {})
        for key, label in FIELD_LABELS.items():
            if before.get(key) != after.get(key):
                changes.append((f"{label} ({lang})", line_diff(before.get(key), after.get(key))))
    for key, label in AGENT_LABELS.items():
        before, after = old.get("agent", {}).get(key), new.get("agent", {}).get(key)
        if before != after:
            changes.append((str(label), line_diff(before, after)))
    for key, label in OTHER_LABELS.items():
        if old.get(key) != new.get(key):
            changes.append((str(label), line_diff(_readable(key, old.get(key)),
                                                  _readable(key, new.get(key)))))
    return changes
