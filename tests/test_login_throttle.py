"""Login throttling: counted before the password is checked, per account and address."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from portal.auth.models import User
from portal.tasks import purge_all
from tests.conftest import copy_of_demo, csrf_token, make_app, post_form

WRONG = "guess-guess-guess"
RIGHT = "kontaktcenter-demo"


def attempt(client, password=WRONG, username="editor", url="/sv/logga-in"):
    return post_form(client, url, {"username": username, "password": password})


def fail(client, times, **kwargs):
    """``times`` wrong logins; their status codes."""
    return [attempt(client, **kwargs).status_code for _attempt in range(times)]


def client_at(app, address, forwarded_for=None):
    """A test client whose requests come from ``address`` (through a proxy that says
    ``forwarded_for`` when given)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


@pytest.fixture
def clock(monkeypatch):
    """Throttling's time, moved on by calling the fixture with seconds."""
    now = [datetime(2026, 3, 2, 9, 0)]
    monkeypatch.setattr("portal.auth.throttle.utcnow", lambda: now[0])

    def advance(seconds=0):
        now[0] += timedelta(seconds=seconds)
        return now[0]
    return advance


def parallel_wrong_logins(app, monkeypatch, usernames):
    """Fire a wrong login for each name at once, each from its own session; return
    how many passwords were checked and the status codes."""
    checked = []
    check_password = User.check_password

    def slow_check(user, password):
        checked.append(1)
        time.sleep(0.05)  # about as long as argon2 takes with production parameters
        return check_password(user, password)

    monkeypatch.setattr(User, "check_password", slow_check)
    clients = [app.test_client() for _name in usernames]
    tokens = [csrf_token(client, "/sv/logga-in") for client in clients]
    start = threading.Barrier(len(usernames))

    def post(client, token, username):
        start.wait()
        return client.post("/sv/logga-in", data={"csrf_token": token, "username": username,
                                                 "password": WRONG}).status_code

    with ThreadPoolExecutor(len(usernames)) as pool:
        statuses = list(pool.map(post, clients, tokens, usernames))
    return len(checked), statuses


# 30 attempts at once from one address, and the settings that make 5 the limit.
PARALLEL_CASES = pytest.mark.parametrize("settings, usernames", [
    ({}, ["editor"] * 30),  # one account: the pair's limit
    ({"LOGIN_FAILURES_PER_ADDRESS": 5}, [f"guess{n}" for n in range(30)]),  # spraying
], ids=["one account", "many accounts"])


@PARALLEL_CASES
def test_parallel_attempts_cannot_overshoot_the_limit(app, monkeypatch, settings, usernames):
    app.config.update(settings)
    checked, statuses = parallel_wrong_logins(app, monkeypatch, usernames)
    assert checked == 5, f"{checked} of 30 passwords checked"
    assert sorted(statuses) == [200] * 5 + [429] * 25


def test_nothing_waits_below_the_limit_whatever_the_clock(client, clock):
    """Parallel attempts take the time before they wait for the lock: one that
    took it earlier may come second."""
    attempt(client)
    clock(-1)
    assert attempt(client).status_code == 200


def test_failures_from_elsewhere_do_not_lock_the_owner_out(app):
    attacker = client_at(app, "203.0.113.9")
    assert fail(attacker, 5) == [200] * 5
    assert attempt(attacker, RIGHT).status_code == 429
    assert attempt(app.test_client(), RIGHT).status_code == 302


def test_each_further_attempt_waits_twice_as_long_up_to_the_maximum(client, clock):
    fail(client, 5)
    waits = []
    for _round in range(7):
        refused = attempt(client)
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock(waits[-1])
        assert attempt(client).status_code == 200  # its password was checked
    assert waits == [30, 60, 120, 240, 480, 900, 900]


def test_the_page_says_how_long_to_wait(client, clock):
    fail(client, 5)
    html = attempt(client).get_data(as_text=True)
    assert "Vänta 30 sekunder och försök sedan igen." in html
    clock(30)
    attempt(client)
    clock(1)
    html = attempt(client, url="/en/login").get_data(as_text=True)
    assert "Wait 1 minute and then try again." in html


def test_counts_are_forgotten_a_window_after_the_wait(app, client, clock):
    fail(client, 5)
    clock(30 + app.config["LOGIN_FAILURE_WINDOW_SECONDS"] - 1)
    attempt(client)
    assert attempt(client).status_code == 429  # the count went on: 60 s
    clock(60 + app.config["LOGIN_FAILURE_WINDOW_SECONDS"])
    assert fail(client, 5) == [200] * 5
    assert attempt(client).status_code == 429


def test_refused_attempts_count_nowhere(app, client):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = 7
    fail(client, 5)
    assert fail(client, 3) == [429] * 3
    assert attempt(client, RIGHT, username="agent").status_code == 302


def test_login_clears_the_pair(client):
    fail(client, 4)
    assert attempt(client, RIGHT).status_code == 302
    post_form(client, "/sv/logga-ut", {}, page="/sv/")
    assert fail(client, 5) == [200] * 5
    assert attempt(client).status_code == 429


def test_login_takes_only_its_own_attempt_off_the_address(app, client):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = 5
    fail(client, 4)
    assert attempt(client, RIGHT).status_code == 302
    post_form(client, "/sv/logga-ut", {}, page="/sv/")
    assert attempt(client, username="agent").status_code == 200
    assert attempt(client, RIGHT, username="admin").status_code == 429


def test_forwarded_for_is_ignored_without_a_trusted_proxy(app):
    for number in range(5):
        attempt(client_at(app, "127.0.0.1", forwarded_for=f"198.51.100.{number}"))
    response = attempt(client_at(app, "127.0.0.1", forwarded_for="198.51.100.99"), RIGHT)
    assert response.status_code == 429


def test_clients_behind_a_trusted_proxy_are_counted_apart(demo_template, tmp_path):
    app = copy_of_demo(demo_template, tmp_path, PORTAL_PROXY_COUNT=1)
    guesser = client_at(app, "10.0.0.2", forwarded_for="198.51.100.1")
    fail(guesser, 5)
    assert attempt(guesser, RIGHT).status_code == 429
    owner = client_at(app, "10.0.0.2", forwarded_for="198.51.100.2")
    assert attempt(owner, RIGHT).status_code == 302


def test_forgotten_counts_are_purged(app, client, clock):
    attempt(client)
    window = timedelta(seconds=app.config["LOGIN_FAILURE_WINDOW_SECONDS"])
    with app.app_context():
        assert purge_all(clock() + window - timedelta(seconds=1))["login throttling"] == 0
        assert purge_all(clock() + window)["login throttling"] == 2


def test_settings_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_LOGIN_FAILURES_PER_PAIR", "3")
    monkeypatch.setenv("PORTAL_LOGIN_MAX_DELAY_SECONDS", "3600")
    config = make_app(tmp_path).config
    assert (config["LOGIN_FAILURES_PER_PAIR"], config["LOGIN_MAX_DELAY_SECONDS"]) == (3, 3600)
    assert config["LOGIN_FIRST_DELAY_SECONDS"] == 30
