"""The interface translation pages (routes in ``blueprint.py``)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.actions import ActionRefused
from portal.auth.access import role_required
from portal.auth.models import TRANSLATOR
from portal.catalogs import queries
from portal.catalogs.forms import MessageFilterForm, translation_fields, translation_form
from portal.catalogs.languages import direction, language_name, translatable_languages
from portal.catalogs.models import can_translate
from portal.catalogs.operations import SAVE_TRANSLATION

KEPT_FILTERS = ("q", "oversatta", "sida")


@role_required(TRANSLATOR)
def overview():
    """Every translatable language with how much of its interface is translated."""
    return render_template("catalogs/overview.html", languages=[
        (queries.coverage(code), language_name(code), can_translate(current_user, code))
        for code in translatable_languages()])


def translatable_or_abort(language):
    """The language, when it has a catalogue and the person may translate into it."""
    queries.language_or_404(language)
    if not can_translate(current_user, language):
        abort(403)
    return language


@role_required(TRANSLATOR)
def messages(language):
    translatable_or_abort(language)
    filters = MessageFilterForm(request.args)
    words, untranslated, page = filters.chosen()
    shown, pages, found = queries.entry_page(language, words, untranslated, page)
    return render_template("catalogs/messages.html", code=language, name=language_name(language),
                           direction=direction(language),
                           filters=filters, entries=shown, page=min(page, pages), pages=pages, found=found,
                           kept=kept_filters(), coverage=queries.coverage(language))


def kept_filters():
    """The list's filters from the address, to return to the same place."""
    return {name: request.args[name] for name in KEPT_FILTERS if request.args.get(name)}


def shown_now(entry):
    """What the form starts with: the current translation, and which save it is.  Only
    on the page as opened: a POST without them has not sent them."""
    return {"seen": entry.saved_id, **{f"form_{n}": text for n, text in enumerate(entry.forms)}}


def seen_save(form):
    """The save the person's page showed, as the form sent it back."""
    sent = str(form.seen.data or "")
    return int(sent) if sent.isdigit() else 0


@role_required(TRANSLATOR)
def edit_message(language, key):
    translatable_or_abort(language)
    entry = queries.entry_or_404(language, key)
    examples = queries.plural_examples(language, len(entry.forms)) if entry.plural else None
    form = translation_form(entry, examples, **({} if request.method == "POST" else shown_now(entry)))
    if form.validate_on_submit():
        try:
            SAVE_TRANSLATION.execute(entry, current_user, language=language, seen=seen_save(form),
                                     forms=[field.data for field in translation_fields(form)])
        except ActionRefused as refusal:
            form.form_errors.append(refusal.message)
            form.seen.data = str(entry.saved_id)      # shown now: the next save may replace it
        else:
            flash(_("Översättningen är sparad och visas på sidorna från och med nu."), "success")
            return redirect(url_for("catalogs.messages", language=language, **kept_filters()))
    return render_template("catalogs/edit.html", code=language, name=language_name(language),
                           direction=direction(language),
                           entry=entry, form=form, fields=translation_fields(form), kept=kept_filters())
