"""The load benchmark's verdict (benchmarks/load.py), from hand-made requests.

Locust itself is an optional dependency and is not run here; these are the figures
and the targets the benchmark prints from what its users recorded."""
from benchmarks.load import figures_by_kind, misses


def test_figures_per_kind_leave_failures_out_of_the_times():
    requests = [("page: article", 100, True), ("page: article", 200, True), ("page: article", 9000, False),
                ("search: citizen", 50, True)]
    figures = figures_by_kind(requests)
    assert figures["page: article"]["n"] == 3 and figures["page: article"]["failed"] == 1
    # nearest rank of the two answered: p50 is the first, p95 the second, the failure's 9 s nowhere
    assert (figures["page: article"]["p50"], figures["page: article"]["p95"]) == (100, 200)
    assert figures["page: article"]["max"] == 200
    assert figures["search: citizen"]["failed"] == 0


def kind(p95, failed=0, n=100):
    return {"p95": p95, "failed": failed, "n": n}


def test_targets_are_p95_under_300_ms_for_pages_200_for_searches_and_under_1_percent_failed():
    met = {"page: start": kind(299), "search: citizen": kind(199), "form: log in": kind(5000)}
    assert misses(met, failures=0, total=300) == []
    assert misses(met, failures=2, total=300) == []            # 0.67 %
    assert misses(met, failures=3, total=300) == ["failures 1.00% ≥ 1%"]
    missed = {"page: start": kind(300), "search: citizen": kind(200), "form: log in": kind(5000)}
    assert misses(missed, failures=0, total=300) == [
        "page: start: p95 300 ms ≥ 300 ms", "search: citizen: p95 200 ms ≥ 200 ms"]


def test_the_cpu_meter_counts_requests_by_endpoint_and_page_cache_verdict(app, client, monkeypatch):
    import flask

    from benchmarks import cpu_meter

    monkeypatch.delenv(cpu_meter.DIRECTORY_VARIABLE, raising=False)
    monkeypatch.setattr(flask.Flask, "wsgi_app", cpu_meter.measured_wsgi_app(flask.Flask.wsgi_app))
    flask.request_finished.connect(cpu_meter.note_kind)
    try:
        before = cpu_meter.sums()
        for query in ({}, {}, {"utm": "x"}):
            assert client.get("/sv/artikel/hemtjanst", query_string=query).status_code == 200
        assert client.get("/healthz").status_code == 200
    finally:
        flask.request_finished.disconnect(cpu_meter.note_kind)
    after = cpu_meter.sums()
    counted = {kind: after[kind][0] - before.get(kind, (0, 0))[0] for kind in after}
    assert counted["content.article (miss)"] == 1            # the first reader's page is rendered and kept
    assert counted["content.article (hit)"] == 1             # the second gets the copy
    assert counted["content.article (not cacheable: query string)"] == 1
    assert counted["portal.healthz"] == 1
    assert after["content.article (miss)"][1] > before.get("content.article (miss)", (0, 0.0))[1]
