from flask import Blueprint, abort, g, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from portal import search
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


@localized_route(bp, {"sv": "/sok/till/<int:log_id>/<path:ref>", "en": "/search/to/<int:log_id>/<path:ref>"})
def follow(log_id, ref):
    """Record which result was chosen, then go there (the target comes from the index)."""
    doc_type, _sep, rest = ref.partition(":")
    url = search.url_for_document(doc_type, rest, current_language(),
                                  agent=request.args.get("scope") == AGENT)
    if url is None:
        abort(404)
    search.record_click(log_id, ref)
    return redirect(url)


@bp.route("/api/v1/search")
def api_search():
    lang = request.args.get("lang", "sv")
    if lang not in languages():
        return jsonify(error={"code": 400, "message": _("Okänt språk.")}), 400
    scope = request.args.get("scope", PUBLIC)
    if scope not in (PUBLIC, AGENT):
        return jsonify(error={"code": 400, "message": _("Okänt sökområde.")}), 400
    g.lang_code = lang
    found = search.search(request_from_args(request.args, lang, allowed_scope(scope)))
    return jsonify(
        query=found.request.q, total=found.total, page=found.request.page, pages=found.pages,
        suggestion=found.suggestion, corrected=found.corrected, unavailable=found.unavailable,
        log_id=found.log_id, facets=found.facets,
        hits=[{"type": h.doc_type, "id": h.doc_id, "lang": h.lang, "title": h.title,
               "url": h.url, "summary": h.summary, "snippet": str(h.snippet),
               "topics": h.topics, "department": h.department, "pinned": h.pinned}
              for h in found.hits])
