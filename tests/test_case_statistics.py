"""The case figures of the statistics (``eservices/statistics.py``) and the cost-allocation
key, each computed from a hand-made set of cases whose answer is worked out here by hand.

The period is May 2025 in weeks.  1 May (Thursday) and Kristi himmelsfärd (29 May,
Thursday) are holidays.  Tekniska förvaltningen (TF) and Socialförvaltningen (SOF):

=====  ====  =======  ========  ======================  ===================================
case   dept  channel  by        type                    what happened
=====  ====  =======  ========  ======================  ===================================
C1     TF    phone    agent     topic:bygga             solved at first contact, 5 May
C2     TF    phone    agent     topic:bygga             solved at first contact, 12 May
C3     TF    phone    agent     topic:bygga             solved 7 → 9 May (2 days)
C4     SOF   visit    agent     topic:omsorg-och-stod   referred to Försäkringskassan, 13 May
C5     TF    phone    agent     eservice:felanmalan     forwarded 14 May, open, late
E1     TF    e-mail   mail      topic:bygga             Fri 2 May 10.00 → Mon 5 May 15.00 (77 h)
E2     TF    e-mail   mail      topic:bygga             Thu 1 May 09.00 → Mon 5 May 09.00 (96 h)
E3     TF    e-mail   mail      topic:bygga             Tue 6 May 10.00 → Thu 8 May 10.00 (48 h)
E4     TF    e-mail   mail      topic:bygga             Wed 28 May 10.00 → Fri 30 May 09.00 (47 h)
S1     SOF   web      form      eservice:felanmalan     answered and solved in time, 5 → 7 May
S2     SOF   web      form      eservice:felanmalan     answered and solved late, 6 → 20 May, reopened once
S3     SOF   web      form      eservice:felanmalan     20 May, open, late
=====  ====  =======  ========  ======================  ===================================
"""
import os
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select, text

from eservices import statistics
from eservices.casework import OFFICER_ACTIONS
from eservices.demo_cases import REPORTS, _report
from eservices.models import Case, CaseEvent, CaseStatus, Channel, Outcome
from portal.auth.models import User
from portal.extensions import db
from portal.org.models import Department
from portal.search.models import SearchLogEntry
from portal.i18n import force_language
from portal.stats import StatsQuery, sections, table
from tests.conftest import make_app, post_form

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MAY = StatsQuery(start=date(2025, 5, 1), end=date(2025, 5, 31), granularity="week")


def sthlm(*wall_clock):
    return datetime(*wall_clock, tzinfo=STOCKHOLM).astimezone(timezone.utc).replace(tzinfo=None)


def department(code):
    return db.session.scalar(select(Department).where(Department.code == code))


def add_case(number, code, created, channel=Channel.PHONE, by_agent=True, service=None, kind="topic:bygga",
             lang="sv", status=CaseStatus.CLOSED, outcome=Outcome.SOLVED, closed=None, **columns):
    agent = db.session.scalar(select(User).where(User.username == "agent"))
    case = Case(reference=f"T-{number}", title="Ärende", lang=lang, tracking_token=f"token-{number}",
                department_id=department(code).id, channel=channel, created_at=created,
                created_by_id=agent.id if by_agent else None, service_code=service, question_type=kind,
                status=status, outcome=outcome, closed_at=closed, **columns)
    db.session.add(case)
    return case


@pytest.fixture
def cases(app):
    with app.app_context():
        add_may_cases()
    return app


def add_may_cases():
    """The cases of the table above."""
    at = sthlm
    add_case("C1", "TF", at(2025, 5, 5, 9), outcome=Outcome.FIRST_CONTACT, closed=at(2025, 5, 5, 9),
             rosa_level=1)
    add_case("C2", "TF", at(2025, 5, 12, 9), outcome=Outcome.FIRST_CONTACT, closed=at(2025, 5, 12, 9),
             rosa_level=1)
    add_case("C3", "TF", at(2025, 5, 7, 10), closed=at(2025, 5, 9, 10), rosa_level=2)
    add_case("C4", "SOF", at(2025, 5, 13, 10), channel=Channel.VISIT, kind="topic:omsorg-och-stod", lang="en",
             outcome=Outcome.REFERRED, referred_to="forsakringskassan", closed=at(2025, 5, 13, 10), rosa_level=1)
    add_case("C5", "TF", at(2025, 5, 14, 10), kind="eservice:felanmalan", status=CaseStatus.FORWARDED,
             outcome=None, clock_started_at=at(2025, 5, 14, 10), response_due_at=at(2025, 5, 15, 10))
    for number, received, answered in (("E1", at(2025, 5, 2, 10), at(2025, 5, 5, 15)),
                                       ("E2", at(2025, 5, 1, 9), at(2025, 5, 5, 9)),
                                       ("E3", at(2025, 5, 6, 10), at(2025, 5, 8, 10)),
                                       ("E4", at(2025, 5, 28, 10), at(2025, 5, 30, 9))):
        add_case(number, "TF", received, channel=Channel.EMAIL, by_agent=False, first_response_at=answered,
                 closed=answered)
    form = {"channel": Channel.WEB, "by_agent": False, "service": "felanmalan", "kind": "eservice:felanmalan"}
    add_case("S1", "SOF", at(2025, 5, 5, 10), clock_started_at=at(2025, 5, 5, 10),
             first_response_at=at(2025, 5, 5, 11), first_response_due_at=at(2025, 5, 6, 10),
             solution_due_at=at(2025, 5, 9, 17), closed=at(2025, 5, 7, 10), rosa_level=3, **form)
    late = add_case("S2", "SOF", at(2025, 5, 6, 10), clock_started_at=at(2025, 5, 6, 10),
                    first_response_at=at(2025, 5, 8, 10), first_response_due_at=at(2025, 5, 7, 10),
                    solution_due_at=at(2025, 5, 12, 17), closed=at(2025, 5, 20, 10), rosa_level=3, **form)
    add_case("S3", "SOF", at(2025, 5, 20, 10), status=CaseStatus.OPEN, outcome=None,
             clock_started_at=at(2025, 5, 20, 10), response_due_at=at(2025, 5, 21, 10),
             solution_due_at=at(2025, 5, 27, 17), rosa_level=3, **form)
    db.session.flush()
    db.session.add(CaseEvent(case_id=late.id, kind="reopened", created_at=at(2025, 5, 15, 10)))
    db.session.commit()


def figure(app, key, query=MAY):
    with app.app_context():
        return table(query, key).rows


def narrowed(**changes):
    return StatsQuery(**{**MAY.__dict__, **changes})


# Each figure of May, worked out by hand from the table above.
EXPECTED = {
    "volume_by_channel": [("E-post", 4, 0, 4), ("Telefon", 4, 0, 4), ("Webb", 0, 3, 3), ("Besök", 1, 0, 1)],
    "volume_by_department": [("Tekniska förvaltningen", 8, 0, 8), ("Socialförvaltningen", 1, 3, 4)],
    # By name: a topic's, an e-service's title; a type no longer known by its key.
    "volume_by_type": [("topic:bygga", 7, 0, 7), ("Felanmälan", 1, 3, 4), ("Omsorg och stöd", 1, 0, 1)],
    "volume_by_rosa": [("-", 5, 0, 5), ("1", 3, 0, 3), ("3", 0, 3, 3), ("2", 1, 0, 1)],
    # Weeks from Monday; the first is the period's start, Thursday 1 May.
    "volume_over_time": [(date(2025, 5, 1), 2, 0, 2), (date(2025, 5, 5), 3, 2, 5), (date(2025, 5, 12), 3, 0, 3),
                         (date(2025, 5, 19), 0, 1, 1), (date(2025, 5, 26), 1, 0, 1)],
    # C1–C5 are the logged contacts; C1 and C2 were solved at once.
    "fcr": [(5, 2, 40.0)],
    "fcr_by_type": [("Felanmälan", 1, 0, 0.0), ("topic:bygga", 3, 2, 66.7), ("Omsorg och stöd", 1, 0, 0.0)],
    "fcr_over_time": [(date(2025, 5, 1), 0, 0, None), (date(2025, 5, 5), 2, 1, 50.0),
                      (date(2025, 5, 12), 3, 1, 33.3), (date(2025, 5, 19), 0, 0, None),
                      (date(2025, 5, 26), 0, 0, None)],
    # S1 in time, S2 late, S3 still open.
    "sla_compliance": [("Första svar", 2, 1, 50.0), ("Lösning", 2, 1, 50.0)],
    # TF: 0, 0, 1.96, 2, 2, 3.21, 4 days; SOF: 0, 2, 14 (nearest rank).
    "handling_time_by_department": [("Tekniska förvaltningen", 7, 2.0, 4.0), ("Socialförvaltningen", 3, 2.0, 14.0)],
    "handling_time_by_type": [("Felanmälan", 2, 2.0, 14.0), ("topic:bygga", 7, 2.0, 4.0),
                              ("Omsorg och stöd", 1, 0.0, 0.0)],
    # E1 (Friday → Monday) and E4 (the day before Kristi himmelsfärd → Friday) within 1;
    # E2 (on 1 May → Monday) and E3 (Tuesday → Thursday) within 2; (77 + 96 + 48 + 47) / 4 hours.
    "kkik_email": [(4, 50.0, 100.0, 67.0)],
    # Ten cases solved (C1–C4, E1–E4, S1, S2), S2 reopened; C4 of the five logged contacts referred.
    "reopen_rate": [(10, 1, 10.0)],
    "referred_to": [("forsakringskassan", 1, 20.0)],
    # felanmälan: S1–S3 through the form, C5 through an agent.
    "channel_shift": [(date(2025, 5, 1), 3, 1, 75.0)],
}


@pytest.mark.parametrize("key", EXPECTED)
def test_each_figure_of_the_hand_made_cases(cases, key):
    assert figure(cases, key) == EXPECTED[key]


def test_what_is_overdue_now_per_förvaltning(cases):
    assert sorted(figure(cases, "sla_overdue_now")) == [("Socialförvaltningen", 1), ("Tekniska förvaltningen", 1)]


def test_months_and_the_target_band(cases):
    assert figure(cases, "volume_over_time", narrowed(granularity="month")) == [(date(2025, 5, 1), 9, 3, 12)]
    with cases.app_context():
        assert table(MAY, "fcr").target == table(MAY, "fcr_by_type").target == (70.0, 80.0)


@pytest.mark.parametrize("changes, totals", [
    ({"channel": Channel.EMAIL.value}, [("Tekniska förvaltningen", 4, 0, 4)]),
    ({"case_type": "topic:omsorg-och-stod"}, [("Socialförvaltningen", 1, 0, 1)]),
    ({"lang": "en"}, [("Socialförvaltningen", 1, 0, 1)]),
])
def test_filters_change_the_answer(cases, changes, totals):
    assert figure(cases, "volume_by_department", narrowed(**changes)) == totals


def test_an_officer_s_query_sees_only_their_förvaltning(cases):
    with cases.app_context():
        only_sof = narrowed(department_ids=frozenset({department("SOF").id}))
    assert figure(cases, "volume_by_department", only_sof) == [("Socialförvaltningen", 1, 3, 4)]
    assert figure(cases, "fcr", only_sof) == [(1, 0, 0.0)]
    assert figure(cases, "sla_overdue_now", only_sof) == [("Socialförvaltningen", 1)]
    assert figure(cases, "kkik_email", only_sof) == []


def test_an_empty_period_gives_empty_tables(cases):
    empty = StatsQuery(start=date(2024, 1, 1), end=date(2024, 1, 31), granularity="day")
    with cases.app_context():
        for section in statistics.case_section(empty), :
            for found in section.tables:
                if found.key != "sla_overdue_now":   # that is now, whatever the period
                    assert found.rows == [], found.key


def every_row(query):
    return [(found.key, found.rows) for section in sections(query) for found in section.tables]


def test_the_sections_side_by_side_give_the_figures_of_one_after_the_other_in_the_page_s_language(cases):
    """The providers run in threads of their own, each in a new request made from this
    one's; the language forced here (as for a report in English) is theirs too."""
    with cases.test_request_context("/"), force_language("en"):
        side_by_side = every_row(MAY)
        cases.config["PORTAL_STATS_THREADS"] = 1
        one_after_the_other = every_row(MAY)
    assert side_by_side == one_after_the_other
    assert ("volume_by_channel", [("Email", 4, 0, 4), ("Phone", 4, 0, 4), ("Web", 0, 3, 3), ("Visit", 1, 0, 1)]
            ) in side_by_side


# --- the daily counts the figures are read from (``eservices/rollup.py``) ------------------------
def by_reference(number):
    return db.session.scalar(select(Case).where(Case.reference == f"T-{number}"))


def test_a_change_to_a_case_shows_in_the_next_figures(cases):
    assert figure(cases, "fcr") == [(5, 2, 40.0)]
    with cases.app_context():
        by_reference("C3").outcome = Outcome.FIRST_CONTACT      # C3 was solved at once after all
        by_reference("C5").channel = Channel.CHAT
        db.session.delete(by_reference("E4"))
        db.session.commit()
    assert figure(cases, "fcr") == [(5, 3, 60.0)]
    assert figure(cases, "volume_by_channel") == [
        ("E-post", 3, 0, 3), ("Telefon", 3, 0, 3), ("Webb", 0, 3, 3), ("Besök", 1, 0, 1), ("Chatt", 1, 0, 1)]


def test_a_finished_month_is_read_from_its_sums_which_a_change_renews(cases):
    from eservices.rollup import CaseDay, Span

    by_month = narrowed(granularity="month")
    assert figure(cases, "fcr", by_month) == [(5, 2, 40.0)]
    assert figure(cases, "handling_time_by_type", by_month) == EXPECTED["handling_time_by_type"]
    with cases.app_context():
        assert db.session.scalar(select(func.sum(CaseDay.cases)).where(CaseDay.span == Span.MONTH)) == 12
        by_reference("C3").outcome = Outcome.FIRST_CONTACT
        db.session.commit()
    assert figure(cases, "fcr", by_month) == [(5, 3, 60.0)]
    assert figure(cases, "fcr") == [(5, 3, 60.0)]          # by week: from the days


def test_a_case_s_day_is_its_local_day(cases):
    # 00.30 on 1 June in Stockholm is 31 May in UTC: June's, not May's.
    with cases.app_context():
        add_case("L1", "TF", sthlm(2025, 6, 1, 0, 30))
        db.session.commit()
    assert figure(cases, "volume_over_time", narrowed(granularity="month")) == [(date(2025, 5, 1), 9, 3, 12)]
    june = StatsQuery(start=date(2025, 6, 1), end=date(2025, 6, 30), granularity="month")
    assert figure(cases, "volume_over_time", june) == [(date(2025, 6, 1), 1, 0, 1)]


def test_cases_written_around_the_orm_are_counted(cases):
    """Bulk writes (an import, the benchmarks) bypass the session: an empty roll-up counts
    every day again, and ``rebuild`` does it on request."""
    from eservices import rollup

    with cases.app_context():
        db.session.execute(rollup.CaseDay.__table__.delete())
        db.session.execute(rollup.CaseDayPending.__table__.delete())
        db.session.commit()
    assert figure(cases, "fcr") == [(5, 2, 40.0)]
    with cases.app_context():
        db.session.execute(Case.__table__.update().where(Case.reference == "T-C3").values(outcome="first_contact"))
        db.session.commit()
        assert table(MAY, "fcr").rows == [(5, 2, 40.0)]      # not seen: nothing marked the day
        assert rollup.rebuild() > 0
        assert table(MAY, "fcr").rows == [(5, 3, 60.0)]


# --- the cost-allocation key ----------------------------------------------------------------
def both(app):
    return narrowed(department_ids=frozenset({department("TF").id, department("SOF").id}))


def test_cost_allocation_splits_the_budget_by_employees_and_handled_cases(cases):
    # 1 000 000 kr, 50 % base: TF 100 of 400 employees and 7 of 10 cases closed in May,
    # SOF 300 employees and 3 cases: TF 125 000 + 350 000, SOF 375 000 + 150 000.
    with cases.app_context():
        department("TF").employees, department("SOF").employees = 100, 300
        result = statistics.cost_allocation(both(cases), statistics.Budget(1_000_000, 50))
    assert result.rows == [("Socialförvaltningen", 300, 3, 375000, 150000, 525000, 52.5),
                           ("Tekniska förvaltningen", 100, 7, 125000, 350000, 475000, 47.5)]


def test_the_contact_centre_s_own_cases_count_for_the_förvaltning_whose_question_it_was(cases):
    # The agents (Kommunledningsförvaltningen) solved K1, a question on omsorg och stöd, whose
    # articles are Socialförvaltningen's: SOF handled 4 of 11, TF 7 of 11. K2's type is
    # nobody's: it stays with the contact centre, outside these two.
    with cases.app_context():
        add_case("K1", "KLF", sthlm(2025, 5, 8, 10), kind="topic:omsorg-och-stod", outcome=Outcome.FIRST_CONTACT,
                 closed=sthlm(2025, 5, 8, 10))
        add_case("K2", "KLF", sthlm(2025, 5, 8, 11), kind="topic:finns-inte", outcome=Outcome.FIRST_CONTACT,
                 closed=sthlm(2025, 5, 8, 11))
        department("TF").employees, department("SOF").employees = 100, 300
        result = statistics.cost_allocation(both(cases), statistics.Budget(1_000_000, 50))
    assert result.rows == [("Socialförvaltningen", 300, 4, 375000, 181818, 556818, 55.7),
                           ("Tekniska förvaltningen", 100, 7, 125000, 318182, 443182, 44.3)]


def test_cost_allocation_refuses_while_a_förvaltning_has_no_employee_count(cases):
    with cases.app_context():
        department("TF").employees, department("SOF").employees = 100, None
        with pytest.raises(statistics.KeyIncomplete) as refused:
            statistics.cost_allocation(both(cases), statistics.Budget(1_000_000, 50))
    assert refused.value.missing == ["Socialförvaltningen"]


# --- PostgreSQL ---------------------------------------------------------------------------------
@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("PORTAL_TEST_DATABASE_URL"), reason="PORTAL_TEST_DATABASE_URL is not set")
def test_the_same_figures_on_postgresql(tmp_path, postgres_url):
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=postgres_url)
    with app.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["init", "--demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        add_may_cases()
        assert db.session.get_bind().dialect.name == "postgresql"
    for key, rows in EXPECTED.items():
        assert figure(app, key) == rows, key
    with app.app_context():
        db.session.add_all(SearchLogEntry(scope="public", lang="sv", query="bygglov", query_key="bygglov", hits=2,
                                          created_at=sthlm(2025, 5, 9, 12)) for _ in range(3))
        db.session.commit()
    for _ in range(2):     # a finished month is summed once, however often it is read
        assert figure(app, "volume_over_time", narrowed(granularity="month")) == [(date(2025, 5, 1), 9, 3, 12)]
        assert figure(app, "search_top", narrowed(granularity="month")) == [("bygglov", 3, 0.0)]
    with app.app_context():
        department("TF").employees, department("SOF").employees = 100, 300
        allocation = statistics.cost_allocation(both(app), statistics.Budget(1_000_000, 50))
    assert [row[-1] for row in allocation.rows] == [52.5, 47.5]


# --- SLA across a holiday, through the officers' own actions ------------------------------------
def test_first_response_within_sla_across_kristi_himmelsfärd(app):
    """Two fault reports on Wednesday 28 May 2025 at 16.00: a working day of 08–17 runs to
    Friday 16.00, Thursday being a holiday.  One is taken at 15.00, the other at 16.30."""
    with app.app_context():
        officer = db.session.scalar(select(User).where(User.username == "officer"))
        with time_machine.travel(datetime(2025, 5, 28, 16, tzinfo=STOCKHOLM), tick=False):
            in_time, late = _report(REPORTS["late"]), _report(REPORTS["soon"])
        for case, taken_at in ((in_time, (2025, 5, 30, 15)), (late, (2025, 5, 30, 16, 30))):
            with time_machine.travel(datetime(*taken_at, tzinfo=STOCKHOLM), tick=False):
                OFFICER_ACTIONS["take"].execute(case, officer)
        assert in_time.first_response_due_at == sthlm(2025, 5, 30, 16)
        assert table(MAY, "sla_compliance").rows == [("Första svar", 2, 1, 50.0), ("Lösning", 0, 0, None)]


# --- the manager's pages ------------------------------------------------------------------------
def test_the_demo_förvaltningar_have_employees(app):
    with app.app_context():
        assert sum(d.employees for d in db.session.scalars(select(Department))) == 3430


def test_the_employee_count_form_refuses_what_is_not_a_whole_number(cases, login_as):
    client = login_as("manager")
    with cases.app_context():
        ids = {code: department(code).id for code in ("TF", "SOF")}
        everyone = {f"department_{d.id}": "10" for d in db.session.scalars(select(Department))}
    for bad, message in (("-3", "Skriv antalet anställda som ett heltal"), ("12,5", "Skriv antalet anställda"),
                         ("", "Skriv hur många som arbetar på Tekniska förvaltningen.")):
        page = post_form(client, "/sv/statistik/anstallda", {**everyone, f"department_{ids['TF']}": bad})
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and message in html and f'href="#department_{ids["TF"]}"' in html
        assert f'value="{bad}"' in html or not bad   # what was typed stays
    page = post_form(client, "/sv/statistik/anstallda", {**everyone, f"department_{ids['TF']}": "1 200"})
    assert page.status_code == 302
    with cases.app_context():
        assert department("TF").employees == 1200 and department("SOF").employees == 10


def cost_page(client, **fields):
    return client.get("/sv/statistik/fordelningsnyckel", query_string=fields).get_data(as_text=True)


def test_the_cost_allocation_page_messages_at_the_field(cases, login_as):
    client = login_as("manager")
    html = cost_page(client, start="2025-05-31", end="2025-05-01", budget="en miljon", base="120")
    assert "Sista dagen kan inte vara före den första." in html
    assert "Skriv årsbudgeten i kronor som ett tal" in html
    assert "Skriv basdelen i procent som ett tal från 0 till 100." in html
    assert "Årsbudgeten kan inte vara negativ." in cost_page(client, start="2025-05-01", end="2025-05-31",
                                                             budget="-1", base="50")
    assert "Perioden kan inte börja i framtiden." in cost_page(client, start="2999-01-01", end="2999-01-31",
                                                               budget="1", base="50")


def test_the_cost_allocation_page_names_a_förvaltning_without_employees(cases, login_as):
    client = login_as("manager")
    with cases.app_context():
        department("MHF").employees = None
        db.session.commit()
    html = cost_page(client, start="2025-05-01", end="2025-05-31", budget="1000000", base="50")
    assert "Antalet anställda saknas för:" in html and "<li>Miljö- och hälsoskyddsförvaltningen</li>" in html
    assert "<table" not in html


def test_the_cost_allocation_table_and_its_csv(cases, login_as):
    client = login_as("manager")
    fields = {"start": "2025-05-01", "end": "2025-05-31", "budget": "3 430 000", "base": "100"}
    html = cost_page(client, **fields)
    # 100 % base: each förvaltning gets 1 000 kr per employee.
    assert "<th scope=\"row\">Tekniska förvaltningen</th>" in html and "210\u00a0000" in html
    csv = client.get("/sv/statistik/fordelningsnyckel", query_string={**fields, "format": "csv"})
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "Förvaltning;Anställda;Handlagda ärenden;Basdel;Tjänstedel;Totalt;Andel"
    assert "Tekniska förvaltningen;210;7;210000;0;210000;6.1" in lines


def test_demo_history_fills_thirteen_months_once_without_personal_data(app, runner):
    assert runner.invoke(args=["demo-cases"]).exit_code == 0
    years = StatsQuery(start=date.today() - timedelta(days=800), end=date.today(), granularity="month")
    with app.app_context():       # the daily counts hold the demo week before the history comes
        assert sum(row[3] for row in table(years, "volume_by_channel").rows) == 7
    made = runner.invoke(args=["demo-history"]).output
    assert made.startswith("Made ") and "historic demo cases" in made
    assert runner.invoke(args=["demo-history"]).output == "The database has history already: nothing made.\n"
    with app.app_context():
        cases = db.session.scalars(select(Case).where(Case.id > 7)).all()   # after the demo week's seven
        assert len(cases) > 5000 and all(not case.status.is_open for case in cases)
        assert not any(case.contact_name or case.contact_email or case.contact_phone or case.summary for case in cases)
        months = {(case.created_at.year, case.created_at.month) for case in cases}
        assert len(months) in (12, 13)    # the current month's last week is the demo week's
        query = StatsQuery(start=min(c.created_at for c in cases).date(), end=date.today(), granularity="month")
        assert all(share is not None for *_rest, share in table(query, "channel_shift").rows[1:-1])
        # Written in bulk, around the session: still counted.
        assert sum(row[3] for row in table(years, "volume_by_channel").rows) == len(cases) + 7
