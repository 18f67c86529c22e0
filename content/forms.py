"""Editor and translator forms.  The article form has one fieldset per configured
language; the translator's form is one language's text and agent layer."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateField, Form, FormField, HiddenField,
    RadioField, SelectField, SelectMultipleField, StringField, TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from content.models import TRANSLATION_STATUS_LABELS, Severity
from content.rendering import markdown_problems
from portal.clock import utcnow
from portal.fields import LocalDateTimeField
from portal.html import without_control_characters
from portal.i18n import LANGUAGE_NAMES

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Languages by their names in the interface's language ("Engelska" in Swedish),
# where the article form and the previews name the language a text is in.
LANGUAGE_LABELS = {"sv": _l("Svenska"), "en": _l("Engelska")}


def language_label(lang):
    """The language's name in the interface language; its own name (``LANGUAGE_NAMES``)
    for a language the catalogues do not name."""
    return LANGUAGE_LABELS.get(lang) or LANGUAGE_NAMES.get(lang, lang)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PickerField(SelectMultipleField):
    """Several items chosen from a list (articles, e-services): a multiple select
    without JavaScript, a search picker with it (``portal/static/js/picker.js``).
    The view fills ``choices``."""

    def pre_validate(self, form):
        known = {str(choice[0]) for choice in self.iter_choices()}
        if any(str(value) not in known for value in self.data or []):
            raise ValidationError(_l("Välj bland alternativen i listan."))


def markdown_ok(form, field):
    problems = markdown_problems(field.data or "")
    if problems:
        raise ValidationError(" ".join(problems))


def slug_ok(form, field):
    if field.data and not SLUG.match(field.data):
        raise ValidationError(_l("Använd små bokstäver a–z, siffror och bindestreck, till exempel ”boka-lokal”."))


class TranslationForm(Form):
    title = StringField(_l("Rubrik"), validators=[Optional(), Length(max=120, message=_l("Rubriken får vara högst %(max)d tecken."))])
    slug = StringField(_l("Adress (slug)"), validators=[Optional(), Length(max=120), slug_ok])
    summary = TextAreaField(_l("Sammanfattning"), validators=[Optional(), Length(max=300, message=_l("Sammanfattningen får vara högst %(max)d tecken."))])
    body = TextAreaField(_l("Brödtext (Markdown)"), validators=[Optional(), Length(max=50000), markdown_ok])
    keywords = StringField(_l("Sökord och synonymer"), validators=[Optional(), Length(max=500)])
    opening_hours = StringField(_l("Öppettider"), validators=[Optional(), Length(max=200)])

    def is_empty(self):
        return not any((self.title.data, self.summary.data, self.body.data))


class TranslatorForm(FlaskForm, TranslationForm):
    """A translation of one article into one language, beside its source text.

    ``version`` is the work row's version the translator saw (empty before the
    first save), ``source_revision_id`` the live revision whose source text was on
    the page: what the translation is recorded as made from.
    """

    agent_script = TextAreaField(_l("Talmanus (Markdown)"), validators=[Optional(), Length(max=20000), markdown_ok])
    agent_checklist = TextAreaField(_l("Checklista (en punkt per rad)"), validators=[Optional(), Length(max=5000)])
    agent_notes = TextAreaField(_l("Interna anteckningar (Markdown)"), validators=[Optional(), Length(max=20000), markdown_ok])
    version = HiddenField()
    source_revision_id = HiddenField()


class TranslationReviewForm(FlaskForm):
    """The reviewer's decision: ``decision`` is the button pressed."""

    decision = HiddenField(validators=[InputRequired()])
    version = HiddenField()
    comment = TextAreaField(_l("Kommentar till översättaren (krävs när du returnerar)"),
                            validators=[Length(max=2000)])

    def validate_comment(self, field):
        if self.decision.data == "return" and not (field.data or "").strip():
            raise ValidationError(_l("Skriv vad som behöver ändras."))


class TranslationFilterForm(Form):
    """The translators' table's filters (a GET form: nothing changes)."""

    lang = SelectField(_l("Språk"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()], choices=[
        SelectChoice("", _l("Alla")), *(SelectChoice(status, label) for status, label in TRANSLATION_STATUS_LABELS.items())])
    department = SelectField(_l("Förvaltning"), validators=[Optional()])
    topic = SelectField(_l("Ämne"), validators=[Optional()])


class ArticleFormBase(FlaskForm):
    """Declared in the order of the page (after the texts, see ``__iter__``), which the
    error summary follows."""

    department_id = SelectField(_l("Förvaltning"), coerce=int, validators=[InputRequired()])
    topics = MultiCheckboxField(_l("Ämnen (livshändelser)"))
    related = PickerField(_l("Relaterade artiklar"), coerce=int)
    eservices = PickerField(_l("Relaterade e-tjänster"))
    contact_phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=40)])
    contact_email = StringField(_l("E-post"), validators=[Optional(), Email(_l("Skriv en e-postadress som namn@exempel.se.")), Length(max=254)])
    rosa_level = SelectField(_l("ROSA-nivå"), coerce=int, choices=[
        SelectChoice(1, _l("1 – Information")), SelectChoice(2, _l("2 – Vägledning")),
        SelectChoice(3, _l("3 – Administrativ förberedelse")), SelectChoice(4, _l("4 – Rutinbeslut")),
        SelectChoice(5, _l("5 – Handläggning (förvaltningen)")), SelectChoice(6, _l("6 – Utredning (förvaltningen)")),
        SelectChoice(7, _l("7 – Komplex handläggning (förvaltningen)")), SelectChoice(8, _l("8 – Specialist (förvaltningen)"))])
    agent_script = TextAreaField(_l("Talmanus (Markdown)"), validators=[Optional(), Length(max=20000), markdown_ok])
    script_reviewed = BooleanField(_l("Jag har granskat talmanuset i dag"))
    agent_checklist = TextAreaField(_l("Checklista (en punkt per rad)"), validators=[Optional(), Length(max=5000)])
    checklist_reviewed = BooleanField(_l("Jag har granskat checklistan i dag"))
    agent_notes = TextAreaField(_l("Interna anteckningar (Markdown)"), validators=[Optional(), Length(max=20000), markdown_ok])
    notes_reviewed = BooleanField(_l("Jag har granskat de interna anteckningarna i dag"))
    publish_at = LocalDateTimeField(_l("Publicera från"), validators=[Optional()])
    unpublish_at = LocalDateTimeField(_l("Avpublicera"), validators=[Optional()])
    review_before = DateField(_l("Granskas senast"), validators=[Optional()])
    comment = StringField(_l("Kommentar till versionen"), validators=[Optional(), Length(max=500)])
    base_revision_id = HiddenField()

    def __iter__(self):
        """The texts in each language first, as on the page."""
        fields = list(super().__iter__())
        return iter(sorted(fields, key=lambda field: field.type != "FormField"))

    def validate_unpublish_at(self, field):
        if field.data and self.publish_at.data and field.data <= self.publish_at.data:
            raise ValidationError(_l("Avpubliceringen måste ligga efter publiceringen."))
        # Dates take effect when the version is approved, so a past end date
        # would mean nothing; taking a page down now is "Ta tillbaka".
        if field.data and field.data <= utcnow():
            raise ValidationError(_l("Avpubliceringen måste ligga i framtiden. Vill du ta ner sidan nu, använd ”Ta tillbaka”."))


def article_form_class(languages):
    """The article form with a ``t_<lang>`` fieldset for each language."""
    fields = {f"t_{lang}": FormField(TranslationForm, label=language_label(lang)) for lang in languages}
    return type("ArticleForm", (ArticleFormBase,), fields)


class ActionForm(FlaskForm):
    """A workflow button: ``action`` names it; ``revision_id`` is the revision the
    person saw, so that nobody approves a newer text they have not read."""

    action = HiddenField(validators=[InputRequired()])
    revision_id = HiddenField()
    confirmed = HiddenField()   # "yes" once the person has answered the action's question
    comment = TextAreaField(_l("Kommentar"), validators=[Optional(), Length(max=2000)])


class FeedbackForm(FlaskForm):
    """The answer to "Hjälpte sidan dig?": the page shows it as two submit buttons."""

    helpful = RadioField(_l("Hjälpte sidan dig?"), choices=[SelectChoice("yes", _l("Ja")), SelectChoice("no", _l("Nej"))],
                         validators=[InputRequired(_l("Välj ja eller nej."))])


class FeedbackCommentForm(FlaskForm):
    """The optional comment, added to the answer just given."""

    comment = TextAreaField(_l("Vad kan vi göra bättre?"), validators=[
        InputRequired(_l("Skriv din kommentar, eller gå tillbaka till sidan.")),
        Length(max=1000, message=_l("Skriv högst %(max)d tecken."))])


class AlertForm(FlaskForm):
    severity = RadioField(_l("Allvarlighetsgrad"), choices=[
        SelectChoice(Severity.INFO, _l("Information")), SelectChoice(Severity.DISRUPTION, _l("Störning")),
        SelectChoice(Severity.CRISIS, _l("Kris (visas på alla sidor när en andra person har godkänt)"))],
        default=Severity.INFO, validators=[InputRequired(_l("Välj allvarlighetsgrad."))])
    department_id = SelectField(_l("Förvaltning"), coerce=int, validators=[InputRequired()])
    title_sv = StringField(_l("Rubrik på svenska"), filters=[without_control_characters],
                           validators=[InputRequired(_l("Skriv en rubrik.")), Length(max=150)])
    message_sv = TextAreaField(_l("Meddelande på svenska"), filters=[without_control_characters],
                               validators=[InputRequired(_l("Skriv ett meddelande.")), Length(max=1000)])
    title_en = StringField(_l("Rubrik på engelska"), filters=[without_control_characters],
                           validators=[Optional(), Length(max=150)])
    message_en = TextAreaField(_l("Meddelande på engelska"), filters=[without_control_characters],
                               validators=[Optional(), Length(max=1000)])
    starts_at = LocalDateTimeField(_l("Börjar"), validators=[InputRequired(_l("Ange när meddelandet börjar gälla."))])
    ends_at = LocalDateTimeField(_l("Slutar (frivilligt)"), validators=[Optional()])
    articles = PickerField(_l("Visa på artiklar"), coerce=int)
    eservices = PickerField(_l("Visa på e-tjänster"))

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("Slutet måste ligga efter början."))


