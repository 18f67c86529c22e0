"""Where the server's CPU goes under the load benchmark (``load.py`` starts ``portal serve``
with this installed; the product itself never imports it).

:func:`install` wraps ``Flask.wsgi_app`` before the app is made, so every process of
``portal serve`` (and every worker it forks) sums, per kind of request, the calls and
the CPU time of the thread that served them (``time.thread_time``: what the request
cost, not the time it waited for the GIL or a core).  The kind is the endpoint, with
how the page cache treated it for the endpoints it may serve:

- ``hit``: a kept copy was served;
- ``miss``: the reader could have got a copy, but none was kept for this page
  generation (the first reader after a change, or after the copy expired);
- ``not cacheable: …``: why the cache did not try (a query string, something in the
  session besides the CSRF secret, a remember cookie, a POST).

Each process writes its sums as JSON to ``<PORTAL_CPU_METER_DIR>/<pid>.json`` every
second (and its whole CPU time, so that what waitress and the background tasks cost
shows as the difference); :func:`summary` adds up the files of all processes.
"""
import json
import os
import threading
import time
from collections import defaultdict
from pathlib import Path

import flask
from flask import g, request, session

DIRECTORY_VARIABLE = "PORTAL_CPU_METER_DIR"
WRITE_EVERY_SECONDS = 1.0
KIND = "cpu_meter.kind"

_sums = defaultdict(lambda: [0, 0.0])     # kind → [calls, CPU seconds]
_lock = threading.Lock()
_writer_pid = None


def cache_verdict(app):
    """How the page cache treated this request, for the endpoints it may serve."""
    settings = app.extensions.get("portal.pagecache", {})
    if request.endpoint not in settings.get("endpoints", {}):
        return ""
    if "page_copy" in g:
        return "hit"
    if "page_generation" in g:
        return "miss"
    if request.method not in ("GET", "HEAD"):
        return "not cacheable: " + request.method
    if request.query_string:
        return "not cacheable: query string"
    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    extra = sorted(key for key in session if key != field)
    if extra:
        return "not cacheable: session holds " + ", ".join(extra)
    return "not cacheable: remember cookie"


def note_kind(app, **_kwargs):
    """request_finished: the endpoint and the cache's verdict, kept in the WSGI environ."""
    verdict = cache_verdict(app)
    request.environ[KIND] = f"{request.endpoint} ({verdict})" if verdict else str(request.endpoint)


def measured_wsgi_app(original):
    def wsgi_app(self, environ, start_response):
        start = time.thread_time()
        try:
            return original(self, environ, start_response)
        finally:
            spent = time.thread_time() - start
            with _lock:
                entry = _sums[environ.get(KIND, "(no endpoint)")]
                entry[0] += 1
                entry[1] += spent
            start_writer()
    return wsgi_app


def start_writer():
    """One writer thread in each process (a forked worker starts its own), when
    ``PORTAL_CPU_METER_DIR`` names where to write."""
    global _writer_pid
    if _writer_pid != os.getpid() and os.environ.get(DIRECTORY_VARIABLE):
        _writer_pid = os.getpid()
        threading.Thread(target=write_forever, args=(Path(os.environ[DIRECTORY_VARIABLE]),), daemon=True).start()


def write_forever(directory):
    target = directory / f"{os.getpid()}.json"
    while True:
        time.sleep(WRITE_EVERY_SECONDS)
        partial = target.with_suffix(".part")
        partial.write_text(json.dumps({"process_cpu": time.process_time(), "kinds": sums()}), encoding="utf-8")
        partial.replace(target)


def install():
    """Measure every request of every app (``load.py``'s server only)."""
    flask.Flask.wsgi_app = measured_wsgi_app(flask.Flask.wsgi_app)
    flask.request_finished.connect(note_kind)


def sums():
    """{kind: (calls, CPU seconds)} of this process so far."""
    with _lock:
        return {kind: tuple(entry) for kind, entry in _sums.items()}


def summary(directory):
    """(process CPU seconds, {kind: [calls, CPU seconds]}) over every process's file."""
    process_cpu, kinds = 0.0, defaultdict(lambda: [0, 0.0])
    for path in Path(directory).glob("*.json"):
        written = json.loads(path.read_text(encoding="utf-8"))
        process_cpu += written["process_cpu"]
        for kind, (calls, seconds) in written["kinds"].items():
            kinds[kind][0] += calls
            kinds[kind][1] += seconds
    return process_cpu, dict(kinds)


def difference(after, before):
    """What was spent between two summaries (the run, without the start-up)."""
    kinds = {kind: [calls - before[1].get(kind, [0, 0.0])[0], seconds - before[1].get(kind, [0, 0.0])[1]]
             for kind, (calls, seconds) in after[1].items()}
    return after[0] - before[0], {kind: entry for kind, entry in kinds.items() if entry[0]}
