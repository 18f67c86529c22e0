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
