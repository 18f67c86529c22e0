"""Languages: the language is the first part of every page's URL.

The built-in languages (``PORTAL_LANGUAGES``, ``sv,en``) are registered by
:func:`localized_url`, which gives each its own path words (``/sv/logga-in``,
``/en/login``).  Languages an admin adds later (``portal.languages``: rows in
the database) share one more rule per view, with the source language's path
words under their own prefix (``/fi/logga-in``); its converter accepts only
the added languages that are enabled, read from the database once per request,
so that a language is served from the moment it is enabled, in every process,
without a restart.  Either way the language reaches the view machinery as
``lang_code``, which is taken out of the view arguments before the view runs and
put back by ``url_for`` automatically, so views and templates never pass it by
hand unless they link to another language.

:func:`languages` lists the languages served now, :func:`all_languages` also
the disabled ones, and :func:`language` tells what the portal knows of one
(its own name, direction, Babel locale, search analyzer).
"""
from contextlib import contextmanager

from flask import current_app, g, has_app_context, has_request_context, request, url_for
from flask_babel import force_locale, get_locale, gettext
from jinja2 import pass_eval_context
from markupsafe import Markup, escape
from werkzeug.routing import BaseConverter, ValidationError

from portal.languages import tags

# Names of languages written in the language itself; ``language(code).name`` has
# every language's, these included.
LANGUAGE_NAMES = tags.OWN_NAMES


DEFAULT_SOURCE_LANGUAGE = "sv"


def builtin_languages():
    """The languages of ``PORTAL_LANGUAGES``: always served, each with its own path words."""
    return current_app.config["PORTAL_LANGUAGES"]


def languages():
    """The codes of the languages served now: the built-in ones, then the enabled added ones."""
    return [*builtin_languages(), *(code for code, info in _added_languages().items() if info.enabled)]


def all_languages():
    """The codes of every language the portal knows, the disabled added ones too."""
    return [*builtin_languages(), *_added_languages()]


def language(code):
    """What the portal knows of the language ``code`` (a ``tags.LanguageInfo``:
    ``code``, ``name``, ``direction``, ``locale``, ``analyzer``, ``enabled``).
    Raises ``LookupError`` for a language it does not know."""
    if code in builtin_languages():
        return tags.describe(code)
    try:
        return _added_languages()[code]
    except KeyError:
        raise LookupError(f"no language {code!r}") from None


def _added_languages():
    """{code: LanguageInfo} of the added languages, read once per request (or app context)."""
    if "added_languages" not in g:
        from portal.languages import queries

        builtin = set(builtin_languages())
        g.added_languages = {info.code: info for info in queries.added_language_infos() if info.code not in builtin}
    return g.added_languages


def forget_languages(*_args, **_kwargs):
    """Read the added languages again on the next question (``language_changed``)."""
    g.pop("added_languages", None)


class AddedLanguageConverter(BaseConverter):
    """``<added_language:lang_code>``: the tag of an enabled added language, nothing else."""

    regex = r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*"

    def to_python(self, value):
        if value in builtin_languages() or value not in languages():
            raise ValidationError()
        return value

    def to_url(self, value):
        return super().to_url(self.to_python(value))


def source_language():
    """The language every text is written in first (``PORTAL_SOURCE_LANGUAGE``)."""
    if has_app_context():
        return current_app.config["PORTAL_SOURCE_LANGUAGE"]
    return DEFAULT_SOURCE_LANGUAGE


def localized(mapping, lang=None, default=""):
    """``mapping[lang]``, else the source language's entry, else ``default``.

    ``mapping`` holds one value per language (names, titles, texts); an empty
    value counts as missing.  ``lang`` defaults to the current language.
    """
    lang = lang or current_language()
    return mapping.get(lang) or mapping.get(source_language()) or default


def localized_language(mapping, lang=None):
    """The language :func:`localized` takes its value from, for ``lang`` attributes."""
    lang = lang or current_language()
    return lang if mapping.get(lang) else source_language()


def current_language():
    """The code of the language being rendered: :func:`force_language`'s, or the request's."""
    if g.get("lang_code"):
        return g.lang_code
    return _requested_language() if has_request_context() else str(get_locale())


def served_language(code):
    """``code`` when it is served now, else the source language: mail to a citizen
    whose language an admin has turned off since is written in Swedish, with links
    that lead somewhere."""
    return code if code in languages() else source_language()


@contextmanager
def force_language(code):
    """Render in the language ``code`` (catalog, Babel locale and ``current_language``),
    as for a citizen's mail or SMS; the language before is restored afterwards."""
    outer = g.pop("lang_code", None)
    g.lang_code = code
    try:
        with force_locale(language(code).locale):
            yield
    finally:
        g.pop("lang_code", None)
        if outer is not None:
            g.lang_code = outer


def direction(lang):
    """``"rtl"`` or ``"ltr"``: how ``lang`` is written (a language the portal does not
    know, such as a text's in a disabled language: as the CLDR data says)."""
    try:
        return language(lang).direction
    except LookupError:
        return tags.describe(lang).direction


def language_attributes(lang):
    """The attributes of an element whose text is in ``lang`` rather than the page's
    language (a Swedish title on an Arabic page): `` lang="sv"``, with `` dir="ltr"``
    when the two are written in different directions; nothing when ``lang`` is the
    page's own."""
    page = current_language()
    if not lang or lang == page:
        return Markup("")
    attributes = Markup(' lang="{}"').format(lang)
    if direction(lang) != direction(page):
        attributes += Markup(' dir="{}"').format(direction(lang))
    return attributes


def left_to_right_text(text):
    """Plain text (an SMS, a text mail) that is always written left to right, isolated
    in a right-to-left language between the Unicode marks LEFT-TO-RIGHT ISOLATE and
    POP DIRECTIONAL ISOLATE, which is what ``<bdi dir="ltr">`` is in HTML."""
    if direction(current_language()) == "ltr":
        return str(text)
    return f"\u2066{text}\u2069"


@pass_eval_context
def left_to_right(context, text):
    """``{{ phone|ltr }}``: text that is always written left to right (phone numbers,
    e-mail addresses, case references, amounts) isolated on a right-to-left page, so
    that the text around it cannot reorder its parts ("0480-45 00 00" would otherwise
    read "00 00 45-0480"): ``<bdi dir="ltr">`` in HTML, Unicode isolates in text mail.
    On a left-to-right page it is already in its direction and is left as it is."""
    if not context.autoescape:
        return left_to_right_text(text)
    if direction(current_language()) == "ltr":
        return escape(text)
    return Markup('<bdi dir="ltr">{}</bdi>').format(text)


def user_text(text):
    """``{{ name|user_text }}``: a person's own words inside a sentence (a search query,
    a name, a file name) isolated as ``<bdi>``, which takes the direction of the words
    themselves, so an Arabic query cannot pull the quotes and the full stop of a
    Swedish sentence around, nor a Swedish name those of an Arabic one."""
    return Markup("<bdi>{}</bdi>").format(text)


def input_direction(field):
    """The ``dir`` of a form field: ``"ltr"`` for e-mail addresses, phone numbers and
    web addresses, which are written left to right in every language; ``"auto"`` for
    free text, which then runs the way the person writes it (Arabic on a Swedish page,
    a Swedish street name on an Arabic one); None for the rest (choices, dates)."""
    if field.type == "TextAreaField":
        return "auto"
    return {"email": "ltr", "tel": "ltr", "url": "ltr",
            "text": "auto", "search": "auto"}.get(getattr(field.widget, "input_type", None))


def select_locale():
    """Flask-Babel's locale selector: the Babel locale of the URL's language, else
    of the browser's."""
    if not has_request_context():
        return source_language()
    return language(g.get("lang_code") or _requested_language()).locale


def _requested_language():
    """The language of a request that no view has taken it from: its URL's, else the browser's."""
    return _language_in_path() or request.accept_languages.best_match(languages()) or source_language()


def _language_in_path():
    """Error pages for unknown URLs still speak the language of the URL."""
    first = request.path.strip("/").split("/", 1)[0]
    if first in builtin_languages():      # known without asking the database
        return first
    return first if first in languages() else None


def localized_url(bp, paths, view, methods=("GET",), endpoint=None):
    """Register ``view`` under one URL per built-in language, and one for the added languages.

    ``paths`` maps a language to the path after the language prefix; a
    language without its own entry uses the source language's path, as the
    added languages all do.
    """
    name = endpoint or view.__name__

    def register(state):
        config = state.app.config
        source_path = paths[config["PORTAL_SOURCE_LANGUAGE"]]
        for lang in config["PORTAL_LANGUAGES"]:
            state.add_url_rule(f"/{lang}{paths.get(lang, source_path)}", name, view, methods=list(methods),
                               defaults={"lang_code": lang})
        state.add_url_rule(f"/<added_language:lang_code>{source_path}", name, view, methods=list(methods))

    bp.record(register)


def pull_language(endpoint, values):
    if values and "lang_code" in values:
        g.lang_code = values.pop("lang_code")


def push_language(endpoint, values):
    """Links stay in the page's language; in the source language once the page's
    language is no longer served (an admin disabled it in this very request)."""
    if "lang_code" in values or not endpoint:
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
        lang = current_language()
        values["lang_code"] = lang if lang in languages() else source_language()


def page_languages():
    """URLs of the current page in every language, None where it does not exist.

    A view whose URL differs between languages in more than the prefix (an
    article's slug) sets ``g.alternates`` itself; the languages missing there are
    those the page is not written in.
    """
    if "alternates" in g:
        chosen = g.alternates
    elif request.endpoint and request.url_rule and "lang_code" in request.url_rule.arguments:
        # The query string stays: the same search or comparison in the other language.
        query = {k: v for k, v in request.args.to_dict(flat=False).items()
                 if not k.startswith("_") and k not in ("endpoint", "lang_code")}
        args = {**query, **(request.view_args or {})}
        chosen = {lang: url_for(request.endpoint, **args, lang_code=lang) for lang in languages()}
    else:   # a page outside the language URLs (an unknown address): every start page
        return {lang: url_for("portal.home", lang_code=lang) for lang in languages()}
    return {lang: chosen.get(lang) for lang in languages()}


def alternate_urls():
    """URLs of the current page in every language, for hreflang: the start page
    where the page does not exist in a language."""
    return {lang: url or url_for("portal.home", lang_code=lang) for lang, url in page_languages().items()}


def missing_page(lang):
    """What the language switch says, in ``lang``, of a page that is not written in
    ``lang``: that it is only in Swedish, and the words of a link to the start page."""
    with force_language(lang):
        return gettext("Den här sidan finns bara på svenska."), gettext("Gå till startsidan på svenska")


def init_app(app):
    from portal.extensions import babel
    from portal.signals import language_changed

    app.url_map.converters["added_language"] = AddedLanguageConverter
    language_changed.connect(forget_languages)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(app.config["TRANSLATIONS_DIR"]))
    app.url_value_preprocessor(pull_language)
    app.url_defaults(push_language)
    app.jinja_env.globals.update(language_attributes=language_attributes, direction=direction,
                                input_direction=input_direction)
    app.jinja_env.filters["ltr"] = left_to_right
    app.jinja_env.filters["user_text"] = user_text

    @app.context_processor
    def language_context():
        lang = current_language() if request else source_language()
        return {
            "current_language": lang,
            "text_direction": language(lang).direction,
            "language_names": LANGUAGE_NAMES,
            "language": language,
            "source_language": source_language(),
            "alternate_urls": alternate_urls,
            "page_languages": page_languages,
            "missing_page": missing_page,
        }
