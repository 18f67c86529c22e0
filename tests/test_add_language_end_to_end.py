"""A language added without a developer (issue 14, "done when"): an admin adds German
on the language page, a translator granted it translates a word of the interface and
an article, an editor approves the article, the admin turns the language on, and
/de/ is served in German and searched with the German stemmer — no code change, no
configuration edit, no restart of the app that serves it."""
import html
import re

from portal import tasks
from portal.demo import DEMO_PASSWORD
from tests.conftest import post_form
from tests.test_article_translations import CENTRE, article_id, decide, signed_in, translate
from tests.test_catalogs import save as save_message

GERMAN = {"title": "Wertstoffhof", "slug": "wertstoffhof",
          "summary": "Am Wertstoffhof in der Hamnvägen 12 nehmen wir Sperrmüll und Sondermüll an.",
          "body": "## Wo finden Sie uns?\n\nDer Wertstoffhof liegt in der **Hamnvägen 12**. "
                  "Dort können Sie alte Kühlschränke und Fahrräder abgeben.",
          "keywords": "Recycling, Müll", "opening_hours": "Montag–Donnerstag 7.00–19.00"}


def test_a_language_is_added_translated_enabled_served_and_searchable(app, ctx, runner):
    admin = signed_in(app, "admin")
    added = post_form(admin, "/sv/admin/sprak", {"code": "de"})
    assert added.status_code == 302
    assert "Deutsch" in admin.get("/sv/admin/sprak").get_data(as_text=True)
    assert app.test_client().get("/de/").status_code == 404        # added, not yet offered

    created = runner.invoke(args=["create-user", "tyra", "--name", "Tyra Tysk", "--role", "translator:de",
                                  "--password", DEMO_PASSWORD])
    assert created.exit_code == 0, created.output
    translator = signed_in(app, "tyra")
    assert save_message(translator, "de", "Startsida", "Startseite").status_code == 302
    with ctx():
        centre = article_id(CENTRE)
    assert translate(translator, centre, "de", "submit", **GERMAN).status_code == 302
    assert decide(signed_in(app, "editor"), centre, "de", "approve").status_code == 302

    enabled = post_form(admin, "/sv/admin/sprak/de/sla-pa", {}, page="/sv/admin/sprak")
    assert enabled.status_code == 302
    reader = app.test_client()
    home = reader.get("/de/").get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in home and "<title>Startseite – " in home
    article = reader.get("/de/artikel/wertstoffhof").get_data(as_text=True)
    assert "<h1>Wertstoffhof</h1>" in article or ">Wertstoffhof</h1>" in article
    assert 'hreflang="de"' in reader.get("/sv/").get_data(as_text=True)   # offered in the switch

    tasks.run_due(app)          # what `portal serve` runs every 2 s: the index learns German
    found = reader.get("/de/sok", query_string={"q": "Kühlschrank"}).get_data(as_text=True)
    [hit] = re.findall(r'href="(/de/sok/till/[^"]+)"', found)      # Kühlschränke, stemmed
    assert reader.get(html.unescape(hit)).location == "/de/artikel/wertstoffhof"
