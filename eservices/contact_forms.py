"""The contact centre's forms: a contact with its outcome beside the knowledge-base
search, finding a citizen's cases, a visitor at the reception.

The agent types in other people's details, so no field asks the browser to fill
in the agent's own name or address (``autocomplete="off"``).
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, HiddenField, RadioField, SearchField, SelectField, StringField, TelField
from wtforms import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from eservices.casework import AUTHORITIES, ContactOutcome
from eservices.forms import phone_ok
from eservices.models import Channel, NotifyBy
from portal.i18n import language, languages

SEARCH = "search"   # the "Sök" button: search again, keep everything typed, log nothing
THIRD_PARTY = {"autocomplete": "off", "spellcheck": "false"}


def stripped(value):
    return value.strip() if isinstance(value, str) else value

CONTACT_CHANNELS = [Channel.PHONE, Channel.EMAIL, Channel.VISIT, Channel.CHAT, Channel.WEB, Channel.LETTER]
NOTIFY_CHOICES = [SelectChoice(NotifyBy.EMAIL, _l("Med e-post")), SelectChoice(NotifyBy.SMS, _l("Med sms")),
                  SelectChoice(NotifyBy.PAGE, _l("Inget besked nu (personen får ärendenumret av dig)"))]


class IdListField(Field):
    """Ids sent as several values of one name (the articles' checkboxes, which the
    template draws), in order and each once."""

    def process_formdata(self, valuelist):
        self.data = sorted({int(value) for value in valuelist if value.isdigit()})


def handover_field(label, hint=None):
    """One part of the handover: required when forwarding (``ContactLogForm.REQUIRED``)."""
    return TextAreaField(label, description=hint, render_kw={"rows": 3},
                         validators=[Optional(), Length(max=2000)])


class ContactLogForm(FlaskForm):
    """One contact: the search beside it, what it was about, who (if they said), and
    the outcome, chosen by the button pressed (``do``).  Only the chosen outcome's
    own fields are required; "Sök" checks nothing but the query."""

    q = SearchField(_l("Sök i artiklar, talmanus och interna anteckningar"), validators=[Length(max=200)],
                    render_kw={"maxlength": 200, "autocomplete": "off", "spellcheck": "false"})
    articles = IdListField(default=list)
    callback = HiddenField()          # the call-back request being answered, if any
    seen_version = HiddenField()
    do = HiddenField(default=SEARCH)  # sent by the button pressed, never drawn as a field
    channel = RadioField(_l("Kanal"), default=Channel.PHONE,
                         choices=[SelectChoice(channel, channel.label) for channel in CONTACT_CHANNELS],
                         validators=[InputRequired(_l("Välj hur personen hörde av sig."))])
    question_type = SelectField(_l("Vad gällde frågan?"),
                                validators=[InputRequired(_l("Välj ett ämne eller en e-tjänst."))])
    text = TextAreaField(_l("Vad gällde kontakten?"), description=_l(
        "Kort: frågan och ditt svar. Första raden blir ärendets rubrik, så skriv inga personuppgifter i den."),
        filters=[stripped], validators=[DataRequired(_l("Skriv vad kontakten gällde.")), Length(max=4000)])
    name = StringField(_l("Namn"), render_kw=THIRD_PARTY, validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-post"), render_kw=THIRD_PARTY, validators=[
        Optional(), Email(_l("Skriv en e-postadress som namn@exempel.se.")), Length(max=254)])
    phone = TelField(_l("Telefon"), render_kw=THIRD_PARTY, validators=[Optional(), Length(max=40), phone_ok])
    department = SelectField(_l("Förvaltning"))
    asked = handover_field(_l("Vad frågade personen?"))
    answered = handover_field(_l("Vad har du redan svarat?"))
    needs = handover_field(_l("Vad behöver personen från förvaltningen?"))
    reach = handover_field(_l("Hur och när når förvaltningen personen?"),
                           _l("Till exempel: telefon efter klockan 15, eller e-post."))
    notify_by = RadioField(_l("Hur vill personen få besked om ärendet?"), default=NotifyBy.PAGE,
                           choices=NOTIFY_CHOICES, validators=[Optional()])
    lang = SelectField(_l("Språk i besked"))
    authority = SelectField(_l("Myndighet"), choices=[SelectChoice("", _l("Välj myndighet")), *(
        SelectChoice(key, name) for key, name in AUTHORITIES.items())])

    REQUIRED = {ContactOutcome.FORWARDED: {"department": _l("Välj förvaltningen som ska ta över ärendet."),
                                           "asked": _l("Skriv vad personen frågade."),
                                           "answered": _l("Skriv vad du redan har svarat."),
                                           "needs": _l("Skriv vad personen behöver."),
                                           "reach": _l("Skriv hur och när förvaltningen når personen.")},
                ContactOutcome.REFERRED: {"authority": _l("Välj myndigheten du hänvisade till.")}}
    NOTIFY_NEEDS = {NotifyBy.EMAIL: ("email", _l("Skriv personens e-postadress, eller välj ett annat sätt att "
                                                 "få besked.")),
                    NotifyBy.SMS: ("phone", _l("Skriv personens mobilnummer, eller välj ett annat sätt att "
                                               "få besked."))}

    def __init__(self, *args, topics=(), services=(), departments=(), lang="sv", **kwargs):
        super().__init__(*args, **kwargs)
        self.question_type.choices = [SelectChoice("", _l("Välj ämne eller e-tjänst")), *(
            SelectChoice(f"topic:{t.slug}", t.name_in(lang), optgroup=_l("Ämnen")) for t in topics), *(
            SelectChoice(f"eservice:{s.code}", s.text(lang).title, optgroup=_l("E-tjänster")) for s in services)]
        self.department.choices = [SelectChoice("", _l("Välj förvaltning")), *(
            SelectChoice(d.code, d.name_in(lang)) for d in departments)]
        self.lang.choices = [SelectChoice(code, language(code).name) for code in languages()]
        if not self.lang.data or self.lang.data not in languages():
            self.lang.data = lang

    @property
    def outcome(self):
        """The outcome the button pressed asks for, or None for a search."""
        return ContactOutcome(self.do.data) if self.do.data in tuple(ContactOutcome) else None

    def validate_search(self):
        """A search keeps everything typed and checks only the query (and the CSRF token)."""
        return all(self[name].validate(self) for name in ("csrf_token", "q") if name in self)

    def validate(self, extra_validators=None):
        """The fields every contact needs, then those of the chosen outcome."""
        valid = super().validate(extra_validators)
        wanted = dict(self.REQUIRED.get(self.outcome, {}))
        if self.outcome == ContactOutcome.FORWARDED and self.notify_by.data in self.NOTIFY_NEEDS:
            name, message = self.NOTIFY_NEEDS[self.notify_by.data]
            wanted[name] = message
        for name, message in wanted.items():
            if not (self[name].data or "").strip() and not self[name].errors:
                self[name].errors = [message]
                valid = False
        return valid


class LookupForm(FlaskForm):
    q = StringField(_l("Ärendenummer, e-postadress eller telefonnummer"), render_kw=THIRD_PARTY,
                    validators=[InputRequired(_l("Skriv ett ärendenummer, en e-postadress eller ett "
                                                 "telefonnummer.")), Length(max=254)])


class CallbackDoneForm(FlaskForm):
    """"Ringt upp – löst" on one request, as it was when the list was shown."""

    seen_version = HiddenField(validators=[InputRequired()])


class ReceptionForm(FlaskForm):
    visitor = StringField(_l("Besökarens namn"), render_kw=THIRD_PARTY, filters=[stripped],
                          validators=[DataRequired(_l("Skriv besökarens namn.")), Length(max=200)])
    officer = SelectField(_l("Vem ska besökaren träffa?"),
                          validators=[InputRequired(_l("Välj handläggaren som besökaren ska träffa."))])
    note = TextAreaField(_l("Meddelande till handläggaren (frivilligt)"), render_kw={"rows": 3},
                         validators=[Optional(), Length(max=1000)])

    def __init__(self, *args, officers=(), lang="sv", **kwargs):
        """``officers``: [(förvaltning, [officers])]; an option is "<förvaltning id>:<officer id>",
        since one officer may work for several."""
        super().__init__(*args, **kwargs)
        self.officer.choices = [SelectChoice("", _l("Välj handläggare")), *(
            SelectChoice(f"{department.id}:{person.id}", person.display_name, optgroup=department.name_in(lang))
            for department, people in officers for person in people)]
