"""Turning revision content into HTML, and checks of what editors wrote.

The HTML is stored beside the source (``ArticleRevision.rendered``), so pages
never render Markdown on read.  When the sanitiser's rules change
(``portal.html``), stored HTML must be made again: ``portal rerender``.
"""
import re

from flask_babel import format_time, get_locale, to_user_timezone
from flask_babel import gettext as _

from content.revisions import AGENT_TEXTS
from portal.clock import utcnow
from portal.html import plain_text, render_markdown
from portal.templating import date_filter

# Clock times as the language writes them; Swedish uses a full stop (Språkrådet: "kl. 21.35").
TIME_PATTERNS = {"sv": "HH.mm"}
INTERNAL_LINK = re.compile(r"\]\((/(?P<lang>[a-z]{2})/(?:artikel|article)/(?P<slug>[a-z0-9-]+))\)")


def render_revision(content):
    """The stored HTML of a revision's content (a ``RevisionData``)."""
    return {
        "translations": {lang: {"body": str(render_markdown(text.body))}
                         for lang, text in content.texts.items()},
        "agent": _agent_html(content.agent),
        "agent_translations": {lang: _agent_html(agent) for lang, agent in content.agent_translations.items()},
    }


def _agent_html(agent):
    return {part: str(render_markdown(getattr(agent, part))) for part in AGENT_TEXTS}


def agent_plain_text(content):
    agent = content.agent
    return " ".join([plain_text(agent.notes), plain_text(agent.script), " ".join(agent.checklist)])


def markdown_problems(text):
    """Mistakes that make Markdown come out differently from what the editor meant."""
    problems = []
    if text.count("```") % 2:
        problems.append(_("Ett kodblock (```) öppnas men stängs aldrig."))
    if re.search(r"\]\(\s*\)", text):
        problems.append(_("En länk saknar adress: [text]() ."))
    if re.search(r"\]\(\s*(javascript|data|vbscript):", text, re.IGNORECASE):
        problems.append(_("Länkar får bara gå till webbadresser (https://), e-post eller telefon."))
    if re.search(r"<\s*(script|style|iframe|object)", text, re.IGNORECASE):
        problems.append(_("HTML-taggar som script och style är inte tillåtna och tas bort."))
    return problems


def internal_links(text):
    """(lang, slug, url) of every link to an article page in ``text``."""
    return [(m.group("lang"), m.group("slug"), m.group(1)) for m in INTERNAL_LINK.finditer(text)]


def until_in_words(moment):
    """"till och med måndag 21 december kl. 21.35": a weekday and date people can
    picture, with the year only when it is not this year's."""
    this_year = to_user_timezone(moment).year == to_user_timezone(utcnow()).year
    day = date_filter(moment, "weekday" if this_year else "weekday_year")
    time = format_time(moment, TIME_PATTERNS.get(get_locale().language, "short"))
    return _("till och med %(day)s kl. %(time)s", day=day, time=time)

