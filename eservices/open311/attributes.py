"""Between Open311 and the felanmälan form: which form fields Open311's own
arguments fill, and the rest of the form as the spec's attributes.

The service definition (``services/{code}``) is read off the e-service's form
pages, so a question the felanmälan form gains is offered to Open311 clients
without a change here: every answer field that no Open311 argument fills is
an attribute, coded by its field name, typed by its kind of field, required
when the form requires it, with its choices as values.

A posted request fills each page's form as if the citizen had typed the
arguments into it, and the form checks them: the same rules and messages as
on the web, and the same answers as ``save_page`` keeps.
"""
from dataclasses import dataclass, field as dataclass_field

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms.validators import DataRequired, InputRequired

from eservices.models import NotifyBy

# Form fields filled by Open311's own arguments: (page, field) → the argument's value
# (``name`` is first_name and last_name together).
ARGUMENTS = {
    ("fel", "category"): "service_code",
    ("fel", "description"): "description",
    ("plats", "address"): "address_string",
    ("plats", "latitude"): "lat",
    ("plats", "longitude"): "long",
    ("kontakt", "name"): "name",
    ("kontakt", "email"): "email",
    ("kontakt", "phone"): "phone",
}
LABELS = {"name": "first_name/last_name"}   # how a message names an argument
SERVICE_CODE_FIELD = ("fel", "category")
# Required on the web form, optional in the spec: a client may leave them out.
OPTIONAL = {("fel", "description"), ("kontakt", "name")}
# What a client that leaves an attribute out gets: what the citizen would have chosen.
DEFAULTS = {"notify_by": lambda values: NotifyBy.EMAIL if values.get("email") else NotifyBy.PAGE}

CHOICE_TYPES = {"SelectField": "singlevaluelist", "RadioField": "singlevaluelist",
                "SelectMultipleField": "multivaluelist", "BooleanField": "singlevaluelist"}
OTHER_TYPES = {"TextAreaField": "text", "DecimalField": "number", "IntegerField": "number",
               "FloatField": "number", "DateField": "datetime", "DateTimeField": "datetime",
               "DateTimeLocalField": "datetime", "LocalDateTimeField": "datetime"}


@dataclass
class Attribute:
    page: str
    code: str
    datatype: str
    required: bool
    description: str
    datatype_description: str
    order: int
    values: list = dataclass_field(default_factory=list)

    def as_spec(self):
        return {"variable": True, "code": self.code, "datatype": self.datatype,
                "required": self.required, "datatype_description": self.datatype_description or None,
                "order": self.order, "description": self.description,
                "values": [{"key": key, "name": name} for key, name in self.values]}


def blank_form(page):
    return page.form(formdata=None, meta={"csrf": False})


def attributes(service):
    """The form's questions that Open311's arguments do not cover, in form order."""
    found = []
    for page in service.pages:
        for field in blank_form(page).answer_fields():
            if (page.name, field.name) not in ARGUMENTS:
                found.append(_attribute(page, field, len(found) + 1))
    return found


def _attribute(page, field, order):
    required = any(isinstance(v, (InputRequired, DataRequired)) for v in field.validators)
    return Attribute(page=page.name, code=field.name, datatype=datatype(field),
                     required=required and field.name not in DEFAULTS,
                     description=str(field.label.text), datatype_description=str(field.description or ""),
                     order=order, values=choices(field))


def datatype(field):
    return CHOICE_TYPES.get(field.type) or OTHER_TYPES.get(field.type, "string")


def choices(field):
    if field.type == "BooleanField":
        return [("true", _("Ja")), ("false", _("Nej"))]
    if field.type not in CHOICE_TYPES:
        return []
    return [(str(value), str(label)) for value, label, *_rest in field.iter_choices() if str(value) != ""]


def given_attributes(form_data):
    """``attribute[code]`` and ``attribute[code][]`` of a posted request: {code: [values]}."""
    found = {}
    for name in form_data:
        if name.startswith("attribute[") and name.endswith("]"):
            code = name[len("attribute["):-1].removesuffix("][")
            found.setdefault(code, []).extend(v for v in form_data.getlist(name) if v != "")
    return found


def filled_forms(service, values, given, categories):
    """Each page's form, filled from the request: [(page, form, problems)]."""
    return [_filled(page, values, given, categories) for page in service.pages]


def _filled(page, values, given, categories):
    fields = blank_form(page).answer_fields()
    form = page.form(formdata=_formdata(page, fields, values, given), meta={"csrf": False})
    if SERVICE_CODE_FIELD[0] == page.name and SERVICE_CODE_FIELD[1] in form:
        form[SERVICE_CODE_FIELD[1]].choices = [(c.code, c.name_in()) for c in categories]
    form.validate()
    return page, form, _problems(page, form, values)


def _formdata(page, fields, values, given):
    """What a browser would send: every text field (empty too), the chosen options."""
    data = MultiDict()
    for field in fields:
        argument = ARGUMENTS.get((page.name, field.name))
        if argument:
            data.add(field.name, _text(values.get(argument)))
            continue
        chosen = given.get(field.name) or _default(field.name, values)
        for value in chosen:
            data.add(field.name, value)
        if not chosen and field.type not in CHOICE_TYPES:
            data.add(field.name, "")
    return data


def _default(name, values):
    default = DEFAULTS.get(name)
    return [str(default(values))] if default else []


def _text(value):
    return "" if value is None else str(value)


def _problems(page, form, values):
    """The form's messages, each named by the argument or attribute it concerns."""
    problems = []
    for field in form.answer_fields():
        key = (page.name, field.name)
        if key in OPTIONAL and not values.get(ARGUMENTS[key]):
            continue
        argument = ARGUMENTS.get(key)
        name = LABELS.get(argument, argument) if argument else f"attribute[{field.name}]"
        problems.extend(f"{name}: {error}" for error in field.errors)
    return problems + [str(error) for error in getattr(form, "form_errors", [])]
