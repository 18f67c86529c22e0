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
