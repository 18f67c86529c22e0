"""Search in every language: each is analysed by its analyzer (a Snowball stemmer, or the
neutral one), and a language added after the index was built becomes searchable by itself."""
import sys

import pytest

from sqlalchemy import select

from content.models import Article, ArticleTranslation
from content.revisions import Text
from eservices import registry
from portal import search, tasks
from portal.auth.models import User
from portal.extensions import db
from portal.languages.models import Language
from portal.languages.operations import COMMAND_LINE, DISABLE_LANGUAGE, ENABLE_LANGUAGE
from portal.search import SearchRequest, analysis
from portal.search.documents import EVERYONE, SearchDocument
from portal.search.engine import BOOSTS, LANGUAGES_FILE, WhooshEngine, build_schema
from tests.conftest import act, make_app, save


def page(n, lang, title, body=""):
    return SearchDocument(doc_type="article", doc_id=n, lang=lang, title=title, body=body,
                          audience=EVERYONE, url=f"/{lang}/artikel/{n}")


def engine_with(tmp_path, documents):
    """An index of ``documents``, built for Swedish, English and their languages."""
    engine = WhooshEngine(tmp_path / "index")
    engine.rebuild(documents, languages=["sv", "en", *{doc.lang for doc in documents}])
    return engine


def found(engine, q, lang):
    return [hit.doc_id for hit in engine.search(SearchRequest(q=q, lang=lang)).hits]


@pytest.mark.parametrize("lang, analyzer", [
    ("sv", "swedish"), ("en", "english"), ("fi", "finnish"), ("ar", "arabic"),
    ("sv-x-lattlast", "swedish"), ("so", analysis.NEUTRAL), ("ti", analysis.NEUTRAL)])
def test_each_language_has_its_stemmer_or_the_neutral_analyzer(lang, analyzer):
    assert analysis.analyzer_name(lang) == analyzer


def test_an_inflected_finnish_query_finds_the_page(tmp_path):
    engine = engine_with(tmp_path, [
        page(1, "fi", "Pysäköinti liikkumisesteisenä",
             "Hakemus tehdään verkossa. Lisätietoa pysäköintiluvista saat kunnasta."),
        page(2, "fi", "Rakennuslupa", "Hae rakennuslupaa ennen kuin rakennat."),
        page(3, "sv", "Parkeringstillstånd", "Ansök om parkeringstillstånd."),
    ])
    results = engine.search(SearchRequest(q="pysäköintiluvan", lang="fi"))   # genitive
    assert [hit.doc_id for hit in results.hits] == ["1"] and not results.corrected
    assert "<mark>pysäköintiluvista</mark>" in str(results.hits[0].snippet)   # elative plural
    assert found(engine, "pysäköintiluvan", "sv") == []


def test_an_arabic_query_finds_another_form_of_the_word(tmp_path):
    engine = engine_with(tmp_path, [
        page(1, "ar", "رخصة الوقوف", "يمكنك الحصول على رُخْصَة الوقوف من البلدية."),
        page(2, "ar", "المدرسة", "سجّل طفلك في المدرسة."),
        page(3, "ar", "زيارة المستشفى", "ساعات الزيارة في المستشفى."),
    ])
    with_a_permit = engine.search(SearchRequest(q="برخصة", lang="ar"))   # "with a permit"
    assert [hit.doc_id for hit in with_a_permit.hits] == ["1"] and not with_a_permit.corrected
    # The word is marked whole, with its vowel signs.
    assert "<mark>رُخْصَة</mark>" in str(with_a_permit.hits[0].snippet)
    assert found(engine, "رخـــصة", "ar") == ["1"]   # stretched with tatweel
    assert found(engine, "مستشفي", "ar") == ["3"]    # yeh for the alef maqsura of "المستشفى"


def test_a_language_without_a_stemmer_finds_its_exact_words_only(tmp_path):
    engine = engine_with(tmp_path, [page(1, "so", "Ruqsadda baabuurta", "Codso ruqsadda.")])
    assert found(engine, "RUQSADDA", "so") == ["1"]
    no_stem = engine.search(SearchRequest(q="ruqsad", lang="so"))
    assert no_stem.corrected and no_stem.suggestion == "ruqsadda"   # only "did you mean" finds it


def test_easy_to_read_swedish_shares_swedish_analysis_but_not_its_results(tmp_path):
    engine = engine_with(tmp_path, [
        page(1, "sv-x-lattlast", "Parkeringstillstånd", "Du kan få ett tillstånd att parkera."),
        page(2, "sv", "Parkeringstillstånd", "Ansök om parkeringstillstånd."),
        page(3, "sv", "Parkering", "Parkering på gatan."),
    ])
    assert found(engine, "parkeringstillstånden", "sv-x-lattlast") == ["1"]
    # "tillstånd" finds the compound in the parts field, as in Swedish.
    assert found(engine, "tillstånd", "sv-x-lattlast") == ["1"]
    assert "1" not in found(engine, "parkeringstillstånd", "sv")


def test_an_index_is_outdated_for_other_languages_or_another_format(tmp_path):
    engine = WhooshEngine(tmp_path / "index")
    assert not engine.outdated(["sv", "en"])   # no index: nothing to bring up to date
    engine.rebuild([page(1, "sv", "Bygglov")], languages=["sv", "en"])
    assert not engine.outdated(["en", "sv"])
    assert engine.outdated(["sv", "en", "fi"])
    (engine.current / LANGUAGES_FILE).unlink()   # as built before the file was written
    assert engine.outdated(["sv", "en"])


def test_an_index_of_an_older_format_is_unavailable_rather_than_empty(tmp_path, monkeypatch):
    """Until it is rebuilt (an index of format 1 had fields per language: ``title_sv``)."""
    def without_swedish_fields():
        schema = build_schema()
        for name in BOOSTS:
            schema.remove(f"{name}_swedish")
        return schema
    monkeypatch.setattr(sys.modules[WhooshEngine.__module__], "build_schema", without_swedish_fields)
    engine = engine_with(tmp_path, [])
    engine.write([page(1, "sv", "Bygglov")], set())   # live writes keep the fields it has
    assert engine.search(SearchRequest(q="bygglov")).unavailable
    assert not engine.search(SearchRequest(q="bygglov", lang="en")).unavailable


FINNISH_BULKY_WASTE = Text(title="Suurjäte", slug="suurjate", summary="Suurjätteen nouto.",
                          body="Vie suurjätteet kierrätyskeskukseen.")


def test_a_page_in_a_language_the_site_does_not_serve_waits_for_it(app, tmp_path):
    """Published on a site of Swedish and English, a Finnish text has no page yet: it is
    left out of the index, and indexed once the site serves Finnish."""
    with app.test_request_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        article = db.session.scalar(select(Article).join(ArticleTranslation)
                                    .where(ArticleTranslation.slug == "grovavfall"))
        content = article.latest_revision.content
        content.texts["fi"] = FINNISH_BULKY_WASTE
        save(article, admin, content)
        act("submit", article, admin)
        act("approve", article, admin)
        assert search.drain() == 1
        assert search.search(SearchRequest(q="grovavfall"), log_query=False).total
    finnish = make_app(tmp_path / "instance", PORTAL_LANGUAGES=["sv", "en", "fi"])
    tasks.run_due(finnish)
    with finnish.test_request_context():
        hits = search.search(SearchRequest(q="suurjätteen", lang="fi"), log_query=False).hits
        assert [hit.url for hit in hits] == ["/fi/artikel/suurjate"]


FINNISH_PERMIT = registry.Text(
    title="Pysäköintilupa liikkumisesteiselle",
    summary="Hae pysäköintilupaa, jos sinun on vaikea kävellä.",
    help="Liitä hakemukseen lääkärintodistus. Pysäköintiluvasta päättää kunta.")


def test_a_language_enabled_after_the_index_was_built_is_indexed_without_a_rebuild_by_hand(
        app, tmp_path, monkeypatch):
    """An admin turns Finnish on in another process: ``portal serve``'s periodic tasks
    index its documents, with its analyzer, into a new generation."""
    with app.app_context():
        DISABLE_LANGUAGE.execute(db.session.get(Language, "fi"), COMMAND_LINE)
        assert search.rebuild_if_outdated()
        monkeypatch.setitem(registry.get("parkeringstillstand").texts, "fi", FINNISH_PERMIT)
    other_process = make_app(tmp_path / "instance")
    query = SearchRequest(q="pysäköintiluvan", lang="fi")
    with other_process.app_context():
        ENABLE_LANGUAGE.execute(db.session.get(Language, "fi"), COMMAND_LINE)
    with other_process.test_request_context():
        assert search.search(query, log_query=False).total == 0
    tasks.run_due(other_process)
    with other_process.test_request_context():
        hits = search.search(query, log_query=False).hits
        assert [(hit.doc_id, hit.url) for hit in hits] == [
            ("parkeringstillstand", "/fi/e-tjanster/parkeringstillstand")]
        assert search.search(SearchRequest(q="parkeringstillstånd"), log_query=False).total
    client = other_process.test_client()
    html = client.get("/fi/sok", query_string={"q": "parkeringstillstånd"}).get_data(as_text=True)
    assert 'lang="sv" hreflang="sv">Visa träffar på svenska</a>' in html


def test_an_index_of_an_older_format_is_rebuilt_by_itself(app, client):
    with app.app_context():
        generation = search.engine().current.resolve()
        (generation / LANGUAGES_FILE).unlink()
    tasks.run_due(app)
    with app.app_context():
        assert search.engine().current.resolve() != generation
        assert not search.rebuild_if_outdated()
    assert client.get("/api/v1/search?q=bygglov&lang=sv").json["total"]


def test_every_analyzer_has_its_fields_and_only_swedish_has_compound_parts():
    """So a language added while the site runs finds its fields in the index already."""
    schema = build_schema()
    for analyzer in analysis.ANALYZERS:
        assert {f"{name}_{analyzer}" for name in ("title", "kw", "text", "agent")} <= set(schema.names())
    assert [name for name in schema.names() if name.startswith("parts_")] == ["parts_swedish"]


def test_an_index_of_format_2_is_searched_until_it_is_rebuilt(tmp_path, monkeypatch):
    """Format 2 had compound parts for every analyzer and pickled each analyzer whole."""
    pages = [page(1, "sv", "Parkeringstillstånd"), page(2, "sv", "Parkering"),
             page(3, "sv", "Tillstånd och lov"), page(4, "en", "Parking")]
    engine_module = sys.modules[WhooshEngine.__module__]
    with monkeypatch.context() as old_code:
        old_code.setattr(engine_module, "analyzed_fields", lambda analyzer: list(BOOSTS))
        old_code.delattr(analysis.FusedAnalyzer, "__reduce__")
        old_code.setattr(engine_module, "INDEX_FORMAT", 2)
        engine = engine_with(tmp_path, pages)
    assert "parts_english" in engine.searcher().schema
    assert found(engine, "tillstånd", "sv") == ["3", "1"] and found(engine, "parking", "en") == ["4"]
    assert engine.outdated(["sv", "en"])
    engine.rebuild(pages, languages=["sv", "en"])
    assert "parts_english" not in engine.searcher().schema and not engine.outdated(["sv", "en"])
    assert found(engine, "tillstånd", "sv") == ["3", "1"]
