"""Every string a user may see is in both catalogues (Swedish is the source language)."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def catalogue(lang):
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def source_messages():
    """The msgids in the code and templates now, extracted as `make extract-messages` does."""
    method_map = [("portal/**.py", "python"), ("content/**.py", "python"), ("eservices/**.py", "python"),
                  ("**/templates/**.html", "jinja2"), ("**/templates/**.txt", "jinja2")]
    options = {"**/templates/**": {"extensions": "jinja2.ext.do"}}
    messages = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options, keywords={**KEYWORDS}):
        messages.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in messages if m}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_message_in_the_code_has_a_translation(lang):
    translated = {(m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalogue(lang)
                  if m.id and m.string and (not isinstance(m.string, tuple) or all(m.string))
                  and "fuzzy" not in m.flags}
    missing = sorted(source_messages() - translated)
    assert not missing, f"run `make extract-messages` and translate: {missing}"


# --- the catalogue guards (issue 14) ---------------------------------------------------
def template():
    with open(ROOT / "translations" / "messages.pot", "rb") as handle:
        return read_po(handle)


def forms(message):
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def source_and_plural(message_id):
    return (message_id[0], message_id[1]) if isinstance(message_id, tuple) else (message_id, None)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_catalogue_has_no_untranslated_or_fuzzy_message(lang):
    """Swedish and English are complete: every message of the template is in the
    catalogue, translated in every plural form, and none is marked fuzzy."""
    catalogue_ = catalogue(lang)
    untranslated = [message.id for message in template() if message.id
                    and not all(forms(catalogue_.get(message.id) or message))]
    fuzzy = [message.id for message in catalogue_ if message.id and "fuzzy" in message.flags]
    assert not untranslated, f"untranslated in {lang}: {untranslated}"
    assert not fuzzy, f"fuzzy in {lang}: {fuzzy}"


def translated_messages():
    """(language, message) for every translated message of every catalogue in
    translations/ (other languages than sv and en may be partial)."""
    for path in sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.po")):
        lang = path.parent.parent.name
        for message in catalogue(lang):
            if message.id and any(forms(message)):
                yield lang, message


def test_every_translation_has_the_placeholders_of_its_source():
    """``{name}`` for ``{namn}``, ``%(name)s`` left out, a tag left open: gettext would
    fail or the page would break in that language."""
    from portal.catalogs.placeholders import first_problem

    broken = [f"{lang}: {message.id!r} → {message.string!r}: {problem}"
              for lang, message in translated_messages()
              if (problem := first_problem(*source_and_plural(message.id), [f for f in forms(message) if f]))]
    assert not broken, "\n".join(broken)


def test_the_demos_browser_translations_have_the_placeholders_of_their_source(demo_template, tmp_path):
    from sqlalchemy import select

    from portal.catalogs.models import InterfaceTranslation
    from portal.catalogs.placeholders import first_problem
    from portal.extensions import db
    from tests.conftest import copy_of_demo

    plurals = {source_and_plural(m.id)[0]: source_and_plural(m.id)[1] for m in template() if m.id}
    with copy_of_demo(demo_template, tmp_path).app_context():
        rows = db.session.scalars(select(InterfaceTranslation)).all()
        broken = [f"{row.language}: {row.msgid!r} → {row.forms!r}" for row in rows
                  if first_problem(row.msgid, plurals.get(row.msgid), row.forms)]
        db.engine.dispose()
    assert not broken, "\n".join(broken)
