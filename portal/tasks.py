"""Work that happens without a request: periodic tasks and retention.

``portal serve`` runs a background thread that calls :func:`run_due` every
couple of seconds; each registered task runs when its interval has passed
(the search outbox drain, due publication schedules, mail delivery, purging
old statistics).  Each task runs in a fresh app context and a failure is
logged without stopping the others.  ``portal serve --processes N`` runs them
in its first worker, and in the others only the tasks registered
``every_process`` (what a process counts in its memory, such as article views).
Deployments that run several servers,
or none of the background thread, run the same work from cron with the CLI
commands (``portal publish-scheduled``, ``portal purge``, …).

**Retention.**  Data kept for statistics (the search query log, page
feedback, …) is deleted when it is older than its retention period.  A
domain registers a purge function with :func:`register_retention`;
``portal purge`` and the periodic task run them all.
"""
import logging
import time
from dataclasses import dataclass, field

from flask import current_app

from portal.clock import utcnow
from portal.extensions import db

log = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 3600


@dataclass
class PeriodicTask:
    name: str
    function: object
    seconds: float
    every_process: bool = False
    last_run: float = field(default=float("-inf"))


def register_periodic(app, name, function, seconds, every_process=False):
    """Run ``function()`` about every ``seconds`` while ``portal serve`` runs: in one
    process of ``portal serve --processes N``, or with ``every_process`` in each (for
    work on what a process keeps in its own memory)."""
    app.extensions.setdefault("portal.periodic", []).append(
        PeriodicTask(name, function, seconds, every_process))


def register_retention(app, name, purge):
    """``purge(now)`` deletes what is past its retention period and returns how many rows."""
    app.extensions.setdefault("portal.retention", {})[name] = purge


def purge_all(now=None):
    """Run every retention rule; {name: rows deleted}."""
    now = now or utcnow()
    counts = {name: purge(now) for name, purge
              in current_app.extensions.get("portal.retention", {}).items()}
    db.session.commit()
    return counts


def run_due(app, clock=time.monotonic, shared=True):
    """Run the periodic tasks whose time has come, each in its own app context; with
    ``shared=False`` only those registered ``every_process``."""
    for task in app.extensions.get("portal.periodic", []):
        now = clock()
        if now - task.last_run < task.seconds or not (shared or task.every_process):
            continue
        task.last_run = now
        with app.app_context():
            try:
                task.function()
            except Exception:  # one failing task must not stop the others; it is logged
                log.exception("Periodic task %s failed", task.name)
                db.session.rollback()
            finally:
                db.session.remove()


def init_app(app):
    register_periodic(app, "purge", purge_all, PURGE_EVERY_SECONDS)
