"""Forms of the search curation pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from portal.search.operations import MAX_TERM_LENGTH, parse_terms


class SynonymGroupForm(FlaskForm):
    terms = TextAreaField(
        _l("Ord som ska ge samma träffar"),
        validators=[InputRequired(_l("Skriv minst två ord, åtskilda med kommatecken.")),
                    Length(max=500, message=_l("Gruppen får vara högst %(max)d tecken."))])
    one_way = BooleanField(_l("Bara åt ett håll: det första ordet söker även på de andra, men inte tvärtom"))

    def validate_terms(self, field):
        terms = parse_terms(field.data)
        if len(terms) < 2:
            raise ValidationError(_l("Skriv minst två ord, åtskilda med kommatecken."))
        too_long = [t for t in terms if len(t) > MAX_TERM_LENGTH]
        if too_long:
            raise ValidationError(_l("Ett ord får vara högst %(max)d tecken: %(term)s",
                                     max=MAX_TERM_LENGTH, term=too_long[0]))


class BestBetForm(FlaskForm):
    query = StringField(
        _l("Sökfråga"),
        validators=[InputRequired(_l("Skriv sökfrågan som ska ge den rekommenderade träffen.")),
                    Length(max=200, message=_l("Sökfrågan får vara högst %(max)d tecken."))])
    lang = SelectField(_l("Språk"))
    find = StringField(_l("Sök efter sidan (om den inte finns bland träffarna)"),
                       validators=[Optional(), Length(max=200)])
    # The choices are the current candidates; the chosen page is checked
    # against the index in the view, so a page found by an earlier search counts.
    target = RadioField(_l("Sidan som visas först"), validate_choice=False,
                        validators=[Optional()])
