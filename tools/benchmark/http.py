"""gunicorn serving the benchmark database, and a load client on 127.0.0.1.

gunicorn is ready when it serves a static file (``READY_PATH``): a cheap request, so that
waiting for it costs nothing and a slow page cannot make the server look dead. The CPU time its
workers spend (``Server.cpu_seconds``, read from the kernel's counters of each worker process)
is measured beside the client's wall-clock time.

The client opens a new connection per request, as gunicorn's sync workers close each one, and
runs in threads of the runner's process: on a small machine it shares the cores with the
workers, which makes the requests per second measured a floor, not a ceiling.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

#: Seconds gunicorn may take to start answering. Started with ``--preload``, as a large
#: deployment is: the master builds the term index once before forking its workers, which takes
#: about a minute of CPU for a million concepts (longer on a loaded machine).
START_TIMEOUT = 600
#: What the runner asks for until gunicorn answers: a static file, served by WhiteNoise.
READY_PATH = "/static/glossary/site.css"


@dataclass
class Server:
    """A running gunicorn: its port, and the CPU time its workers have used."""

    port: int
    pid: int

    def workers(self) -> list[int]:
        """The worker processes' ids (children of gunicorn's master process, from /proc)."""
        found: list[int] = []
        for task in Path(f"/proc/{self.pid}/task").glob("*/children"):
            found.extend(int(pid) for pid in task.read_text().split())
        return found

    def cpu_seconds(self) -> float:
        """User and system CPU seconds used so far by the workers now running."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a worker that has just stopped
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int, log: Path) -> Iterator[Server]:
    """gunicorn with ``workers`` sync workers on a free port of 127.0.0.1, ready to serve."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--preload",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "512",
    ]
    root = Path(__file__).resolve().parents[2]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_serving(port, process, log)
            yield Server(port=port, pid=process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_serving(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (status {process.returncode}); see {log}")
        try:
            status, _body, _seconds = get(port, READY_PATH)
        except OSError:
            time.sleep(0.2)
            continue
        if status == 200:
            return
        raise RuntimeError(f"gunicorn answered {status} for {READY_PATH}; see {log}")
    raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT} s; see {log}")


def get(port: int, path: str, *, timeout: float = 30) -> tuple[int, bytes, float]:
    """(status, body, seconds) of one GET on a new connection."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response.status, body, time.perf_counter() - started


def latencies(port: int, paths: list[str]) -> tuple[list[float], int]:
    """Milliseconds of each GET, one after another, and how many did not answer 200."""
    times, failed = [], 0
    for path in paths:
        status, _body, seconds = get(port, path)
        times.append(seconds * 1000)
        failed += status != 200
    return times, failed


@dataclass
class Load:
    """What concurrent clients got in a fixed time."""

    seconds: float
    done: int = 0
    failed: int = 0
    times: list[float] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0


def load(port: int, paths: list[str], *, clients: int, seconds: float) -> Load:
    """``clients`` threads requesting ``paths`` in turn for ``seconds``; requests per second."""
    lock = threading.Lock()
    result = Load(seconds=seconds)
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        done, failed, times = 0, 0, []
        index = offset
        while time.perf_counter() < deadline:
            try:
                status, _body, elapsed = get(port, paths[index % len(paths)])
            except OSError:
                status, elapsed = 0, 0.0
            index += clients
            if status == 200:
                done += 1
                times.append(elapsed * 1000)
            else:
                failed += 1
        with lock:
            result.done += done
            result.failed += failed
            result.times.extend(times)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result
