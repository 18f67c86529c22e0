from flask import Blueprint, abort, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal import search
from portal.auth.access import role_required
from portal.auth.models import AGENT as AGENT_ROLE
from portal.i18n import current_language, languages, localized_route
from portal.search.documents import AGENT, PUBLIC, SearchRequest

bp = Blueprint("search", __name__)


def request_from_args(args, lang, scope):
    return SearchRequest(q=args.get("q", ""), lang=lang, scope=scope,
                         page=args.get("page", 1, type=int) or 1,
                         topic=args.get("topic") or None,
                         department=args.get("department") or None,
                         doc_type=args.get("type") or None)


def allowed_scope(requested):
    if requested == AGENT:
        if not current_user.is_authenticated:
            abort(401)
        if not current_user.has_role(AGENT_ROLE):
            abort(403)
    return requested


@localized_route(bp, {"sv": "/sok", "en": "/search"})
def results():
    scope = AGENT if request.args.get("scope") == AGENT else PUBLIC
    search_request = request_from_args(request.args, current_language(), allowed_scope(scope))
    found = search.search(search_request)
    return render_template("search/results.html", results=found, request_=search_request)


@localized_route(bp, {"sv": "/kunskap", "en": "/knowledge"})
@role_required(AGENT_ROLE)
def agent_search():
    """The agents' search: also matches the agent layer, and searches as they type
    (portal.js, through the JSON API); without JavaScript it is an ordinary form."""
    search_request = request_from_args(request.args, current_language(), AGENT)
    found = search.search(search_request)
    return render_template("search/agent.html", results=found, request_=search_request)


@localized_route(bp, {"sv": "/sok/till/<int:log_id>/<path:ref>", "en": "/search/to/<int:log_id>/<path:ref>"})
def follow(log_id, ref):
    """Record which result was chosen, then go there (the target comes from the index).

    Search-as-you-type does not log every keystroke: its links carry log id 0
    and the query, which is logged here when the agent picks a result.
    """
    scope = allowed_scope(AGENT if request.args.get("scope") == AGENT else PUBLIC)
    doc_type, _sep, rest = ref.partition(":")
    url = search.url_for_document(doc_type, rest, current_language(), agent=scope == AGENT)
    if url is None:
        abort(404)
    if log_id == 0 and request.args.get("q"):
        log_id = search.search(SearchRequest(q=request.args["q"], lang=current_language(),
                                             scope=scope)).log_id
    search.record_click(log_id, ref)
    return redirect(url)


@bp.route("/api/v1/search")
def api_search():
    """JSON search.  ``log=0`` (search-as-you-type) leaves the query out of the
    statistics; the hits' ``follow_url`` then logs it if a result is chosen."""
    lang = request.args.get("lang", "sv")
    if lang not in languages():
        return jsonify(error={"code": 400, "message": _("Okänt språk.")}), 400
    scope = request.args.get("scope", PUBLIC)
    if scope not in (PUBLIC, AGENT):
        return jsonify(error={"code": 400, "message": _("Okänt sökområde.")}), 400
    g.lang_code = lang
    search_request = request_from_args(request.args, lang, allowed_scope(scope))
    found = search.search(search_request, log_query=request.args.get("log") != "0")
    return jsonify(
        query=found.request.q, total=found.total, page=found.request.page, pages=found.pages,
        suggestion=found.suggestion, corrected=found.corrected, unavailable=found.unavailable,
        log_id=found.log_id, facets=found.facets, status=status_text(found),
        hits=[hit_json(hit, found) for hit in found.hits])


def status_text(found):
    """What a screen reader announces when results are replaced in place."""
    if found.unavailable:
        return _("Sökningen fungerar inte just nu.")
    if found.corrected:
        return ngettext("Inga träffar för ”%(q)s”. %(num)d träff för ”%(suggestion)s”.",
                        "Inga träffar för ”%(q)s”. %(num)d träffar för ”%(suggestion)s”.",
                        found.total, q=found.request.q, suggestion=found.suggestion)
    return ngettext("%(num)d träff", "%(num)d träffar", found.total)


def hit_json(hit, found):
    scope = found.request.scope
    follow = url_for("search.follow", log_id=found.log_id or 0, ref=f"{hit.doc_type}:{hit.doc_id}",
                     scope=scope if scope == AGENT else None,
                     q=None if found.log_id else found.request.q)
    return {"type": hit.doc_type, "id": hit.doc_id, "lang": hit.lang, "title": hit.title,
            "url": hit.url, "follow_url": follow, "summary": hit.summary,
            "snippet": str(hit.snippet), "topics": hit.topics, "department": hit.department,
            "type_label": search.facet_label("doc_type", hit.doc_type),
            "topic_labels": [search.facet_label("topics", topic) for topic in hit.topics],
            "department_label": search.facet_label("department", hit.department),
            "pinned": hit.pinned}
