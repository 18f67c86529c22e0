"""``portal.html``: the sanitiser on its own, and Markdown rendering.

Markdown already escapes raw HTML, so pages alone cannot show whether
``sanitize()`` works; these tests call it directly with hostile HTML.  What
counts as harmless is written out here (``HARMLESS_*``) rather than read from
``portal.html``, so that widening the allow-list to something dangerous fails.
"""
import re
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from portal.html import render_markdown, sanitize

HARMLESS_TAGS = {"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "b", "i",
                 "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "hr"}
HARMLESS_ATTRIBUTES = {("a", "href"), ("a", "title"), ("th", "scope")}
HARMLESS_SCHEMES = {"http", "https", "mailto", "tel"}
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# What browsers ignore inside a URL's scheme ("java\tscript:" is "javascript:").
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "script with src": '<script src="https://evil.example/x.js"></script>',
    "upper-case script": "<SCRIPT>alert(1)</SCRIPT>",
    "script split by a script": "<scr<script>ipt>alert(1)</script>",
    "nested script": "<<script>script>alert(1)<</script>/script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "onclick on an allowed tag": '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "onmouseover on a cell": '<table><tr><td onmouseover="alert(1)">x</td></tr></table>',
    "event handler without quotes": "<p onclick=alert(1)>x</p>",
    "event handler after a slash": "<b/onmouseover=alert(1)>x</b>",
    "javascript: link": '<a href="javascript:alert(1)">x</a>',
    "mixed case javascript:": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "javascript: after spaces": '<a href="  javascript:alert(1)">x</a>',
    "javascript: after a control character": '<a href="\x01javascript:alert(1)">x</a>',
    "tab inside javascript:": '<a href="java\tscript:alert(1)">x</a>',
    "entity tab inside javascript:": '<a href="java&#x09;script:alert(1)">x</a>',
    "entity newline inside javascript:": '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    "decimal entities": '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    "hex entities without semicolons":
        '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74:alert(1)">x</a>',
    "named entity colon": '<a href="javascript&colon;alert(1)">x</a>',
    "data: link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "upper-case data:": '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    "vbscript: link": '<a href="vbscript:msgbox(1)">x</a>',
    "vbscript: with spaces and case": '<a href=" VBScript:msgbox(1)">x</a>',
    "style attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "style element": "<style>body{display:none}</style>",
    "style import": "<style>@import 'https://evil.example/x.css';</style>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "svg onload": "<svg onload=alert(1)>",
    "svg with script": "<svg><script>alert(1)</script></svg>",
    "svg link": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "math with style": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "form": '<form action="https://evil.example"><input name="password"><button>OK</button></form>',
    "base": '<base href="https://evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "comment": "<!-- <script>alert(1)</script> -->",
    "broken comment": "<!--><script>alert(1)</script>-->",
    "conditional comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "unknown tags": "<blink>x</blink><marquee>y</marquee><custom-element>z</custom-element>",
    "noscript breaking out": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "textarea breaking out": '<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>',
    "target and rel": '<a href="https://ok.example" target="_blank" rel="opener">x</a>',
    "id and class": '<p id="login" class="error-summary">x</p>',
    "h1 beside the page title": "<h1>Falsk rubrik</h1>",
}


class Inventory(HTMLParser):
    """Every tag, attribute and comment in a piece of HTML, as a browser would read it."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.comments = [], [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)


def url_scheme(url):
    """The scheme a browser would see in ``url`` (None for a relative URL)."""
    match = SCHEME.match(IGNORED_IN_URLS.sub("", url).lower())
    return match.group(1) if match else None


def dangers(html):
    """What in ``html`` is not harmless: tags, attributes, URL schemes, comments."""
    found = Inventory(html)
    problems = [f"<{tag}>" for tag in found.tags if tag not in HARMLESS_TAGS]
    problems += [f"{tag}[{name}]" for tag, name, _value in found.attributes
                 if (tag, name) not in HARMLESS_ATTRIBUTES]
    problems += [f"{tag}[{name}={value!r}]" for tag, name, value in found.attributes
                 if name == "href" and url_scheme(value) not in HARMLESS_SCHEMES | {None}]
    problems += [f"<!--{comment}-->" for comment in found.comments]
    if re.search(r"<\s*/?\s*(script|style|iframe|svg|math)", html, re.IGNORECASE):
        problems.append("a dangerous tag that the parser did not read as one")
    return problems


def test_the_checker_finds_what_it_looks_for():
    assert dangers(HOSTILE["script"]) and dangers(HOSTILE["tab inside javascript:"])
    assert dangers(HOSTILE["style attribute"]) and dangers(HOSTILE["comment"])
    assert dangers('<a href="https://ok.example">x</a><p>y</p>') == []


@pytest.mark.parametrize("html", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_html_comes_out_harmless(html):
    cleaned = sanitize(html)
    assert isinstance(cleaned, Markup)
    assert dangers(str(cleaned)) == []


@pytest.mark.parametrize("html", [
    HOSTILE["script"], HOSTILE["script split by a script"], HOSTILE["svg with script"],
    HOSTILE["broken comment"]])
def test_no_script_element_survives_in_any_spelling(html):
    assert "<script" not in str(sanitize(html)).lower()


@pytest.mark.parametrize("html", [
    '<a href="https://sjobacka.example/bygglov" title="Bygglov">Läs om bygglov</a>',
    '<a href="http://sjobacka.example/">Sjöbacka</a>',
    '<a href="mailto:kontaktcenter@sjobacka.example">Mejla oss</a>',
    '<a href="tel:+46480450000">0480-45 00 00</a>',
    '<a href="/sv/artikel/hemtjanst">Hemtjänst</a>',
    '<h2>Avgifter</h2><h3>Förskola</h3><h4>Syskonrabatt</h4>',
    "<ul><li>Ett</li><li>Två</li></ul><ol><li>Först</li><li>Sedan</li></ol>",
    '<table><thead><tr><th scope="col">Taxa</th><th scope="col">Pris</th></tr></thead>'
    "<tbody><tr><td>Grundavgift</td><td>1 200 kr</td></tr></tbody></table>",
    "<p>Text med <strong>fet</strong>, <em>kursiv</em>, <b>b</b>, <i>i</i> och <code>kod</code>."
    "<br>Ny rad.</p>",
    "<blockquote><p>Citat</p></blockquote><pre><code>kod</code></pre><hr>",
])
def test_allowed_markup_survives_unchanged(html):
    assert str(sanitize(html)) == html


@pytest.mark.parametrize("html, kept", [
    (HOSTILE["onclick on an allowed tag"], '<a href="https://ok.example">x</a>'),
    (HOSTILE["javascript: link"], "<a>x</a>"),
    (HOSTILE["style attribute"], "<p>x</p>"),
    (HOSTILE["onmouseover on a cell"], "<td>x</td>"),
    (HOSTILE["target and rel"], '<a href="https://ok.example">x</a>'),
])
def test_the_harmless_part_of_a_hostile_tag_is_kept(html, kept):
    assert kept in str(sanitize(html))


def test_text_is_escaped_not_dropped():
    assert str(sanitize("a < b & c > d")) == "a &lt; b &amp; c &gt; d"
    assert "Falsk rubrik" in str(sanitize(HOSTILE["h1 beside the page title"]))


# --- Markdown ------------------------------------------------------------------------
@pytest.mark.parametrize("markdown", ["# Rubrik", "Rubrik\n======"])
def test_markdown_h1_becomes_h2(markdown):
    html = str(render_markdown(markdown))
    assert html.strip() == "<h2>Rubrik</h2>"


def test_markdown_keeps_lower_headings():
    assert str(render_markdown("## Två\n\n### Tre")).split() == ["<h2>Två</h2>", "<h3>Tre</h3>"]


@pytest.mark.parametrize("markdown", [
    "Text <b>fet</b> text", "<script>alert(1)</script>", "<div onclick=alert(1)>x</div>",
    "Inline <img src=x onerror=alert(1)> mitt i", "<!-- kommentar -->",
    '<a href="https://ok.example">x</a>'])
def test_raw_html_in_markdown_is_shown_as_text(markdown):
    html = str(render_markdown(markdown))
    assert set(Inventory(html).tags) <= {"p"}
    assert "&lt;" in html


@pytest.mark.parametrize("markdown", ["[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))",
                                      "[x](data:text/html,hej)", "[x](vbscript:msgbox)",
                                      "![x](javascript:alert(1))"])
def test_markdown_links_never_run_code(markdown):
    assert dangers(str(render_markdown(markdown))) == []


def test_markdown_links_and_tables_render():
    html = str(render_markdown("[Ring oss](tel:+46480450000)\n\n| A | B |\n|---|---|\n| 1 | 2 |"))
    assert '<a href="tel:+46480450000">Ring oss</a>' in html
    assert "<table>" in html and "<td>1</td>" in html
