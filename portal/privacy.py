"""Removing personal data from free text that is kept for statistics."""
import re

PERSONAL_DATA = [
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[e-post]"),
    (re.compile(r"\b(19|20)?\d{6}[-+ ]?\d{4}\b"), "[personnummer]"),
    (re.compile(r"(\+|\b0)[\d\s-]{6,}\d\b"), "[telefon]"),
]


def scrub(text):
    """Replace what looks like an e-mail address, personnummer or phone number."""
    for pattern, replacement in PERSONAL_DATA:
        text = pattern.sub(replacement, text)
    return text


def contains_personal_data(text):
    return scrub(text) != text
