"""E-service pages (routes in ``blueprint.py``)."""
from flask import abort, render_template

from eservices import queries
from portal.html import render_markdown
from portal.i18n import current_language
from portal.templating import set_page_subject


def landing(code):
    entry = queries.entry(code) or abort(404)
    set_page_subject("eservice", code)
    text = queries.text_in(entry, current_language())
    return render_template("eservices/landing.html", entry=entry, text=text,
                           body=render_markdown(text.get("body", "")))
