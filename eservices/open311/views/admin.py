"""The administrators' pages for Open311 API keys: the list, a new key (shown
once, on the page that answers the form, and never again), revoking one."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eservices.open311 import operations, queries
from eservices.open311.forms import NewKeyForm
from portal.actions import ActionRefused
from portal.auth.access import role_required
from portal.auth.models import ADMIN


@role_required(ADMIN)
def keys():
    return render_template("open311/admin/keys.html", keys=queries.all_keys())


@role_required(ADMIN)
def new_key():
    form = NewKeyForm()
    if form.validate_on_submit():
        key, value = operations.CREATE_KEY.execute(None, current_user, name=form.name.data)
        return render_template("open311/admin/key_created.html", key=key, value=value)
    return render_template("open311/admin/new_key.html", form=form), 400 if form.errors else 200


@role_required(ADMIN)
def revoke_key(key_id):
    key = queries.key_or_404(key_id)
    try:
        operations.REVOKE_KEY.execute(key, current_user)
        flash(_("Nyckeln för ”%(name)s” är återkallad. Klienten kan inte längre skicka in felanmälningar.",
                name=key.name), "success")
    except ActionRefused as refused:
        flash(refused.message, "error")
    return redirect(url_for("open311.keys"))
