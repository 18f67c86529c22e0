"""The case figures of the statistics dashboard (issue 15), and the cost-allocation key.

The counts are summed from the cases' daily counts (``rollup.CaseDay``: per local day,
förvaltning, channel, type, language, ROSA level, kind and authority referred to), read
in one GROUP BY over the period (``cube``); a year of a million cases is then a few
tens of thousands of rows.  The handling times' percentiles come from the daily
histogram beside them (``rollup.CaseDuration``).  Only what is overdue now and the
cost-allocation key's cases closed in the period are read from the cases themselves,
by SQL aggregates that never load a case into Python.

Local time: the period's days, the time buckets and the KKiK working days are
Europe/Stockholm calendar days.  A daily count's bucket is found by a balanced tree of
``CASE WHEN day < first day of the next bucket`` (``_bisect``), the same SQL on SQLite
and PostgreSQL.

Definitions (also in each table's note):

- a **contact** is a case without an e-service form (``service_code`` is NULL): a
  call, visit, chat, letter or e-mail an agent logged, or mail imported; an
  **e-service case** is a submitted form;
- **first-contact resolution** counts the contacts the contact centre logged
  (a staff member created them): solved at the first contact / all of them.
  E-service cases and imported mail are not contacts with an agent and are left out;
- **SLA**: the first response was within SLA when it came by the deadline that was
  running (``first_response_due_at``); the solution when the case was closed by
  ``solution_due_at``.  Both are the recorded clocks (business hours, Swedish
  working days, pauses for the citizen), never recomputed here;
- **handling time** is calendar days from receipt to closing, to a tenth of a day (median and
  90th percentile by nearest rank, from a histogram the database counts);
- **KKiK e-mail**: an e-mail is answered at its first response (or its closing, for
  a contact answered at once); within N working days as ``sla.answered_within_working_days``
  reads it; the mean response time is in calendar hours, as KKiK reports it.
"""
import math
from collections import Counter
from dataclasses import dataclass, replace
from operator import attrgetter
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, and_, case as sql_case, func, literal, select

from eservices import registry, rollup
from eservices.casework import contact_centre_department
from eservices.models import Case, Channel, OPEN_STATUSES
from eservices.rollup import CaseDay, CaseDuration
from portal import search
from portal.clock import utcnow
from portal.extensions import db
from portal.org.models import Department, Topic
from portal.stats import Column, Section, Table
from portal.stats.bounds import utc_bounds

FCR_TARGET = (70.0, 80.0)


def init_app(app):
    from portal.stats import register_filter_choices, register_preparation, register_statistics
    from portal.tasks import register_periodic

    register_preparation(app, "cases", rollup.prepare)
    register_statistics(app, "cases", case_section, order=20)
    register_periodic(app, "case statistics", rollup.refresh, rollup.REFRESH_EVERY_SECONDS)
    register_filter_choices(app, "channel", channel_choices)
    register_filter_choices(app, "case_type", case_type_choices)


def channel_choices():
    return [(channel.value, str(channel.label)) for channel in Channel]


def case_type_choices():
    """The question types the cases have, by name (a DISTINCT over an indexed column)."""
    keys = db.session.scalars(select(Case.question_type).where(Case.question_type != "").distinct()).all()
    return sorted(type_labels(keys).items(), key=lambda item: str(item[1]))


def case_section(query):
    cells, starts = cube(query)
    return Section("cases", _l("Kontakter och ärenden"), [
        *volume_tables(cells, starts), *fcr_tables(cells, starts), *sla_tables(cells, query),
        *handling_time_tables(query), kkik_email(cells), reopen_rate(cells), referred_to(cells),
        channel_shift(query)])


# --- the query's cases and local time ----------------------------------------------------
def conditions(query, moment=Case.created_at):
    """What selects the query's cases: received in the period, and the filters."""
    first, after = utc_bounds(query)
    wanted = [moment >= first, moment < after]
    return wanted + filters(query)


def filters(query, counted=Case):
    """The query's filters on the cases, or (``counted=CaseDay``) on their daily counts."""
    wanted = []
    if query.department_ids is not None:
        wanted.append(counted.department_id.in_(sorted(query.department_ids)))
    if query.channel:
        wanted.append(counted.channel == query.channel)
    if query.case_type:
        wanted.append(counted.question_type == query.case_type)
    if query.lang:
        wanted.append(counted.lang == query.lang)
    return wanted


def counted_days(query):
    """What selects the query's daily counts (``rollup.CaseDay``), counting the days whose
    cases changed since first."""
    rollup.refresh()
    return [rollup.counted(query, CaseDay), *filters(query, CaseDay)]


def bucket_starts(query, granularity=None):
    """The first local day of each time bucket in the period (the first is the period's start)."""
    granularity = granularity or query.granularity
    starts, day = [query.start], query.start
    while True:
        if granularity == "month":
            day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        elif granularity == "week":
            day = day + timedelta(days=7 - day.weekday())
        else:
            day = day + timedelta(days=1)
        if day > query.end:
            return starts
        starts.append(day)


def _bisect(moment, boundaries, values, lo=0, hi=None):
    """``values[i]`` for the ``i`` with ``boundaries[i] <= moment < boundaries[i + 1]``
    (``moment`` is at or after ``boundaries[0]``), as a balanced tree of CASEs."""
    hi = len(values) if hi is None else hi
    if hi - lo == 1:
        return values[lo]
    middle = (lo + hi) // 2
    return sql_case((moment < boundaries[middle], _bisect(moment, boundaries, values, lo, middle)),
                    else_=_bisect(moment, boundaries, values, middle, hi))


def bucket_of(query, granularity=None):
    """A SQL expression of a daily count's bucket index, and the buckets' first days."""
    starts = bucket_starts(query, granularity)
    return _bisect(CaseDay.day, starts, [literal(n, Integer) for n in range(len(starts))]), starts


def percent(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def department_names(ids):
    rows = db.session.scalars(select(Department).where(Department.id.in_(ids))) if ids else []
    return {department.id: department.name_in() for department in rows}


def type_labels(keys):
    """The question types' names in the reader's language: the topic's name, the
    e-service's title (the key itself when neither is known any more)."""
    slugs = [key.partition(":")[2] for key in keys if key and key.startswith("topic:")]
    topics = {topic.slug: topic.name_in() for topic in db.session.scalars(select(Topic).where(Topic.slug.in_(slugs)))}

    def label(key):
        kind, _sep, value = (key or "").partition(":")
        service = registry.get(value) if kind == "eservice" else None
        return topics.get(value, key) if kind == "topic" else service.text().title if service else key or "-"
    return {key: label(key) for key in keys}


def by_type(rows):
    """Rows whose first value is a question type, with its name instead."""
    labels = type_labels([row[0] for row in rows])
    return [(labels[row[0]], *row[1:]) for row in rows]


def channel_label(value):
    return str(Channel(value).label)


# --- the cube every count is summed from ---------------------------------------------------
@dataclass(frozen=True)
class Cell:
    """The query's cases with one channel, förvaltning, type, ROSA level, kind and time
    bucket, and their sums (``rollup.MEASURES``)."""

    channel: str
    department_id: int
    question_type: str
    rosa_level: int | None
    kind: str
    referred_to: str
    bucket: int
    sums: dict

    @property
    def is_contact(self):
        return self.kind != rollup.Kind.ESERVICE

    @property
    def is_logged(self):
        return self.kind == rollup.Kind.LOGGED


def cube(query):
    """One GROUP BY over the period's daily counts (a few thousand cells at most), which
    every count of the section sums up; and the buckets' first days."""
    bucket, starts = bucket_of(query)
    keys = (CaseDay.channel, CaseDay.department_id, CaseDay.question_type, CaseDay.rosa_level, CaseDay.kind,
            CaseDay.referred_to, bucket)
    sums = [func.sum(getattr(CaseDay, name)) for name in rollup.MEASURES]
    rows = db.session.execute(select(*keys, *sums).where(*counted_days(query)).group_by(*keys)).all()
    return [Cell(*row[:len(keys)], dict(zip(rollup.MEASURES, row[len(keys):]))) for row in rows], starts


def total(cells, measure):
    return sum(cell.sums[measure] for cell in cells)


def grouped(cells, key):
    """{value of ``key(cell)``: its cells}."""
    groups = {}
    for cell in cells:
        groups.setdefault(key(cell), []).append(cell)
    return groups


# --- 1. volumes ----------------------------------------------------------------------------
VOLUME_COLUMNS = [Column("contacts", _l("Kontakter"), "int"), Column("eservice", _l("E-tjänstärenden"), "int"),
                  Column("total", _l("Totalt"), "int")]
VOLUME_NOTE = _l("Kontakter är samtal, besök, chatt, brev och e-post utan e-tjänstens formulär; "
                 "e-tjänstärenden är skickade formulär.")


def volumes(cells):
    """(contacts, e-service cases, total) of ``cells``."""
    contacts = sum(cell.sums["cases"] for cell in cells if cell.is_contact)
    eservice = total(cells, "cases") - contacts
    return contacts, eservice, contacts + eservice


def summed(cells, key):
    """(value, contacts, e-service cases, total) per value of ``key(cell)``, most first
    (ties by value, none first)."""
    rows = [(value, *volumes(group)) for value, group in grouped(cells, key).items()]
    return sorted(rows, key=lambda row: (-row[3], row[0] is not None, row[0] or 0))


def volume_tables(cells, starts):
    by_department = summed(cells, attrgetter("department_id"))
    names = department_names([row[0] for row in by_department])
    by_bucket = {row[0]: row[1:] for row in summed(cells, attrgetter("bucket"))}
    over_time = [(day, *by_bucket.get(n, (0, 0, 0))) for n, day in enumerate(starts)] if by_bucket else []
    return [
        Table("volume_by_channel", _l("Kontakter och ärenden per kanal"),
              [Column("channel", _l("Kanal")), *VOLUME_COLUMNS],
              [(channel_label(row[0]), *row[1:]) for row in summed(cells, attrgetter("channel"))], chart="bar",
              note=VOLUME_NOTE),
        Table("volume_by_department", _l("Kontakter och ärenden per förvaltning"),
              [Column("department", _l("Förvaltning")), *VOLUME_COLUMNS],
              [(names[row[0]], *row[1:]) for row in by_department], chart="bar", note=VOLUME_NOTE),
        Table("volume_by_type", _l("Kontakter och ärenden per typ"), [Column("type", _l("Typ")), *VOLUME_COLUMNS],
              by_type(summed(cells, attrgetter("question_type"))), chart="bar", note=VOLUME_NOTE),
        Table("volume_by_rosa", _l("Kontakter och ärenden per ROSA-nivå"),
              [Column("rosa", _l("ROSA-nivå")), *VOLUME_COLUMNS],
              [(str(row[0]) if row[0] is not None else "-", *row[1:]) for row in summed(cells, attrgetter("rosa_level"))],
              chart="bar", note=VOLUME_NOTE),
        Table("volume_over_time", _l("Kontakter och ärenden över tid"),
              [Column("period", _l("Period"), "date"), *VOLUME_COLUMNS], over_time, chart="line", note=VOLUME_NOTE),
    ]


# --- 2. first-contact resolution ---------------------------------------------------------
FCR_NOTE = _l("Lösta vid första kontakten delat med alla kontakter som kontaktcentret loggat "
              "(samtal, besök, chatt, brev och e-post). E-tjänstärenden och inläst e-post räknas inte. "
              "Målet är 70–80 %.")
FCR_COLUMNS = [Column("contacts", _l("Loggade kontakter"), "int"),
               Column("solved", _l("Lösta vid första kontakten"), "int"),
               Column("share", _l("Andel lösta vid första kontakten"), "percent")]


def fcr(cells):
    """(logged contacts, solved at the first contact, share) of ``cells``."""
    logged = [cell for cell in cells if cell.is_logged]
    contacts, solved = total(logged, "cases"), total(logged, "first_contact")
    return contacts, solved, percent(solved, contacts)


def fcr_tables(cells, starts):
    logged = [cell for cell in cells if cell.is_logged]
    by_type_rows = sorted((value, *fcr(group)) for value, group in grouped(logged, attrgetter("question_type")).items())
    by_bucket = {n: fcr(group) for n, group in grouped(logged, attrgetter("bucket")).items()}
    over_time = [(day, *by_bucket.get(n, (0, 0, None))) for n, day in enumerate(starts)] if by_bucket else []
    return [
        Table("fcr", _l("Lösta vid första kontakten"), FCR_COLUMNS, [fcr(logged)] if logged else [],
              target=FCR_TARGET, note=FCR_NOTE),
        Table("fcr_by_type", _l("Lösta vid första kontakten per typ"), [Column("type", _l("Typ")), *FCR_COLUMNS],
              by_type(by_type_rows), chart="bar", target=FCR_TARGET, note=FCR_NOTE),
        Table("fcr_over_time", _l("Lösta vid första kontakten över tid"),
              [Column("period", _l("Period"), "date"), *FCR_COLUMNS], over_time, chart="line",
              target=FCR_TARGET, note=FCR_NOTE),
    ]


# --- 3. SLA ----------------------------------------------------------------------------------
def sla_tables(cells, query):
    responded, in_time = total(cells, "response_counted"), total(cells, "response_within")
    closed, closed_in_time = total(cells, "solution_counted"), total(cells, "solution_within")
    compliance = [(str(_l("Första svar")), responded, in_time, percent(in_time, responded)),
                  (str(_l("Lösning")), closed, closed_in_time, percent(closed_in_time, closed))
                  ] if responded or closed else []
    return [
        Table("sla_compliance", _l("Inom SLA"),
              [Column("clock", _l("Klocka")), Column("cases", _l("Ärenden"), "int"),
               Column("within", _l("Inom SLA"), "int"), Column("share", _l("Andel inom SLA"), "percent")],
              compliance, chart="bar",
              note=_l("Ärenden som förvaltningen tagit emot under perioden. Första svar: svaret kom före "
                      "tidsgränsen som gällde då. Lösning: ärendet avslutades före sin tidsgräns. Tidsgränserna "
                      "räknas i förvaltningens öppettider på svenska arbetsdagar, utan tid som ärendet väntat "
                      "på invånaren.")),
        overdue_now(query),
    ]


def overdue_now(query):
    """Open cases past a deadline now, per förvaltning (whenever they came in).  Grouped by
    status too, in the order of ``ix_cases_open_deadlines``, so that SQLite reads that
    index instead of scanning the queue's, which is ordered by förvaltning."""
    now = utcnow()
    late = and_(Case.status.in_(OPEN_STATUSES),
                (Case.response_due_at <= now) | (Case.solution_due_at <= now))
    overdue = Counter()
    for _status, department_id, count in db.session.execute(
            select(Case.status, Case.department_id, func.count()).where(late, *filters(query))
            .group_by(Case.status, Case.department_id)):
        overdue[department_id] += count
    rows = sorted(overdue.items(), key=lambda row: -row[1])
    names = department_names([row[0] for row in rows])
    return Table("sla_overdue_now", _l("Försenade ärenden just nu"),
                 [Column("department", _l("Förvaltning")), Column("overdue", _l("Försenade"), "int")],
                 [(names[department], count) for department, count in rows], chart="bar",
                 note=_l("Öppna ärenden vars svar eller lösning är försenad nu, oavsett när de kom in."))


# --- 4. handling time ------------------------------------------------------------------------
def handling_times(query):
    """{"department_id" | "question_type": [(value, cases, median, 90th percentile)]} of
    the closed cases' calendar days, by nearest rank, from one histogram per förvaltning
    and type: the daily durations' (or, filtered by channel or language, which they do not
    keep, the one the database counts of the cases)."""
    if query.channel or query.lang:
        days = rollup.handling_days(Case.created_at, Case.closed_at)
        keys = (Case.department_id, Case.question_type)
        statement = select(*keys, days, func.count(Case.id)).where(Case.closed_at.is_not(None), *conditions(query))
    else:
        days, keys = CaseDuration.days, (CaseDuration.department_id, CaseDuration.question_type)
        rollup.refresh()
        statement = select(*keys, days, func.sum(CaseDuration.cases)).where(
            rollup.counted(query, CaseDuration), *filters(query, CaseDuration))
    histograms = {"department_id": {}, "question_type": {}}
    for department_id, question_type, day_count, count in db.session.execute(statement.group_by(*keys, days)):
        for key, value in (("department_id", department_id), ("question_type", question_type)):
            histogram = histograms[key].setdefault(value, Counter())
            histogram[round(float(day_count), 1)] += count
    return {key: [(value, sum(counts.values()), nearest_rank(sorted(counts.items()), 0.5),
                   nearest_rank(sorted(counts.items()), 0.9)) for value, counts in sorted(by_value.items())]
            for key, by_value in histograms.items()}


def nearest_rank(histogram, fraction):
    """The value at rank ceil(fraction × n) of a sorted histogram [(value, count)]."""
    wanted, seen = math.ceil(fraction * sum(count for _value, count in histogram)), 0
    for value, count in histogram:
        seen += count
        if seen >= wanted:
            return value


def handling_time_tables(query):
    columns = [Column("cases", _l("Avslutade ärenden"), "int"), Column("median", _l("Median"), "days"),
               Column("p90", _l("90:e percentilen"), "days")]
    note = _l("Kalenderdagar från att ärendet kom in till att det avslutades, för ärenden som kom in under "
              "perioden och är avslutade. 90:e percentilen: nio av tio ärenden var klara inom så många dagar. "
              "Tiderna är avrundade till tiondels dag under en dag, halv dag under fem dagar, hel dag under "
              "sextio dagar och därefter till tio dagar.")
    times = handling_times(query)
    by_department = times["department_id"]
    names = department_names([row[0] for row in by_department])
    return [
        Table("handling_time_by_department", _l("Handläggningstid per förvaltning"),
              [Column("department", _l("Förvaltning")), *columns],
              [(names[row[0]], *row[1:]) for row in by_department], chart="bar", note=note),
        Table("handling_time_by_type", _l("Handläggningstid per typ"), [Column("type", _l("Typ")), *columns],
              by_type(times["question_type"]), chart="bar",
              note=note),
    ]


# --- 5. KKiK: e-mail --------------------------------------------------------------------------
def kkik_email(cells):
    emails = [cell for cell in cells if cell.channel == Channel.EMAIL]
    count, answered = total(emails, "cases"), total(emails, "answered")
    rows = [(count, percent(total(emails, "answered_1"), count), percent(total(emails, "answered_2"), count),
             round(total(emails, "answered_hours") / answered, 1) if answered else None)] if count else []
    return Table("kkik_email", _l("E-post (KKiK)"),
                 [Column("emails", _l("E-post"), "int"), Column("within_1", _l("Besvarad inom 1 arbetsdag"), "percent"),
                  Column("within_2", _l("Besvarad inom 2 arbetsdagar"), "percent"),
                  Column("mean_hours", _l("Svarstid i medel"), "hours")], rows,
                 note=_l("E-post till kommunen under perioden. Besvarad: det första svaret (eller avslut, när "
                         "kontaktcentret svarade direkt). Inom en arbetsdag: svaret kom senast nästa arbetsdag, "
                         "oavsett klockslag. Svarstiden räknas i kalendertimmar, som i KKiK."))


# --- 6. reopened and referred -----------------------------------------------------------------
def reopen_rate(cells):
    solved, again = total(cells, "solved"), total(cells, "reopened")
    return Table("reopen_rate", _l("Öppnade igen"),
                 [Column("solved", _l("Lösta ärenden"), "int"), Column("reopened", _l("Öppnade igen"), "int"),
                  Column("share", _l("Andel öppnade igen"), "percent")],
                 [(solved, again, percent(again, solved))] if solved else [],
                 note=_l("Ärenden som kom in under perioden och har lösts, och hur många av dem invånaren "
                         "öppnade igen."))


def referred_to(cells):
    referred = [(authority, total(group, "referred"))
                for authority, group in grouped(cells, attrgetter("referred_to")).items() if authority]
    rows = sorted(((authority, count) for authority, count in referred if count), key=lambda row: (-row[1], row[0]))
    contacts = total([cell for cell in cells if cell.is_logged], "cases")
    return Table("referred_to", _l("Hänvisade till andra myndigheter"),
                 [Column("authority", _l("Myndighet")), Column("cases", _l("Kontakter"), "int"),
                  Column("share", _l("Andel av loggade kontakter"), "percent")],
                 [(authority, count, percent(count, contacts)) for authority, count in rows], chart="bar",
                 note=_l("Kontakter som kontaktcentret hänvisade till en annan myndighet, per myndighet, "
                         "som andel av alla kontakter kontaktcentret loggat."))


# --- 7. channel shift ---------------------------------------------------------------------------
def channel_shift(query):
    """The e-services' question types, month by month: through the form or through an agent."""
    bucket, starts = bucket_of(query, granularity="month")
    through_form = sql_case((CaseDay.kind == rollup.Kind.ESERVICE, CaseDay.cases), else_=0)
    counted = {n: (form, cases - form) for n, form, cases in db.session.execute(
        select(bucket, func.sum(through_form), func.sum(CaseDay.cases))
        .where(CaseDay.question_type.like("eservice:%"), *counted_days(query)).group_by(bucket))}
    rows = [(day, *counted.get(n, (0, 0)), percent(counted.get(n, (0, 0))[0], sum(counted.get(n, (0, 0)))))
            for n, day in enumerate(starts)] if counted else []
    return Table("channel_shift", _l("Kanalförflyttning"),
                 [Column("month", _l("Månad"), "date"), Column("eservice", _l("Via e-tjänst"), "int"),
                  Column("agent", _l("Via kontaktcentret"), "int"),
                  Column("share", _l("Andel via e-tjänst"), "percent")], rows, chart="line",
                 note=_l("Frågetyper som har en e-tjänst: hur många kom in genom e-tjänsten och hur många "
                         "genom en kontakt med kontaktcentret, månad för månad."))


# --- 8. the cost-allocation key --------------------------------------------------------------
DEFAULT_BASE_PERCENT = 50


class KeyIncomplete(ValueError):
    """The key cannot be computed: ``missing`` names the förvaltningar without an
    employee count (empty when the period has no handled cases)."""

    def __init__(self, missing):
        super().__init__(", ".join(missing))
        self.missing = missing


@dataclass(frozen=True)
class Budget:
    yearly: float          # SEK
    base_percent: float    # 0–100: the part shared by employees


def handled_cases(query):
    """Cases closed in the period per förvaltning id: the service part's measure.  The
    contact centre's own cases (the contacts its agents solved or referred) count for
    the förvaltning whose question it was: the e-service's, or the one that owns the
    topic; only a question nobody owns stays with the contact centre."""
    everyone = replace(query, department_ids=None)
    rows = db.session.execute(select(Case.department_id, Case.question_type, func.count(Case.id))
                              .where(*conditions(everyone, moment=Case.closed_at))
                              .group_by(Case.department_id, Case.question_type)).all()
    centre, owners = contact_centre_department(), question_owners()
    handled = Counter()
    for department_id, question_type, count in rows:
        if centre is not None and department_id == centre.id:
            department_id = owners.get(question_type, department_id)
        handled[department_id] += count
    return handled


def question_owners():
    """{question type: id of the förvaltning it belongs to}: an e-service's owner, a
    topic's (``portal.search.topic_owners``: whose articles the topic mostly holds)."""
    ids = {department.code: department.id for department in db.session.scalars(select(Department))}
    codes = {f"topic:{slug}": code for slug, code in search.topic_owners().items()}
    codes.update({f"eservice:{service.code}": service.department for service in registry.services().values()})
    return {question_type: ids[code] for question_type, code in codes.items() if code in ids}


def cost_allocation(query, budget):
    """Each förvaltning's share of the yearly budget: ``base %`` by its share of the
    employees, the rest by its share of the cases handled in the period.  Refuses
    (``KeyIncomplete``) while a förvaltning has no employee count."""
    departments = db.session.scalars(select(Department).order_by(Department.code)).all()
    if query.department_ids is not None:
        departments = [d for d in departments if d.id in query.department_ids]
    missing = [d.name_in() for d in departments if d.employees is None]
    if missing:
        raise KeyIncomplete(missing)
    cases = handled_cases(query)
    employees_total = sum(d.employees for d in departments)
    cases_total = sum(cases.get(d.id, 0) for d in departments)
    base = budget.base_percent / 100.0
    rows = []
    for department in departments:
        base_part = budget.yearly * base * (department.employees / employees_total if employees_total else 0)
        service_part = budget.yearly * (1 - base) * (cases.get(department.id, 0) / cases_total if cases_total else 0)
        total = base_part + service_part
        rows.append((department.name_in(), department.employees, cases.get(department.id, 0), round(base_part),
                     round(service_part), round(total), percent(total, budget.yearly)))
    return Table("cost_allocation", _l("Fördelningsnyckel"),
                 [Column("department", _l("Förvaltning")), Column("employees", _l("Anställda"), "int"),
                  Column("cases", _l("Handlagda ärenden"), "int"), Column("base", _l("Basdel"), "money"),
                  Column("service", _l("Tjänstedel"), "money"), Column("total", _l("Totalt"), "money"),
                  Column("share", _l("Andel"), "percent")], rows, chart="bar",
                 note=_l("Årsbudgeten fördelas till %(base)s %% efter förvaltningens andel av de anställda "
                         "(basdel) och resten efter dess andel av ärendena som avslutades under perioden "
                         "(tjänstedel). Kontakter som kontaktcentret löste själv räknas för förvaltningen som "
                         "frågan gällde: e-tjänstens eller ämnets. Beloppen är avrundade till hela kronor.",
                         base=_number(budget.base_percent)))


def _number(value):
    return int(value) if float(value).is_integer() else value
