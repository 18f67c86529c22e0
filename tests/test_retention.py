"""Personal data out of the statistics, and statistics kept only as long as configured
(issue 9, item 4)."""
from datetime import timedelta

from sqlalchemy import func, select

from content.models import PageFeedback
from portal.clock import utcnow
from portal.extensions import db
from portal.search.models import SearchLogEntry


def latest_log_entry():
    return db.session.scalars(select(SearchLogEntry).order_by(SearchLogEntry.id.desc())).first()


def test_an_agents_query_with_personal_data_is_counted_without_its_words(client, login_as, ctx):
    login_as("agent")
    client.get("/sv/kunskap", query_string={"q": "bygglov 121212–1212"})
    with ctx():
        entry = latest_log_entry()
        assert entry.scope == "agent" and entry.query == ""
    client.get("/sv/kunskap", query_string={"q": "bygglov"})
    with ctx():
        assert latest_log_entry().query == "bygglov"


def test_a_citizens_query_keeps_its_words_without_the_personal_data(client, ctx):
    client.get("/sv/sok", query_string={"q": "bygglov 070‑1234567"})
    with ctx():
        assert latest_log_entry().query == "bygglov [telefon]"


def test_emptied_queries_never_reach_the_zero_hit_report(client, login_as):
    login_as("agent")
    client.get("/sv/kunskap", query_string={"q": "qwxzy 19121212 - 1212"})
    client.get("/sv/sok", query_string={"q": "qwxzy"})
    login_as("editor")
    report = client.get("/sv/redaktion").get_data(as_text=True)
    report = report[report.index("Sökningar utan träffar"):]
    assert "<td>qwxzy</td>" in report and "<td></td>" not in report


def age(model, days):
    """Make every row of ``model`` ``days`` old."""
    db.session.execute(model.__table__.update().values(created_at=utcnow() - timedelta(days=days)))


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_purge_deletes_statistics_past_their_retention(app, client, ctx, runner):
    client.get("/sv/sok", query_string={"q": "gammal sökning"})
    with ctx():
        age(SearchLogEntry, 91)
        age(PageFeedback, 366)
        db.session.commit()
    client.get("/sv/sok", query_string={"q": "ny sökning"})
    result = runner.invoke(args=["purge"])
    assert "search log: 1 deleted" in result.output and "page feedback: 5 deleted" in result.output
    with ctx():
        assert [e.query for e in db.session.scalars(select(SearchLogEntry))] == ["ny sökning"]
        assert count(PageFeedback) == 0


def test_retention_periods_are_configurable(app, ctx, runner):
    app.config.update(PORTAL_SEARCH_LOG_DAYS=400, PORTAL_FEEDBACK_DAYS=400)
    with ctx():
        age(PageFeedback, 366)
        db.session.commit()
    runner.invoke(args=["purge"])
    with ctx():
        assert count(PageFeedback) == 5
