"""Search pages, the JSON API and the search tuning pages (routes in ``blueprint.py``)."""
import hashlib
import hmac
from urllib.parse import urlencode

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal import search
from portal.auth.access import role_required
from portal.auth.models import AGENT as AGENT_ROLE, EDITOR
from portal.extensions import db
from portal.i18n import LANGUAGE_NAMES, current_language, force_language, languages, source_language
from portal.search import operations, queries
from portal.search.documents import AGENT, PUBLIC, SearchRequest
from portal.search.forms import BestBetForm, SynonymGroupForm
from portal.search.models import BestBet, SynonymGroup

CANDIDATES = 10   # pages offered when an editor picks a best bet
# The offer to see a search's results in the language its query is written in,
# worded in that language.
LANGUAGE_OFFERS = {"sv": _l("Visa träffar på svenska"), "en": _l("Visa träffar på engelska")}


# --- searching ------------------------------------------------------------------
def request_from_args(args, lang, scope):
    return SearchRequest(q=args.get("q", ""), lang=lang, scope=scope,
                         page=args.get("page", 1, type=int) or 1,
                         topic=args.get("topic") or None,
                         department=args.get("department") or None,
                         doc_type=args.get("type") or None)


def allowed_scope(requested):
    """The agents' scope needs an agent: 401 for the anonymous, 403 for other staff."""
    if requested == AGENT:
        if not current_user.is_authenticated:
            abort(401)
        if not current_user.has_role(AGENT_ROLE):
            abort(403)
    return requested


def results():
    scope = AGENT if request.args.get("scope") == AGENT else PUBLIC
    search_request = request_from_args(request.args, current_language(), allowed_scope(scope))
    found = search.search(search_request)
    return render_template("search/results.html", results=found, request_=search_request,
                           language_offer=language_offer(found))


def language_offer(found):
    """A link to the same search in the language its query looks written in, or None.

    An English query on the Swedish pages finds little ("how do I get a parking
    permit"); the link and its words are in the query's language.
    """
    lang = search.other_language(found)
    if lang not in LANGUAGE_OFFERS:
        return None
    with force_language(lang):
        text = str(LANGUAGE_OFFERS[lang])
    args = found.request.url_args(topic=None, department=None, type=None, page=None)
    return {"lang": lang, "text": text, "url": url_for("search.results", lang_code=lang, **args)}


@role_required(AGENT_ROLE)
def agent_search():
    """The agents' search: also matches the agent layer, and searches as they type
    (portal.js, through the JSON API); without JavaScript it is an ordinary form."""
    search_request = request_from_args(request.args, current_language(), AGENT)
    found = search.search(search_request)
    return render_template("search/agent.html", results=found, request_=search_request)


def click_token(log_id):
    """Ties a result link to the search that showed it: a click can only be
    recorded against the log entry whose page held the link."""
    key = current_app.secret_key.encode()
    return hmac.new(key, f"search-click:{log_id}".encode(), hashlib.sha256).hexdigest()[:20]


def follow_url(found, hit):
    """The link of a hit: it records the click, then goes to the page.  An agent's
    link always carries the query, so that the article can lead back to the results."""
    scope = found.request.scope
    return url_for("search.follow", log_id=found.log_id or 0, ref=f"{hit.doc_type}:{hit.doc_id}",
                   scope=scope if scope == AGENT else None,
                   k=click_token(found.log_id) if found.log_id else None,
                   q=found.request.q if scope == AGENT or not found.log_id else None)


def follow(log_id, ref):
    """Record which result was chosen, then go there (the target comes from the index).

    Search-as-you-type does not log every keystroke: its links carry log id 0
    and the query, which is logged here when the agent picks a result.
    """
    scope = allowed_scope(AGENT if request.args.get("scope") == AGENT else PUBLIC)
    doc_type, _sep, rest = ref.partition(":")
    stored = search.stored_document(doc_type, rest, current_language(), scope=scope)
    if stored is None:
        abort(404)
    if log_id == 0 and request.args.get("q"):
        log_id = logged_search_showing(request.args["q"], scope, ref)
    elif not hmac.compare_digest(request.args.get("k", ""), click_token(log_id)):
        log_id = None
    if log_id:
        operations.record_click(log_id, ref)
    if scope == AGENT:
        return redirect(with_query(stored["agent_url"], request.args.get("q", "")))
    return redirect(stored["url"])


def with_query(url, q):
    """``url`` with the agent's query, which the agents' article view offers back."""
    return f"{url}?{urlencode({'q': q})}" if q else url


def logged_search_showing(q, scope, ref):
    """Log the search an agent typed, and return its log id if ``ref`` is among its hits
    (so that a click is never recorded for a page the search did not show)."""
    found = search.search(SearchRequest(q=q, lang=current_language(), scope=scope))
    shown = {f"{hit.doc_type}:{hit.doc_id}" for hit in found.hits}
    return found.log_id if ref in shown else None


def api_search():
    """JSON search.  ``log=0`` (search-as-you-type) leaves the query out of the
    statistics; the hits' ``follow_url`` then logs it if a result is chosen."""
    lang = request.args.get("lang") or source_language()   # before anything asks for the locale
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
    return {"type": hit.doc_type, "id": hit.doc_id, "lang": hit.lang, "title": hit.title,
            "url": hit.url, "follow_url": follow_url(found, hit), "summary": hit.summary,
            "snippet": str(hit.snippet), "topics": hit.topics, "department": hit.department,
            "type_label": search.facet_label("doc_type", hit.doc_type),
            "topic_labels": [search.facet_label("topics", topic) for topic in hit.topics],
            "department_label": search.facet_label("department", hit.department),
            "pinned": hit.pinned, "details": hit.details}


# --- search tuning (editors) ----------------------------------------------------
def editable_or_404(model, item_id):
    item = db.session.get(model, item_id) or abort(404)
    if not item.can_edit(current_user):
        abort(403)
    return item


@role_required(EDITOR)
def curation_overview():
    bets = [(bet, search.stored_document(bet.doc_type, bet.doc_id, bet.lang))
            for bet in queries.best_bets()]
    return render_template("search/admin/overview.html", groups=queries.synonym_groups(),
                           bets=bets, language_names=LANGUAGE_NAMES)


@role_required(EDITOR)
def new_synonyms():
    return synonym_form_page(SynonymGroup(one_way=False))


@role_required(EDITOR)
def edit_synonyms(group_id):
    return synonym_form_page(editable_or_404(SynonymGroup, group_id))


def synonym_form_page(group):
    form = SynonymGroupForm(terms=group.terms, one_way=group.one_way)
    if form.validate_on_submit():
        operations.save_synonym_group(group, operations.parse_terms(form.terms.data),
                                      form.one_way.data, current_user)
        flash(_("Synonymerna är sparade och gäller från nästa sökning."), "success")
        return redirect(url_for("search.curation_overview"))
    return render_template("search/admin/synonyms.html", form=form, group=group)


@role_required(EDITOR)
def delete_synonyms(group_id):
    return delete_and_return(SynonymGroup, group_id, _("Synonymgruppen är borttagen."))


@role_required(EDITOR)
def delete_best_bet(bet_id):
    return delete_and_return(BestBet, bet_id, _("Den rekommenderade träffen är borttagen."))


def delete_and_return(model, item_id, message):
    operations.delete_tuning(editable_or_404(model, item_id))
    flash(message, "success")
    return redirect(url_for("search.curation_overview"))


@role_required(EDITOR)
def new_best_bet():
    """Two steps on one form: "Find pages" lists candidates, "Save" pins the chosen one."""
    form = BestBetForm(query=request.args.get("q", ""), lang=current_language())
    form.lang.choices = [SelectChoice(lang, LANGUAGE_NAMES.get(lang, lang)) for lang in languages()]
    found = []
    if form.validate_on_submit():
        found = candidates(form.find.data or form.query.data, form.lang.data)
        if "save" in request.form and chosen_target_ok(form):
            operations.add_best_bet(form.query.data, form.lang.data, form.target.data, current_user)
            flash(_("Den rekommenderade träffen är sparad."), "success")
            return redirect(url_for("search.curation_overview"))
    form.target.choices = target_choices(form, found)
    return render_template("search/admin/best_bet.html", form=form, searched=bool(found) or
                           form.is_submitted())


def candidates(text, lang):
    """Pages an editor may pin: the top public hits for ``text`` (not logged as a search)."""
    if not text:
        return []
    found = search.search(SearchRequest(q=text, lang=lang, per_page=CANDIDATES), log_query=False)
    return [hit for hit in found.hits if not hit.pinned]


def chosen_target_ok(form):
    """The chosen page must be public in the chosen language, and not pinned already."""
    ref = form.target.data or ""
    doc_type, _sep, doc_id = ref.partition(":")
    if not ref:
        form.target.errors.append(_("Välj vilken sida som ska visas först."))
    elif search.stored_document(doc_type, doc_id, form.lang.data, scope=PUBLIC) is None:
        form.target.errors.append(_("Sidan finns inte i sökningen på det valda språket."))
    elif queries.best_bet_exists(form.query.data, form.lang.data, ref):
        form.target.errors.append(_("Sidan är redan rekommenderad för den sökfrågan."))
    return not form.target.errors


def target_choices(form, found):
    """Radio choices: the candidates, with the page already chosen kept first."""
    choices = [(f"{hit.doc_type}:{hit.doc_id}", hit.title) for hit in found]
    chosen = form.target.data
    if chosen and chosen not in dict(choices):
        doc_type, _sep, doc_id = chosen.partition(":")
        stored = search.stored_document(doc_type, doc_id, form.lang.data, scope=PUBLIC)
        if stored:
            choices.insert(0, (chosen, stored["title"]))
    return [SelectChoice(value, label) for value, label in choices]
