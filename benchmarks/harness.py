"""What the benchmarks share: options, a throw-away portal instance, timing figures, tables."""
import argparse
import math
import os
import resource
import time

from sqlalchemy import event, func, select

from portal import create_app
from portal.extensions import db


def argument_parser(doc, articles, what):
    """A parser with the options both benchmarks have: ``--articles`` (or ``--docs``), ``--seed``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--articles", "--docs", type=int, default=articles,
                        help=f"{what} (default {articles})")
    parser.add_argument("--seed", type=int, default=2025, help="corpus and sample seed (2025)")
    return parser


# --- a portal instance ------------------------------------------------------------
def portal_app(folder):
    """An app on its own instance folder (database, index, secret key), as the tests make it."""
    os.environ.pop("PORTAL_DATABASE_URL", None)
    os.environ.pop("PORTAL_INDEX_DIR", None)
    return create_app({"PORTAL_INSTANCE_DIR": str(folder)})


def init_demo(app):
    """``portal init --demo``: migrations, demo organisation, accounts, articles, index."""
    result = app.test_cli_runner().invoke(args=["init", "--demo"])
    if result.exit_code != 0:
        raise RuntimeError(f"portal init --demo failed:\n{result.output}") from result.exception


def demo_admin():
    from portal.auth.models import User

    return db.session.scalar(select(User).where(User.username == "admin"))


def department_ids():
    from portal.org.models import Department

    return {d.code: d.id for d in db.session.scalars(select(Department))}


def article_count():
    from content.models import Article

    return db.session.scalar(select(func.count(Article.id)))


def submit_article(raw, admin, departments, slug_ids=None):
    """A corpus article created and submitted for review through the editors' workflow."""
    from content.demo import revision_content
    from content.operations import ACTIONS, create_article

    article = create_article(admin, revision_content(raw, departments, slug_ids), comment="Benchmark")
    ACTIONS["submit"].execute(article, admin, revision=article.latest_revision)
    return article


def publish_article(raw, admin, departments, slug_ids=None):
    """A corpus article created, submitted and approved (published) through the workflow."""
    from content.operations import ACTIONS

    article = submit_article(raw, admin, departments, slug_ids)
    ACTIONS["approve"].execute(article, admin, revision=article.latest_revision)
    return article


# --- figures ------------------------------------------------------------------------
class StatementCounter:
    """Counts the SQL statements sent to the database."""

    def __init__(self, engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self.seen)

    def seen(self, *args):
        self.count += 1


class Stopwatch:
    """``with Stopwatch() as watch: …`` then ``watch.seconds``."""

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started


def percentile(ordered, fraction):
    """Nearest-rank percentile of an already sorted list."""
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def latency_ms(seconds):
    """p50, p95 and max of a list of durations, in milliseconds."""
    ordered = sorted(s * 1000 for s in seconds)
    return {"p50": percentile(ordered, 0.5), "p95": percentile(ordered, 0.95),
            "max": ordered[-1], "n": len(ordered)}


def peak_rss_mb():
    """This process's peak resident set size (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_table(title, header, rows):
    """A plain-text table; cells are printed as given (format numbers before)."""
    cells = [list(map(str, header))] + [list(map(str, row)) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for number, row in enumerate(cells):
        print("  " + "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths))))
        if number == 0:
            print("  " + "  ".join("-" * w for w in widths))
