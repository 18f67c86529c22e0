"""Answers as people read them: each page's questions with the answer given,
for check-your-answers, the officer's case page and mail."""
from flask_babel import gettext as _


def answer_rows(service, answers):
    """[(page, [(label, shown answer)])] for ``answers`` ({page: {field: value}})."""
    rows = []
    for page in service.pages:
        form = page.form(formdata=None, meta={"csrf": False})
        given = answers.get(page.name, {})
        rows.append((page, [(field.label.text, shown(field, given.get(field.name)))
                            for field in form.answer_fields()]))
    return rows


def shown(field, value):
    """The label of a chosen option, Ja/Nej for a box, the value as typed otherwise."""
    if value is None or value == "":
        return ""
    if field.type in ("RadioField", "SelectField"):
        return dict((str(option), label) for option, label, *_rest in field.iter_choices()).get(
            str(value), value)
    if field.type == "BooleanField":
        return _("Ja") if value else _("Nej")
    return value
