"""Search curation pages: synonym groups and best bets, kept by editors and admins."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal import search
from portal.auth.access import role_required
from portal.auth.models import EDITOR
from portal.extensions import db
from portal.i18n import LANGUAGE_NAMES, current_language, languages, localized_route
from portal.search import curation
from portal.search.forms import BestBetForm, SynonymGroupForm
from portal.search.models import BestBet, SynonymGroup
from portal.search.views import bp


def editable_or_404(model, item_id):
    item = db.session.get(model, item_id) or abort(404)
    if not item.can_edit(current_user):
        abort(403)
    return item


@localized_route(bp, {"sv": "/sokanpassning", "en": "/search-tuning"})
@role_required(EDITOR)
def curation_overview():
    bets = [(bet, *curation.target_title(bet)) for bet in curation.best_bets()]
    return render_template("search/admin/overview.html", groups=curation.synonym_groups(),
                           bets=bets, language_names=LANGUAGE_NAMES)


@localized_route(bp, {"sv": "/sokanpassning/synonymer/ny", "en": "/search-tuning/synonyms/new"},
                 methods=("GET", "POST"))
@role_required(EDITOR)
def new_synonyms():
    return synonym_form_page(SynonymGroup(one_way=False))


@localized_route(bp, {"sv": "/sokanpassning/synonymer/<int:group_id>",
                      "en": "/search-tuning/synonyms/<int:group_id>"}, methods=("GET", "POST"))
@role_required(EDITOR)
def edit_synonyms(group_id):
    return synonym_form_page(editable_or_404(SynonymGroup, group_id))


def synonym_form_page(group):
    form = SynonymGroupForm(terms=group.terms, one_way=group.one_way)
    if form.validate_on_submit():
        curation.save_synonym_group(group, curation.parse_terms(form.terms.data),
                                    form.one_way.data, current_user)
        flash(_("Synonymerna är sparade och gäller från nästa sökning."), "success")
        return redirect(url_for("search.curation_overview"))
    return render_template("search/admin/synonyms.html", form=form, group=group)


@localized_route(bp, {"sv": "/sokanpassning/synonymer/<int:group_id>/ta-bort",
                      "en": "/search-tuning/synonyms/<int:group_id>/delete"}, methods=("POST",))
@role_required(EDITOR)
def delete_synonyms(group_id):
    return delete_and_return(SynonymGroup, group_id, _("Synonymgruppen är borttagen."))


def delete_and_return(model, item_id, message):
    curation.delete(editable_or_404(model, item_id))
    flash(message, "success")
    return redirect(url_for("search.curation_overview"))


@localized_route(bp, {"sv": "/sokanpassning/rekommenderade/ny", "en": "/search-tuning/best-bets/new"},
                 methods=("GET", "POST"))
@role_required(EDITOR)
def new_best_bet():
    """Two steps on one form: "Find pages" lists candidates, "Save" pins the chosen one."""
    form = BestBetForm(query=request.args.get("q", ""), lang=current_language())
    form.lang.choices = [SelectChoice(lang, LANGUAGE_NAMES.get(lang, lang)) for lang in languages()]
    found = []
    if form.validate_on_submit():
        found = curation.candidates(form.find.data or form.query.data, form.lang.data)
        if "save" in request.form and chosen_target_ok(form):
            curation.add_best_bet(form.query.data, form.lang.data, form.target.data, current_user)
            flash(_("Den rekommenderade träffen är sparad."), "success")
            return redirect(url_for("search.curation_overview"))
    form.target.choices = target_choices(form, found)
    return render_template("search/admin/best_bet.html", form=form, searched=bool(found) or
                           form.is_submitted())


def chosen_target_ok(form):
    """The chosen page must be in the index in the chosen language, and not pinned already."""
    ref = form.target.data or ""
    doc_type, _sep, doc_id = ref.partition(":")
    if not ref:
        form.target.errors.append(_("Välj vilken sida som ska visas först."))
    elif search.stored_document(doc_type, doc_id, form.lang.data) is None:
        form.target.errors.append(_("Sidan finns inte i sökningen på det valda språket."))
    elif curation.best_bet_exists(form.query.data, form.lang.data, ref):
        form.target.errors.append(_("Sidan är redan rekommenderad för den sökfrågan."))
    return not form.target.errors


def target_choices(form, found):
    """Radio choices: the candidates, with the page already chosen kept first."""
    choices = [(f"{hit.doc_type}:{hit.doc_id}", hit.title) for hit in found]
    chosen = form.target.data
    if chosen and chosen not in dict(choices):
        doc_type, _sep, doc_id = chosen.partition(":")
        stored = search.stored_document(doc_type, doc_id, form.lang.data)
        if stored:
            choices.insert(0, (chosen, stored["title"]))
    return [SelectChoice(value, label) for value, label in choices]


@localized_route(bp, {"sv": "/sokanpassning/rekommenderade/<int:bet_id>/ta-bort",
                      "en": "/search-tuning/best-bets/<int:bet_id>/delete"}, methods=("POST",))
@role_required(EDITOR)
def delete_best_bet(bet_id):
    return delete_and_return(BestBet, bet_id, _("Den rekommenderade träffen är borttagen."))
