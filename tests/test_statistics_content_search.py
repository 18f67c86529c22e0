"""Issue 15, part G: the search figures, the content gaps and the self-service table,
each computed from a hand-made set whose answers are known; the privacy rules of the
search figures (personal data never shown, a query only when typed at least k times);
and the counting of article views."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from content import operations
from content.models import Article, ArticleTranslation, ArticleViews, PageFeedback, TranslationStatus
from content.queries import translation_rows
from portal import stats
from portal.clock import utcnow
from portal.extensions import db
from portal.org.models import Department
from portal.search.models import SearchDay, SearchLogEntry, SearchMonth
from portal.stats.bounds import local_today
from tests.test_article_translations import change_swedish

NOVEMBER = datetime(2026, 11, 10, 12)


def query(**changes):
    values = {"start": date(2026, 11, 1), "end": date(2026, 11, 30), "granularity": "day",
              "department_ids": None, "channel": None, "case_type": None, "lang": None, **changes}
    return stats.StatsQuery(**values)


def figures(app, key, **changes):
    """The table ``key`` for November 2026 (or the query ``changes`` make)."""
    with app.test_request_context("/sv/"):
        return stats.table(query(**changes), key)


def article_id(slug):
    return db.session.scalar(select(ArticleTranslation.article_id).where(
        ArticleTranslation.slug == slug, ArticleTranslation.lang == "sv"))


def department(code):
    return db.session.scalar(select(Department).where(Department.code == code))


def searches(text, times, hits=3, clicked=None, lang="sv", at=NOVEMBER, key=None, **filters):
    """``times`` logged public searches for ``text``, the first ``clicked`` of them followed
    by a click on ``clicked`` (a ref) when given as (ref, how many)."""
    ref, clicks = clicked or (None, 0)
    db.session.add_all(SearchLogEntry(
        scope="public", lang=lang, query=text, query_key=text if key is None else key, hits=hits,
        clicked_ref=ref if n < clicks else None, created_at=at, **filters) for n in range(times))


@pytest.fixture
def search_log(app):
    """The hand-made log of November 2026."""
    with app.app_context():
        bygglov = f"article:{article_id('nar-behover-du-bygglov')}"            # SBF
        searches("bygglov", 4, clicked=(bygglov, 3))
        searches("altan", 2, hits=0)                                           # below k = 3
        searches("parkering", 3)                                               # found, never chosen
        searches("parking", 3, lang="en", at=NOVEMBER + timedelta(days=1))
        searches("snöröjning", 3, hits=0, department="TF")                     # by the förvaltning filter
        searches("gungor", 3, hits=0, topic="uppleva-och-gora")                # by the topic: KFF owns most
        searches("hundbajs", 3, hits=0)                                        # by where it led when it found
        searches("hundbajs", 1, clicked=(f"article:{article_id('klotter-och-nedskrapning')}", 1))   # TF
        searches("qwxzy", 3, hits=0)                                           # nobody's
        searches("ring 070 123 45 67", 5, hits=0)          # logged before keys existed: made in SQL
        db.session.commit()


def rows(table):
    return {row[0]: row[1:] for row in table.rows}


# --- search figures --------------------------------------------------------------------------
def test_top_searches_count_queries_typed_at_least_k_times_and_the_share_clicked(app, search_log):
    top = rows(figures(app, "search_top"))
    assert top["bygglov"] == (4, 75.0)
    assert top["parkering"] == (3, 0.0) and top["parking"] == (3, 0.0)
    assert "altan" not in top                         # typed twice: k = 3
    assert not any("070" in query for query in top)   # a phone number is never shown


def test_k_is_configurable(app, search_log):
    app.config["PORTAL_STATS_MIN_SEARCHES"] = 2
    assert rows(figures(app, "search_top"))["altan"] == (2, 0.0)
    app.config["PORTAL_STATS_MIN_SEARCHES"] = 5
    assert rows(figures(app, "search_top")) == {}
    assert "5" in str(figures(app, "search_top").note)


def test_a_personnummer_typed_into_search_never_appears(app, client):
    for _ in range(4):
        client.get("/sv/sok", query_string={"q": "bygglov 19121212-1212"})
        client.get("/sv/sok", query_string={"q": "121212-1212"})
    today = local_today()
    for key in ("search_top", "search_zero_hits", "search_no_click"):
        table = figures(app, key, start=today, end=today)
        assert not any("1212" in str(value) or "personnummer" in str(value) for row in table.rows for value in row)
    assert rows(figures(app, "search_over_time", start=today, end=today))[today] == (8, 4)


def test_zero_hit_searches_are_assigned_to_a_forvaltning(app, search_log):
    with app.app_context():
        names = {code: department(code).name_in("sv") for code in ("TF", "KFF")}
    zero = rows(figures(app, "search_zero_hits"))
    assert zero == {"snöröjning": (3, names["TF"]), "gungor": (3, names["KFF"]),
                    "hundbajs": (3, names["TF"]), "qwxzy": (3, None)}


def test_a_forvaltning_sees_the_zero_hit_searches_assigned_to_it(app, search_log):
    with app.app_context():
        tf = department("TF").id
    table = figures(app, "search_zero_hits", department_ids=frozenset({tf}))
    assert sorted(rows(table)) == ["hundbajs", "snöröjning"]
    assert table.links[0].startswith("/sv/sokanpassning/") and "q=" in table.links[0]


def test_searches_with_hits_but_no_click(app, search_log):
    assert rows(figures(app, "search_no_click")) == {"parkering": (3, 3), "parking": (3, 3), "bygglov": (4, 1)}


def test_search_figures_by_language(app, search_log):
    assert rows(figures(app, "search_top", lang="en")) == {"parking": (3, 0.0)}
    assert "parking" not in rows(figures(app, "search_top", lang="sv"))


def test_searches_over_time_in_days_and_weeks(app, search_log):
    days = rows(figures(app, "search_over_time"))
    assert days == {date(2026, 11, 10): (27, 19), date(2026, 11, 11): (3, 0)}
    assert rows(figures(app, "search_over_time", granularity="month")) == {date(2026, 11, 1): (30, 19)}
    assert rows(figures(app, "search_over_time", start=date(2026, 12, 1), end=date(2026, 12, 31))) == {}


def test_finished_days_are_counted_once_into_day_rows_and_purged_with_the_log(app, ctx, runner):
    now = utcnow()
    today = now.date()
    with ctx():
        searches("bygglov", 3, at=now - timedelta(days=2))
        searches("bygglov", 3, at=now - timedelta(days=100))
        searches("bygglov", 2, at=now)
        db.session.commit()
    for _ in range(2):                                        # the second time reads the same day rows
        assert rows(figures(app, "search_top", start=today - timedelta(days=2), end=today)) == {"bygglov": (5, 0.0)}
    assert rows(figures(app, "search_top", start=today - timedelta(days=100), end=today)) == {"bygglov": (8, 0.0)}
    with ctx():
        assert sorted(db.session.scalars(select(SearchDay.searches))) == [3, 3]
    assert runner.invoke(args=["purge"]).exit_code == 0       # 90 days
    with ctx():
        assert db.session.scalars(select(SearchDay.searches)).all() == [3]
    assert rows(figures(app, "search_top", start=today - timedelta(days=100), end=today)) == {"bygglov": (5, 0.0)}


def test_finished_months_are_summed_into_month_rows_with_the_same_answers(app, search_log):
    with app.app_context():
        searches("bygglov", 3, at=datetime(2026, 10, 20, 12))
        db.session.commit()
    for key in ("search_top", "search_no_click", "search_zero_hits", "self_service_by_topic"):
        by_day = figures(app, key)
        by_month = figures(app, key, granularity="month")
        assert (by_month.rows, by_month.links) == (by_day.rows, by_day.links), key
    assert rows(figures(app, "search_zero_hits", granularity="month"))["snöröjning"][1] == "Tekniska förvaltningen"
    with app.app_context():
        assert db.session.scalars(select(SearchMonth.day).distinct()).all() == [date(2026, 11, 1)]
        assert db.session.scalar(select(func.sum(SearchMonth.searches))) == 30
        assert db.session.scalar(select(func.sum(SearchMonth.clicked))) == 4     # bygglov 3, hundbajs 1
    # Half of October from its days, November from its month: 3 + 4 searches for bygglov.
    autumn = figures(app, "search_top", start=date(2026, 10, 15), granularity="month")
    assert rows(autumn)["bygglov"] == (7, 3 / 7 * 100)
    assert rows(figures(app, "search_over_time", start=date(2026, 10, 15), granularity="month")) == {
        date(2026, 10, 1): (3, 0), date(2026, 11, 1): (30, 19)}


# --- page feedback -------------------------------------------------------------------------
def test_feedback_per_article_counts_answers_helpful_share_and_comments_never_their_text(app, ctx):
    with ctx():
        db.session.execute(PageFeedback.__table__.delete())
        hemtjanst, klotter = article_id("hemtjanst"), article_id("klotter-och-nedskrapning")
        for article, helpful, comment, spam in ((hemtjanst, True, "", False), (hemtjanst, True, "Bra sida", False),
                                                (hemtjanst, False, "Ring mig 070-1234567", False),
                                                (hemtjanst, False, "", True), (klotter, False, "", False)):
            db.session.add(PageFeedback(article_id=article, lang="sv", helpful=helpful, comment=comment,
                                        spam=spam, created_at=NOVEMBER))
        db.session.add(PageFeedback(article_id=klotter, lang="en", helpful=True, created_at=NOVEMBER))
        db.session.commit()
        tf = department("TF").id
    table = figures(app, "content_feedback")
    feedback = rows(table)
    assert feedback["Hemtjänst"][1:] == (3, pytest.approx(200 / 3), 2)
    assert feedback["Klotter och nedskräpning"][1:] == (2, 50.0, 0)
    assert not any("Bra sida" in str(value) or "070" in str(value) for row in table.rows for value in row)
    assert table.links[0] == f"/sv/redaktion/omdomen?article={hemtjanst}"
    assert rows(figures(app, "content_feedback", lang="en")) == {"Klotter och nedskräpning": (
        department_name(app, "TF"), 1, 100.0, 0)}
    assert list(rows(figures(app, "content_feedback", department_ids=frozenset({tf})))) == ["Klotter och nedskräpning"]


def department_name(app, code):
    with app.app_context():
        return department(code).name_in("sv")


def test_the_feedback_link_shows_that_articles_comments_to_its_editor(app, client, ctx, login_as):
    with ctx():
        klotter, hemtjanst = article_id("klotter-och-nedskrapning"), article_id("hemtjanst")
        db.session.add_all([PageFeedback(article_id=klotter, lang="sv", helpful=False, comment="Skräpigt vid torget"),
                            PageFeedback(article_id=hemtjanst, lang="sv", helpful=False, comment="Om hemtjänst")])
        db.session.commit()
    login_as("editor")           # Tekniska förvaltningen
    html = client.get(f"/sv/redaktion/omdomen?article={klotter}").get_data(as_text=True)
    assert "Skräpigt vid torget" in html and "Om hemtjänst" not in html
    assert "Om hemtjänst" not in client.get(f"/sv/redaktion/omdomen?article={hemtjanst}").get_data(as_text=True)


# --- review dates and translations --------------------------------------------------------
def test_articles_past_their_review_date_per_forvaltning_and_each_linked(app, ctx):
    today = local_today()
    with ctx():
        db.session.execute(Article.__table__.update().values(review_before=today + timedelta(days=100)))
        for slug, days in (("klotter-och-nedskrapning", 10), ("parker-och-lekplatser", 3), ("hemtjanst", 1)):
            db.session.execute(Article.__table__.update().where(Article.id == article_id(slug))
                               .values(review_before=today - timedelta(days=days)))
        db.session.execute(Article.__table__.update().where(Article.id == article_id("trygghetslarm"))
                           .values(review_before=today))                      # due today: not past
        db.session.commit()
        tf, klotter = department("TF").id, article_id("klotter-och-nedskrapning")
    tf_name, sof_name = department_name(app, "TF"), department_name(app, "SOF")
    assert rows(figures(app, "content_overdue_by_department")) == {
        tf_name: (2, today - timedelta(days=10)), sof_name: (1, today - timedelta(days=1))}
    overdue = figures(app, "content_overdue", department_ids=frozenset({tf}))
    assert overdue.rows == [("Klotter och nedskräpning", tf_name, today - timedelta(days=10), 10),
                            ("Parker och lekplatser", tf_name, today - timedelta(days=3), 3)]
    assert overdue.links[0] == f"/sv/redaktion/{klotter}"


def translation_counts(app, **changes):
    return {(row[0], row[1]): row[2:] for row in figures(app, "content_translations", **changes).rows}


def test_missing_and_outdated_translations_per_forvaltning_and_language(app, ctx):
    """AMF has two live pages, one of them in English and none in Finnish; the demo left
    SOF's Finnish financial-assistance page outdated; a change of SOF's Swedish outdates
    its English."""
    amf, sof = department_name(app, "AMF"), department_name(app, "SOF")
    with ctx():
        sof_id = department("SOF").id
    before = translation_counts(app)
    assert before[(amf, "en")] == (2, 1, 0) and before[(amf, "fi")] == (2, 2, 0)
    assert before[(sof, "fi")][2] == workspace_count(ctx, sof_id, "fi", TranslationStatus.OUTDATED) >= 1
    with ctx():
        bistand = article_id("ekonomiskt-bistand")
    change_swedish(ctx, bistand, "prövas ni tillsammans.", "prövas ni gemensamt.")
    after = translation_counts(app, lang="en", department_ids=frozenset({sof_id}))
    assert list(after) == [(sof, "en")]
    assert after[(sof, "en")][2] == before[(sof, "en")][2] + 1
    assert after[(sof, "en")][1] == workspace_count(ctx, sof_id, "en", TranslationStatus.MISSING)


def workspace_count(ctx, department_id, lang, status):
    """What the translators' table says (its own computation, row by row)."""
    with ctx():
        return sum(row.status == status for row in translation_rows([lang], department_id=department_id))


# --- article views -------------------------------------------------------------------------
def views(ctx, slug):
    """Today's stored count, once the reads counted in memory are written (as the
    periodic task does every few seconds)."""
    with ctx():
        operations.write_pending_view_counts()
        return db.session.scalar(select(func.sum(ArticleViews.views)).where(
            ArticleViews.article_id == article_id(slug), ArticleViews.day == local_today())) or 0


def test_a_citizens_page_counts_once_a_304_a_head_and_staff_do_not(app, client, ctx, login_as):
    first = client.get("/sv/artikel/hemtjanst")
    assert first.status_code == 200 and views(ctx, "hemtjanst") == 1
    again = client.get("/sv/artikel/hemtjanst", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and views(ctx, "hemtjanst") == 1
    client.head("/sv/artikel/hemtjanst")
    assert views(ctx, "hemtjanst") == 1
    client.get("/sv/artikel/hemtjanst?x=1")                      # a new visit counts again
    assert views(ctx, "hemtjanst") == 2
    login_as("editor")
    assert client.get("/sv/artikel/hemtjanst").status_code == 200 and views(ctx, "hemtjanst") == 2


def test_a_view_keeps_no_trace_of_the_reader(app, client, ctx):
    client.get("/sv/artikel/hemtjanst", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    with ctx():
        operations.write_pending_view_counts()
        (row,) = db.session.execute(select(ArticleViews.__table__)).all()
    assert set(row._mapping) == {"article_id", "lang", "day", "views"}


def test_article_views_are_purged_after_their_retention(app, ctx, runner):
    with ctx():
        article = article_id("hemtjanst")
        today = local_today()
        db.session.add_all([ArticleViews(article_id=article, lang="sv", day=today - timedelta(days=400), views=7),
                            ArticleViews(article_id=article, lang="sv", day=today - timedelta(days=30), views=2)])
        db.session.commit()
    assert runner.invoke(args=["purge"]).exit_code == 0
    with ctx():
        assert db.session.scalars(select(ArticleViews.views)).all() == [2]


# --- self-service ----------------------------------------------------------------------------
def test_self_service_puts_searches_views_and_contacts_per_topic_side_by_side(app, ctx, runner):
    assert runner.invoke(args=["demo-cases"]).exit_code == 0      # two calls on "omsorg-och-stod"
    today = local_today()
    with ctx():
        varmepump = article_id("installera-varmepump")            # bygga-och-bo, avfall-vatten-och-miljo
        searches("värmepump", 2, clicked=(f"article:{varmepump}", 1), at=utcnow())
        searches("bygglov", 2, topic="bygga-och-bo", at=utcnow())
        db.session.add(ArticleViews(article_id=varmepump, lang="sv", day=today, views=5))
        db.session.add(ArticleViews(article_id=article_id("hemtjanst"), lang="sv", day=today, views=4))
        db.session.add(ArticleViews(article_id=article_id("hemtjanst"), lang="sv", day=today - timedelta(days=60),
                                    views=100))                   # outside the period
        db.session.commit()
    table = figures(app, "self_service_by_topic", start=today - timedelta(days=30), end=today)
    assert [column.key for column in table.columns] == ["topic", "searches", "article_views", "contacts"]
    by_topic = rows(table)
    assert by_topic["Bygga och bo"] == (3, 5, 0)
    assert by_topic["Avfall, vatten och miljö"] == (1, 5, 0)
    assert by_topic["Omsorg och stöd"] == (0, 4, 2)
