"""Load benchmark (issue 16): a crisis peak against ``portal serve`` with Locust.

    .venv/bin/python benchmarks/load.py [--users 200] [--seconds 300] [--spawn-rate 10] [--quick]

1. A throw-away instance with the demo data of ``make run``: ``portal init --demo``,
   ``portal demo-cases``, ``portal demo-history``.
2. ``portal serve`` (waitress) on 127.0.0.1 in a subprocess, and Locust, headless, in
   another (``load_users.py``): citizens read the start page, topics, articles and
   alerts and search; e-service users open the catalogue, landing pages and the
   tracking page of a case; agents, logged in, search as they type and open the
   knowledge view and the contact workspace; one editor edits and sends articles for
   review, and one reviewer approves them, through the real pages.
3. Prints requests/s, p50/p95 per kind of request, the failure ratio, and whether the
   issue's targets are met: failures < 1 %, p95 < 300 ms for every kind of page and
   < 200 ms for every kind of search.  POSTs (logging in, saving, submitting,
   approving) are reported, not judged.
4. Afterwards every page approved during the run is fetched anonymously: it must
   show the sentence the editor added (no stale page from a cache).

The rate limit on anonymous POSTs (``PORTAL_RATELIMIT_PUBLIC_FORMS``, 10 a minute per
address) is raised for the run: every simulated user comes from 127.0.0.1, while
real ones each have their own address.  The limiter still runs and counts.  Locust
shares the machine's cores with the server, so the figures are a floor.
"""
import argparse
import http.client
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

sys.path[0] = str(Path(__file__).resolve().parent.parent)   # the repository, not benchmarks/

from benchmarks import cpu_meter  # noqa: E402
from benchmarks.harness import Stopwatch, init_demo, latency_ms, portal_app, print_table  # noqa: E402
from benchmarks.pages import free_port, server_cpu_seconds, start_server  # noqa: E402
from benchmarks.queries import golden_queries  # noqa: E402
from portal.demo import DEMO_PASSWORD  # noqa: E402
from portal.extensions import db  # noqa: E402

USERS_FILE = Path(__file__).resolve().parent / "load_users.py"
TARGET_P95_MS = {"page": 300, "search": 200}
POOLED = {"page": "all pages", "search": "all searches"}
MAX_FAILURE_RATIO = 0.01
QUICK = {"users": 20, "seconds": 30}
TRACKED_CASES = 200
SERVE_MEASURED = "from benchmarks.cpu_meter import install; install(); from portal.cli import main; main()"


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, help="simulated users (200; 20 with --quick)")
    parser.add_argument("--seconds", type=int, help="length of the run (300; 30 with --quick)")
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="users started per second (10)")
    parser.add_argument("--quick", action="store_true", help="a short run: 20 users, 30 s")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads of each process (8, as portal serve)")
    parser.add_argument("--processes", type=int, default=1,
                        help="portal serve --processes: worker processes (1, as portal serve)")
    parser.add_argument("--instance", type=Path,
                        help="instance folder to build (or reuse); default: a temporary folder")
    opts = parser.parse_args()
    defaults = QUICK if opts.quick else {"users": 200, "seconds": 300}
    opts.users = opts.users or defaults["users"]
    opts.seconds = opts.seconds or defaults["seconds"]
    return opts


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- the instance -------------------------------------------------------------------
def build_instance(folder):
    """The demo data of ``make run``, unless the folder already has it."""
    app = portal_app(folder)
    if (folder / "portal.sqlite3").exists():
        return app
    with Stopwatch() as watch:
        init_demo(app)
        for command in ("demo-cases", "demo-history"):
            result = app.test_cli_runner().invoke(args=[command])
            if result.exit_code != 0:
                raise RuntimeError(f"portal {command} failed:\n{result.output}") from result.exception
    log(f"demo instance built in {watch.seconds:.0f} s")
    return app


def targets(app):
    """What the simulated users visit: read from the instance before the run."""
    from content.models import Article, ArticleTranslation
    from eservices import registry
    from eservices.models import Case
    from portal.org.models import Department, Topic

    with app.app_context():
        live = (select(ArticleTranslation.article_id, ArticleTranslation.slug)
                .join(Article, Article.id == ArticleTranslation.article_id)
                .where(ArticleTranslation.lang == "sv", Article.archived_at.is_(None),
                       Article.live_revision_id.is_not(None)))
        articles = db.session.execute(live).all()
        editable = db.session.execute(live.join(Department).where(
            Department.code == "TF", Article.latest_revision_id == Article.live_revision_id)).all()
        tokens = db.session.scalars(select(Case.tracking_token).order_by(Case.id.desc())
                                    .limit(TRACKED_CASES)).all()
        return {
            "articles": [slug for _id, slug in articles],
            "agent_articles": [article_id for article_id, _slug in articles],
            "topics": db.session.scalars(select(Topic.slug)).all(),
            "eservices": sorted(registry.services()),
            "tracking_tokens": tokens,
            "queries": [query.q for query in golden_queries() if query.lang == "sv"],
            "editable": [{"id": article_id, "slug": slug} for article_id, slug in editable],
            "password": DEMO_PASSWORD, "agent": "agent", "editor": "editor", "reviewer": "admin",
        }


# --- the run --------------------------------------------------------------------------
def page_generation(app):
    from portal.pagecache import PageGeneration

    with app.app_context():
        return db.session.get(PageGeneration, 1).value


def run_locust(base, opts, targets_file, results_file):
    """Locust, headless, in its own process (it patches the standard library for gevent)."""
    env = {**os.environ, "LOAD_TARGETS": str(targets_file), "LOAD_RESULTS": str(results_file),
           "PYTHONPATH": str(USERS_FILE.parent.parent)}   # the users read forms with tests/pageforms.py
    command = [sys.executable, "-m", "locust", "-f", str(USERS_FILE), "--headless", "--host", base,
               "--users", str(opts.users), "--spawn-rate", str(opts.spawn_rate),
               "--run-time", f"{opts.seconds}s", "--stop-timeout", "5", "--only-summary",
               "--loglevel", "WARNING"]
    completed = subprocess.run(command, env=env, stdout=subprocess.DEVNULL)   # its errors: stderr
    if not results_file.exists():
        raise RuntimeError(f"Locust failed (exit status {completed.returncode})")
    return json.loads(results_file.read_text(encoding="utf-8"))


def stale_pages(port, published):
    """The pages approved during the run that do not show the sentence of their last
    approval (an earlier one's sentence was replaced by the next edit)."""
    stale = []
    for slug, marker in dict(published).items():
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("GET", f"/sv/artikel/{slug}")
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        if response.status != 200 or marker not in body:
            stale.append(slug)
    return stale


# --- figures ----------------------------------------------------------------------------
def figures_by_kind(requests):
    """{kind: figures}: count, failures and latency of the successful ones."""
    kinds = {}
    for name, milliseconds, ok in requests:
        kind = kinds.setdefault(name, {"ok": [], "failed": 0})
        if ok:
            kind["ok"].append(milliseconds / 1000)
        else:
            kind["failed"] += 1
    return {name: {**latency_ms(kind["ok"] or [0]), "n": len(kind["ok"]) + kind["failed"],
                   "failed": kind["failed"]} for name, kind in sorted(kinds.items())}


def category(kind):
    return kind.split(":", 1)[0]


def misses(by_kind, failures, total):
    """What misses the issue's targets, in words; empty when all are met."""
    found = [f"{kind}: p95 {f['p95']:.0f} ms ≥ {TARGET_P95_MS[category(kind)]} ms"
             for kind, f in by_kind.items()
             if category(kind) in TARGET_P95_MS and f["p95"] >= TARGET_P95_MS[category(kind)]]
    if failures >= MAX_FAILURE_RATIO * total:
        found.insert(0, f"failures {failures / max(total, 1):.2%} ≥ {MAX_FAILURE_RATIO:.0%}")
    return found


def report(opts, results, by_kind, stale, machine):
    total = sum(f["n"] for f in by_kind.values())
    failures = sum(f["failed"] for f in by_kind.values())
    seconds = results["seconds"]
    print(f"\nLoad benchmark: {opts.users} users (spawned {opts.spawn_rate:g}/s) for {opts.seconds} s "
          f"against portal serve (waitress, {opts.processes} × {opts.threads} threads), demo data, "
          f"{os.cpu_count()} cores")
    rows = [[kind, f["n"], f"{f['n'] / seconds:.1f}", f"{f['p50']:.0f}", f"{f['p95']:.0f}",
             f"{f['max']:.0f}", f["failed"],
             f"< {TARGET_P95_MS[category(kind)]}" if category(kind) in TARGET_P95_MS else "–"]
            for kind, f in by_kind.items()]
    for name in ("page", "search"):
        pooled = [r for r in results["requests"] if category(r[0]) == name and r[2]]
        if pooled:
            f = latency_ms([r[1] / 1000 for r in pooled])
            rows.append([POOLED[name], f["n"], f"{f['n'] / seconds:.1f}", f"{f['p50']:.0f}",
                         f"{f['p95']:.0f}", f"{f['max']:.0f}", "", f"< {TARGET_P95_MS[name]}"])
    print_table("Requests by kind (ms; failures are not in the times)",
                ["kind", "requests", "req/s", "p50", "p95", "max", "failed", "p95 target"], rows)
    print(f"\nAll: {total} requests in {seconds:.0f} s = {total / seconds:.1f} req/s; "
          f"failures {failures} ({failures / max(total, 1):.2%})")
    print(f"Server CPU {machine['server_cpu']:.0f} s ({machine['server_cpu'] * 1000 / max(total, 1):.1f} ms "
          f"a request), Locust CPU {machine['client_cpu']:.0f} s "
          f"over {seconds:.0f} s on {os.cpu_count()} cores; load average at the end "
          f"{machine['load'][0]:.1f} / {machine['load'][1]:.1f} / {machine['load'][2]:.1f} "
          f"(before {machine['load_before'][0]:.1f})")
    pages = len(dict(results["published"]))
    print(f"Approved during the run: {len(results['published'])} edits of {pages} pages, "
          f"{len(results['refused'])} workflow steps refused; pages served fresh afterwards: "
          f"{pages - len(stale)}" + (f"; STALE: {', '.join(stale)}" if stale else ""))
    if any(f["failed"] for f in by_kind.values()):
        print("(Locust's errors are on stderr; HTTP 0 is a request that got no answer: no "
              "connection or none within Locust's 60 s.)")
    missed = misses(by_kind, failures, total) + (["stale pages after publishing"] if stale else [])
    print("Targets met." if not missed else "Targets NOT met:\n  " + "\n  ".join(missed))


def report_cpu(meter, machine):
    """Where the server's CPU went, by endpoint and page-cache verdict (``cpu_meter``)."""
    process_cpu, kinds = meter
    in_requests = sum(seconds for _calls, seconds in kinds.values())
    rows = [[kind, calls, f"{seconds:.1f}", f"{seconds * 1000 / calls:.1f}", f"{seconds / process_cpu:.0%}"]
            for kind, (calls, seconds) in sorted(kinds.items(), key=lambda item: -item[1][1])]
    rows.append(["outside requests (waitress, background tasks)", "", f"{process_cpu - in_requests:.1f}",
                 "", f"{(process_cpu - in_requests) / process_cpu:.0%}"])
    print_table("Server CPU by endpoint (page cache: hit, miss or why not cacheable); thread CPU time",
                ["endpoint", "calls", "CPU s", "ms a call", "share"], rows)
    calls = sum(c for c, _s in kinds.values())
    print(f"In requests {in_requests * 1000 / max(calls, 1):.1f} ms a call over {calls} calls; "
          f"the processes {process_cpu:.0f} s of CPU in all; the page generation was raised "
          f"{machine['generations']} times during the run")


def main():
    opts = options()
    # Every simulated user posts from 127.0.0.1: see the module's docstring.
    os.environ["PORTAL_RATELIMIT_PUBLIC_FORMS"] = "1000000 per minute"
    with tempfile.TemporaryDirectory(prefix="portal-load-") as scratch:
        scratch = Path(scratch)
        folder = (opts.instance or scratch / "instance").resolve()
        app = build_instance(folder)
        targets_file = scratch / "targets.json"
        targets_file.write_text(json.dumps(targets(app)), encoding="utf-8")
        port, meter_dir = free_port(), scratch / "cpu"
        meter_dir.mkdir()
        server = start_server(folder, port, opts.threads, processes=opts.processes, code=SERVE_MEASURED,
                              env={cpu_meter.DIRECTORY_VARIABLE: str(meter_dir),
                                   "PYTHONPATH": str(USERS_FILE.parent.parent)})
        try:
            time.sleep(2 * cpu_meter.WRITE_EVERY_SECONDS)   # the meter's sums of the start-up are written
            load_before, cpu_before = os.getloadavg(), server_cpu_seconds(server.pid)
            generation_before, meter_before = page_generation(app), cpu_meter.summary(meter_dir)
            log(f"running Locust: {opts.users} users for {opts.seconds} s")
            results = run_locust(f"http://127.0.0.1:{port}", opts, targets_file, scratch / "results.json")
            machine = {"load_before": load_before, "load": os.getloadavg(),
                       "server_cpu": server_cpu_seconds(server.pid) - cpu_before,
                       "client_cpu": sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]),
                       "generations": page_generation(app) - generation_before}
            time.sleep(2 * cpu_meter.WRITE_EVERY_SECONDS)   # the meter's last sums are written
            meter = cpu_meter.difference(cpu_meter.summary(meter_dir), meter_before)
            stale = stale_pages(port, results["published"])
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(opts, results, figures_by_kind(results["requests"]), stale, machine)
    report_cpu(meter, machine)


if __name__ == "__main__":
    main()
