"""Template helpers and the two places where domains plug into shared pages:
the staff menu, banners and page sections."""
from flask import current_app
from flask_babel import format_date, format_datetime
from flask_login import current_user


def register_staff_link(app, endpoint, label, roles):
    """Show a link in the staff menu to users holding any of ``roles``."""
    app.extensions.setdefault("portal.staff_links", []).append((endpoint, label, roles))


def register_section(app, place, render):
    """``render()`` returns HTML (Markup) placed, in order, where a page calls
    ``sections(place)``: ``"home"`` (the start page) or ``"agent_search"``
    (above the agents' search, e.g. current service alerts)."""
    app.extensions.setdefault("portal.sections", {}).setdefault(place, []).append(render)


def register_banner(app, render):
    """``render()`` returns HTML shown above the content of every page (crisis alerts)."""
    app.extensions.setdefault("portal.banners", []).append(render)


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
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site_context():
        return {"municipality": app.config["PORTAL_MUNICIPALITY"],
                "contact_phone": app.config["PORTAL_CONTACT_PHONE"]}
