"""Login throttling: every attempt is counted before its password is checked.

**What is counted.**  Attempts are counted on two keys: the account together
with the client's address (the *pair*), and the address alone.  After
``LOGIN_FAILURES_PER_PAIR`` failures on a pair, each further attempt from
that address must wait ``LOGIN_FIRST_DELAY_SECONDS``, doubled after every
failure up to ``LOGIN_MAX_DELAY_SECONDS``.  Counting the pair rather than the
account means that someone who guesses at an account from elsewhere cannot
lock its owner out.  The address count (``LOGIN_FAILURES_PER_ADDRESS``, the
same delays) stops one address from trying a few passwords on many accounts.
A login clears its pair and takes its own attempt off the address's count.
A count is forgotten ``LOGIN_FAILURE_WINDOW_SECONDS`` after its last attempt,
or after the end of the wait that attempt set.
The address is ``request.remote_addr``: a client's ``X-Forwarded-For`` counts
only behind the ``PORTAL_PROXY_COUNT`` proxies that ``portal.security`` trusts.

**Why count first.**  The check takes argon2's time.  When failures were only
recorded after it, parallel attempts all passed a test made before any of them
had failed.  Now each attempt adds one to its counts with a single
``INSERT … ON CONFLICT DO UPDATE … WHERE <no wait> RETURNING`` statement
(PostgreSQL, and SQLite from 3.35).  The statement locks the key's row on
PostgreSQL, and the whole database for writing on SQLite, until the commit.
The wait that the new count sets is written in the same transaction, so
parallel attempts are counted one after another, and each one sees the
counts and waits of those before it.  Both keys are counted in one
transaction (always the address first, so that no two lock in the opposite
order), and a refusal rolls it back: a refused attempt counts nowhere.

**What is stored.**  The keys are HMAC-SHA256 digests keyed with
``SECRET_KEY``: the table holds no account name, no address and no password
typed into the username field, and a copy of the table cannot be checked
against guesses.
"""
import hashlib
import hmac
from datetime import timedelta
from math import ceil

from flask import current_app
from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from portal.auth.models import LoginThrottle
from portal.clock import utcnow
from portal.extensions import db

THROTTLE = LoginThrottle.__table__
# The two dialects spell INSERT … ON CONFLICT alike but SQLAlchemy has one construct for each.
UPSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
# The limits of the address's count and the pair's, in the order of _keys.
LIMIT_SETTINGS = ("LOGIN_FAILURES_PER_ADDRESS", "LOGIN_FAILURES_PER_PAIR")


def _digest(*parts):
    secret = current_app.secret_key.encode()
    return hmac.new(secret, "\0".join(parts).encode(), hashlib.sha256).hexdigest()


def _keys(username, address):
    """The address's key and the pair's, in the order they are locked."""
    return _digest("address", address), _digest("pair", username.strip().lower(), address)


def _delay(failures, limit):
    """No wait below ``limit`` failures; then the first delay, doubled per failure, capped."""
    if failures < limit:
        return timedelta(0)
    config = current_app.config
    seconds = config["LOGIN_FIRST_DELAY_SECONDS"] * 2 ** (failures - limit)
    return timedelta(seconds=min(seconds, config["LOGIN_MAX_DELAY_SECONDS"]))


def _forgotten_before(now):
    return now - timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


def _count_statement(key, limit, now):
    """Add one to the key's count (or start it over if forgotten) unless it must wait.

    Below the limit nothing waits, whatever the time: ``now`` was taken before
    the lock, and another attempt may have stored a later one meanwhile.
    """
    row = THROTTLE.c
    insert = UPSERT[db.session.get_bind().dialect.name](THROTTLE)
    return insert.values(key=key, failures=1, retry_at=now).on_conflict_do_update(
        index_elements=[row.key], where=(row.failures < limit) | (row.retry_at <= now),
        set_={"failures": case((row.retry_at <= _forgotten_before(now), 1),
                               else_=row.failures + 1),
              "retry_at": now},
    ).returning(row.failures)


def _count(key, limit, now):
    """Count an attempt on ``key``; return 0, or the seconds to wait if it must wait."""
    failures = db.session.scalar(_count_statement(key, limit, now))
    if failures is None:
        retry_at = db.session.scalar(select(THROTTLE.c.retry_at).where(THROTTLE.c.key == key))
        return ceil((retry_at - now).total_seconds())
    if delay := _delay(failures, limit):
        db.session.execute(update(THROTTLE).where(THROTTLE.c.key == key)
                           .values(retry_at=now + delay))
    return 0


def start_attempt(username, address):
    """Count a login attempt before its password is checked (commits).

    Returns 0 when the password may be checked, otherwise the seconds to wait;
    a refused attempt is not counted.
    """
    now = utcnow()
    for key, setting in zip(_keys(username, address), LIMIT_SETTINGS):
        if wait := _count(key, current_app.config[setting], now):
            db.session.rollback()
            return wait
    db.session.commit()
    return 0


def succeeded(username, address):
    """Take a successful attempt off the counts: the pair starts over, the address
    drops one.  The caller commits."""
    address_key, pair_key = _keys(username, address)
    db.session.execute(delete(THROTTLE).where(THROTTLE.c.key == pair_key))
    db.session.execute(update(THROTTLE).where(THROTTLE.c.key == address_key)
                       .values(failures=THROTTLE.c.failures - 1))


def purge(now):
    """Delete the forgotten counts (a retention rule, see ``portal.tasks``)."""
    return db.session.execute(delete(THROTTLE).where(
        THROTTLE.c.retry_at <= _forgotten_before(now))).rowcount
