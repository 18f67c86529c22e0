"""Swedish working days, for handling times (and, with the case-handling work, SLA clocks).

A working day is a weekday that is not a public holiday nor one of the days
that are holidays in practice (midsommarafton, julafton, nyårsafton), as the
``holidays`` package lists them for Sweden.
"""
from datetime import timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _holidays(year):
    return holidays.Sweden(years=year, categories=("public", "de_facto"))


def is_working_day(day):
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start, count):
    """The working day ``count`` working days after ``start`` (a date)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end``."""
    return sum(1 for n in range(1, (end - start).days + 1)
               if is_working_day(start + timedelta(days=n)))
