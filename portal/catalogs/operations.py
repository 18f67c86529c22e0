"""Saving an interface translation, as an action (see ``portal.actions``).

The action sends ``interface_translation_saved`` and commits; the catalogues
of every process follow on their next request (``runtime``).
"""
from flask_babel import lazy_gettext as _l

from portal.actions import Action, require
from portal.catalogs import placeholders
from portal.catalogs.models import InterfaceTranslation, can_translate
from portal.extensions import db
from portal.signals import interface_translation_saved

SAVED_MEANWHILE = _l("Någon annan sparade en översättning av meddelandet medan du skrev. "
                     "Den står nu under Nuvarande översättning; ändra din text om det behövs och spara igen.")


class SaveTranslation(Action):
    """Save ``forms`` (one text per form) as the translation of an ``Entry``."""

    name = "save_translation"
    label = _l("Spara översättningen")

    def check(self, entry, user, language=None, seen=None, **context):
        """``seen``: the save the person's page showed; another one since is not overwritten."""
        require(can_translate(user, language), _l("Du får inte översätta till det språket."))
        require(seen is None or seen == entry.saved_id, SAVED_MEANWHILE)

    def validate(self, entry, user, forms=(), **context):
        require(len(forms) == len(entry.forms) and all(text.strip() for text in forms),
                _l("Skriv översättningen."))
        problem = placeholders.first_problem(entry.msgid, entry.plural, forms)
        require(problem is None, problem)

    def apply(self, entry, user, language=None, forms=(), **context):
        row = InterfaceTranslation(language=language, context=entry.source.context or "",
                                   msgid=entry.msgid, forms=list(forms), created_by_id=user.id)
        db.session.add(row)
        db.session.flush()
        interface_translation_saved.send(language, translation=row, user=user)
        return row


SAVE_TRANSLATION = SaveTranslation()
