"""``portal serve --processes N``: workers on one socket, restarted when they die, stopped
with the parent; the periodic tasks shared by all run in one worker only."""
import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.pages import free_port

STARTUP_SECONDS = 60


def is_portal_setting(name):
    return name.startswith("PORTAL_") or name in ("SECRET_KEY", "FLASK_APP")


@pytest.fixture
def server(demo_template, tmp_path):
    """``portal serve --processes 2`` on a copy of the demo instance; its stderr in a file."""
    folder = tmp_path / "instance"
    shutil.copytree(demo_template, folder, symlinks=True)
    port, log = free_port(), tmp_path / "stderr.txt"
    env = {name: value for name, value in os.environ.items() if not is_portal_setting(name)}
    env.update(PORTAL_INSTANCE_DIR=str(folder), PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-c", "from portal.cli import main; main()", "serve", "--port", str(port),
             "--threads", "2", "--processes", "2"], env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    process.port, process.log = port, log
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def get(port, path="/healthz"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def wait_for(condition, seconds=STARTUP_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def workers(server):
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def worker_lines(server):
    return [line for line in server.log.read_text(encoding="utf-8").splitlines() if line.startswith("worker ")]


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; forks")


def test_two_workers_answer_and_only_one_runs_the_shared_background_tasks(server):
    assert wait_for(lambda: len(worker_lines(server)) == 2 and get(server.port)[0] == 200)
    assert len(workers(server)) == 2
    status, body = get(server.port, "/sv/")
    assert status == 200 and "Sjöbacka" in body.decode()
    lines = worker_lines(server)
    assert sum("all background tasks" in line for line in lines) == 1, lines
    assert sum("its own background tasks only" in line for line in lines) == 1, lines


def test_a_dead_worker_is_started_again_and_sigterm_stops_them_all(server):
    assert wait_for(lambda: len(worker_lines(server)) == 2)
    first, second = workers(server)
    os.kill(first, signal.SIGKILL)
    assert wait_for(lambda: len(workers(server)) == 2 and first not in workers(server))
    assert wait_for(lambda: get(server.port)[0] == 200)
    survivors = workers(server)
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=30) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in survivors)
    with pytest.raises(OSError):
        get(server.port)
    assert second in survivors


def test_a_worker_without_the_shared_tasks_still_writes_its_own_view_counts(app, client):
    """The article views a worker counted in its memory reach the database from that
    worker; the instance's other periodic tasks are left to the first worker."""
    from sqlalchemy import func, select

    from content.models import ArticleViews
    from portal import tasks
    from portal.extensions import db

    ran = []
    tasks.register_periodic(app, "a shared task", lambda: ran.append("shared"), 0)
    assert client.get("/sv/artikel/hemtjanst").status_code == 200   # rendered and kept
    assert client.get("/sv/artikel/hemtjanst").status_code == 200   # a kept copy
    with app.app_context():
        assert db.session.scalar(select(func.sum(ArticleViews.views))) is None   # counted in memory
    tasks.run_due(app, clock=lambda: float("inf"), shared=False)
    with app.app_context():
        assert db.session.scalar(select(func.sum(ArticleViews.views))) == 2
    assert ran == []
    tasks.run_due(app, clock=lambda: float("inf"))
    assert ran == ["shared"]
