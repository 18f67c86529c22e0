"""Form fields shared by the domains."""
from flask_babel import lazy_gettext as _l, to_user_timezone, to_utc
from wtforms import DateField, DateTimeLocalField

DATE_WRONG = _l("Skriv datumet som år-månad-dag, till exempel 2027-01-15.")


class LocalDateTimeField(DateTimeLocalField):
    """A date and time typed and shown in the portal's time zone
    (``BABEL_DEFAULT_TIMEZONE``, Europe/Stockholm) but held as naive UTC, like
    every datetime in the database, so schedules run at the time people typed."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%Y-%m-%dT%H:%M", **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = to_utc(self.data)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return to_user_timezone(self.data).strftime(self.format[0]) if self.data else ""


class DayField(DateField):
    """A date typed as ``2027-01-15``, with a message of our own when it is not one;
    an empty field is left to ``InputRequired`` or ``Optional``."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            super().process_formdata([valuelist[0].strip()])
        except ValueError:
            raise ValueError(str(DATE_WRONG)) from None
