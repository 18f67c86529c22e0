"""Case benchmark (issue 12): a municipality's years of cases, and the pages that must stay fast.

    .venv/bin/python benchmarks/cases.py [--cases 1000000] [--database-url postgresql+psycopg://…]
        [--instance DIR] [--samples 200]

A throw-away demo instance (``portal init --demo``; with ``--database-url`` on
that emptied PostgreSQL database) is filled with ``--cases`` cases, written
in bulk: a Malmö-sized municipality has about 700,000 contacts a year.  They
spread over three years, the channels, the förvaltningar (the demo officer's
Tekniska förvaltningen has a quarter) and the question types as a contact
centre's do; the contact centre solves most of its own at first contact.
About 3 % are still open, most of them recent, with SLA clocks of which some
are in warning or overdue; closed cases keep the clocks they had, as the
product leaves them.  Citizens come back: the same person's e-mail address and
phone number (written in different ways) recur over their cases, and a few
thousand frequent callers have dozens each.  Every case has a timeline of a
few lines (``CaseEvent``); a case waiting for the citizen has its pause.

Then, in process (Flask's test client, no network), ``--samples`` requests
of each kind:

- the officers' queue (``/sv/handlaggning``) as the demo officer: all open
  cases, overdue (``sla=forsenade``), warning (``sla=snart-forsenade``), the
  officer's own (``handlaggare=mina``), and the closed cases at a random page;
- the agents' lookup (``/sv/kontakt/arenden``, a POST: an e-mail address or
  phone number never stands in a URL) by reference, by e-mail address and by
  phone number, each typed otherwise than the case has it;
- the case page (``/sv/handlaggning/<id>``) of the officer's cases;

and the run time of ``portal sla-check`` (today's digests forgotten first, so a
re-run does the whole work).  Printed: p50/p95/max per kind (ms), the SQL
statements a request runs (median), the time to fill, and the targets (queue
and lookup p95 under 200 ms, sla-check under 30 s).

``--instance DIR`` keeps the instance (and, with ``--database-url``, uses the
database as it is when it already holds the cases): a second run migrates it
(``portal db upgrade``) and measures again without filling.  The open cases'
clocks are set against the time of the fill, so measure within a day of it.
"""
import argparse
import base64
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)   # the repository, not benchmarks/

from sqlalchemy import delete, func, select, text  # noqa: E402

from benchmarks.harness import StatementCounter, Stopwatch, latency_ms, print_table  # noqa: E402

BATCH = 10_000
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# Who gets the cases: the contact centre (KLF) logs every call and solves most at once.
DEPARTMENT_SHARES = {"KLF": 30, "TF": 25, "SBF": 10, "BUF": 9, "SOF": 8, "KFF": 7, "MHF": 5, "GVF": 3, "AMF": 3}
OFFICERS_PER_DEPARTMENT = {"TF": 11}     # besides the demo officer; 5 elsewhere
CHANNELS = ["telefon"] * 55 + ["webb"] * 25 + ["epost"] * 12 + ["besok"] * 6 + ["brev"] * 2
PRIORITIES = ["normal"] * 93 + ["high"] * 4 + ["low"] * 2 + ["urgent"]
FIRST_NAMES = ["Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Sara", "Johan", "Eva", "Ali", "Fatima",
               "Mohammed", "Elin", "Oskar", "Ingrid", "Nils", "Leila", "Per", "Sofia", "Jonas"]
LAST_NAMES = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Hassan",
              "Persson", "Svensson", "Gustafsson", "Pettersson", "Jönsson", "Lindberg", "Ahmed", "Berg"]
DOMAINS = ["example.se", "post.example", "mail.example.com", "exempel.nu", "Example.org"]
SOLUTION_WORKING_DAYS = [5, 10, 20, 20, 40, 60, 90]
WORKING_DAY = timedelta(days=7 / 5)      # near enough, for clocks that are made up
SPAN = timedelta(days=3 * 365)
# When a case is done, as a share of its solution time: most in time, some in their
# warning time, a quarter late (the open ones among these are the overdue ones).
DONE_AFTER = [((0.05, 0.75), 60), ((0.75, 1.0), 15), ((1.0, 2.5), 25)]


def options():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200, help="requests of each kind (200)")
    parser.add_argument("--database-url", help="PostgreSQL URL (emptied first); SQLite if absent")
    parser.add_argument("--instance", type=Path, help="keep (or reuse) the filled instance here")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def log(message):
    print(message, file=sys.stderr, flush=True)


def make_app(folder, database_url):
    from portal import create_app

    config = {"PORTAL_INSTANCE_DIR": str(folder), "PORTAL_RATELIMIT_ENABLED": False}
    if database_url:
        config["SQLALCHEMY_DATABASE_URI"] = database_url
    for name in [name for name in os.environ if name.startswith("PORTAL_")]:
        del os.environ[name]
    return create_app(config)


def run_command(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    if result.exit_code:
        raise RuntimeError(f"portal {' '.join(args)} failed:\n{result.output}") from result.exception
    return result.output


def already_filled(app, count):
    """Whether the database holds the benchmark's cases (a kept instance)."""
    from eservices.models import Case
    from portal.extensions import db

    with app.app_context():
        try:
            return (db.session.scalar(select(func.count(Case.id))) or 0) >= count
        except Exception:    # no tables yet
            db.session.rollback()
            return False


def prepare(app, database_url):
    from portal.extensions import db

    if database_url:
        with app.app_context():
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
    run_command(app, "init", "--demo")


# --- the people ---------------------------------------------------------------------------
class Citizens:
    """A population in which a few thousand frequent callers have a sixth of the cases.
    Citizen ``i`` is made from its number, so nothing of the population is kept."""

    def __init__(self, count):
        self.frequent = max(10, count // 500)
        self.size = max(self.frequent * 2, count * 2 // 5)

    def pick(self, rng):
        if rng.random() < 0.15:
            return rng.randrange(self.frequent)
        return self.frequent + rng.randrange(self.size - self.frequent)

    @staticmethod
    def name(i):
        return f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)]}"

    @classmethod
    def email(cls, i):
        """One in four gives no e-mail address."""
        if (i * 31) % 100 < 25:
            return ""
        first, last = cls.name(i).split()
        return f"{first}.{last}{i}@{DOMAINS[i % len(DOMAINS)]}"

    @staticmethod
    def phone_digits(i):
        """A unique Swedish mobile number (0701234567); one in seven gives none."""
        if (i * 17) % 100 < 15:
            return ""
        return f"07{i % 10}{(i * 7919) % 10_000_000:07d}"


def written_email(address, rng):
    """An address as someone wrote it on one occasion."""
    if not address:
        return ""
    return rng.choice([address, address.lower(), address.upper(), address.title()])


def written_phone(digits, rng):
    """A number as someone wrote it: 070-123 45 67, 0701234567, +46 70 123 45 67, +46701234567."""
    if not digits:
        return ""
    area, rest = digits[1:3], digits[3:]
    spaced = f"{rest[:3]} {rest[3:5]} {rest[5:]}"
    return rng.choice([f"0{area}-{spaced}", digits, f"+46 {area} {spaced}", f"+46{digits[1:]}", f"0{area}-{rest}"])


# --- filling --------------------------------------------------------------------------------
class World:
    """What the generated cases refer to: förvaltningar, officers, topics, fault categories."""

    def __init__(self, db):
        from eservices.services.felanmalan.models import FaultCategory
        from portal.auth.models import User
        from portal.org.models import Department, Topic

        self.departments = {d.code: d for d in db.session.scalars(select(Department))}
        codes = list(DEPARTMENT_SHARES)
        self.department_codes, self.department_weights = codes, [DEPARTMENT_SHARES[c] for c in codes]
        self.topics = [(t.slug, t.name_in("sv")) for t in db.session.scalars(select(Topic).order_by(Topic.position))]
        self.categories = [(c.code, c.name_in("sv"), c.department.code)
                           for c in db.session.scalars(select(FaultCategory))]
        self.agent = db.session.scalar(select(User.id).where(User.username == "agent"))
        self.demo_officer = db.session.scalar(select(User.id).where(User.username == "officer"))
        self.officers = self.make_officers(db)

    def make_officers(self, db):
        """Officers for every förvaltning (they cannot log in), the demo officer among TF's."""
        from portal.auth.models import OFFICER, RoleGrant, User

        officers = {}
        for code, department in self.departments.items():
            people = [User(username=f"bench-{code.lower()}-{k}", display_name=f"Handläggare {k} ({code})",
                           password_hash="!", grants=[RoleGrant(role=OFFICER, department_id=department.id)])
                      for k in range(OFFICERS_PER_DEPARTMENT.get(code, 5))]
            db.session.add_all(people)
            db.session.flush()
            officers[code] = [p.id for p in people] + ([self.demo_officer] if code == "TF" else [])
        db.session.commit()
        return officers


class CaseMaker:
    """Rows for ``cases``, ``case_event`` and ``case_pause``, in the order the cases came in."""

    def __init__(self, world, count, rng, now, first_id, counters, prefix):
        self.world, self.count, self.rng, self.now = world, count, rng, now
        self.first_id, self.next_id, self.counters, self.prefix = first_id, first_id, counters, prefix
        self.citizens = Citizens(count)

    def rows(self):
        """Batches of (cases, events, pauses)."""
        cases, events, pauses = [], [], []
        for n in range(self.count):
            created = self.now - SPAN * (1 - n / self.count) - timedelta(seconds=self.rng.randint(0, 3600))
            case, lines, pause = self.case(created)
            cases.append(case)
            events.extend(lines)
            if pause:
                pauses.append(pause)
            if len(cases) == BATCH:
                yield cases, events, pauses
                cases, events, pauses = [], [], []
        if cases:
            yield cases, events, pauses

    def reference(self, year):
        self.counters[year] = self.counters.get(year, 0) + 1
        return f"{self.prefix}-{year}-{self.counters[year]:06d}"

    def case(self, created):
        rng, world = self.rng, self.world
        case_id, self.next_id = self.next_id, self.next_id + 1
        code = rng.choices(world.department_codes, world.department_weights)[0]
        channel = rng.choice(CHANNELS)
        person = self.citizens.pick(rng)
        row = {
            "id": case_id, "reference": self.reference(created.year), "service_code": None,
            "summary": "", "channel": channel, "department_id": world.departments[code].id,
            "assigned_to_id": None, "created_by_id": None, "confidential": False, "retention": "",
            "lang": "sv" if rng.random() < 0.93 else "en", "answers": {}, "decision": {}, "handover": {},
            "linked_articles": [], "priority": rng.choice(PRIORITIES), "outcome": None, "referred_to": "",
            "duplicate_of_id": None, "contact_name": Citizens.name(person), "latitude": None, "longitude": None,
            "place": "", "notify_by": "email", "rosa_level": None, "due_on": None,
            "tracking_token": base64.urlsafe_b64encode(rng.randbytes(24)).decode(),
            "created_at": created, "updated_at": created, "closed_at": None, "version": 1,
            "clock_started_at": None, "first_response_at": None, "response_due_at": None,
            "solution_due_at": None, "solution_warn_at": None,
        }
        self.contact(row, person)
        self.subject(row, code, channel)
        if channel in ("telefon", "besok"):
            row["created_by_id"] = world.agent
        if code == "KLF" and rng.random() < 0.85:
            return self.first_contact(row), self.timeline(row, code), None
        pause = self.clocks(row, code)
        return row, self.timeline(row, code), pause

    def contact(self, row, person):
        from eservices.models import email_key, phone_key

        email = written_email(Citizens.email(person), self.rng)
        phone = written_phone(Citizens.phone_digits(person), self.rng)
        row.update(contact_email=email, contact_phone=phone, contact_email_key=email_key(email),
                   contact_phone_key=phone_key(phone),
                   notify_by="email" if email else ("sms" if phone else "page"))

    def subject(self, row, code, channel):
        rng, world = self.rng, self.world
        if channel == "webb" and code in ("TF", "MHF"):
            categories = [c for c in world.categories if c[2] == code] or world.categories
            category, name, _dept = rng.choice(categories)
            row.update(service_code="felanmalan", question_type="eservice:felanmalan", rosa_level=1,
                       title=f"{name}: {rng.choice(['Storgatan', 'Parkvägen', 'Skolgatan'])} {rng.randint(1, 80)}",
                       latitude=56.6 + rng.random() / 10, longitude=16.1 + rng.random() / 5,
                       answers={"fel": {"category": category, "description": "Det har varit så i en vecka."},
                                "plats": {"address": "Storgatan 12"},
                                "kontakt": {"name": row["contact_name"], "email": row["contact_email"],
                                            "phone": row["contact_phone"], "notify_by": row["notify_by"]}})
        else:
            slug, name = rng.choice(world.topics)
            row.update(question_type=f"topic:{slug}", title=f"Fråga om {name.lower()}",
                       summary="Invånaren vill veta hur det fungerar och när hen får besked.")
        if code == "SOF" and rng.random() < 0.3 or code == "TF" and rng.random() < 0.02:
            row["confidential"] = True

    def first_contact(self, row):
        rng = self.rng
        outcome = "first_contact" if rng.random() < 0.85 else "referred"
        row.update(status="closed", outcome=outcome, assigned_to_id=self.world.agent,
                   closed_at=row["created_at"] + timedelta(minutes=rng.randint(2, 30)),
                   referred_to="forsakringskassan" if outcome == "referred" else "")
        row["updated_at"] = row["closed_at"]
        return row

    def clocks(self, row, code):
        """Status, officer and SLA columns: the case is done at a moment drawn from
        ``DONE_AFTER``, or still open when that moment has not come.  Returns the open
        pause of a waiting case, or None."""
        rng, now = self.rng, self.now
        start = row["created_at"] + (timedelta(minutes=rng.randint(5, 240)) if code != "KLF" else timedelta())
        span = WORKING_DAY * rng.choice(SOLUTION_WORKING_DAYS)
        row.update(clock_started_at=start, solution_due_at=start + span, solution_warn_at=start + span * 0.75,
                   due_on=(start + span).date())
        officer = rng.choice(self.world.officers[code])
        (low, high), = rng.choices([share for share, _weight in DONE_AFTER], [w for _share, w in DONE_AFTER])
        closed = start + span * rng.uniform(low, high)
        if closed < now:
            responded = rng.random() < 0.85
            row.update(status="closed" if rng.random() < 0.65 else "solved", assigned_to_id=officer,
                       outcome=rng.choice(["solved"] * 6 + ["granted", "denied", "duplicate", "withdrawn"]),
                       closed_at=closed, updated_at=closed,
                       first_response_at=start + (closed - start) * 0.2 if responded else None,
                       response_due_at=None if responded else start + WORKING_DAY)
            if row["outcome"] == "duplicate" and row["id"] > self.first_id:     # of a case a little older
                row["duplicate_of_id"] = rng.randint(max(self.first_id, row["id"] - 5000), row["id"] - 1)
            return None
        age = now - start
        if age < timedelta(days=1.5):
            status = rng.choices(["new", "forwarded", "open"], [55, 25, 20])[0]
        else:
            status = rng.choices(["open", "waiting", "new", "forwarded", "reopened"], [70, 20, 4, 2, 4])[0]
        if status == "forwarded" and code == "KLF":
            status = "new"
        row["status"] = status
        if status == "reopened":     # lately, by the citizen: its clocks started again then
            start = max(start, now - timedelta(hours=rng.uniform(0, 48)))
            row.update(clock_started_at=start, solution_due_at=start + span, solution_warn_at=start + span * 0.75,
                       due_on=(start + span).date())
        if status in ("open", "waiting"):
            row.update(assigned_to_id=officer, first_response_at=start + min(age, WORKING_DAY) * rng.random())
        else:
            row["response_due_at"] = start + WORKING_DAY
        if status == "reopened":
            row["assigned_to_id"] = officer
        if status == "waiting":
            row.update(solution_due_at=None, solution_warn_at=None, due_on=None)
            return {"case_id": row["id"], "started_at": start + age * rng.uniform(0.3, 0.9), "ended_at": None}
        return None

    def timeline(self, row, code):
        """A few lines: received, forwarded, assigned, messages and notes, solved."""
        rng, when = self.rng, row["created_at"]
        first_contact = row["outcome"] in ("first_contact", "referred")
        officer = None if first_contact else row["assigned_to_id"]
        lines = [("received", "Ärendet har tagits emot.", True, row["created_by_id"], {})]
        if row["created_by_id"] and code != "KLF":
            lines.append(("forwarded", "Ärendet har skickats vidare.", True, row["created_by_id"], {"to": code}))
        if first_contact:
            lines.append(("solved", "Löst vid första kontakten.", True, row["created_by_id"], {}))
        if officer:
            lines.append(("assigned", "Handläggaren handlägger ärendet.", False, officer, {"to": officer}))
            if rng.random() < 0.6:
                lines.append(("message_out", "Tack för ditt meddelande. Vi tittar på det i veckan.", True,
                              officer, {"channel": row["notify_by"]}))
            if rng.random() < 0.25:
                lines.append(("message_in", "Tack! Det gäller fortfarande.", True, None, {"channel": "webb"}))
            if rng.random() < 0.35:
                lines.append(("note", "Ringde upp, kontrollerat på plats.", False, officer, {}))
        if row["status"] in ("solved", "closed") and not first_contact:
            lines.append(("solved", "Åtgärdat.", True, officer, {}))
            if row["status"] == "closed":
                lines.append(("status", "Avslutat", True, officer, {"status": "closed"}))
        end = row["closed_at"] or self.now
        step = (end - when) / len(lines)
        return [{"case_id": row["id"], "kind": kind, "text": words, "public": public, "user_id": user,
                 "data": data, "created_at": when + step * number}
                for number, (kind, words, public, user, data) in enumerate(lines)]


def fill(app, count, seed):
    from eservices.models import Case, CaseCounter, CaseEvent, CasePause
    from portal.clock import utcnow
    from portal.extensions import db

    rng = random.Random(seed)
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        if not postgres:
            db.session.execute(text("PRAGMA cache_size = -400000"))    # 400 MB while filling
        world = World(db)
        counters = {row.year: row.last for row in db.session.scalars(select(CaseCounter))}
        first_id = (db.session.scalar(select(func.max(Case.id))) or 0) + 1
        maker = CaseMaker(world, count, rng, utcnow(), first_id, counters, app.config["PORTAL_CASE_PREFIX"])
        done = 0
        for cases, events, pauses in maker.rows():
            db.session.execute(Case.__table__.insert(), cases)
            db.session.execute(CaseEvent.__table__.insert(), events)
            if pauses:
                db.session.execute(CasePause.__table__.insert(), pauses)
            db.session.commit()
            done += len(cases)
            if done % 100_000 == 0 or done == count:
                log(f"  {done:,}/{count:,} cases")
        for year, last in counters.items():
            db.session.merge(CaseCounter(year=year, last=last))
        if postgres:
            db.session.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), "
                                    "(SELECT max(id) FROM cases))"))
        db.session.commit()
    analyse(app)


def analyse(app):
    """Fresh planner statistics, as a database in use has them (autovacuum, ``ANALYZE``)."""
    from portal.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()


# --- measuring ------------------------------------------------------------------------------
def logged_in(app, username):
    from portal.demo import DEMO_PASSWORD

    client = app.test_client()
    token = CSRF.search(client.get("/sv/logga-in").get_data(as_text=True))[1]
    response = client.post("/sv/logga-in", data={"csrf_token": token, "username": username,
                                                  "password": DEMO_PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"{username} could not log in")
    return client


def timed(requests, counter, cpu, expect=None):
    """p50/p95/max of ``requests`` (callables returning a response), the median CPU time
    (this process and the database server's) and the median count of statements; the
    first ten, run once more before, warm the caches and are not counted."""
    seconds, cpu_seconds, statements = [], [], []
    warm = min(10, len(requests))
    for request in requests[:warm] + requests:
        before, cpu_before = counter.count, cpu()
        with Stopwatch() as watch:
            response = request()
        cpu_seconds.append(cpu() - cpu_before)
        if response.status_code != 200:
            raise RuntimeError(f"a request answered {response.status_code}")
        if expect and not expect(response.get_data(as_text=True)):
            raise RuntimeError("a page did not show what it should")
        seconds.append(watch.seconds)
        statements.append(counter.count - before)
    figures = latency_ms(seconds[warm:])
    figures["cpu"] = statistics.median(cpu_seconds[warm:]) * 1000
    figures["statements"] = statistics.median(statements[warm:])
    return figures


class CpuClock:
    """CPU seconds used by this process and, on PostgreSQL, by the server's processes
    (the postmaster's children: read from /proc, so the server must run on this
    machine).  Other work on the machine makes wall-clock times longer; CPU time
    shows what a request costs by itself."""

    def __init__(self, app):
        from portal.extensions import db

        self.postmaster = None
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                backend = db.session.scalar(text("SELECT pg_backend_pid()"))
                self.postmaster = int(self.field(backend, "PPid"))
        self.tick = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def field(pid, name):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return line.split()[1]
        return None

    def server_seconds(self):
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == self.postmaster:        # ppid
                total += int(fields[11]) + int(fields[12])   # utime, stime
        return total / self.tick

    def __call__(self):
        own = time.process_time()
        return own + self.server_seconds() if self.postmaster else own


class Samples:
    """What the officer and the agents ask for, chosen at random from the filled data."""

    def __init__(self, app, count, seed):
        from eservices.models import OPEN_STATUSES, Case
        from eservices.queries import QUEUE_PAGE_SIZE
        from portal.extensions import db
        from portal.org.models import Department

        rng = random.Random(seed)
        with app.app_context():
            tf = db.session.scalar(select(Department.id).where(Department.code == "TF"))
            low, high = db.session.execute(select(func.min(Case.id), func.max(Case.id))).one()
            open_tf = db.session.scalars(select(Case.id).where(
                Case.department_id == tf, Case.status.in_(OPEN_STATUSES))).all()
            closed_tf = db.session.scalar(select(func.count(Case.id)).where(
                Case.department_id == tf, Case.status == "closed"))
            self.closed_pages = max(1, -(-closed_tf // QUEUE_PAGE_SIZE))
            self.case_ids = [rng.choice(open_tf) if rng.random() < 0.5 else self.random_tf_case(db, rng, low, high, tf)
                             for _ in range(count)]
            self.references, self.emails, self.phones = [], [], []
            while min(len(self.references), len(self.emails), len(self.phones)) < count:
                case = db.session.get(Case, rng.randint(low, high))
                if case is None:
                    continue
                self.references.append(case.reference.lower() if rng.random() < 0.3 else case.reference)
                if case.contact_email_key:
                    self.emails.append(f" {written_email(case.contact_email_key, rng)} ")
                if case.contact_phone_key:
                    self.phones.append(written_phone(case.contact_phone_key, rng))
                db.session.expunge_all()
            self.shape = data_shape(db, tf)

    @staticmethod
    def random_tf_case(db, rng, low, high, tf):
        from eservices.models import Case

        while True:
            found = db.session.execute(select(Case.id, Case.department_id).where(
                Case.id >= rng.randint(low, high)).order_by(Case.id).limit(1)).first()
            if found and found.department_id == tf:
                return found.id


def data_shape(db, tf):
    """What the queue pages and the lookups meet, to print beside the figures."""
    from eservices.models import OPEN_STATUSES, Case, CaseEvent
    from eservices.queries import urgency
    from portal.auth.models import User
    from portal.clock import utcnow

    now = utcnow()
    officer = db.session.scalar(select(User.id).where(User.username == "officer"))
    open_cases = select(urgency(now).label("state")).where(Case.status.in_(OPEN_STATUSES)).subquery()
    states = Counter(dict(db.session.execute(
        select(open_cases.c.state, func.count()).group_by(open_cases.c.state)).all()))
    return {
        "cases": db.session.scalar(select(func.count(Case.id))),
        "events": db.session.scalar(select(func.count(CaseEvent.id))),
        "open": sum(states.values()), "overdue": states[0], "warning": states[1],
        "open in TF": db.session.scalar(select(func.count(Case.id)).where(
            Case.department_id == tf, Case.status.in_(OPEN_STATUSES))),
        "the officer's open": db.session.scalar(select(func.count(Case.id)).where(
            Case.assigned_to_id == officer, Case.status.in_(OPEN_STATUSES))),
        "most cases of one e-mail address": db.session.scalar(
            select(func.count()).where(Case.contact_email_key != "").group_by(Case.contact_email_key)
            .order_by(func.count().desc()).limit(1)),
    }


def lookup(client, token, q):
    return lambda: client.post("/sv/kontakt/arenden", data={"csrf_token": token, "q": q})


def get(client, url):
    return lambda: client.get(url)


def measure(app, count, seed):
    from portal.extensions import db

    samples = Samples(app, count, seed)
    officer, agent = logged_in(app, "officer"), logged_in(app, "agent")
    token = CSRF.search(agent.get("/sv/kontakt/arenden").get_data(as_text=True))[1]
    rng = random.Random(seed + 1)
    with app.app_context():
        counter = StatementCounter(db.engine)
    cpu = CpuClock(app)
    queue = "/sv/handlaggning"
    queue_kinds = {
        "queue: all open": [queue],
        "queue: overdue": [f"{queue}?sla=forsenade"],
        "queue: warning": [f"{queue}?sla=snart-forsenade"],
        "queue: mine": [f"{queue}?handlaggare=mina"],
        "queue: all open, page 2-10": [f"{queue}?sida={rng.randint(2, 10)}" for _ in range(count)],
        "queue: closed, random page": [f"{queue}?status=closed&sida={rng.randint(1, samples.closed_pages)}"
                                       for _ in range(count)],
        "queue: mine, closed": [f"{queue}?status=closed&handlaggare=mina"],
    }
    pages = {}
    for label, urls in queue_kinds.items():
        log(f"  {label}")
        pages[label] = timed([get(officer, urls[i % len(urls)]) for i in range(count)], counter, cpu,
                             expect=lambda html: "queue-table" in html or "Inga ärenden att visa" in html)
    found = lambda html: 'aria-labelledby="found-title"' in html or "Inga ärenden som du kan se" in html
    for label, typed in (("reference", samples.references), ("e-mail", samples.emails), ("phone", samples.phones)):
        log(f"  lookup by {label}")
        pages[f"lookup by {label}"] = timed([lookup(agent, token, q) for q in typed[:count]], counter, cpu,
                                              expect=found)
    log("  case page")
    pages["case page"] = timed([get(officer, f"/sv/handlaggning/{i}") for i in samples.case_ids], counter, cpu)
    return pages, sla_check(app, cpu), samples.shape


def sla_check(app, cpu):
    """``portal sla-check``, as cron runs it, after forgetting today's digests."""
    from eservices.models import SlaDigest
    from portal.extensions import db

    with app.app_context():
        db.session.execute(delete(SlaDigest))
        db.session.commit()
    log("  portal sla-check")
    cpu_before = cpu()
    with Stopwatch() as check:
        output = run_command(app, "sla-check")
    log(f"  {output.strip()}")
    return check.seconds, cpu() - cpu_before


def main():
    opts = options()
    with tempfile.TemporaryDirectory() as scratch:
        folder = opts.instance or Path(scratch) / "instance"
        app = make_app(folder, opts.database_url)
        record = folder / "benchmark-fill.txt"     # how long the fill took, and when
        if opts.instance and already_filled(app, opts.cases):
            log("Using the filled instance; migrating it")
            run_command(app, "db", "upgrade")
            analyse(app)
            fill_seconds, filled_at = record.read_text().split() if record.exists() else (None, "?")
            fill_seconds = fill_seconds and float(fill_seconds)
            log(f"  filled at {filled_at}")
        else:
            log(f"Filling {opts.cases:,} cases")
            with Stopwatch() as filling:
                prepare(app, opts.database_url)
                fill(app, opts.cases, opts.seed)
            fill_seconds = filling.seconds
            record.write_text(f"{fill_seconds:.0f} {time.strftime('%Y-%m-%dT%H:%M')}\n")
        log("Measuring")
        pages, check, shape = measure(app, opts.samples, opts.seed)
    report(opts, pages, check, fill_seconds, shape)


def report(opts, pages, check, fill_seconds, shape):
    check_seconds, check_cpu = check
    database = "PostgreSQL" if opts.database_url else "SQLite"
    filled = (f"filled in {fill_seconds:.0f} s" if fill_seconds else "") + (", kept instance" if opts.instance else "")
    print_table(f"Cases benchmark: {shape['cases']:,} cases on {database} ({filled.strip(', ')}), "
                f"{opts.samples} requests each, in process",
                ["request", "p50 ms", "p95 ms", "max ms", "CPU p50 ms", "statements"],
                [[label, f"{f['p50']:.1f}", f"{f['p95']:.1f}", f"{f['max']:.1f}", f"{f['cpu']:.1f}",
                  f"{f['statements']:g}"]
                 for label, f in pages.items()])
    print("\nData: " + ", ".join(f"{name} {value:,}" for name, value in shape.items() if name != "cases"))
    worst = max(f["p95"] for label, f in pages.items() if "queue" in label or "lookup" in label)
    print(f"portal sla-check: {check_seconds:.1f} s (CPU {check_cpu:.1f} s)")
    print(f"Load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"Targets: queue and lookup p95 < 200 ms: {'yes' if worst < 200 else 'NO'} ({worst:.0f} ms); "
          f"sla-check < 30 s: {'yes' if check_seconds < 30 else 'NO'}")


if __name__ == "__main__":
    main()
