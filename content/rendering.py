"""Turning revision data into HTML, and checks of what editors wrote."""
import re
from datetime import datetime

from flask_babel import gettext as _

from portal.html import plain_text, render_markdown

AGENT_PARTS = ("notes", "script")
INTERNAL_LINK = re.compile(r"\]\((/(?P<lang>[a-z]{2})/(?:artikel|article)/(?P<slug>[a-z0-9-]+))\)")


def render_revision(data):
    """Rendered HTML stored beside the source, so pages never render Markdown on read."""
    return {
        "translations": {lang: {"body": str(render_markdown(t.get("body", "")))}
                         for lang, t in data.get("translations", {}).items()},
        "agent": {part: str(render_markdown(data.get("agent", {}).get(part, "")))
                  for part in AGENT_PARTS},
    }


def agent_plain_text(data):
    agent = data.get("agent", {})
    return " ".join([plain_text(agent.get("notes", "")), plain_text(agent.get("script", "")),
                     " ".join(agent.get("checklist", []))])


def parse_datetime(value):
    if not value:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


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
