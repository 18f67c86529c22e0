"""Form fields shared by the domains."""
from flask_babel import to_user_timezone, to_utc
from wtforms import DateTimeLocalField


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
