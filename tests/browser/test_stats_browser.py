"""The statistics dashboard in a browser: the manager lands on it, changes the period,
downloads a table as XLSX and reads it back; the page and its error state pass
axe-core in Swedish and English.  The figures come from a fake provider, and, in the
last test, from the demo cases through every real provider."""
import io
import shutil
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from sqlalchemy import func, select

from eservices.models import Case
from portal.extensions import db
from portal.stats import register_statistics
from portal.stats.bounds import local_midnight, local_today
from tests.browser.conftest import assert_accessible, follow, login, served
from tests.conftest import make_app
from tests.test_access_matrix import matrix_statistics

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def stats_server(demo_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("stats-server") / "instance"
    shutil.copytree(demo_template, folder, symlinks=True)
    app = make_app(folder)
    register_statistics(app, "matrix", matrix_statistics)
    with served(app) as url:
        yield url


def test_the_manager_changes_the_period_and_downloads_the_xlsx(page, stats_server):
    login(page, stats_server, "manager")
    assert page.url.endswith("/sv/statistik")
    assert_accessible(page)
    page.select_option("#period", "custom")
    page.fill("#start", "2026-10-05")
    page.fill("#end", "2026-10-20")
    follow(page, page.locator("main form button", has_text="Visa"))
    assert "5 oktober 2026–20 oktober 2026" in page.locator(".stats-period").inner_text()
    with page.expect_download() as download:
        page.locator('a[href^="/sv/statistik/matrix_table.xlsx"]', has_text="som Excel (XLSX)").click()
    assert download.value.suggested_filename == "matrix_table_2026-10-05_2026-10-20.xlsx"
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert [cell.value for cell in sheet[1]] == ["Period", "Antal"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [3, 5]


def test_the_error_state_is_accessible_in_both_languages(page, stats_server):
    login(page, stats_server, "manager")
    for path, button, message in (("/sv/statistik", "Visa", "Slutdatumet ligger före startdatumet."),
                                  ("/en/statistics", "Show", "The end date is before the start date.")):
        page.goto(f"{stats_server}{path}")
        assert_accessible(page)
        page.select_option("#period", "custom")
        page.fill("#start", "2026-10-20")
        page.fill("#end", "2026-10-05")
        follow(page, page.locator("main form button", has_text=button))
        assert page.title().startswith(("Fel:", "Error:"))
        assert message in page.locator("#end-error").inner_text()
        assert page.input_value("#start") == "2026-10-20"
        assert_accessible(page)


@pytest.fixture(scope="module")
def demo_cases_server(demo_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("stats-demo-cases") / "instance"
    shutil.copytree(demo_template, folder, symlinks=True)
    app = make_app(folder)
    assert app.test_cli_runner().invoke(args=["demo-cases"]).exit_code == 0
    with served(app) as url:
        yield app, url


def xlsx_rows(download):
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_real_figures_of_the_demo_cases_come_back_from_the_xlsx(page, demo_cases_server):
    app, url = demo_cases_server
    end = local_today()
    start = end - timedelta(days=59)
    with app.app_context():
        received = db.session.scalar(select(func.count(Case.id)).where(
            Case.created_at >= local_midnight(start), Case.created_at < local_midnight(end + timedelta(days=1))))
    assert received > 0
    login(page, url, "manager")
    page.select_option("#period", "custom")
    page.fill("#start", start.isoformat())
    page.fill("#end", end.isoformat())
    follow(page, page.locator("main form button", has_text="Visa"))
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator('a[href^="/sv/statistik/volume_by_channel.xlsx"]', has_text="som Excel (XLSX)").click()
    header, *rows = xlsx_rows(download)
    assert header == ["Kanal", "Kontakter", "E-tjänstärenden", "Totalt"]
    assert sum(row[3] for row in rows) == received
    assert all(row[1] + row[2] == row[3] for row in rows)
    page.goto(page.url.replace("/sv/statistik", "/en/statistics"))
    assert page.locator("h2", has_text="Contacts and cases").count() == 1
    assert_accessible(page)
