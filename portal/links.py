"""Links: absolute addresses, and links to other domains' items.

**Absolute addresses** (hreflang, the sitemap, feeds, e-mail) are built from
``PORTAL_BASE_URL``, never from the request's ``Host`` header, which a client
chooses: a cached page must not point anyone at a host an attacker named.

**Links between domains.**  A domain never imports another (``content`` does
not know ``eservices``).  Where a page of one domain mentions an item of
another, such as an article that lists the e-services it relates to, it asks
this registry: the domain that owns the kind of item registers a resolver, and
a template calls ``link_to(kind, key)``.  When no enabled domain owns the kind,
or the item does not exist, the answer is ``None`` and the page leaves it out.
"""
from dataclasses import dataclass
from urllib.parse import urljoin

from contextlib import nullcontext

from flask import current_app, has_request_context, url_for


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    lang: str = ""   # the language ``title`` is written in, when it differs from the page's


def absolute_url(path):
    """``path`` (as ``url_for`` gives it) on the configured public address."""
    return urljoin(current_app.config["PORTAL_BASE_URL"], path)


def public_url(endpoint, **values):
    """The absolute public address of a page, in a request or outside one (CLI, the
    background tasks): for links that leave the site (mail, SMS, feeds)."""
    context = nullcontext() if has_request_context() else current_app.test_request_context(
        base_url=current_app.config["PORTAL_BASE_URL"])
    with context:
        return absolute_url(url_for(endpoint, **values))


def register_link_kind(app, kind, resolve, keys=None):
    """``resolve(key)`` returns a :class:`Link` for an item of ``kind``, or None;
    ``keys()``, when given, lists every item's key, for pickers in other domains' forms."""
    app.extensions.setdefault("portal.link_kinds", {})[kind] = resolve
    if keys is not None:
        app.extensions.setdefault("portal.link_keys", {})[kind] = keys


def link_to(kind, key):
    """A link to the item ``key`` of ``kind`` in the current language, or None."""
    resolve = current_app.extensions.get("portal.link_kinds", {}).get(kind)
    return resolve(key) if resolve else None


def link_choices(kind):
    """``[(key, Link)]`` of every item of ``kind`` in the current language, by title;
    empty when no enabled domain lists that kind."""
    keys = current_app.extensions.get("portal.link_keys", {}).get(kind)
    links = [(key, link_to(kind, key)) for key in (keys() if keys else [])]
    return sorted(((key, link) for key, link in links if link), key=lambda pair: pair[1].title.lower())


def init_app(app):
    app.jinja_env.globals.update(link_to=link_to, absolute_url=absolute_url)
