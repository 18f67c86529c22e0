"""Page benchmark (issue 3): article pages with 5,000 articles in the database.

    .venv/bin/python benchmarks/pages.py [--articles 5000] [--pages 500] [--clients 8] [--seconds 10]

1. A throw-away instance folder: ``portal init --demo``, then generated articles
   (``corpus.py``) until ``--articles`` exist.  Each goes through the real
   workflow, ``create_article`` → ``submit`` → ``approve`` (which publishes it:
   revision with rendered HTML, live translations sv/en, topics, related
   articles, agent layer, search outbox), not bulk inserts: at about 35 ms an
   article, 5,000 take about three minutes.  Then ``portal reindex``.
2. Server time per page with Flask's test client (no network, no HTTP
   parsing) and the page cache off: ``/sv/artikel/<slug>`` anonymously and
   ``/sv/kunskap/<id>`` logged in as the demo agent, over ``--pages`` random
   published articles.
3. ``portal serve`` (waitress) in a subprocess; ``--clients`` threads with
   keep-alive connections GET, for ``--seconds`` each (in five slices, in turns
   with the others): the static file ``/static/js/portal.js`` (the server's
   floor), one article page (after its first request from the page cache) as
   new readers without a cookie and as a reader sending their session cookie,
   the same page with its ETag (304), the start page and ``/healthz``; then
   the ratio of the cached article's rate to the static file's.  Client and
   server share the machine's cores, so the figures are a floor for a separate
   client.
"""
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

sys.path[0] = str(Path(__file__).resolve().parent.parent)   # the repository, not benchmarks/

from benchmarks.corpus import Corpus
from benchmarks.harness import (
    StatementCounter, Stopwatch, argument_parser, article_count, demo_admin, department_ids, init_demo, latency_ms,
    portal_app, print_table, publish_article,
)
from portal.config import DEFAULTS
from portal.demo import DEMO_PASSWORD
from portal.extensions import db

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REINDEXED = re.compile(r"Search index rebuilt with \d+ documents\.")
WARM_UP = 20


def options():
    parser = argument_parser(__doc__, 5000, "articles in the database, the demo's included")
    parser.add_argument("--pages", type=int, default=500, help="random pages per view (500)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (8)")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (8)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each load run (10)")
    parser.add_argument("--no-page-cache", action="store_true",
                        help="serve without the page cache (PORTAL_CACHE_URL=none://), to compare")
    parser.add_argument("--instance", type=Path,
                        help="instance folder to build (or reuse if it has enough articles); "
                             "default: a temporary folder, removed afterwards")
    return parser.parse_args()


# --- building the instance ----------------------------------------------------------
def build_instance(folder, articles, seed):
    """Demo data plus generated, published articles until ``articles`` exist."""
    app = portal_app(folder)
    if not (folder / "portal.sqlite3").exists():
        init_demo(app)
    else:                # a kept instance, made by an older version: its schema brought up to date
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        if result.exit_code != 0:
            raise RuntimeError(f"portal db upgrade failed:\n{result.output}") from result.exception
    with app.app_context():
        existing = article_count()
        missing = articles - existing
        if missing <= 0:
            return app
        with Stopwatch() as watch:
            add_generated_articles(Corpus(seed), range(existing, articles))
    log(f"published {missing} generated articles in {watch.seconds:.0f} s "
        f"({watch.seconds / missing * 1000:.0f} ms each)")
    result = app.test_cli_runner().invoke(args=["reindex"])
    log(REINDEXED.search(result.output).group(0))   # the message, not the progress bar
    return app


def add_generated_articles(corpus, numbers):
    """Corpus articles ``numbers`` (numbered after the articles already there, so slugs
    stay unique when an instance is topped up); each relates to earlier ones."""
    admin, departments, slug_ids = demo_admin(), department_ids(), {}
    for done, n in enumerate(numbers, start=1):
        raw = corpus.article(n)
        slug_ids[raw["sv"]["slug"]] = publish_article(raw, admin, departments, slug_ids).id
        if done % 500 == 0:
            log(f"  {done}/{len(numbers)} articles")


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- server time per page -----------------------------------------------------------
def sample_articles(app, count, seed):
    """(article id, Swedish slug) of ``count`` random published articles."""
    from content.models import ArticleTranslation

    with app.app_context():
        rows = db.session.execute(select(ArticleTranslation.article_id, ArticleTranslation.slug)
                                  .where(ArticleTranslation.lang == "sv")
                                  .order_by(ArticleTranslation.article_id)).all()
    return random.Random(seed).sample(rows, min(count, len(rows)))


def time_pages(client, urls, counter):
    """Latency per GET (after a warm-up), with the median CPU time and count of SQL
    statements; failing loudly on anything but 200."""
    seconds, cpu_seconds, statements = [], [], []
    for number, url in enumerate(urls[:WARM_UP] + urls):
        before, cpu_before = counter.count, time.process_time()
        with Stopwatch() as watch:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        if number >= WARM_UP:
            seconds.append(watch.seconds)
            cpu_seconds.append(time.process_time() - cpu_before)
            statements.append(counter.count - before)
    return {**latency_ms(seconds), "cpu": statistics.median(cpu_seconds) * 1000,
            "statements": statistics.median(statements)}


def log_in(client, username):
    page = client.get("/sv/logga-in").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    response = client.post("/sv/logga-in", data={"csrf_token": token, "username": username,
                                                  "password": DEMO_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed ({response.status_code})")


def page_times(app, sample):
    with app.app_context():
        counter = StatementCounter(db.engine)
    public = time_pages(app.test_client(), [f"/sv/artikel/{slug}" for _id, slug in sample], counter)
    agent_client = app.test_client()
    log_in(agent_client, "agent")
    agent = time_pages(agent_client, [f"/sv/kunskap/{article_id}" for article_id, _slug in sample], counter)
    return {"public article /sv/artikel/<slug>": public, "agent view /sv/kunskap/<id>": agent}


# --- requests per second against portal serve ---------------------------------------
SERVE = "from portal.cli import main; main()"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(folder, port, threads, page_cache=True, processes=1, code=SERVE, env=None):
    """``portal serve`` on ``folder`` in a subprocess (``code`` runs the command line);
    ``env`` adds to the environment."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PORTAL_DATABASE_URL", "PORTAL_INDEX_DIR", "PORTAL_CACHE_URL")} | (env or {})
    env["PORTAL_INSTANCE_DIR"] = str(folder)
    if not page_cache:
        env["PORTAL_CACHE_URL"] = "none://"
    command = [sys.executable, "-c", code, "serve", "--host", "127.0.0.1", "--port", str(port),
               "--threads", str(threads), "--processes", str(processes)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    wait_until_healthy(server, port)
    return server


def wait_until_healthy(server, port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if get(http.client.HTTPConnection("127.0.0.1", port), "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("portal serve did not become healthy")


def get(connection, path, headers=None):
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    return response.status, response.getheader("ETag"), body


def server_cpu_seconds(pid):
    """User + system CPU time of a process and of its live children (the workers of
    ``portal serve --processes N``), from /proc (Linux)."""
    proc = Path(f"/proc/{pid}")
    fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
    children = (proc / "task" / str(pid) / "children").read_text().split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(server_cpu_seconds(int(child)) for child in children)


@dataclass
class Load:
    """One kind of request and what its slices of load measured."""
    path: str
    headers: dict
    expected: int
    durations: list = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def figures(self):
        return {"rps": len(self.durations) / self.seconds, "errors": self.errors,
                "cpu_ms": self.cpu_seconds * 1000 / max(1, len(self.durations)), **latency_ms(self.durations)}


def load_slice(port, load, clients, seconds, server_pid):
    """``clients`` keep-alive connections GET ``load.path`` until time is up."""
    deadline = time.perf_counter() + seconds
    durations, errors = [], []

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port)
        while time.perf_counter() < deadline:
            with Stopwatch() as watch:
                status = get(connection, load.path, load.headers)[0]
            (durations if status == load.expected else errors).append(watch.seconds)

    workers = [threading.Thread(target=client) for _ in range(clients)]
    cpu = server_cpu_seconds(server_pid)
    with Stopwatch() as watch:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    load.cpu_seconds += server_cpu_seconds(server_pid) - cpu
    load.durations += durations
    load.errors += len(errors)
    load.seconds += watch.seconds


STATIC_FILE = "/static/js/portal.js"
SESSION_COOKIE = DEFAULTS["SESSION_COOKIE_NAME"]
ROUNDS = 5


def first_visit(port, path):
    """The page's ETag and the session cookie that goes with it: the article's form
    (its CSRF token) makes the ETag the reader's own, so a browser revalidates with both."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    etag = response.getheader("ETag")
    cookies = [c.split(";", 1)[0] for c in response.msg.get_all("Set-Cookie") or ()]
    session = next((c for c in cookies if c.startswith(f"{SESSION_COOKIE}=")), None)
    assert response.status == 200 and etag and session, f"{path} answered {response.status} without an ETag"
    return etag, session


def throughput(folder, path, options):
    """The article (served by the page cache after its first request), its 304, the
    start page and /healthz beside the static file in the same server.  Each kind runs
    ``ROUNDS`` slices of ``--seconds / ROUNDS``, in turns, so that a change in the
    machine's load (it is shared) meets every kind alike and the ratios hold."""
    port = free_port()
    server = start_server(folder, port, options.threads, page_cache=not options.no_page_cache)
    try:
        etag, cookie = first_visit(port, path)
        loads = {f"static file {STATIC_FILE}": Load(STATIC_FILE, {}, 200),
                 "article GET → 200 (new reader)": Load(path, {}, 200),
                 "article GET → 200 (with its cookie)": Load(path, {"Cookie": cookie}, 200),
                 "article GET If-None-Match → 304": Load(path, {"If-None-Match": etag, "Cookie": cookie}, 304),
                 "start page /sv/": Load("/sv/", {}, 200),
                 "/healthz": Load("/healthz", {}, 200)}
        for _round in range(ROUNDS):
            for load in loads.values():
                load_slice(port, load, options.clients, options.seconds / ROUNDS, server.pid)
        return {label: load.figures() for label, load in loads.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- report ---------------------------------------------------------------------------
def report(options, count, pages, runs, path):
    print(f"\nPages benchmark: {count} articles in the database (sv+en), "
          f"{options.pages} random articles per view, {os.cpu_count()} cores")
    print_table("Server time per page (Flask test client, in process, page cache off)",
                ["page", "median ms", "p95 ms", "max ms", "CPU p50 ms", "statements", "pages"],
                [[name, f"{t['p50']:.1f}", f"{t['p95']:.1f}", f"{t['max']:.1f}", f"{t['cpu']:.1f}",
                  f"{t['statements']:g}", t["n"]] for name, t in pages.items()])
    cache = "off" if options.no_page_cache else "on"
    print_table(f"portal serve (waitress, {options.threads} threads, page cache {cache}), {options.clients} client "
                f"threads × {options.seconds:g} s each ({ROUNDS} slices in turns), article {path}",
                ["request", "req/s", "p50 ms", "p95 ms", "server CPU ms/req", "errors"],
                [[name, f"{r['rps']:.0f}", f"{r['p50']:.1f}", f"{r['p95']:.1f}",
                  f"{r['cpu_ms']:.2f}", r["errors"]] for name, r in runs.items()])
    static = runs[f"static file {STATIC_FILE}"]["rps"]
    print(f"\nArticle (page cache {cache}) / static file, in the same run (target ≥ 80 %): "
          f"{runs['article GET → 200 (new reader)']['rps'] / static:.0%} for new readers, "
          f"{runs['article GET → 200 (with its cookie)']['rps'] / static:.0%} with their cookie")


def main():
    opts = options()
    os.environ["PORTAL_CACHE_URL"] = "none://"   # in process: the views' own time (the server caches)
    with tempfile.TemporaryDirectory(prefix="portal-pages-") as scratch:
        folder = (opts.instance or Path(scratch) / "instance").resolve()
        app = build_instance(folder, opts.articles, opts.seed)
        with app.app_context():
            count = article_count()
        sample = sample_articles(app, opts.pages, opts.seed)
        pages = page_times(app, sample)
        path = f"/sv/artikel/{sample[0][1]}"
        runs = throughput(folder, path, opts)
    report(opts, count, pages, runs, path)


if __name__ == "__main__":
    main()
