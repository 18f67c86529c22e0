"""Which languages have an interface catalogue, and what the registry knows of them.

The one place the package asks the language registry (``portal.i18n``).
"""
from portal.i18n import all_languages, language, source_language


def translatable_languages():
    """Every language but the source, the disabled ones too: an admin may have a
    language's interface translated before turning it on."""
    return [code for code in all_languages() if code != source_language()]


def language_name(code):
    """The language's name in the language itself."""
    return language(code).name


def babel_locale(code):
    """The Babel locale of a language (plural rules, the locale ``force_language``
    forces); a code the registry does not know is taken as its own locale."""
    try:
        return language(code).locale
    except LookupError:
        return code


def direction(code):
    """``rtl`` or ``ltr``: how the language's text runs, for its text fields."""
    return language(code).direction
