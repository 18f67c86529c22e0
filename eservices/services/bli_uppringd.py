"""Bli uppringd: ask the contact centre to call back.  The smallest service there
is: one page and the contact page, and the case goes to the contact centre's
own queue (Kommunledningsförvaltningen, where the contact centre sits)."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from eservices.forms import PageForm, phone_ok
from eservices.registry import SHORT, EService, Page, load_texts

TIME_WINDOWS = [SelectChoice("morning", _l("Förmiddag, 8–12")),
                SelectChoice("afternoon", _l("Eftermiddag, 12–16.30")),
                SelectChoice("any", _l("När som helst under dagen"))]


class CallbackForm(PageForm):
    name = StringField(_l("Namn"), render_kw={"autocomplete": "name"},
                       validators=[InputRequired(_l("Skriv ditt namn.")), Length(max=200)])
    phone = TelField(_l("Telefonnummer vi ska ringa"), render_kw={"autocomplete": "tel"},
                     validators=[InputRequired(_l("Skriv ditt telefonnummer.")), Length(max=40), phone_ok])
    topic = TextAreaField(_l("Vad gäller det?"), description=_l("Några ord räcker, så att rätt person ringer."),
                          validators=[InputRequired(_l("Skriv vad det gäller.")), Length(max=1000)])
    window = SelectField(_l("När passar det att vi ringer?"), choices=TIME_WINDOWS, default="any")


class Callback(EService):
    def case_title(self, answers):
        return str(_l("Ring upp: %(topic)s", topic=answers["samtal"]["topic"][:80]))

    def case_summary(self, answers):
        call = answers["samtal"]
        window = dict((c.value, str(c.label)) for c in TIME_WINDOWS)[call["window"]]
        return f"{call['name']}, {call['phone']} – {window}"

    def contact(self, answers):
        call = answers["samtal"]
        return {"name": call["name"], "phone": call["phone"], "notify_by": "page"}


SERVICE = Callback(
    code="bli-uppringd", texts=load_texts(__file__), department="KLF", handling_days=1,
    rosa_level=1, retention=SHORT, topics=["kommun-och-politik"],
    pages=[Page("samtal", _l("Om samtalet"), CallbackForm)])
