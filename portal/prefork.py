"""``portal serve --processes N``: one listening socket, N worker processes.

One Python process runs Python on one core at a time (the GIL), so a single
``portal serve`` cannot use a second core however many threads it has.  The parent
binds the socket once and forks the workers; each runs waitress on the inherited
socket, and the kernel hands each new connection to whichever worker accepts it
first.  The parent only watches: a worker that dies is started again, and SIGTERM
or Ctrl-C (SIGINT) stops the workers and then the parent.

The parent forks before it starts any thread and closes its database connections
first, so that no worker inherits a lock held by another thread or a connection
the parent also uses (SQLite forbids sharing one across ``fork``).
"""
import logging
import os
import signal
import socket
import time

log = logging.getLogger(__name__)
RESTART_PAUSE_SECONDS = 1.0   # a worker that dies at once is not restarted in a tight loop
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


def listening_socket(host, port):
    """The socket every worker accepts on (IPv4 or IPv6, as ``host`` says)."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family, backlog=1024)


class Supervisor:
    """Forks ``count`` workers, ``run_worker(number)`` in each, and keeps them running.

    ``before_fork()`` runs in the parent before each fork (closing what must not be
    shared).  A worker never returns into the parent's code: it leaves with ``os._exit``.
    """

    def __init__(self, count, run_worker, before_fork):
        self.count = count
        self.run_worker = run_worker
        self.before_fork = before_fork
        self.workers = {}          # pid → worker number
        self.stopping = False

    def run(self):
        """Start the workers and wait; returns once all have stopped after a signal."""
        for signum in STOP_SIGNALS:
            signal.signal(signum, self.stop)
        for number in range(self.count):
            self.start(number)
        while self.workers:
            pid, status = os.wait()   # retried after a signal's handler (PEP 475)
            number = self.workers.pop(pid, None)
            if number is not None and not self.stopping:
                log.warning("worker %d (pid %d) ended with status %d; starting it again", number, pid, status)
                time.sleep(RESTART_PAUSE_SECONDS)
                self.start(number)

    def start(self, number):
        """Fork worker ``number``; signals wait until the parent knows its pid."""
        if self.stopping:
            return
        self.before_fork()
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        pid = os.fork()
        if pid:
            self.workers[pid] = number
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            return
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C reaches the parent, which stops us
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
            self.run_worker(number)
        except BaseException:
            log.exception("worker %d failed", number)
        finally:
            os._exit(1)

    def stop(self, _signum, _frame):
        self.stopping = True
        for pid in self.workers:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
