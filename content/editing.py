"""Between the article form and revision data, and the checks that need the database."""
import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from content.models import ArticleTranslation
from content.rendering import internal_links, parse_datetime
from portal.extensions import db
from portal.org.models import Topic

SLUG_CHARS = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def slugify(text):
    text = text.lower().translate(SLUG_CHARS)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:120]


def split_list(text, separator=","):
    return [item.strip() for item in (text or "").split(separator) if item.strip()]


def data_from_form(form, languages, previous=None):
    """Revision data from a validated form (agent review dates kept unless re-confirmed)."""
    previous_agent = (previous or {}).get("agent", {})
    today = date.today().isoformat()
    translations = {}
    for lang in languages:
        sub = form[f"t_{lang}"].form
        if sub.is_empty():
            continue
        translations[lang] = {
            "title": sub.title.data.strip(), "slug": sub.slug.data or slugify(sub.title.data),
            "summary": sub.summary.data.strip(), "body": sub.body.data,
            "keywords": split_list(sub.keywords.data), "opening_hours": sub.opening_hours.data or ""}
    slugs = split_list(form.related.data)
    related = db.session.scalars(select(ArticleTranslation.article_id).where(
        ArticleTranslation.lang == "sv", ArticleTranslation.slug.in_(slugs))).all() if slugs else []
    return {
        "department_id": form.department_id.data,
        "topics": form.topics.data or [],
        "rosa_level": form.rosa_level.data,
        "contact": {"phone": form.contact_phone.data or "", "email": form.contact_email.data or ""},
        "eservices": split_list(form.eservices.data),
        "related": list(related),
        "translations": translations,
        "agent": {
            "notes": form.agent_notes.data or "", "script": form.agent_script.data or "",
            "checklist": split_list(form.agent_checklist.data, "\n"),
            **{f"{part}_reviewed": today if form[f"{part}_reviewed"].data
               else previous_agent.get(f"{part}_reviewed", "")
               for part in ("notes", "script", "checklist")}},
        "publish_at": form.publish_at.data.isoformat() if form.publish_at.data else "",
        "unpublish_at": form.unpublish_at.data.isoformat() if form.unpublish_at.data else "",
        "review_before": form.review_before.data.isoformat() if form.review_before.data else "",
    }


def form_data_from_revision(data):
    """Keyword arguments that fill the article form from revision data."""
    related_slugs = db.session.scalars(select(ArticleTranslation.slug).where(
        ArticleTranslation.lang == "sv",
        ArticleTranslation.article_id.in_(data.get("related", [])))).all()
    values = {
        "department_id": data["department_id"], "topics": data.get("topics", []),
        "rosa_level": data.get("rosa_level", 1),
        "contact_phone": data.get("contact", {}).get("phone", ""),
        "contact_email": data.get("contact", {}).get("email", ""),
        "eservices": ", ".join(data.get("eservices", [])), "related": ", ".join(related_slugs),
        "agent_notes": data.get("agent", {}).get("notes", ""),
        "agent_script": data.get("agent", {}).get("script", ""),
        "agent_checklist": "\n".join(data.get("agent", {}).get("checklist", [])),
        "review_before": date.fromisoformat(data["review_before"]) if data.get("review_before") else None,
        # Shown again so that saving a text change keeps the schedule.
        "publish_at": parse_datetime(data.get("publish_at")),
        "unpublish_at": parse_datetime(data.get("unpublish_at")),
    }
    for lang, t in data.get("translations", {}).items():
        values[f"t_{lang}"] = {**t, "keywords": ", ".join(t.get("keywords", []))}
    return values


def check_article_form(form, languages, article=None):
    """Errors that need the database or span fieldsets; added to the fields. True if none."""
    ok = True
    sv = form["t_sv"].form
    for name, message in (("title", _("Skriv en rubrik.")), ("summary", _("Skriv en sammanfattning.")),
                          ("body", _("Skriv en brödtext."))):
        if not (sv[name].data or "").strip():
            sv[name].errors = [*sv[name].errors, message]
            ok = False
    for lang in languages:
        sub = form[f"t_{lang}"].form
        if sub.is_empty():
            continue
        if lang != "sv" and not (sub.title.data and sub.summary.data and sub.body.data):
            sub.title.errors = [*sub.title.errors, _("En översättning behöver rubrik, sammanfattning och brödtext.")]
            ok = False
        slug = sub.slug.data or slugify(sub.title.data or "")
        taken = db.session.scalar(select(ArticleTranslation).where(
            ArticleTranslation.lang == lang, ArticleTranslation.slug == slug,
            ArticleTranslation.article_id != (article.id if article else -1)))
        if taken:
            sub.slug.errors = [*sub.slug.errors, _("Adressen används redan av ”%(title)s”.", title=taken.title)]
            ok = False
    missing = [slug for slug in split_list(form.related.data) if not db.session.scalar(
        select(ArticleTranslation.id).where(ArticleTranslation.lang == "sv", ArticleTranslation.slug == slug))]
    if missing:
        form.related.errors = [*form.related.errors,
                               _("Hittar inga publicerade artiklar med adressen: %(slugs)s", slugs=", ".join(missing))]
        ok = False
    return ok


def broken_internal_links(data):
    """Links in the bodies to article pages that are not published."""
    broken = []
    for t in data.get("translations", {}).values():
        for lang, slug, url in internal_links(t.get("body", "")):
            found = db.session.scalar(select(ArticleTranslation.id).where(
                ArticleTranslation.lang == lang, ArticleTranslation.slug == slug))
            if not found:
                broken.append(url)
    return broken


def topic_choices(lang):
    return [SelectChoice(t.slug, t.name_in(lang))
            for t in db.session.scalars(select(Topic).order_by(Topic.position))]


