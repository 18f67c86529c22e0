"""Editors keep synonyms and best bets in the admin pages; agents search as they type."""
from sqlalchemy import func, select

from portal.extensions import db
from portal.search.models import BestBet, SearchLogEntry, SynonymGroup
from tests.conftest import csrf_token, post_form


def titles(client, q, lang="sv"):
    return [hit["title"] for hit in
            client.get("/api/v1/search", query_string={"q": q, "lang": lang}).json["hits"]]


def test_curation_pages_are_for_editors_only(client, login_as):
    assert client.get("/sv/sokanpassning").status_code == 302  # to the login page
    login_as("agent")
    assert client.get("/sv/sokanpassning").status_code == 403
    assert client.post("/sv/sokanpassning/synonymer/1/ta-bort",
                       data={"csrf_token": csrf_token(client, "/sv/")}).status_code == 403


def test_editor_adds_a_synonym_group_that_works_on_the_next_search(client, login_as):
    assert titles(client, "fixartjänst") == []
    login_as("editor")
    response = post_form(client, "/sv/sokanpassning/synonymer/ny",
                         {"terms": "Fixartjänst,  hemtjänst, fixartjänst"})
    assert response.status_code == 302
    overview = client.get("/sv/sokanpassning").get_data(as_text=True)
    assert "fixartjänst, hemtjänst" in overview
    assert "Hemtjänst" in titles(client, "fixartjänst")


def test_one_way_synonyms_expand_only_from_the_first_word(client, login_as):
    login_as("editor")
    assert "Färdtjänst" not in titles(client, "sjukresa")
    post_form(client, "/sv/sokanpassning/synonymer/ny", {"terms": "sjukresa, färdtjänst", "one_way": "y"})
    assert "Färdtjänst" in titles(client, "sjukresa")
    assert titles(client, "färdtjänst") == ["Färdtjänst"]


def test_synonym_form_errors_keep_the_text(client, login_as):
    login_as("editor")
    html = post_form(client, "/sv/sokanpassning/synonymer/ny", {"terms": "ensamt<b>ord"}).get_data(as_text=True)
    assert "Det finns fel i formuläret" in html and "Skriv minst två ord" in html
    assert "ensamt&lt;b&gt;ord" in html and 'aria-invalid="true"' in html
    too_long = "a" * 61
    html = post_form(client, "/en/search-tuning/synonyms/new",
                     {"terms": f"short, {too_long}"}).get_data(as_text=True)
    assert "A word can be at most 60 characters" in html and too_long in html


def test_editor_changes_and_deletes_a_synonym_group(client, login_as, ctx):
    with ctx():
        group = db.session.scalars(select(SynonymGroup)).first()
        group_id, count = group.id, db.session.scalar(select(func.count(SynonymGroup.id)))
    login_as("editor")
    post_form(client, f"/sv/sokanpassning/synonymer/{group_id}", {"terms": "alfa, beta"})
    with ctx():
        assert db.session.get(SynonymGroup, group_id).terms == "alfa, beta"
    response = post_form(client, f"/sv/sokanpassning/synonymer/{group_id}/ta-bort", {}, page="/sv/sokanpassning")
    assert response.status_code == 302
    with ctx():
        assert db.session.scalar(select(func.count(SynonymGroup.id))) == count - 1
    assert client.get(f"/sv/sokanpassning/synonymer/{group_id}").status_code == 404


def test_deleting_needs_a_csrf_token(client, login_as, ctx):
    with ctx():
        group_id = db.session.scalars(select(SynonymGroup.id)).first()
    login_as("editor")
    assert client.post(f"/sv/sokanpassning/synonymer/{group_id}/ta-bort").status_code == 400
    with ctx():
        assert db.session.get(SynonymGroup, group_id) is not None


def test_editor_pins_a_page_found_through_the_form(client, login_as):
    assert not titles(client, "sommarjobb")[0].startswith("Grovavfall")
    login_as("editor")
    page = post_form(client, "/sv/sokanpassning/rekommenderade/ny",
                     {"query": "Sommarjobb", "lang": "sv", "find": "grovavfall",
                      "find_pages": "1"}).get_data(as_text=True)
    assert "Grovavfall" in page and 'type="radio"' in page
    target = next(value for value in _radio_values(page))
    response = post_form(client, "/sv/sokanpassning/rekommenderade/ny",
                         {"query": "Sommarjobb", "lang": "sv", "find": "grovavfall",
                          "target": target, "save": "1"})
    assert response.status_code == 302
    assert titles(client, "sommarjobb")[0].startswith("Grovavfall")
    again = post_form(client, "/sv/sokanpassning/rekommenderade/ny",
                      {"query": "sommarjobb", "lang": "sv", "target": target, "save": "1"})
    assert "redan rekommenderad" in again.get_data(as_text=True)


def test_best_bet_form_asks_for_a_page_and_rejects_unknown_ones(client, login_as):
    login_as("editor")
    html = post_form(client, "/sv/sokanpassning/rekommenderade/ny",
                     {"query": "avfall", "lang": "sv", "save": "1"}).get_data(as_text=True)
    assert "Välj vilken sida som ska visas först" in html and 'value="avfall"' in html
    html = post_form(client, "/sv/sokanpassning/rekommenderade/ny",
                     {"query": "avfall", "lang": "sv", "target": "article:99999", "save": "1"}
                     ).get_data(as_text=True)
    assert "Sidan finns inte i sökningen" in html


def test_deleting_a_best_bet_unpins_it(client, login_as, ctx):
    with ctx():
        bet = db.session.scalars(select(BestBet).where(BestBet.query == "parkering")).one()
        bet_id = bet.id
    pinned = client.get("/api/v1/search?q=parkering&lang=sv").json["hits"][0]
    assert pinned["pinned"]
    login_as("admin")
    post_form(client, f"/sv/sokanpassning/rekommenderade/{bet_id}/ta-bort", {}, page="/sv/sokanpassning")
    assert not any(hit["pinned"] for hit in
                   client.get("/api/v1/search?q=parkering&lang=sv").json["hits"])


def _radio_values(html):
    import re
    return re.findall(r'type="radio" value="([^"]+)"', html) or \
        re.findall(r'value="([^"]+)"[^>]*type="radio"', html)


# --- agents' search as you type ---------------------------------------------------
def test_agent_search_page_works_without_javascript(client, login_as):
    assert client.get("/sv/kunskap?q=bygglov").status_code == 302
    login_as("agent")
    html = client.get("/sv/kunskap", query_string={"q": "parkeringstilstånd"}).get_data(as_text=True)
    assert "Parkeringstillstånd" in html and "/sv/sok/till/" in html and "scope=agent" in html
    assert "data-live-search" in html
    # Agents see every current service alert above their search, not only crises.
    assert "Vattenavstängning på Storgatan" in html and "Badhuset stänger" in html
    # Each hit names its life-event topic and its förvaltning.
    first_meta = html.split('class="result-meta">', 1)[1].split("</p>", 1)[0]
    assert "Trafik och parkering" in first_meta and "förvaltning" in first_meta


def test_typing_is_not_logged_until_a_result_is_chosen(client, login_as, ctx):
    login_as("agent")
    with ctx():
        before = db.session.scalar(select(func.count(SearchLogEntry.id)))
    for prefix in ("hemt", "hemtj", "hemtjänst"):
        data = client.get("/api/v1/search", query_string={
            "q": prefix, "lang": "sv", "scope": "agent", "log": "0"}).json
    assert data["log_id"] is None and data["status"].endswith("träffar")
    with ctx():
        assert db.session.scalar(select(func.count(SearchLogEntry.id))) == before
    hit = data["hits"][0]
    assert hit["type_label"] == "Artikel" and hit["department_label"]
    response = client.get(hit["follow_url"])
    assert response.status_code == 302 and "/sv/kunskap/" in response.location
    with ctx():
        entry = db.session.scalars(select(SearchLogEntry).order_by(SearchLogEntry.id.desc())).first()
        assert (entry.query, entry.scope, entry.clicked_ref) == (
            "hemtjänst", "agent", f"{hit['type']}:{hit['id']}")
        assert db.session.scalar(select(func.count(SearchLogEntry.id))) == before + 1


def test_agent_result_links_need_an_agent(client):
    response = client.get("/sv/sok/till/0/article:1", query_string={"scope": "agent", "q": "x"})
    assert response.status_code == 401
