"""The Whoosh engine on its own: ranking, paging, facets, live writes, snippets."""
import sys
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from whoosh import index as whoosh_index

from portal.html import plain_text
from portal.search import bulk, scoring
from portal.search.documents import AGENT, EVERYONE, SearchDocument, SearchRequest
from portal.search.engine import MERGE_AT_SEGMENTS, WhooshEngine, build_schema
from portal.search.snippets import snippet


def article(n, title, body="", topics=("bo",), department="SBF", lang="sv", agent_text=""):
    return SearchDocument(doc_type="article", doc_id=n, lang=lang, title=title, audience=EVERYONE,
                          url=f"/{lang}/artikel/{n}", summary="", body=body,
                          topics=list(topics), department=department, agent_text=agent_text)


def engine_with(tmp_path, documents):
    engine = WhooshEngine(tmp_path / "index")
    engine.rebuild(documents)
    return engine


def ids(results):
    return [hit.doc_id for hit in results.hits]


def test_title_match_ranks_above_body_match(tmp_path):
    engine = engine_with(tmp_path, [
        article(1, "Öppettider", "Återvinningscentralen har öppet på lördagar för grovavfall."),
        article(2, "Grovavfall", "Lämna det på återvinningscentralen."),
    ])
    assert ids(engine.search(SearchRequest(q="grovavfall"))) == ["2", "1"]


def test_compounds_are_not_split_into_short_words(tmp_path):
    engine = engine_with(tmp_path, [
        article(1, "Kulturskolan", "Sång, kör och band. Logga in i appen."),
        article(2, "Parker och lekplatser", "Våra parker har inga avgifter."),
        article(3, "Parkering", "Parkering på gatan kostar."),
    ])
    assert engine.search(SearchRequest(q="körlogg")).total == 0   # not kör + logg
    assert ids(engine.search(SearchRequest(q="parkering"))) == ["3"]   # not parker + ing
    assert ids(engine.search(SearchRequest(q="park"))) == ["2"]


def test_a_compounds_parts_are_searched_only_where_no_page_holds_it_whole(tmp_path):
    engine = engine_with(tmp_path, [
        article(1, "Badhuset", "Badhusets tider i sommar. Badhuset har nya tider."),
        article(2, "Simskola", agent_text="Lämna badhustider till den som ringer."),
    ])
    assert ids(engine.search(SearchRequest(q="badhustider", scope=AGENT))) == ["2"]
    # The public search does not see the word whole (only the agent layer has it).
    assert ids(engine.search(SearchRequest(q="badhustider"))) == ["1"]


def test_one_letter_words_and_stop_words_are_neither_searched_nor_marked(tmp_path):
    engine = engine_with(tmp_path, [
        article(1, "Ekonomiskt bistånd", "Ersättningar, till exempel a-kassa och sjukpenning."),
        article(2, "Parkeringstillstånd", "Ansök om tillstånd och skicka ett intyg."),
    ])
    found = engine.search(SearchRequest(q="a tillstånd och"))
    assert ids(found) == ["2"]
    assert str(found.hits[0].snippet).count("<mark>") == 1   # "tillstånd", not "och"
    # "menar" has the stem "men", which is also a stop word ("but").
    assert str(snippet("Vad menar du? Men nej.", frozenset({"men"}), "swedish")) == (
        "Vad <mark>menar</mark> du? Men nej.")


def test_pages_follow_each_other_and_facets_count_every_match(tmp_path):
    documents = [article(n, f"Bygglov för ärende {n}", "Ansök om bygglov.",
                         topics=("bygga", "bo") if n % 2 else ("bygga",),
                         department="SBF" if n < 15 else "MHF") for n in range(25)]
    engine = engine_with(tmp_path, documents)
    first = engine.search(SearchRequest(q="bygglov", per_page=10))
    third = engine.search(SearchRequest(q="bygglov", per_page=10, page=3))
    assert first.total == 25 and len(first.hits) == 10 and len(third.hits) == 5
    assert not set(ids(first)) & set(ids(third))
    assert first.facets["department"] == {"SBF": 15, "MHF": 10}
    assert first.facets["topics"] == {"bygga": 25, "bo": 12}
    filtered = engine.search(SearchRequest(q="bygglov", department="MHF"))
    assert filtered.total == 10 and filtered.facets["department"] == {"MHF": 10}


def test_languages_without_analysis_share_fields_but_not_results(tmp_path):
    engine = engine_with(tmp_path, [article(1, "Dhismaha baabuurta", lang="so"),
                                    article(2, "Dhismaha baabuurta", lang="ti")])
    found = engine.search(SearchRequest(q="baabuurta", lang="so"))
    assert ids(found) == ["1"] and found.total == 1


def test_a_removed_document_is_gone_after_searches_cached_its_words(tmp_path):
    engine = engine_with(tmp_path, [article(1, "Hemtjänst"), article(2, "Hemtjänst i Sjöbacka")])
    assert engine.search(SearchRequest(q="hemtjänst")).total == 2
    engine.write([], {"article:1"})
    after = engine.search(SearchRequest(q="hemtjänst"))
    assert ids(after) == ["2"] and after.total == 1 and after.facets["topics"] == {"bo": 1}


def test_live_writes_go_into_an_index_built_before_a_field_was_added(tmp_path, monkeypatch):
    def without_agent_text():
        schema = build_schema()
        schema.remove("agent_text")
        return schema
    monkeypatch.setattr(sys.modules[WhooshEngine.__module__], "build_schema", without_agent_text)
    engine = engine_with(tmp_path, [])
    engine.write([article(2, "Färdtjänst resa", agent_text="Fråga efter intyget.")], set())
    assert ids(engine.search(SearchRequest(q="intyget", scope=AGENT))) == ["2"]


def test_live_writes_keep_the_number_of_segments_small(tmp_path):
    engine = engine_with(tmp_path, [article(0, "Färdtjänst")])
    for n in range(1, 3 * MERGE_AT_SEGMENTS):
        engine.write([article(n, f"Färdtjänst resa {n}")], set())
    assert engine.search(SearchRequest(q="färdtjänst", per_page=50)).total == 3 * MERGE_AT_SEGMENTS
    with whoosh_index.open_dir(str(engine.current)).reader() as reader:
        assert len(reader.leaf_readers()) <= MERGE_AT_SEGMENTS


def test_a_parallel_rebuild_indexes_every_document(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[WhooshEngine.__module__], "PARALLEL_INDEXING_FROM", 10)
    engine = engine_with(tmp_path, [article(n, f"Förskola nummer {n}") for n in range(250)])
    with whoosh_index.open_dir(str(engine.current)).reader() as reader:
        assert len(reader.leaf_readers()) > 1   # segments written by several processes
    assert engine.search(SearchRequest(q="förskola")).total == 250
    assert engine.search(SearchRequest(q="förskloa")).suggestion == "förskola"


def test_where_processes_cannot_be_forked_a_rebuild_runs_in_one(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[WhooshEngine.__module__], "PARALLEL_INDEXING_FROM", 10)
    monkeypatch.setattr(bulk, "CAN_FORK", False)
    engine = engine_with(tmp_path, [article(n, f"Förskola nummer {n}") for n in range(250)])
    with whoosh_index.open_dir(str(engine.current)).reader() as reader:
        assert len(reader.leaf_readers()) == 1
    assert engine.search(SearchRequest(q="förskola")).total == 250


def test_a_rebuild_failing_in_an_indexing_process_leaves_the_index_as_it_was(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setattr(sys.modules[WhooshEngine.__module__], "PARALLEL_INDEXING_FROM", 10)
    engine = engine_with(tmp_path, [article(1, "Förskola")])
    fields_for = engine.fields_for

    def failing_for_the_first_share(doc, *args, **kwargs):
        if doc.doc_id == 3:   # of the first share, which another process indexes
            raise ValueError("a broken document")
        return fields_for(doc, *args, **kwargs)
    monkeypatch.setattr(engine, "fields_for", failing_for_the_first_share)
    with pytest.raises(ValueError, match="a broken document"):
        engine.rebuild([article(n, f"Hemtjänst nummer {n}") for n in range(2, 40)])
    assert ids(engine.search(SearchRequest(q="förskola"))) == ["1"]
    assert engine.search(SearchRequest(q="hemtjänst")).total == 0


def test_did_you_mean_prefers_the_nearest_word_then_the_most_common(tmp_path):
    engine = engine_with(tmp_path, [
        article(1, "Parking fees", lang="en"), *[article(n, "Parks", lang="en") for n in range(2, 9)],
        article(9, "Hemtjänst"), article(10, "Hemtjänst och hemsjukvård"), article(11, "Hamnar"),
    ])
    assert engine.search(SearchRequest(q="parkng", lang="en")).suggestion == "parking"
    assert engine.search(SearchRequest(q="hemtjänts")).suggestion == "hemtjänst"
    assert engine.search(SearchRequest(q="hemtjänsten")).suggestion == "hemtjänst"   # two edits
    assert engine.search(SearchRequest(q="hamn")).suggestion is None   # "hamnar": too far for four letters


def test_snippets_come_from_the_passage_that_matched(tmp_path):
    engine = engine_with(tmp_path, [
        article(1, "Parkering", "Parkering kräver ibland tillstånd."),
        article(2, "Rörelsehinder", "Du kan få parkeringstillstånd om du har svårt att gå.",
                agent_text="Fråga efter läkarintyget."),
        article(3, "Sophämtning", "Hämtning varannan vecka.",
                agent_text="Kontrollera körloggen vid missad sophämtning."),
    ])
    found = engine.search(SearchRequest(q="tillstånd"))
    assert "<mark>parkeringstillstånd</mark>" in str(found.hits[ids(found).index("2")].snippet)
    agent = engine.search(SearchRequest(q="läkarintyg", scope=AGENT))
    assert str(agent.hits[0].snippet) == "Fråga efter <mark>läkarintyget</mark>."
    # Citizens never see the agent layer, even of a page they find.
    assert str(engine.search(SearchRequest(q="sophämtning")).hits[0].snippet) == ""
    assert "körloggen" in str(engine.search(SearchRequest(q="sophämtning", scope=AGENT))
                              .hits[0].snippet)


def test_snippet_marks_the_words_and_escapes_the_text():
    text = ("Du kan ansöka om <b>parkeringstillstånd</b> hos kommunen. " + "Annan text. " * 40
            + "Skicka ansökan om parkeringstillstånd & intyg. " + "Mer text. " * 40
            + "Tredje parkeringstillstånd.")
    html = str(snippet(text, frozenset({"parkeringstillstånd"}), "swedish"))
    assert html.count("<mark>parkeringstillstånd</mark>") == 2   # two passages at most
    assert "&lt;b&gt;" in html and "&amp; intyg" in html and "<b>" not in html
    assert " … " in html and "Tredje" not in html and html.endswith(" …")   # cut, and shown so
    assert not html.startswith("…")
    assert str(snippet("Inget om saken.", frozenset({"parkeringstillstånd"}), "swedish")) == ""


def test_snippet_passages_that_meet_become_one_without_losing_words():
    text = "Hemtjänst hjälper. " + "Mer om saken här. " * 12 + "Ansök om hemtjänst."
    html = str(snippet(text, frozenset({"hemtjänst"}), "swedish"))
    assert html.count("<mark>") == 2 and "…" not in html
    assert html.replace("<mark>", "").replace("</mark>", "") == text


def test_snippet_keeps_headings_and_table_cells_apart():
    text = plain_text("## Avgifter\n\n| Vad | Pris |\n|---|---|\n| Parkering på gatan | 600 kr |")
    html = str(snippet(text, frozenset({"parkering"}), "swedish"))
    assert html == "Avgifter · Vad · Pris · <mark>Parkering</mark> på gatan · 600 kr"


# --- the result cache -------------------------------------------------------------------
def counting_evaluations(monkeypatch):
    """A list that grows by one each time a search evaluates its query on the index."""
    evaluated = []
    original = scoring.Matches.__init__

    def counted(self, *args, **kwargs):
        evaluated.append(1)
        original(self, *args, **kwargs)
    monkeypatch.setattr(scoring.Matches, "__init__", counted)
    return evaluated


def test_a_repeated_search_comes_from_the_cache_until_the_index_changes(tmp_path, monkeypatch):
    engine = engine_with(tmp_path, [article(1, "Hemtjänst"), article(2, "Färdtjänst")])
    evaluated = counting_evaluations(monkeypatch)
    first = engine.search(SearchRequest(q="hemtjänst"))
    first.hits[0].details.append("changed by the caller")   # as search.add_details does
    again = engine.search(SearchRequest(q="hemtjänst"))
    assert len(evaluated) == 1 and ids(again) == ["1"] and again.hits[0].details == []
    engine.write([article(3, "Hemtjänst i Sjöbacka")], set())
    assert ids(engine.search(SearchRequest(q="hemtjänst"))) == ["1", "3"]
    engine.rebuild([article(4, "Hemtjänst på natten")])
    assert ids(engine.search(SearchRequest(q="hemtjänst"))) == ["4"]
    # Another process (another engine on the same folder) writes: never a stale page.
    WhooshEngine(engine.root).write([article(5, "Hemtjänst på helgen")], set())
    assert ids(engine.search(SearchRequest(q="hemtjänst"))) == ["4", "5"]
    assert len(evaluated) == 4


def test_a_cached_search_leaves_out_a_page_from_the_moment_it_expires(tmp_path):
    closing = datetime(2026, 1, 15, 12, 0)
    notice = replace(article(1, "Vattenavstängning i centrum"), expires_at=closing)
    engine = engine_with(tmp_path, [notice, article(2, "Vattenmätare")])
    before = SearchRequest(q="vattenavstängning vattenmätare", at=closing - timedelta(minutes=1))
    assert sorted(ids(engine.search(before))) == ["1", "2"]
    assert ids(engine.search(replace(before, at=closing))) == ["2"]
    assert sorted(ids(engine.search(before))) == ["1", "2"]
