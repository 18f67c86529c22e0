"""The admins' language page (routes in ``blueprint.py``): the languages, adding
one, and enabling or disabling an added one."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.actions import ActionRefused
from portal.auth.access import role_required
from portal.auth.models import ADMIN
from portal.catalogs.queries import coverage as catalog_coverage
from portal.i18n import builtin_languages, language, source_language
from portal.languages import operations, queries
from portal.languages.forms import AddLanguageForm


@role_required(ADMIN)
def overview():
    form = AddLanguageForm()
    if form.validate_on_submit():
        try:
            added = operations.ADD_LANGUAGE.execute(None, current_user, **form.values())
        except ActionRefused as refused:
            form.show_refusal(refused)
        else:
            flash(added_message(added), "success")
            return redirect(url_for("languages.overview"))
    added = queries.added_languages()
    builtin = [language(code) for code in builtin_languages()]
    coverage = {item.code: catalog_coverage(item.code) for item in [*builtin, *added]
                if item.code != source_language()}
    return render_template("languages/overview.html", form=form, added=added, builtin=builtin,
                           coverage=coverage), 400 if form.errors else 200


def added_message(added):
    if added.enabled:
        return _("%(name)s (%(code)s) är tillagt och påslaget: sidorna finns under %(url)s.",
                 name=added.name, code=added.code, url=url_for("portal.home", lang_code=added.code))
    return _("%(name)s (%(code)s) är tillagt men avslaget. Invånarna ser det först när du slår på det.",
             name=added.name, code=added.code)


@role_required(ADMIN)
def enable(code):
    return switch(code, operations.ENABLE_LANGUAGE, lambda added: _(
        "%(name)s är påslaget. Sidorna finns under %(url)s och språket syns i språkvalet.",
        name=added.name, url=url_for("portal.home", lang_code=added.code)))


@role_required(ADMIN)
def disable(code):
    return switch(code, operations.DISABLE_LANGUAGE, lambda added: _(
        "%(name)s är avslaget. Sidorna under /%(code)s/ finns inte längre och språket syns inte i språkvalet. "
        "Inget som är skrivet på språket är borttaget.", name=added.name, code=added.code))


def switch(code, action, message):
    """Take ``action`` on the added language ``code`` and say what came of it."""
    added = queries.language_or_404(code)
    try:
        action.execute(added, current_user)
        flash(message(added), "success")
    except ActionRefused as refused:
        flash(refused.message, "error")
    return redirect(url_for("languages.overview"))
