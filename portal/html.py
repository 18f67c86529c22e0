"""The one place where stored text becomes HTML.

Editors write Markdown; it is rendered with markdown-it (raw HTML disabled)
and then cleaned by bleach against an allow-list, so no script, style or
event attribute can reach a page whatever was typed.  Keeping both steps
behind these functions lets the sanitiser change without touching callers.

Article revisions store their rendered HTML, so pages never render on read:
after changing the rules here (tags, attributes, protocols), run
``portal rerender`` so that stored HTML follows them.
"""
import re
from html import unescape

import bleach
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "b", "i",
    "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr",
}
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "th": ["scope"], "td": [], "table": []}
ALLOWED_PROTOCOLS = {"http", "https", "mailto", "tel"}

# Characters XML 1.0 forbids (C0 controls other than tab and newlines, lone
# surrogates, U+FFFE/U+FFFF): escaping cannot make them valid in a feed.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}
                       ).enable("table")


def sanitize(html: str) -> Markup:
    cleaned = bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                           protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True)
    return Markup(cleaned)


def render_markdown(text: str) -> Markup:
    """Markdown to safe HTML.  Headings start at h2: the page title is the only h1."""
    return sanitize(_unsanitised_html(text))


def _unsanitised_html(text):
    html = _markdown.render(text or "")
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def sanitiser_changes(text: str) -> bool:
    """True when the sanitiser takes something out of what ``text`` renders to (an
    image, a small heading, a link to an address it does not allow): the page would
    not show what was written."""
    html = _unsanitised_html(text)
    return str(sanitize(html)) != html


def plain_text(text: str) -> str:
    """Markdown or HTML reduced to text, for search documents and e-mail answers."""
    html = _markdown.render(text or "")
    return unescape(bleach.clean(html, tags=set(), strip=True)).strip()


def without_control_characters(text):
    """``text`` without the characters that no XML (feeds, sitemaps) may hold."""
    return CONTROL_CHARACTERS.sub("", text) if text else text
