"""Changes to fault categories, as actions (``portal.actions``).

A category's code is its Open311 ``service_code`` and is kept in every report's
answers, so it may change only while no report names it; after that an admin
makes a new category and turns the old one off.  Saving sends
``category_changed`` (the sender is the category's id, ``category`` the row),
so that what lists the categories (the Open311 service list) can follow.
"""
from blinker import Namespace
from flask_babel import lazy_gettext as _l

from eservices.services.felanmalan import queries
from portal.actions import Action, require
from portal.auth.models import ADMIN
from portal.extensions import db

category_changed = Namespace().signal("fault-category-changed")

FIELDS = ("code", "names", "descriptions", "keywords", "group", "department_id", "position", "active")
CODE_TAKEN = _l("Koden används redan av en annan kategori.")


class SaveCategory(Action):
    """Create or change a category from ``values`` (the form's answers, one per ``FIELDS``)."""

    name = "save_fault_category"

    def check(self, category, user, **context):
        require(user is not None and ADMIN in user.roles,
                _l("Bara administratörer kan ändra felkategorier."))

    def validate(self, category, user, values=None, **context):
        other = queries.category(values["code"])
        require(other is None or other.id == category.id, CODE_TAKEN)
        if category.id is not None and values["code"] != category.code:
            require(not queries.category_in_use(category.code),
                    _l("Koden kan inte ändras eftersom det finns anmälningar i kategorin. Skapa en ny "
                       "kategori och gör den här inaktiv."))

    def apply(self, category, user, values=None, **context):
        for name in FIELDS:
            setattr(category, name, values[name])
        db.session.add(category)
        db.session.flush()
        category_changed.send(category.id, category=category)
        return category

    def conflict_message(self, error):
        return CODE_TAKEN


SAVE_CATEGORY = SaveCategory()
