"""Template helpers and the places where domains plug into shared pages:
the staff menu, banners and page sections.

A page that shows one item (an article, an e-service) names it with
:func:`set_page_subject`, so that banners from other domains can show what
concerns that item (the alerts linked to an e-service) without either
domain importing the other.
"""
from flask import current_app, g
from flask_babel import format_date, format_datetime
from flask_login import current_user

from portal.html import render_markdown, without_control_characters


def register_staff_link(app, endpoint, label, roles):
    """Show a link in the staff menu to users holding any of ``roles``."""
    app.extensions.setdefault("portal.staff_links", []).append((endpoint, label, roles))


def register_section(app, place, render):
    """``render()`` returns HTML (Markup) placed, in order, where a page calls
    ``sections(place)``: ``"home"`` (the start page) or ``"agent_search"``
    (above the agents' search, e.g. current service alerts)."""
    app.extensions.setdefault("portal.sections", {}).setdefault(place, []).append(render)


def register_banner(app, render):
    """``render()`` returns HTML shown above the content of every page: crisis
    alerts everywhere, others on the page of the item they concern
    (see :func:`page_subject`)."""
    app.extensions.setdefault("portal.banners", []).append(render)


def set_page_subject(kind, key):
    """Name the item this page shows, such as ``("article", 12)`` or ``("eservice", "felanmalan")``."""
    g.page_subject = (kind, key)


def page_subject():
    """``(kind, key)`` of the item the current page shows, or None."""
    return g.get("page_subject")


def banners():
    return [render() for render in current_app.extensions.get("portal.banners", [])]


def staff_links():
    if not current_user.is_authenticated:
        return []
    return [(endpoint, label) for endpoint, label, roles
            in current_app.extensions.get("portal.staff_links", [])
            if current_user.has_role(*roles)]


def sections(place):
    return [render() for render in current_app.extensions.get("portal.sections", {}).get(place, [])]


def init_app(app):
    app.jinja_env.globals.update(staff_links=staff_links, sections=sections,
                                banners=banners)
    app.jinja_env.filters["date"] = lambda value, fmt="long": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = (
        lambda value, fmt="short": format_datetime(value, fmt) if value else "")
    app.jinja_env.filters["xml_text"] = without_control_characters
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site_context():
        return {"municipality": app.config["PORTAL_MUNICIPALITY"],
                "contact_phone": app.config["PORTAL_CONTACT_PHONE"],
                "contact_email": app.config["PORTAL_CONTACT_EMAIL"],
                "visiting_address": app.config["PORTAL_VISITING_ADDRESS"],
                "opening_hours": app.config["PORTAL_OPENING_HOURS"]}
