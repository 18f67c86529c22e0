"""The dashboard's filter: a GET form whose answer is a :class:`~portal.stats.StatsQuery`.

The period is a day, an ISO week (Monday to Sunday) or a calendar month around the
date given as "from", or a custom range; the default is the last full month.
"""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from portal.fields import DayField
from portal.i18n import language, languages
from portal.stats import StatsQuery, filter_choices
from portal.stats.bounds import local_today

PERIODS = [SelectChoice("month", _l("Månad")), SelectChoice("week", _l("Vecka")), SelectChoice("day", _l("Dag")),
           SelectChoice("custom", _l("Egen period"))]
ALL = SelectChoice("", _l("Alla"))
# A custom period longer than this many days is shown by week, longer still by month.
DAYS_BY_DAY, DAYS_BY_WEEK = 31, 92


def last_full_month(today):
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def period_bounds(period, start, end):
    """First and last day of the period ``period`` around ``start`` (custom: ``start``–``end``)."""
    if period == "day":
        return start, start
    if period == "week":
        monday = start - timedelta(days=start.weekday())
        return monday, monday + timedelta(days=6)
    if period == "month":
        first = start.replace(day=1)
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end


def granularity_for(period, start, end):
    if period != "custom" or (end - start).days < DAYS_BY_DAY:
        return "day"
    return "week" if (end - start).days < DAYS_BY_WEEK else "month"


class StatsFilterForm(FlaskForm):
    class Meta:
        csrf = False    # a GET form that changes nothing: its address can be shared and bookmarked

    period = SelectField(_l("Period"), choices=PERIODS, default="month")
    start = DayField(_l("Från"), validators=[Optional()])
    end = DayField(_l("Till"), validators=[Optional()])
    # Any id is taken here: whether the user may see it is portal.stats.access's answer (403).
    department = SelectField(_l("Förvaltning"), choices=[ALL], default="", validate_choice=False)
    channel = SelectField(_l("Kanal"), choices=[ALL], default="")
    case_type = SelectField(_l("Ärendetyp"), choices=[ALL], default="")
    lang = SelectField(_l("Språk"), choices=[ALL], default="")

    def __init__(self, formdata, departments=(), **kwargs):
        super().__init__(formdata, **kwargs)
        self.department.choices = [ALL, *(SelectChoice(str(d.id), d.name_in()) for d in departments)]
        self.channel.choices = [ALL, *(SelectChoice(*choice) for choice in filter_choices("channel"))]
        self.case_type.choices = [ALL, *(SelectChoice(*choice) for choice in filter_choices("case_type"))]
        self.lang.choices = [ALL, *(SelectChoice(code, language(code).name) for code in languages())]

    def validate_department(self, field):
        if field.data and not field.data.isdigit():
            raise ValidationError(_l("Välj en förvaltning i listan."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if not valid:
            return False
        today = local_today()
        if self.period.data == "custom":
            return self._check_custom(today)
        if self.start.data and self.start.data > today:
            self.start.errors.append(_l("Perioden har inte börjat än. Välj en dag i dag eller tidigare."))
            return False
        return True

    def _check_custom(self, today):
        for field in (self.start, self.end):
            if field.data is None:
                field.errors.append(_l("Ange ett datum för en egen period."))
        if self.start.data and self.start.data > today:
            self.start.errors.append(_l("Perioden har inte börjat än. Välj en dag i dag eller tidigare."))
        if self.end.data and self.end.data > today:
            self.end.errors.append(_l("Slutdatumet ligger i framtiden. Välj i dag eller tidigare."))
        if self.start.data and self.end.data and self.end.data < self.start.data:
            self.end.errors.append(_l("Slutdatumet ligger före startdatumet."))
        return not (self.start.errors or self.end.errors)

    def department_id(self):
        return int(self.department.data) if self.department.data else None

    def query(self, department_ids):
        """The :class:`StatsQuery` of a valid form (the last full month when no date is given)."""
        period = self.period.data
        if self.start.data is None:
            start, end = last_full_month(local_today())
            period = "month"
        else:
            start, end = period_bounds(period, self.start.data, self.end.data)
        return StatsQuery(start=start, end=end, granularity=granularity_for(period, start, end),
                          department_ids=department_ids, channel=self.channel.data or None,
                          case_type=self.case_type.data or None, lang=self.lang.data or None)

