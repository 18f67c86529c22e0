"""Forms of the interface translation pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, HiddenField, IntegerField, SearchField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.catalogs import placeholders
from portal.urls import MAX_ID

MAX_TRANSLATION = 5000


class MessageFilterForm(Form):
    """The message list's filters, read from the address (a GET form: no CSRF token)."""

    q = SearchField(_l("Sök i källtext och översättning"), validators=[Optional(), Length(max=200)])
    oversatta = BooleanField(_l("Visa bara meddelanden som inte är översatta"))
    sida = IntegerField(default=1, validators=[Optional(), NumberRange(min=1, max=MAX_ID)])

    def chosen(self):
        """``(words, untranslated only, page)``; a value that does not fit counts as not given."""
        self.validate()
        words = "" if self.q.errors else (self.q.data or "").strip()
        page = 1 if self.sida.errors else (self.sida.data or 1)
        return words, bool(self.oversatta.data), page


class PlaceholdersOf:
    """The translation keeps the placeholders and tags of ``source``."""

    def __init__(self, source):
        self.source = source

    def __call__(self, form, field):
        problem = placeholders.problem(self.source, field.data or "")
        if problem:
            raise ValidationError(problem)


def translation_form(entry, examples=None, **kwargs):
    """A form with one field per form of the message's translation (``form_0`` …);
    a plural message gets a field for each plural form of the language, labelled
    with numbers that take it (``examples``)."""
    class TranslationForm(FlaskForm):
        # The save the page showed (0: none), so that a save made meanwhile is not overwritten.
        seen = HiddenField(default="0")

    count = len(entry.forms)
    for number, source in enumerate(placeholders.form_sources(entry.msgid, entry.plural, count)):
        label = (_l("Översättning") if entry.plural is None else
                 _l("Form %(number)d, till exempel för %(examples)s", number=number + 1,
                    examples=", ".join(str(n) for n in (examples or [[]] * count)[number])))
        setattr(TranslationForm, f"form_{number}", TextAreaField(label, validators=[
            DataRequired(_l("Skriv översättningen.")),
            Length(max=MAX_TRANSLATION, message=_l("Översättningen får vara högst %(max)d tecken.")),
            PlaceholdersOf(source)]))
    return TranslationForm(**kwargs)


def translation_fields(form):
    """The form's text fields, in the order of the plural forms."""
    return [field for field in form if field.name.startswith("form_")]
