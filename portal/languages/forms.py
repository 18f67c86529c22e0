"""The admins' form for adding a language.  Only the code is required; what is
left empty gets the default ``portal.languages.tags`` derives from the code.
Whether the values can be used is checked by ``operations.AddLanguage``, which
the command line shares; its messages are put at the fields here."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from portal.languages import tags
from portal.languages.operations import NEUTRAL_CHOICE, NO_CODE


class AddLanguageForm(FlaskForm):
    code = StringField(_l("Språkkod"), validators=[
        InputRequired(NO_CODE)])
    name = StringField(_l("Språkets namn på språket självt (valfritt)"))
    direction = RadioField(_l("Skriftriktning"), default="", choices=[
        SelectChoice("", _l("Som språket skrivs enligt Unicode CLDR")),
        SelectChoice("ltr", _l("Vänster till höger")), SelectChoice("rtl", _l("Höger till vänster"))])
    analyzer = SelectField(_l("Sökanalys"), default="")
    locale = StringField(_l("Formatering av datum och tal (valfritt)"))
    enable = BooleanField(_l("Slå på språket nu"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.analyzer.choices = [SelectChoice("", _l("Efter språket: dess stemmer om det finns en, annars neutral")),
                                 SelectChoice(NEUTRAL_CHOICE, _l("Neutral: orden som de skrivs")),
                                 *(SelectChoice(name, name) for name in tags.analyzers())]

    def values(self):
        """The arguments of ``operations.ADD_LANGUAGE``."""
        return {"code": self.code.data.strip(), "name": self.name.data or "", "direction": self.direction.data,
                "analyzer": self.analyzer.data, "locale": (self.locale.data or "").strip(),
                "enable": self.enable.data}

    def show_refusal(self, refused):
        """Put each of the operation's messages at its field (a refusal without
        fields, such as a simultaneous change, at the code)."""
        for name, message in getattr(refused, "problems", {"code": refused.message}).items():
            self[name].errors.append(message)
