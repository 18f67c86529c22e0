"""Adding, enabling and disabling a language: actions shared by ``portal
add-language``, the admin page and the demo.  Each sends ``language_changed``.

Adding a language is all it takes to "create its catalog": the interface's
translations are kept per language in the database and list every language
the portal knows (``portal.i18n.all_languages``); nothing is written into the
package's own folders at runtime.
"""
from flask_babel import lazy_gettext as _l

from portal import i18n
from portal.actions import Action, ActionRefused, require
from portal.extensions import db
from portal.languages import tags
from portal.languages.models import Language
from portal.signals import language_changed

ONLY_ADMINS = _l("Bara administratörer hanterar språk.")
NO_CODE = _l("Ange språkkoden, till exempel fi, ar eller sv-x-lattlast.")


class CommandLine:
    """The user of ``portal add-language`` and ``portal init --demo``: whoever runs
    the ``portal`` command owns the installation."""

    def has_role(self, *roles):
        return True


COMMAND_LINE = CommandLine()
NEUTRAL_CHOICE = "neutral"   # how a person asks for the neutral analyzer (stored as "")


class LanguageRefused(ActionRefused):
    """What is wrong with a new language, by the field it concerns (``code``,
    ``name``, ``direction``, ``analyzer``, ``locale``), so that a form can put
    each message at its field."""

    def __init__(self, problems):
        super().__init__(" ".join(str(message) for message in problems.values()))
        self.problems = problems


def code_problem(code):
    if not code:
        return NO_CODE
    if len(code) > tags.MAX_LENGTH:
        return _l("Språkkoden får vara högst %(n)d tecken.", n=tags.MAX_LENGTH)
    if not tags.is_well_formed(code):
        return _l("”%(code)s” är inte en språkkod enligt BCP 47. Skriv till exempel fi, ar, "
                  "so-SO eller sv-x-lattlast: bindestreck, inte understreck.", code=code)
    code = tags.canonical(code)
    if code in i18n.builtin_languages():
        return _l("%(code)s är ett av portalens inbyggda språk och finns redan.", code=code)
    if db.session.get(Language, code) is not None:
        return _l("Språket %(code)s är redan tillagt.", code=code)
    return None


def choice_problems(code, direction, analyzer, locale):
    """Messages for the optional choices that cannot be used, by field."""
    problems = {}
    if direction and direction not in tags.DIRECTIONS:
        problems["direction"] = _l("Skriftriktningen är ltr (vänster till höger) eller rtl (höger till vänster).")
    if analyzer and analyzer != NEUTRAL_CHOICE and analyzer not in tags.analyzers():
        problems["analyzer"] = _l("Det finns ingen stemmer som heter ”%(name)s”. Välj en i listan, "
                                  "eller neutral.", name=analyzer)
    if locale and tags.parse_locale(locale) is None:
        problems["locale"] = _l("Formateringsspråket ”%(locale)s” finns inte. Skriv till exempel fi eller pt_BR.",
                                locale=locale)
    elif not locale and code and tags.babel_locale(code) is None:
        problems["locale"] = _l("Portalen vet inte hur %(code)s skriver datum och tal. "
                                "Ange ett formateringsspråk.", code=code)
    return problems


class AddLanguage(Action):
    """Register a language: its tag and, where not given, what Babel says of it
    (``tags.describe``).  Disabled unless ``enable`` says otherwise."""

    name = "add_language"

    def check(self, target, user, **context):
        require(Language.can_manage(user), ONLY_ADMINS)

    def validate(self, target, user, code="", name="", direction="", analyzer="", locale="", **context):
        code = code.strip()
        problems = {"code": code_problem(code),
                    "name": _l("Namnet får vara högst 100 tecken.") if len(name.strip()) > 100 else None,
                    **choice_problems(code if tags.is_well_formed(code) else None, direction, analyzer, locale)}
        problems = {field: message for field, message in problems.items() if message}
        if problems:
            raise LanguageRefused(problems)

    def apply(self, target, user, code="", name="", direction="", analyzer="", locale="", enable=False,
              **context):
        code = tags.canonical(code.strip())
        locale = tags.parse_locale(locale) if locale else tags.babel_locale(code)
        default = tags.describe(code, locale)
        language = Language(code=code, name=name.strip() or default.name,
                            direction=direction or default.direction, locale=locale,
                            analyzer=chosen_analyzer(analyzer, default.analyzer), enabled=enable)
        db.session.add(language)
        db.session.flush()
        language_changed.send(self.name, language=language)
        return language


def chosen_analyzer(choice, default):
    if choice == NEUTRAL_CHOICE:
        return tags.NEUTRAL
    return choice or default


class EnableLanguage(Action):
    """Offer the language to the public: its URL prefix answers at once, in
    every process on the database."""

    name = "enable_language"

    def check(self, language, user, **context):
        require(Language.can_manage(user), ONLY_ADMINS)
        require(not language.enabled, _l("%(name)s är redan påslaget.", name=language.name))

    def apply(self, language, user, **context):
        language.enabled = True
        language_changed.send(self.name, language=language)
        return language


class DisableLanguage(Action):
    """Stop offering the language: its pages answer 404; nothing written in it is removed."""

    name = "disable_language"

    def check(self, language, user, **context):
        require(Language.can_manage(user), ONLY_ADMINS)
        require(language.enabled, _l("%(name)s är redan avslaget.", name=language.name))

    def apply(self, language, user, **context):
        language.enabled = False
        language_changed.send(self.name, language=language)
        return language


ADD_LANGUAGE = AddLanguage()
ENABLE_LANGUAGE = EnableLanguage()
DISABLE_LANGUAGE = DisableLanguage()
