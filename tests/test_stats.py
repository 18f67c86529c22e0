"""The statistics shell (portal/stats): the seam with fake providers whose figures
are known, the permission rule, the filter form, charts, exports, API and report."""
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from portal import stats
from portal.mail.models import MailAttachment
from portal.stats import Column, Section, StatsQuery, Table, charts
from portal.stats.bounds import days_around
from portal.stats.forms import last_full_month
from tests.conftest import copy_of_demo

SEEN = []


def fake_provider(query):
    """Two known tables; remembers the query it was asked."""
    SEEN.append(query)
    by_type = Table("sample_share_by_type", "Lösta vid första kontakt", [
        Column("type", "Typ"), Column("share", "Andel", "percent"), Column("count", "Antal", "int")],
        rows=[("Bygglov <b>", 75.0, 12), ("Parkering", 50.0, 4)], chart="bar", note="Mål 70–80 %")
    series = Table("contacts_by_day", "Kontakter per dag", [
        Column("day", "Dag", "date"), Column("contacts", "Kontakter", "int")],
        rows=[(date(2026, 11, 1), 3), (date(2026, 11, 2), 5)], chart="line")
    secret = Table("internal_costs", "Intern kostnad", [Column("k", "Förvaltning"), Column("v", "Kr", "money")],
                   rows=[("TF", 1000)], public=False)
    return Section("fake", "Fejkade siffror", [by_type, series, secret])


@pytest.fixture
def app(demo_template, tmp_path, smtp):
    app = copy_of_demo(demo_template, tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    stats.register_statistics(app, "fake", fake_provider)
    SEEN.clear()
    return app


def login(client, username):
    from tests.conftest import post_form
    assert post_form(client, "/sv/logga-in", {"username": username, "password": "kontaktcenter-demo"}).status_code == 302


def test_manager_sees_the_tables_of_the_last_full_month(client):
    login(client, "manager")
    html = client.get("/sv/statistik").get_data(as_text=True)
    start, end = last_full_month(date.today())
    assert SEEN[-1].start == start and SEEN[-1].end == end and SEEN[-1].department_ids is None
    assert "<caption>Lösta vid första kontakt</caption>" in html
    assert "Bygglov &lt;b&gt;" in html and "<b>" not in html.split("Bygglov")[1][:10]
    assert "75,0 %" in html
    assert 'role="img"' in html


def test_officer_sees_only_own_department_and_is_refused_another(client, app):
    from portal.org.models import Department
    login(client, "officer")
    assert client.get("/sv/statistik").status_code == 200
    with app.app_context():
        tf = Department.query.filter_by(code="TF").one().id
        sof = Department.query.filter_by(code="SOF").one().id
    assert SEEN[-1].department_ids == frozenset({tf})
    assert client.get(f"/sv/statistik?department={sof}").status_code == 403
    assert client.get(f"/sv/statistik/sample_share_by_type.csv?department={sof}").status_code == 403


def test_bad_periods_are_shown_at_the_field(client):
    login(client, "manager")
    response = client.get("/sv/statistik?period=custom&start=2026-10-10&end=2026-10-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Slutdatumet ligger före startdatumet." in html and 'value="2026-10-10"' in html
    response = client.get("/sv/statistik?period=day&start=2026-02-30")
    assert response.status_code == 400 and "Skriv datumet som år-månad-dag" in response.get_data(as_text=True)
    response = client.get("/sv/statistik?period=month&start=2999-01-01")
    assert response.status_code == 400 and "Perioden har inte börjat än" in response.get_data(as_text=True)


def test_week_period(client):
    login(client, "manager")
    client.get("/sv/statistik?period=week&start=2026-11-04")
    assert (SEEN[-1].start, SEEN[-1].end) == (date(2026, 11, 2), date(2026, 11, 8))


def test_csv_and_xlsx_read_back(client):
    login(client, "manager")
    response = client.get("/sv/statistik/sample_share_by_type.csv?period=month&start=2026-11-01")
    assert response.data.startswith("\ufeff".encode())
    assert "sample_share_by_type_2026-11-01_2026-11-30.csv" in response.headers["Content-Disposition"]
    lines = response.data.decode("utf-8-sig").splitlines()
    assert lines == ["Typ;Andel;Antal", "Bygglov <b>;75.0;12", "Parkering;50.0;4"]
    response = client.get("/sv/statistik/contacts_by_day.xlsx?period=month&start=2026-11-01")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == ["Dag", "Kontakter"] and sheet[1][0].font.bold
    assert sheet["A2"].value.date() == date(2026, 11, 1) and sheet["B3"].value == 5
    response = client.get("/sv/statistik/sample_share_by_type.xlsx?period=month&start=2026-11-01")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["B2"].value == 0.75 and "%" in sheet["B2"].number_format
    assert client.get("/sv/statistik/nothing.csv").status_code == 404


def test_api_is_public_figures_only(client):
    index = client.get("/api/v1/stats").json
    keys = [t["key"] for t in index["tables"]]     # the domains' public tables besides
    assert "sample_share_by_type" in keys and "contacts_by_day" in keys and "internal_costs" not in keys
    body = client.get("/api/v1/stats/contacts_by_day?period=month&start=2026-11-01").json
    assert body["rows"] == [["2026-11-01", 3], ["2026-11-02", 5]] and SEEN[-1].department_ids is None
    assert client.get("/api/v1/stats/internal_costs").status_code == 404
    bad = client.get("/api/v1/stats/contacts_by_day?period=custom&start=2026-11-10&end=2026-11-01")
    assert bad.status_code == 400 and "error" in bad.json


def test_empty_period_shows_empty_charts(app, client):
    stats.register_statistics(app, "fake", lambda q: Section("e", "Tomt", [
        Table("t", "Tomt", [Column("d", "Dag", "date"), Column("n", "Antal", "int")], [], chart="line")]))
    login(client, "manager")
    response = client.get("/sv/statistik")
    assert response.status_code == 200 and "Inga uppgifter för perioden." in response.get_data(as_text=True)


def test_line_chart_geometry():
    table = Table("t", "T", [Column("d", "Dag"), Column("p", "Andel", "percent")],
                  [("a", 0.0), ("b", 50.0), ("c", 100.0)], chart="line", target=(70, 80))
    svg = charts.line_chart(table, "namn")
    height = charts.HEIGHT - charts.TOP - charts.BOTTOM
    assert charts.y_position(100, 100) == charts.TOP
    assert charts.y_position(0, 100) == charts.TOP + height
    assert charts.x_position(0, 3) == charts.LEFT and charts.x_position(2, 3) == charts.WIDTH - charts.RIGHT
    mid_y = charts.TOP + height / 2
    assert f"{charts.x_position(1, 3):.1f},{mid_y:.1f}" in svg
    assert 'class="target"' in svg and "<title>namn</title>" in svg


def test_bar_chart_geometry_and_escaping():
    table = Table("t", "T", [Column("c", "Typ"), Column("n", "Antal", "int")], [("<x>", 5), ("y", 10)], chart="bar")
    svg = charts.bar_chart(table, "namn")
    assert charts.scale_max(table, [1]) == 20     # four steps of 5 reach 10
    five = Table("t", "T", [Column("d", "Dag"), Column("n", "Antal", "int")], [("a", 5)], chart="line")
    line = charts.line_chart(five, "n", fmt="{:g}".format)
    ticks = re.findall(r'class="tick" x="50" y="[\d.]+" text-anchor="end">(\d+)<', line)
    assert ticks == ["0", "2", "4", "6", "8"]
    assert f'width="{charts.bar_width(10, 20):.1f}"' in svg and "&lt;x&gt;" in svg and "<x>" not in svg


def test_report_mails_each_department_once(app, runner, smtp):
    from portal.org.models import Department
    from portal.extensions import db
    with app.app_context():
        addressed = [d for d in Department.query.all() if d.contact_email]
    result = runner.invoke(args=["report", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == len(addressed) > 0
    message = smtp.messages[0]
    assert "[2026-11]" in message["Subject"]
    attachment = next(message.iter_attachments())
    sheet = load_workbook(io.BytesIO(attachment.get_content()))["Lösta vid första kontakt"]
    assert sheet["A2"].value == "Bygglov <b>"
    body = message.get_body(("plain",)).get_content()
    assert "Typ: Bygglov <b>, Andel: 75,0 %, Antal: 12" in body
    with app.app_context():
        assert db.session.query(MailAttachment).count() == 0   # dropped once sent
    runner.invoke(args=["report", "--month", "2026-11"])
    assert len(smtp.messages) == len(addressed)
    runner.invoke(args=["report", "--month", "2026-11", "--force"])
    assert len(smtp.messages) == 2 * len(addressed)


@pytest.mark.parametrize("month", ["2026-13", "nov", "2999-01"])
def test_report_refuses_bad_months(runner, month):
    result = runner.invoke(args=["report", "--month", month])
    assert result.exit_code != 0
    assert "YYYY-MM" in result.output or "has not begun" in result.output


def test_every_table_on_the_dashboard_has_its_own_key(app):
    """The key names a table's export and API address: two tables under one key would
    download the wrong one."""
    with app.test_request_context():
        query = StatsQuery(date(2026, 11, 1), date(2026, 11, 30), "month")
        keys = [table.key for section in stats.sections(query) for table in section.tables]
    assert len(keys) > 20 and len(keys) == len(set(keys))


@pytest.mark.parametrize("start, end, months, ranges", [
    (date(2025, 4, 20), date(2025, 6, 10), [date(2025, 5, 1)],
     [(date(2025, 4, 20), date(2025, 4, 30)), (date(2025, 6, 1), date(2025, 6, 10))]),
    (date(2025, 5, 1), date(2025, 6, 10), [date(2025, 5, 1)], [(date(2025, 6, 1), date(2025, 6, 10))]),
    (date(2025, 4, 20), date(2025, 6, 30), [date(2025, 5, 1), date(2025, 6, 1)],
     [(date(2025, 4, 20), date(2025, 4, 30))]),
    (date(2025, 5, 1), date(2025, 5, 31), [date(2025, 5, 1)], []),
    (date(2025, 5, 3), date(2025, 5, 9), [], [(date(2025, 5, 3), date(2025, 5, 9))]),
])
def test_the_days_read_around_the_whole_months(start, end, months, ranges):
    assert days_around(start, end, months) == ranges
