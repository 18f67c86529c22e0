"""E-service benchmark (issue 11): felanmälan submissions against ``portal serve``.

    .venv/bin/python benchmarks/eservices.py [--clients 8] [--submissions 200]
        [--database-url postgresql+psycopg://…]

A throw-away demo instance (``portal init --demo``) is served by ``portal serve``
(waitress, 8 threads) in a subprocess; ``--clients`` threads, each a browser
with its own session, send felanmälan through the whole form as a citizen
does (the fault page, the place page, the contact page, check your answers,
send), ``--submissions`` in all, first without a photo and then with a 1 MB
photo on the place page.  Printed per run: submissions per second, the time of
a whole submission (five requests) and of the final "send" request alone
(p50/p95/max), errors, and whether every submission became exactly one case.

Then the booking race: ``--racers`` (50) citizens fill in lokalbokning for the
same free hour of the library's study room (approved at once), and all press
"Skicka" at the same moment; exactly one may get a booking, the others a
message with the nearest free times.

With ``--database-url`` the instance uses that (emptied) PostgreSQL database
instead of SQLite.  The rate limit on anonymous forms is lifted for the run:
every client comes from 127.0.0.1.  Client and server share the two cores.
"""
import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import requests
from PIL import Image

sys.path[0] = str(Path(__file__).resolve().parent.parent)   # the repository, not benchmarks/

from benchmarks.harness import Stopwatch, latency_ms, print_table  # noqa: E402
from benchmarks.pages import free_port, wait_until_healthy  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CATEGORY = re.compile(r'<option value="([a-z0-9-]+)"')
REFERENCE = re.compile(r'class="reference">([A-Z]+-\d{4}-\d{6})<')
SERVICE = "/sv/e-tjanster/felanmalan"


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--submissions", type=int, default=200, help="per run (200)")
    parser.add_argument("--racers", type=int, default=50, help="simultaneous bookings of one slot (50)")
    parser.add_argument("--database-url", help="PostgreSQL URL (emptied first); SQLite if absent")
    return parser.parse_args()


def environment(folder, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(PORTAL_INSTANCE_DIR=str(folder), PORTAL_RATELIMIT_PUBLIC_FORMS="1000000 per minute")
    if database_url:
        env["PORTAL_DATABASE_URL"] = database_url
    return env


def portal(env, *args, **kwargs):
    return subprocess.run([sys.executable, "-c", "from portal.cli import main; main()", *args],
                          env=env, check=True, capture_output=True, **kwargs)


def empty_postgres(env):
    portal(env, "shell", input=b"from portal.extensions import db\nfrom sqlalchemy import text\n"
                                b"db.session.execute(text('DROP SCHEMA public CASCADE; CREATE SCHEMA public'))\n"
                                b"db.session.commit()\n")


def photo_bytes(size=1024 * 1024):
    """A JPEG of about ``size`` bytes: noise compresses badly, as photos do."""
    side = 700
    while True:
        data = io.BytesIO()
        Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(data, "JPEG", quality=90)
        if data.tell() >= size:
            return data.getvalue()
        side += 100


class Citizen:
    """One browser: a session with its cookies, sending the form page by page."""

    def __init__(self, base):
        self.base, self.session = base, requests.Session()

    def step(self, path, answers, files=None):
        """GET the page, then POST ``answers`` (a dict, or a function of the page's HTML)."""
        page = self.session.get(self.base + path)
        page.raise_for_status()
        data = answers(page.text) if callable(answers) else answers
        response = self.session.post(self.base + path, data={"csrf_token": CSRF.search(page.text)[1], **data},
                                     files=files, allow_redirects=False)
        if response.status_code != 302:
            raise RuntimeError(f"{path} answered {response.status_code}")

    def report(self, photo):
        with Stopwatch() as whole:
            self.step(f"{SERVICE}/steg/fel", lambda html: {
                "category": CATEGORY.search(html)[1], "description": "Lampan lyser inte."})
            files = {"photos": ("lampa.jpg", photo, "image/jpeg")} if photo else None
            self.step(f"{SERVICE}/steg/plats", {"address": "Storgatan 12"}, files)
            self.step(f"{SERVICE}/steg/kontakt", {"name": "Test Testsson", "email": "", "phone": "",
                                                 "notify_by": "page"})
            with Stopwatch() as send:
                self.step(f"{SERVICE}/granska", {"action": "submit"})
            receipt = self.session.get(self.base + f"{SERVICE}/kvitto").text
        assert REFERENCE.search(receipt), "no reference on the receipt"
        return whole.seconds, send.seconds, REFERENCE.search(receipt)[1]


def run(base, clients, submissions, photo):
    """``clients`` threads share ``submissions`` reports; figures of the whole run."""
    whole, send, references, errors = [], [], [], []
    remaining = iter(range(submissions))
    lock = threading.Lock()

    def client():
        citizen = Citizen(base)
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            try:
                total, final, reference = citizen.report(photo)
            except Exception as error:  # counted and shown; the run goes on
                errors.append(repr(error))
                continue
            whole.append(total), send.append(final), references.append(reference)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    with Stopwatch() as watch:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return {"per_second": len(whole) / watch.seconds, "whole": latency_ms(whole or [0]),
            "send": latency_ms(send or [0]), "errors": errors, "references": references}


FREE_TIME = re.compile(r'href="(/sv/e-tjanster/lokalbokning/steg/bokning\?lokal=(\d+)&amp;datum=([\d-]+)&amp;start=(\d+)\.00)"')
ROOM = "/sv/lokaler/2"   # the demo's "Biblioteket, studierum", approved at once


def a_free_hour(base):
    """(room id, date, start hour) of a free hour at least three days ahead."""
    page = requests.get(base + ROOM + "?vecka=1").text
    _link, room, day, hour = FREE_TIME.findall(page)[-1]
    return room, day, int(hour)


def race(base, racers):
    """Everyone fills in the same hour, then all send at once: (booked, refused, errors)."""
    room, day, hour = a_free_hour(base)
    answers = {"room": room, "customer_type": "privatperson", "day": day,
               "starts": f"{hour}.00", "ends": f"{hour + 1}.00", "purpose": ""}
    citizens = [Citizen(base) for _ in range(racers)]
    for citizen in citizens:
        citizen.step("/sv/e-tjanster/lokalbokning/steg/bokning", answers)
        citizen.step("/sv/e-tjanster/lokalbokning/steg/kontakt", {
            "name": "Test Testsson", "email": "", "phone": "", "notify_by": "page", "organisation": ""})
    start = threading.Barrier(racers)
    outcomes = []

    def send(citizen):
        page = citizen.session.get(base + "/sv/e-tjanster/lokalbokning/granska").text
        start.wait()
        response = citizen.session.post(base + "/sv/e-tjanster/lokalbokning/granska", allow_redirects=False,
                                        data={"csrf_token": CSRF.search(page)[1], "action": "submit"})
        outcomes.append("booked" if response.status_code == 302 else
                        "refused" if response.status_code == 200 else f"HTTP {response.status_code}")

    threads = [threading.Thread(target=send, args=(citizen,)) for citizen in citizens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes.count("booked"), outcomes.count("refused"), len(outcomes) - outcomes.count(
        "booked") - outcomes.count("refused")


def main():
    opts = options()
    with tempfile.TemporaryDirectory() as folder:
        env = environment(Path(folder) / "instance", opts.database_url)
        if opts.database_url:
            empty_postgres(env)
        portal(env, "init", "--demo")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-c", "from portal.cli import main; main()", "serve",
                                   "--host", "127.0.0.1", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_healthy(server, port)
            base = f"http://127.0.0.1:{port}"
            runs = {"without a photo": run(base, opts.clients, opts.submissions, None),
                    "with a 1 MB photo": run(base, opts.clients, opts.submissions, photo_bytes())}
            booked, refused, errors = race(base, opts.racers)
        finally:
            server.terminate()
            server.wait(timeout=10)
    report(opts, runs)
    print(f"\nBooking race: {opts.racers} simultaneous requests for one hour: {booked} booked, "
          f"{refused} refused with suggestions, {errors} errors "
          f"({'exactly one' if booked == 1 and not errors else 'WRONG'}).")


def report(opts, runs):
    database = "PostgreSQL" if opts.database_url else "SQLite"
    rows = []
    for label, figures in runs.items():
        whole, send, references = figures["whole"], figures["send"], figures["references"]
        rows.append([label, f"{figures['per_second']:.1f}",
                     f"{whole['p50']:.0f} / {whole['p95']:.0f} / {whole['max']:.0f}",
                     f"{send['p50']:.0f} / {send['p95']:.0f} / {send['max']:.0f}",
                     len(figures["errors"]),
                     "yes" if len(set(references)) == len(references) == opts.submissions else "NO"])
    print_table(f"Felanmälan against portal serve ({database}, {opts.clients} clients, "
                f"{opts.submissions} submissions a run)",
                ["run", "submissions/s", "whole ms p50/p95/max", "send ms p50/p95/max", "errors",
                 "each one case"], rows)
    for label, figures in runs.items():
        for error in figures["errors"][:5]:
            print(f"  {label}: {error}")


if __name__ == "__main__":
    main()
