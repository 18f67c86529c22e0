"""The golden set: what citizens type, and the page each query must find in the top 3.

The cases (tests/golden/*.toml) are grouped by ``kind`` and every group must pass in full.
Five groups are named after the search mechanism that alone answers their cases; for
each, a second test switches that mechanism off and every case must then miss, so a
broken mechanism cannot hide behind another one or behind an overall rate.
"""
import tomllib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest
from sqlalchemy import select
from whoosh.analysis import PyStemmerFilter

from content.models import ArticleTranslation
from portal import search
from portal.extensions import db
from portal.search import PUBLIC, SearchRequest, analysis
from portal.search.engine import WhooshEngine
from tests.conftest import copy_of_demo

GOLDEN = [case for path in sorted((Path(__file__).parent / "golden").glob("*.toml"))
          for case in tomllib.loads(path.read_text("utf-8"))["query"]]
GROUPS = ("plain", "english", "compound", "stemming", "synonym", "spelling", "other language")


@pytest.fixture(scope="module")
def demo(demo_template, tmp_path_factory):
    """One copy of the demo instance for the module's searches, which only read it."""
    return copy_of_demo(demo_template, tmp_path_factory.mktemp("golden"))


def cases_of(kind):
    return [case for case in GOLDEN if case["kind"] == kind]


def page_key(hit):
    """A hit as the golden set names pages: the slug in its language, or eservice:<code>."""
    if hit.doc_type == "eservice":
        return f"eservice:{hit.doc_id}"
    return db.session.scalar(select(ArticleTranslation.slug).where(
        ArticleTranslation.article_id == int(hit.doc_id), ArticleTranslation.lang == hit.lang))


def top_three(app, cases):
    """(query, expected page, the first three pages found) for each case."""
    with app.test_request_context():
        return [(case["q"], case["expect"], first_pages(case, 3)) for case in cases]


def first_pages(case, count):
    """The first ``count`` pages (or the case's ``top``) that the case's search shows, or
    with ``offer``, that the search in the language it offers shows."""
    request = SearchRequest(q=case["q"], lang=case["lang"], scope=case.get("scope", PUBLIC))
    found = search.search(request, log_query=False)
    if "offer" in case:
        if search.other_language(found) != case["offer"]:
            return []
        found = search.search(replace(request, lang=case["offer"]), log_query=False)
    return [page_key(hit) for hit in found.hits[:case.get("top", count)]]


def test_every_case_is_in_a_group():
    assert {case["kind"] for case in GOLDEN} <= set(GROUPS)


@pytest.mark.parametrize("kind", GROUPS)
def test_every_case_of_a_group_finds_its_page_in_the_top_three(demo, kind):
    cases = cases_of(kind)
    assert len(cases) >= 5, f"too few {kind} cases to stand for the group"
    missed = [result for result in top_three(demo, cases) if result[1] not in result[2]]
    assert not missed, f"{kind}: {missed}"


# --- switching one mechanism off (each returns whether the index must be rebuilt) ------
def without_compound_splitting(monkeypatch):
    """No compound is split: neither query words nor the parts field of a rebuild."""
    monkeypatch.setattr(analysis.Decompounder, "split", lambda self, word: [])
    return True


def without_stemming(monkeypatch):
    """Each analyzer without its stemmer, for indexing and for query terms alike."""
    stemming = analysis.analyzer

    @lru_cache(maxsize=None)
    def unstemmed(lang):
        return analysis.FusedAnalyzer(*[part for part in stemming(lang).items
                                        if not isinstance(part, PyStemmerFilter)])
    monkeypatch.setattr(analysis, "analyzer", unstemmed)
    return True


def without_synonyms(monkeypatch):
    monkeypatch.setattr(search.queries, "synonyms_for", lambda query: [])
    return False


def without_spelling_correction(monkeypatch):
    """No "did you mean", so no corrected hits in place of an empty result."""
    monkeypatch.setattr(WhooshEngine, "_try_correction", lambda *args: None)
    return False


def without_language_offers(monkeypatch):
    """No query looks written in another language."""
    monkeypatch.setattr(WhooshEngine, "looks_written_in", lambda *args: False)
    return False


SWITCH_OFF = {"compound": without_compound_splitting, "stemming": without_stemming,
              "synonym": without_synonyms, "spelling": without_spelling_correction,
              "other language": without_language_offers}


@pytest.mark.parametrize("kind", SWITCH_OFF)
def test_without_its_mechanism_every_case_of_a_group_misses(app, monkeypatch, kind):
    if SWITCH_OFF[kind](monkeypatch):
        with app.test_request_context():
            search.rebuild()
    found = [result for result in top_three(app, cases_of(kind)) if result[1] in result[2]]
    assert not found, f"found without {kind}, so they do not show it works: {found}"
