"""The demo's added languages, registered as an admin would: Finnish, Arabic and
easy-to-read Swedish enabled, Somali and Persian added but not yet enabled."""
from portal.extensions import db
from portal.i18n import builtin_languages
from portal.languages.models import Language
from portal.languages.operations import ADD_LANGUAGE, COMMAND_LINE

DEMO_LANGUAGES = [("fi", True), ("ar", True), ("sv-x-lattlast", True), ("so", False), ("fa", False)]


def load_demo_languages():
    for code, enable in DEMO_LANGUAGES:
        if code not in builtin_languages() and db.session.get(Language, code) is None:
            ADD_LANGUAGE.execute(None, COMMAND_LINE, code=code, enable=enable)
