"""Between the article and translator forms and revision content, and the checks
that need the database."""
import re
from datetime import date

from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from content import queries
from content.models import Article
from content.rendering import internal_links
from content.revisions import AGENT_PARTS, AgentLayer, AgentText, Contact, RevisionData, Text
from portal.extensions import db
from portal.html import sanitiser_changes
from portal.i18n import source_language
from portal.links import link_choices
from portal.urls import slugify

TEXT_FIELDS = ("title", "slug", "summary", "body", "opening_hours")
# A name in braces that the text stands for, such as {telefon}: a translation keeps each one.
PLACEHOLDER = re.compile(r"\{[\w-]+\}")


def split_list(text, separator=","):
    return [item.strip() for item in (text or "").split(separator) if item.strip()]


def content_from_form(form, languages, previous=None):
    """Revision content from a validated form.  The agent layer's review dates are
    kept from ``previous`` (the latest revision's content) unless re-confirmed; so
    are the texts of languages the form does not show and the agent layer's
    translations."""
    previous_agent = previous.agent if previous else AgentLayer()
    today = date.today().isoformat()
    return RevisionData(
        department_id=form.department_id.data,
        texts={**{lang: text for lang, text in (previous.texts if previous else {}).items()
                  if lang not in languages},
               **{lang: text_from_form(form[f"t_{lang}"].form) for lang in languages
                  if not form[f"t_{lang}"].form.is_empty()}},
        topics=form.topics.data or [],
        rosa_level=form.rosa_level.data,
        contact=Contact(phone=form.contact_phone.data or "", email=form.contact_email.data or ""),
        eservices=form.eservices.data or [],
        related=form.related.data or [],
        agent=AgentLayer(
            notes=form.agent_notes.data or "", script=form.agent_script.data or "",
            checklist=split_list(form.agent_checklist.data, "\n"),
            **{f"{part}_reviewed": today if form[f"{part}_reviewed"].data
               else previous_agent.reviewed(part) for part in AGENT_PARTS}),
        publish_at=form.publish_at.data, unpublish_at=form.unpublish_at.data,
        review_before=form.review_before.data,
        agent_translations=previous.agent_translations if previous else {})


def text_from_form(sub):
    return Text(title=sub.title.data.strip(), slug=sub.slug.data or slugify(sub.title.data),
                summary=sub.summary.data.strip(), body=sub.body.data,
                keywords=split_list(sub.keywords.data), opening_hours=sub.opening_hours.data or "")


def form_values(content):
    """Keyword arguments that fill the article form from revision content."""
    values = {
        "department_id": content.department_id, "topics": content.topics,
        "rosa_level": content.rosa_level,
        "contact_phone": content.contact.phone, "contact_email": content.contact.email,
        "eservices": content.eservices, "related": content.related,
        "agent_notes": content.agent.notes, "agent_script": content.agent.script,
        "agent_checklist": "\n".join(content.agent.checklist),
        "review_before": content.review_before,
        # Shown again so that saving a text change keeps the schedule.
        "publish_at": content.publish_at, "unpublish_at": content.unpublish_at,
    }
    for lang, text in content.texts.items():
        values[f"t_{lang}"] = {**{name: getattr(text, name) for name in TEXT_FIELDS},
                               "keywords": ", ".join(text.keywords)}
    return values


def check_article_form(form, languages, article=None):
    """Errors that need the database or span fieldsets; added to the fields. True if none."""
    ok = _check_source_text(form["t_" + source_language()].form)
    for lang in languages:
        sub = form[f"t_{lang}"].form
        if not sub.is_empty():
            ok = _check_text(sub, lang, article) and ok
    return ok


def _check_source_text(sub):
    ok = True
    for name, message in (("title", _("Skriv en rubrik.")), ("summary", _("Skriv en sammanfattning.")),
                          ("body", _("Skriv en brödtext."))):
        if not (sub[name].data or "").strip():
            _add_error(sub[name], message)
            ok = False
    return ok


def _check_text(sub, lang, article):
    """A translation needs all its parts, and its address must be free in its language."""
    ok = True
    if lang != source_language() and not (sub.title.data and sub.summary.data and sub.body.data):
        _add_error(sub.title, _("En översättning behöver rubrik, sammanfattning och brödtext."))
        ok = False
    return _check_slug(sub, lang, article) and ok


def _check_slug(sub, lang, article):
    slug = sub.slug.data or slugify(sub.title.data or "")
    holder = queries.slug_holder(lang, slug, article.id if article else None)
    if holder is not None:
        _add_error(sub.slug, _("Adressen används redan av ”%(title)s”.",
                               title=db.session.get(Article, holder).title_in(lang)))
        return False
    return True


# --- the translator's form ---------------------------------------------------------------
def translator_form_values(text, agent):
    """Keyword arguments that fill the translator's form from a ``Text`` (or None)
    and an ``AgentText``."""
    values = {name: getattr(text, name) for name in TEXT_FIELDS} if text else {}
    values["keywords"] = ", ".join(text.keywords) if text else ""
    return {**values, "agent_notes": agent.notes, "agent_script": agent.script,
            "agent_checklist": "\n".join(agent.checklist)}


def translation_from_form(form):
    """(Text, AgentText) from a validated translator's form."""
    return text_from_form(form), AgentText(notes=form.agent_notes.data or "", script=form.agent_script.data or "",
                                           checklist=split_list(form.agent_checklist.data, "\n"))


def check_translation_form(form, article, lang, source):
    """Errors of a translation that the form's own validators cannot see, at their
    fields: the required parts, a free address, the source's placeholders kept,
    Markdown that the page shows as written.  True if none."""
    ok = _check_source_text(form) and _check_slug(form, lang, article)
    for name in ("title", "summary", "body"):
        missing = sorted(set(PLACEHOLDER.findall(getattr(source, name))) - set(PLACEHOLDER.findall(form[name].data or "")))
        if missing:
            _add_error(form[name], _("Behåll platshållarna som i källtexten: %(names)s.", names=", ".join(missing)))
            ok = False
    for name in ("body", "agent_notes", "agent_script"):
        if sanitiser_changes(form[name].data or ""):
            _add_error(form[name], _("Sidan skulle inte visa allt du skrivit: bilder, rubriker under nivå 4 och "
                                     "länkar som inte börjar med https://, mailto: eller tel: tas bort."))
            ok = False
    return ok


def _add_error(field, message):
    field.errors = [*field.errors, message]


def broken_internal_links(content):
    """Links in the bodies to article pages that are not published."""
    return [url for text in content.texts.values()
            for lang, slug, url in internal_links(text.body)
            if slug not in queries.live_article_ids_by_slug([slug], lang)]


def topic_choices(lang):
    return [SelectChoice(t.slug, t.name_in(lang)) for t in queries.topics()]


def article_choices(lang, except_id=None):
    """The live articles, by title in ``lang``, for the pickers of related articles."""
    articles = [a for a in queries.live_articles() if a.id != except_id]
    return sorted((SelectChoice(a.id, a.title_in(lang)) for a in articles),
                  key=lambda choice: choice.label.lower())


def eservice_choices():
    """The e-services of whichever domain lists them (none without one)."""
    return [SelectChoice(code, link.title) for code, link in link_choices("eservice")]
