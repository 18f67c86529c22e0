"""Which languages have an interface catalogue, and what Babel calls them.

The one place that names the languages: when the language registry lands,
these functions read it (``all_languages()``, ``language(code)``) instead of
``PORTAL_LANGUAGES``.
"""
from portal.i18n import LANGUAGE_NAMES, RTL_LANGUAGES, languages, source_language


def translatable_languages():
    """Every language but the source: the ones whose interface is translated."""
    return [code for code in languages() if code != source_language()]


def language_name(code):
    """The language's name in the language itself."""
    return LANGUAGE_NAMES.get(code, code)


def babel_locale(code):
    """The Babel locale of a BCP 47 language code, for plural rules: a private-use
    variant (``sv-x-lattlast``) has the rules of its language."""
    return code.split("-x-")[0].replace("-", "_")


def direction(code):
    """``rtl`` or ``ltr``: how the language's text runs, for its text fields."""
    return "rtl" if code.split("-")[0] in RTL_LANGUAGES else "ltr"
