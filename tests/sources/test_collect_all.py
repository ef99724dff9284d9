"""Collecting many feeds: downloads overlap, parsing runs in the worker pool, order is kept, and an
unchanged feed is answered by a conditional GET without being parsed again.

The feeds are served from a child process on loopback (a server thread in this process would make
``collect_all`` fall back to one source at a time, as it must when threads exist before forking).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.config import load_config
from digest.errors import SourceError
from digest.sources import PARALLEL_MIN_SOURCES, SourceBatch, collect_all
from digest.store import SourceState
from tests.conftest import write_config

NOW = datetime(2025, 3, 4, 12, tzinfo=UTC)
# "/wait-N" answers only once WAITERS requests are in flight together (a barrier), so it succeeds
# only when the client fetches them concurrently; the barrier's timeout makes a sequential
# client fail with 503 instead of hanging.
SERVER = r"""
import http.server, sys, threading
WAITERS = int(sys.argv[2])
barrier = threading.Barrier(WAITERS, timeout=20)

class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {".xml": "application/rss+xml"}

    def do_GET(self):
        if self.path.startswith("/wait-"):
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                self.send_error(503)
                return
        super().do_GET()

    def log_message(self, *args):
        pass

def handler(*args, **kwargs):
    return Handler(*args, directory=sys.argv[1], **kwargs)

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""
WAITERS = 3


def rss(i: int) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
        f"<item><title>Ferry line {i} resumes service</title><guid>f-{i}</guid>"
        f"<link>https://desk.example/f{i}</link><description>The ferry line {i} between Orvik "
        "and Tarnholm resumed service on Monday after the storm.</description></item>"
        "</channel></rss>"
    ).encode()


@pytest.fixture
def feed_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    folder = tmp_path / "served"
    folder.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(folder), str(WAITERS)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}", folder
    finally:
        proc.kill()
        proc.wait()


def test_feeds_download_together_and_come_back_in_order(
    tmp_path: Path, feed_server: tuple[str, Path]
) -> None:
    url, folder = feed_server
    names = [f"wait-{i}.xml" for i in range(WAITERS)] + ["plain.xml", "missing.xml"]
    for i, name in enumerate(names[:-1]):
        (folder / name).write_bytes(rss(i))
    sources = [
        {"name": n.removesuffix(".xml"), "type": "feed", "url": f"{url}/{n}", "allow_private": True}
        for n in names
    ]
    assert len(sources) >= PARALLEL_MIN_SOURCES
    config = load_config(write_config(tmp_path, sources))
    jobs = [(s, {}, SourceState(s.name)) for s in config.sources]

    first = list(collect_all(jobs, config, NOW))

    assert isinstance(first[-1], SourceError) and "404" in str(first[-1])
    batches = first[:-1]
    assert all(isinstance(b, SourceBatch) for b in batches), batches
    titles = [[it.title for it in b.items] for b in batches]  # type: ignore[union-attr]
    assert titles == [[f"Ferry line {i} resumes service"] for i in range(len(names) - 1)]

    # Next run with the validators the server gave: 304 answers, nothing parsed, nothing new.
    jobs = [
        (s, {}, SourceState(s.name, last_modified=b.last_modified))  # type: ignore[union-attr]
        for s, b in zip(config.sources, batches)
    ]
    again = list(collect_all(jobs, config, NOW))
    assert all(isinstance(b, SourceBatch) and b.items == [] for b in again)
