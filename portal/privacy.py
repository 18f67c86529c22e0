"""Removing personal data from free text that is kept for statistics.

Logged search queries and page-feedback comments are shown to editors, so ``scrub``
replaces what looks like

- an e-mail address with "[e-post]": ``anna+tag@mail.example.se`` and the hidden forms
  ``anna(at)example(dot)se``, ``anna [at] example.se``, ``anna at example dot se``,
  ``anna snabel-a example.se``. Apart from a plain ``@``, the address must end in a
  top-level domain, so that "parking at the station" stays;
- a personnummer or samordningsnummer (day + 60) with "[personnummer]": 10 or 12
  digits, with or without ``-`` or ``+`` (spaces allowed around it), also grouped as
  ``12 12 12-1212``. Month and day must be possible ones, so organisation numbers
  (``556123-4567``) are kept;
- a phone number with "[telefon]": Swedish national, 8 to 10 digits from a leading 0
  (``070-123 45 67``, ``08-123 456 78``, ``(08) 123 45 67``), or international
  (``+46 70 123 45 67``, ``+46 (0)70-…``, ``0046…``, ``46701234567``, any ``+`` number).

Everything else stays as typed: years, dates, times (``08.00-16.30``), postcodes,
prices, case and reference numbers (``2026-000123``), property designations and
short numbers. The zero-hit report and the search tests depend on that.

The text is normalised first, because a number typed with an en dash, a non-breaking
hyphen, a no-break space or fullwidth digits looks the same on screen but would slip
past the patterns: NFKC (fullwidth and compatibility forms, composed letters), every
dash and minus sign to "-", every space character and the tab to " ", other decimal
digits (Arabic-Indic …) to ASCII, and soft hyphens and zero-width spaces removed. The
normalised text is what is returned: it reads the same, and a query counts once in the
reports however it was typed.
"""
import re
import unicodedata

__all__ = ["scrub", "contains_personal_data"]

# Unicode category Pd (dash punctuation) and the minus sign.
DASHES = ("\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a"
          "\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d"
          "\U00010ead\u2212")
# Unicode category Zs (space separators) and the tab.
SPACES = ("\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
          "\u202f\u205f\u3000")
INVISIBLE = "\u00ad\u200b\u2060\ufeff"  # soft hyphen, zero-width space, word joiner, BOM
SEPARATORS = str.maketrans(DASHES + SPACES, "-" * len(DASHES) + " " * len(SPACES), INVISIBLE)
OTHER_DIGIT = re.compile(r"(?![0-9])\d")

# E-mail: a local part (where "(dot)" may stand for a dot), an "at" and a host.
# "++" (possessive) never gives back part of a run: no "at" or "dot" starts inside one,
# and giving back would make a long word cost time in proportion to its length squared.
DOT = r"(?:\.| ?[(\[{] ?(?:dot|punkt) ?[)\]}] ?| dot )"
HIDDEN_AT = r"(?: @ ?|@ | ?[(\[{] ?(?:at|snabel-a) ?[)\]}] ?| (?:at|snabel-a) )"
WORD_DOT = r"(?: ?[(\[{] ?dot ?[)\]}] ?| dot )"
LOCAL_PART = rf"(?<![\w.+-])[\w.+-]++(?:{WORD_DOT}[\w.+-]++){{0,3}}"
HOST = rf"[\w-]++(?:{DOT}[\w-]++)*"
HOST_WITH_TLD = rf"[\w-]++(?:{DOT}[\w-]++)*{DOT}[^\W\d_]{{2,}}(?![\w-])"
EMAIL = re.compile(rf"{LOCAL_PART}(?:@{HOST}|{HIDDEN_AT}{HOST_WITH_TLD})", re.IGNORECASE)

# Personnummer: (century) year month day, a separator or none, four digits.
CENTURY = r"(?:1[89]|20)"
MONTH = r"(?:0[1-9]|1[0-2])"
DAY = r"(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"  # 61-91: samordningsnummer
PERSONNUMMER = re.compile(
    rf"(?<!\d)(?:{CENTURY} ?)?\d\d ?{MONTH} ?{DAY}(?: ?[-+] ?| )?\d{{4}}(?!\d)")

# Phone: digits with at most one gap (a space, a dash, "(0)" …) between two of them. How
# many digits decides: 8 to 10 from a leading 0, 7 to 15 after + or 00, 9 to 11 after a
# bare 46. A number does not start inside a date or range ("2026-01-05 123 45"), and a
# date such as "05-06-2026" or opening hours such as "0800-1630" are not one.
GAP = r"(?: ?[-/] ?| ?\(0\) ?|\) ?| )"
DATE_OR_HOURS = r"0\d[-/]\d\d?[-/ ](?:19|20)\d\d(?!\d)|[01]\d[0-5]\d ?- ?[0-2]\d[0-5]\d(?!\d)"
NATIONAL = rf"(?!{DATE_OR_HOURS})(?:\((?=0\d{{1,3}}\)))?0[1-9](?:{GAP}?\d){{6,8}}"
INTERNATIONAL = rf"(?:\+ ?|00)[1-9](?:{GAP}?\d){{6,14}}"
SWEDISH_WITHOUT_PLUS = rf"46(?:{GAP}?\d){{7,9}}"
PHONE = re.compile(
    rf"(?<![\d+])(?<!\d-)(?:{NATIONAL}|{INTERNATIONAL}|{SWEDISH_WITHOUT_PLUS})(?!\d)")

# E-mail first, since an address may hold digits; personnummer before phone, since a
# personnummer of someone born in the 2000s starts with 0 like a phone number.
PERSONAL_DATA = [(EMAIL, "[e-post]"), (PERSONNUMMER, "[personnummer]"), (PHONE, "[telefon]")]


def _ascii_digit(match):
    return str(unicodedata.decimal(match[0]))


def _normalise(text):
    """The same text with one kind of dash, space and digit (see the module docstring)."""
    if not text.isascii():
        text = OTHER_DIGIT.sub(_ascii_digit, unicodedata.normalize("NFKC", text))
    return text.translate(SEPARATORS)


def scrub(text: str) -> str:
    """The normalised text with e-mail addresses, personnummer and phone numbers replaced."""
    text = _normalise(text)
    for pattern, marker in PERSONAL_DATA:
        text = pattern.sub(marker, text)
    return text


def contains_personal_data(text: str) -> bool:
    """Whether ``scrub`` would replace anything in the text."""
    text = _normalise(text)
    return any(pattern.search(text) for pattern, _ in PERSONAL_DATA)
