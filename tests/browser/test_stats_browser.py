"""The statistics dashboard in a browser: the manager lands on it, changes the period,
downloads a table as XLSX and reads it back; the page and its error state pass
axe-core in Swedish and English.  The figures come from a fake provider."""
import io
import shutil

import pytest
from openpyxl import load_workbook

from portal.stats import register_statistics
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
