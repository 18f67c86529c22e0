"""Swedish personnummer and samordningsnummer: parsing, checking and masking.

Accepted as typed: ``YYMMDD-NNNC``, ``YYMMDD+NNNC`` (100 years or older),
``YYMMDDNNNC`` and ``YYYYMMDD[-]NNNC``, with spaces anywhere.  The date must
exist (a samordningsnummer adds 60 to the day) and lie in the past, and
``C`` is the Luhn check digit over ``YYMMDDNNN``.  The stored form is the
12 digits ``YYYYMMDDNNNC``; lists show it masked, and it never goes into a
URL or a log.
"""
import re
from datetime import date

from flask_babel import lazy_gettext as _l

SHAPE = re.compile(r"^(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$")
COORDINATION_OFFSET = 60


class InvalidPersonnummer(ValueError):
    """``str(error)`` is the message for the person who typed it."""


def luhn_digit(digits):
    """The check digit that makes ``digits`` + it pass the Luhn test."""
    total = 0
    for position, digit in enumerate(int(d) for d in digits):
        product = digit * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return str((10 - total % 10) % 10)


def normalise(text, today=None):
    """The 12-digit form of ``text``, or :class:`InvalidPersonnummer` with the reason."""
    today = today or date.today()
    match = SHAPE.match(re.sub(r"\s+", "", text or ""))
    if not match:
        raise InvalidPersonnummer(_l("Skriv personnumret med 10 eller 12 siffror, till exempel 19121212-1212."))
    yymmdd = match["date"]
    if luhn_digit(yymmdd + match["serial"]) != match["check"]:
        raise InvalidPersonnummer(_l("Personnumret stämmer inte. Kontrollera att du har skrivit rätt siffror."))
    century = match["century"] or _century(yymmdd, match["sep"] == "+", today)
    birth = _birth_date(century + yymmdd)
    if birth is None or birth > today:
        raise InvalidPersonnummer(_l("Personnumret har inget giltigt födelsedatum."))
    return f"{century}{yymmdd}{match['serial']}{match['check']}"


def _century(yymmdd, hundred_or_older, today):
    """The century of a 10-digit number: the latest that is not in the future,
    one more back with ``+`` (a person aged 100 or more)."""
    century = today.year // 100
    if int(yymmdd[:2]) > today.year % 100:
        century -= 1
    if hundred_or_older:
        century -= 1
    return str(century)


def _birth_date(yyyymmdd):
    day = int(yyyymmdd[6:8])
    if day > COORDINATION_OFFSET:
        day -= COORDINATION_OFFSET
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), day)
    except ValueError:
        return None


def is_coordination_number(normalised):
    return int(normalised[6:8]) > COORDINATION_OFFSET


def formatted(normalised):
    """``YYYYMMDD-NNNC`` for reading."""
    return f"{normalised[:8]}-{normalised[8:]}"


def masked(normalised):
    """``YYYYMMDD-XXXX``: enough to tell two people apart in a list, not to use."""
    return f"{normalised[:8]}-XXXX"
