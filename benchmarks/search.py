"""Search benchmark (issue 4): the Whoosh engine against SQLite FTS5 on the same corpus.

    .venv/bin/python benchmarks/search.py [--articles 10000] [--queries 500] [--probes 5]
                                          [--corpus subject|mixed]…

Each corpus is ``--articles`` generated articles (``corpus.py``), each in
Swedish and English, so the index holds twice as many documents.  Both
corpora run by default, one after the other: ``subject`` (each article keeps
to one subject, a word matches few documents) and ``mixed`` (about 3 KB of
text from every subject, so common words match most of the corpus).  The queries
are the golden set plus generated ones (``queries.py``), the same list for the
public and the agent scope.  The parent process generates the workload once
and pickles it; each subject then runs in a subprocess of its own, so that its
peak RSS is its own:

* ``whoosh``: ``WhooshEngine`` driven directly with ``SearchDocument`` objects;
* ``fts5``: the FTS5 reference (``fts5.py``) with the same documents;
* ``app``: a demo instance whose index also holds the corpus, searched through
  ``portal.search.search`` (synonyms, best bets and the query log in SQLite),
  publishing through the ``approve`` action (``content.operations``) and ``portal.search.drain``.

Each subject: build (index throughput, docs/s), every query in both scopes
(p50/p95/max), then ``--probes`` articles published one by one, each timed from
publishing until a search for a word in its title finds it.  The targets are
checked per corpus, the engine against FTS5 of the same run.
"""
import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median

sys.path[0] = str(Path(__file__).resolve().parent.parent)   # the repository, not benchmarks/

from benchmarks.corpus import Corpus, search_documents
from benchmarks.fts5 import Fts5Index
from benchmarks.harness import (
    Stopwatch, argument_parser, demo_admin, department_ids, init_demo, latency_ms, peak_rss_mb, percentile,
    portal_app, print_table, submit_article,
)
from portal.search.documents import AGENT, PUBLIC, SearchRequest
from portal.search.engine import WhooshEngine
from benchmarks.queries import QueryMaker

SUBJECTS = ("whoosh", "fts5", "app")
CORPORA = ("subject", "mixed")
CORPUS_ID = 1_000_000      # corpus document ids, clear of the demo's article ids
PROBE_ID = 2_000_000       # ids of the articles published during the run (engine subjects)
WARM_UP = 20
SEARCHABLE_TIMEOUT = 30.0


@dataclass
class Probe:
    """An article to publish during the run; ``query`` (a word only it has) must find it.

    The query is a word of its own so that the time is that of getting the article
    into the index, not that of a broad query (query latency is measured apart)."""

    raw: dict
    doc_id: int
    query: str


def options():
    parser = argument_parser(__doc__, 10000, "generated articles, each in sv and en")
    parser.add_argument("--queries", type=int, default=500, help="queries per scope (500)")
    parser.add_argument("--probes", type=int, default=5, help="articles published and timed (5)")
    parser.add_argument("--only", choices=SUBJECTS, action="append",
                        help="run only this subject (repeatable)")
    parser.add_argument("--corpus", choices=CORPORA, action="append",
                        help="run only this corpus (repeatable; default both)")
    parser.add_argument("--child", choices=SUBJECTS, help=argparse.SUPPRESS)
    parser.add_argument("--workload", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


# --- the workload (parent) --------------------------------------------------------------
def make_workload(opts, corpus_name):
    corpus = Corpus(opts.seed, mixed=corpus_name == "mixed")
    documents = []
    for n in range(opts.articles):
        documents += search_documents(corpus.article(n), CORPUS_ID + n)
        if (n + 1) % 2000 == 0:
            log(f"  generated {n + 1}/{opts.articles} articles")
    return {"documents": documents, "queries": QueryMaker(corpus, opts.seed).make(opts.queries),
            "probes": [probe(corpus, opts.articles + k, k) for k in range(opts.probes)]}


def probe(corpus, n, k):
    """Corpus article n with a word in its titles that no other article has."""
    raw, marker = corpus.article(n), f"provartikel{k}"
    for lang in ("sv", "en"):
        raw[lang]["title"] += f" {marker}"
    return Probe(raw=raw, doc_id=PROBE_ID + k, query=marker)


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- the subjects (children) --------------------------------------------------------------
class WhooshIndex:
    """The engine without its result cache, so that a query asked twice is timed twice
    (the app subject keeps the cache, as the portal runs)."""

    def __init__(self, folder):
        self.engine = WhooshEngine(folder, results_kept=0)

    def build(self, documents):
        return self.engine.rebuild(documents)

    def publish(self, documents):
        self.engine.write(documents, {doc.ref for doc in documents})

    def search(self, q, lang, scope):
        results = self.engine.search(SearchRequest(q=q, lang=lang, scope=scope))
        return results.total, [hit.doc_id for hit in results.hits]


class EngineSubject:
    """An index driven with ``SearchDocument`` objects: Whoosh or FTS5."""

    def __init__(self, index):
        self.index = index
        self.search = index.search

    def build(self, documents):
        self.index.build(documents)
        return len(documents)

    @staticmethod
    def prepare(probe):
        return list(search_documents(probe.raw, probe.doc_id))

    def publish(self, documents):
        self.index.publish(documents)
        return str(documents[0].doc_id)


class AppSubject:
    """The portal itself: demo instance, workflow, outbox, ``portal.search.search``."""

    def __init__(self, folder):
        self.app = portal_app(folder)
        init_demo(self.app)

    def build(self, documents):
        """The demo's documents (from the database, as ``portal reindex``) plus the corpus."""
        from portal import search

        with self.app.test_request_context():
            return search.engine().rebuild([*search.all_documents(), *documents])

    def prepare(self, probe):
        """Created and submitted (not timed); publishing is the approval."""
        with self.app.app_context():
            return submit_article(probe.raw, demo_admin(), department_ids()).id

    def publish(self, article_id):
        from content.models import Article
        from content.operations import ACTIONS
        from portal import search
        from portal.extensions import db

        with self.app.test_request_context():
            article = db.session.get(Article, article_id)
            ACTIONS["approve"].execute(article, demo_admin(), revision=article.latest_revision)
            search.drain()
        return str(article_id)

    def search(self, q, lang, scope):
        from portal import search

        with self.app.test_request_context():
            results = search.search(SearchRequest(q=q, lang=lang, scope=scope))
            return results.total, [hit.doc_id for hit in results.hits]


def make_subject(name, folder):
    if name == "whoosh":
        return EngineSubject(WhooshIndex(folder / "index"))
    if name == "fts5":
        folder.mkdir(parents=True)
        return EngineSubject(Fts5Index(str(folder / "fts5.sqlite3"), ("sv", "en")))
    return AppSubject(folder)


# --- measuring (children) -----------------------------------------------------------------
def query_latency(subject, queries, scope):
    for query in queries[:WARM_UP]:
        subject.search(query.q, query.lang, scope)
    seconds, totals = [], []
    for query in queries:
        with Stopwatch() as watch:
            total, _ids = subject.search(query.q, query.lang, scope)
        seconds.append(watch.seconds)
        totals.append(total)
    totals.sort()
    return {**latency_ms(seconds), "answered": sum(t > 0 for t in totals) / len(totals),
            "matched_p50": percentile(totals, 0.5), "matched_p95": percentile(totals, 0.95)}


def time_to_searchable(subject, probe):
    """Seconds from publishing ``probe`` until searching for its marker word finds it."""
    prepared = subject.prepare(probe)
    with Stopwatch() as watch:
        doc_id = subject.publish(prepared)
        while doc_id not in subject.search(probe.query, "sv", PUBLIC)[1]:
            if time.perf_counter() - watch.started > SEARCHABLE_TIMEOUT:
                raise RuntimeError(f"{probe.query!r} not searchable after {SEARCHABLE_TIMEOUT} s")
            time.sleep(0.01)
    return watch.seconds


def measure(subject, workload, folder):
    rss_loaded = peak_rss_mb()
    with Stopwatch() as build:
        indexed = subject.build(workload["documents"])
    log(f"  indexed {indexed} documents in {build.seconds:.1f} s")
    size_mb = disk_mb(folder)
    latency = {scope: query_latency(subject, workload["queries"], scope)
               for scope in (PUBLIC, AGENT)}
    publish = [time_to_searchable(subject, probe) for probe in workload["probes"]]
    return {"documents": indexed, "build_s": build.seconds,
            "docs_per_s": indexed / build.seconds, "size_mb": size_mb, "latency": latency,
            "publish_ms": {"median": median(publish) * 1000, "max": max(publish) * 1000},
            "rss_loaded_mb": rss_loaded, "rss_peak_mb": peak_rss_mb()}


def disk_mb(folder):
    """What the files under ``folder`` take on disk just after the build (the app's
    folder also holds the demo database)."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def child(name, workload_path):
    with open(workload_path, "rb") as handle:
        workload = pickle.load(handle)
    with tempfile.TemporaryDirectory(prefix=f"portal-search-{name}-") as scratch:
        folder = Path(scratch) / name
        figures = measure(make_subject(name, folder), workload, folder)
    print(json.dumps(figures))


def run_child(name, workload_path):
    log(f"{name}: running")
    command = [sys.executable, __file__, "--child", name, "--workload", str(workload_path)]
    output = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


# --- report (parent) ----------------------------------------------------------------------
def ms(figures):
    return f"{figures['p50']:.1f} / {figures['p95']:.1f} / {figures['max']:.1f}"


def report_rows(results):
    names = [name for name in SUBJECTS if name in results]

    def row(label, cell):
        return [label] + [cell(results[name]) for name in names]

    return names, [
        row("index build (docs/s)", lambda r: f"{r['docs_per_s']:.0f}"),
        row("index build (s)", lambda r: f"{r['build_s']:.1f}"),
        row("on disk after the build (MB)", lambda r: f"{r['size_mb']:.1f}"),
        row("publish → searchable, median / max (ms)",
            lambda r: f"{r['publish_ms']['median']:.0f} / {r['publish_ms']['max']:.0f}"),
        row("public query p50 / p95 / max (ms)", lambda r: ms(r["latency"][PUBLIC])),
        row("agent query p50 / p95 / max (ms)", lambda r: ms(r["latency"][AGENT])),
        row("queries with hits, public / agent (%)", lambda r: "{:.0f} / {:.0f}".format(
            r["latency"][PUBLIC]["answered"] * 100, r["latency"][AGENT]["answered"] * 100)),
        row("documents matched per public query, p50 / p95",
            lambda r: "{matched_p50} / {matched_p95}".format(**r["latency"][PUBLIC])),
        row("documents matched per agent query, p50 / p95",
            lambda r: "{matched_p50} / {matched_p95}".format(**r["latency"][AGENT])),
        row("peak RSS (MB)", lambda r: f"{r['rss_peak_mb']:.0f}"),
        row("RSS growth after loading the workload (MB)",
            lambda r: f"{r['rss_peak_mb'] - r['rss_loaded_mb']:.0f}"),
    ]


def targets(results):
    """(target, figure, met) for the issue's targets that this run measured."""
    checks = []
    whoosh, fts5 = results.get("whoosh"), results.get("fts5")
    if whoosh:
        checks.append(("rebuild ≥ 500 docs/s", f"{whoosh['docs_per_s']:.0f}",
                       whoosh["docs_per_s"] >= 500))
    for name in ("whoosh", "app"):
        if name in results:
            publish = results[name]["publish_ms"]["max"]
            checks.append((f"publish → searchable < 1 s ({name}, max)", f"{publish:.0f} ms",
                           publish < 1000))
    for scope in (PUBLIC, AGENT):
        if whoosh:
            p95 = whoosh["latency"][scope]["p95"]
            checks.append((f"{scope} p95 < 30 ms", f"{p95:.1f} ms", p95 < 30))
        if whoosh and fts5:
            ratio = whoosh["latency"][scope]["p95"] / fts5["latency"][scope]["p95"]
            checks.append((f"{scope} p95 ≤ 2 × FTS5", f"{ratio:.1f} ×", ratio <= 2))
    return checks


def report(opts, corpus_name, workload, results):
    queries = workload["queries"]
    golden = sum(q.kind.startswith("golden") for q in queries)
    documents = workload["documents"]
    size_kb = sum(len(f"{d.title} {' '.join(d.keywords)} {d.summary} {d.body}".encode())
                  for d in documents) / len(documents) / 1000
    print(f"\nSearch benchmark, {corpus_name} corpus: {opts.articles} articles → "
          f"{len(documents)} documents (sv+en) of {size_kb:.1f} KB on average; "
          f"{len(queries)} queries per scope ({golden} golden); "
          f"{opts.probes} publish probes; {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}")
    names, rows = report_rows(results)
    labels = {"whoosh": "Whoosh", "fts5": "FTS5", "app": "Whoosh via app"}
    print_table(f"Figures, {corpus_name} corpus (app: portal.search.search, workflow approve + "
                "drain; its index also holds the demo's documents)",
                ["figure", *(labels[name] for name in names)], rows)
    print_table(f"Targets, {corpus_name} corpus", ["target", "measured", "met"],
                [[label, figure, "yes" if met else "NO"] for label, figure, met in targets(results)])


def run_corpus(opts, corpus_name, scratch):
    """Generate the corpus's workload, run each chosen subject on it and report."""
    log(f"{corpus_name} corpus: generating {opts.articles} articles and {opts.queries} queries")
    workload = make_workload(opts, corpus_name)
    path = Path(scratch) / f"workload-{corpus_name}.pickle"
    path.write_bytes(pickle.dumps(workload))
    results = {name: run_child(name, path) for name in SUBJECTS
               if not opts.only or name in opts.only}
    path.unlink()
    return workload, results


def main():
    opts = options()
    if opts.child:
        return child(opts.child, opts.workload)
    with tempfile.TemporaryDirectory(prefix="portal-search-") as scratch:
        runs = {name: run_corpus(opts, name, scratch) for name in CORPORA
                if not opts.corpus or name in opts.corpus}
    for name, (workload, results) in runs.items():
        report(opts, name, workload, results)


if __name__ == "__main__":
    main()
