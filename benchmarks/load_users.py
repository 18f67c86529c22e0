"""The users of the load benchmark (``load.py`` runs this file with Locust, headless).

Each request is named ``<category>: <what>``; ``load.py`` judges the categories
``page`` (an HTML page) and ``search`` by the issue's targets and only reports
``form`` (a POST).  What the run needs (addresses, tokens, queries, accounts)
comes from the JSON file named by ``LOAD_TARGETS``; every request and every
page the editors published go to the JSON file named by ``LOAD_RESULTS``.

The kinds of user, and how often each does what (task weights), are a guess at
a crisis day: most visitors are citizens reading, a fifth of them e-service
users, and the contact centre's agents search while they talk.  One editor
edits now and then and one reviewer approves, through the real pages.
"""
import json
import os
import random
import re
import secrets
import time
from collections import deque
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

from tests.pageforms import PageForms

TARGETS = json.loads(open(os.environ["LOAD_TARGETS"], encoding="utf-8").read())
RESULTS = os.environ["LOAD_RESULTS"]
RUN = secrets.token_hex(3)
MARKER = "Lasttest {run}-{n}: informationen är uppdaterad."
OLD_MARKER = re.compile(r"\s*Lasttest [0-9a-f]+-\d+: informationen är uppdaterad\.")
FORM_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}
LOGGED_IN = 'action="/sv/logga-ut"'   # the logout button, on every page of someone logged in
REFUSED = "flash-error"               # the message of a workflow step the portal refused

requests_made = []          # [kind, milliseconds, ok]
published = []              # [Swedish slug, text the page must now show], in order
refused = []                # workflow steps the portal refused, by name
waiting_for_review = deque()  # (article id, slug, marker) submitted by the editor
pending_ids = set()         # articles submitted and not yet approved: not edited meanwhile
times = {}


@events.request.add_listener
def record(name, response_time, exception, **_kwargs):
    requests_made.append((name, response_time, exception is None))


@events.test_start.add_listener
def started(**_kwargs):
    times["start"] = time.time()


@events.test_stop.add_listener
def stopped(**_kwargs):
    times["stop"] = time.time()


@events.quitting.add_listener
def save_results(**_kwargs):
    """What ``load.py`` reads when Locust has stopped."""
    with open(RESULTS, "w", encoding="utf-8") as out:
        json.dump({"requests": requests_made, "published": published, "refused": refused,
                   "seconds": times.get("stop", time.time()) - times.get("start", time.time())}, out)


# --- sending forms ----------------------------------------------------------------
def form_with_button(html, name, value):
    """The action of the page's form that has the button ``name=value``, and what pressing it sends."""
    for form in PageForms(html).forms:
        if (name, value) in form["buttons"]:
            return form["action"], [*form["fields"], (name, value)]
    raise LookupError(f"no button {name}={value}")


class Visitor(FastHttpUser):
    """A browser with its cookies and one keep-alive connection; each request is named by its kind."""

    abstract = True

    def page(self, kind, path, **kwargs):
        """GET a page (or the search API); anything but a 200 counts as a failure."""
        with self.client.get(path, name=kind, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            return response.text or ""

    def send(self, kind, path, fields, next_kind):
        """POST a form as a browser does: the answer must be a redirect, which is then
        followed (a GET named ``next_kind``).  The page it leads to, or None."""
        with self.client.post(path, name=kind, data=urlencode(fields), headers=FORM_TYPE,
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")
                return None
            location = response.headers.get("Location", "")
        return self.page(next_kind, location)


class Staff(Visitor):
    """Logged in as ``username`` before the first task."""

    abstract = True
    username = ""

    def on_start(self):
        self.log_in()

    def log_in(self):
        """Log in (again after a pause, while the server does not answer)."""
        while True:
            forms = PageForms(self.page("page: login form", "/sv/logga-in")).forms
            token = [f for form in forms for f in form["fields"] if f[0] == "csrf_token"][:1]
            page = token and self.send("form: log in", "/sv/logga-in", token + [
                ("username", self.username), ("password", TARGETS["password"])], "page: staff start page")
            if page and LOGGED_IN in page:
                return
            time.sleep(5)

    def step(self, kind, path, fields):
        """A step of the editors' workflow: the edit page it leads to, or None when the
        portal refused it (its message on that page)."""
        page = self.send(kind, path, fields, "page: editor article form")
        if page is not None and REFUSED in page:
            refused.append(kind)
            return None
        return page


# --- citizens ----------------------------------------------------------------------
class Citizen(Visitor):
    """Reads the start page, topics and articles, checks the alerts and searches."""

    weight = 70
    wait_time = between(1, 4)

    @task(2)
    def start_page(self):
        self.page("page: start", "/sv/")

    @task(2)
    def topic(self):
        self.page("page: topic", f"/sv/amne/{random.choice(TARGETS['topics'])}")

    @task(5)
    def article(self):
        self.page("page: article", f"/sv/artikel/{random.choice(TARGETS['articles'])}")

    @task(1)
    def alerts(self):
        self.page("page: alerts", "/sv/driftinformation")

    @task(2)
    def search(self):
        self.page("search: citizen search page", "/sv/sok", params={"q": random.choice(TARGETS["queries"])})


class EserviceCitizen(Visitor):
    """Looks for an e-service and follows a case under its tracking link (no form is sent:
    ``benchmarks/eservices.py`` measures submissions)."""

    weight = 15
    wait_time = between(1, 4)

    @task(1)
    def catalogue(self):
        self.page("page: e-service catalogue", "/sv/e-tjanster")

    @task(3)
    def landing(self):
        self.page("page: e-service landing", f"/sv/e-tjanster/{random.choice(TARGETS['eservices'])}")

    @task(2)
    def track(self):
        self.page("page: case tracking", f"/sv/arende/{random.choice(TARGETS['tracking_tokens'])}")


# --- the contact centre ------------------------------------------------------------------
class Agent(Staff):
    """Logged in; searches as they type (``portal.js``: a search 250 ms after the last
    keystroke, the settled query once more with ``log=1``), opens the knowledge view
    and the contact workspace."""

    weight = 15
    wait_time = between(2, 6)
    typing_pause = 0.25   # portal.js TYPING_DELAY
    username = TARGETS["agent"]

    def api(self, kind, q, logged):
        self.page(kind, "/api/v1/search", headers={"Accept": "application/json"},
                  params={"q": q, "lang": "sv", "scope": "agent", "log": int(logged)})

    @task(4)
    def search_as_you_type(self):
        query = random.choice(TARGETS["queries"])
        for end in range(1, len(query) + 1):
            gap = random.uniform(0.08, 0.4)
            time.sleep(gap)
            if end >= 2 and (gap >= self.typing_pause or end == len(query)):
                self.api("search: agent as they type", query[:end], logged=False)
        time.sleep(1.5)   # portal.js SETTLED_DELAY
        self.api("search: agent settled query (logged)", query, logged=True)

    @task(3)
    def knowledge_view(self):
        self.page("page: agent knowledge view", f"/sv/kunskap/{random.choice(TARGETS['agent_articles'])}")

    @task(1)
    def agent_search_page(self):
        self.page("search: agent search page", "/sv/kunskap", params={"q": random.choice(TARGETS["queries"])})

    @task(2)
    def workspace(self):
        self.page("page: contact workspace", "/sv/kontakt")

    @task(1)
    def workspace_search(self):
        self.page("search: contact workspace search", "/sv/kontakt",
                  params={"q": random.choice(TARGETS["queries"])})


# --- editors ---------------------------------------------------------------------------
class Editor(Staff):
    """Edits a published article of the förvaltning now and then (one more sentence in
    its Swedish text), saves it and sends it for review; reads the dashboard between."""

    fixed_count = 1
    wait_time = between(8, 15)
    username = TARGETS["editor"]
    number = 0

    @task(3)
    def edit_and_submit(self):
        candidates = [a for a in TARGETS["editable"] if a["id"] not in pending_ids]
        if not candidates:
            return
        article = random.choice(candidates)
        path = f"/sv/redaktion/{article['id']}"
        self.number += 1
        marker = MARKER.format(run=RUN, n=self.number)
        _action, fields = form_with_button(self.page("page: editor article form", path), "preview", "1")
        fields = [(name, OLD_MARKER.sub("", value).rstrip() + "\n\n" + marker if name == "t_sv-body" else value)
                  for name, value in fields if name != "preview"]   # "Spara utkast" has no name
        page = self.step("form: editor save draft", path, fields)
        if page is None:
            return
        action, fields = form_with_button(page, "action", "submit")
        if self.step("form: editor submit for review", action, fields) is None:
            return
        pending_ids.add(article["id"])
        waiting_for_review.append((article["id"], article["slug"], marker))

    @task(1)
    def dashboard(self):
        self.page("page: editor dashboard", "/sv/redaktion")


class Reviewer(Staff):
    """A second person (the administrator) approves what the editor sent, on the review screen."""

    fixed_count = 1
    wait_time = between(2, 5)
    username = TARGETS["reviewer"]

    @task
    def review(self):
        if not waiting_for_review:
            self.page("page: editor dashboard", "/sv/redaktion")
            return
        article_id, slug, marker = waiting_for_review.popleft()
        page = self.page("page: review screen", f"/sv/redaktion/{article_id}/granska")
        action, fields = form_with_button(page, "action", "approve")
        if self.step("form: reviewer approve (publish)", action, fields) is not None:
            published.append((slug, marker))
        pending_ids.discard(article_id)
