"""The real daemon in a subprocess: catch-up at start, one instance, SIGTERM, restart.

Each test starts ``python -m digest daemon`` on a temporary config whose fresh state makes the most
recent slot (today 00:00 UTC) count as missed, so the daemon runs it through the real pipeline at
once over a small invented inbox. Waits are bounded by a deadline on the daemon's own log lines;
nothing sleeps on the wall clock.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEADLINE = (
    90.0  # generous upper bound for spaCy to load on a slow machine; never waited out when healthy
)


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


class DaemonProc:
    """A running ``digest daemon`` whose stderr lines are collected by a reader thread."""

    def __init__(self, config: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "digest", "daemon", "--config", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
            cwd=config.parent,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, needle: str) -> str:
        """Block until a log line contains ``needle``; fail if the daemon exits or the deadline passes."""
        end = time.monotonic() + DEADLINE
        for line in self.lines:
            if needle in line:
                return line
        while True:
            try:
                line = self._queue.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no log line with {needle!r}; got:\n" + "\n".join(self.lines))
            if line is None:
                pytest.fail(f"daemon exited before logging {needle!r}:\n" + "\n".join(self.lines))
            self.lines.append(line)
            if needle in line:
                return line

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.proc.send_signal(sig)
        return self.finish()

    def finish(self) -> int:
        code = self.proc.wait(timeout=DEADLINE)
        while True:
            try:
                line = self._queue.get(timeout=5)
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A config with a daily 00:00 UTC slot and an inbox of three articles from the last hours."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    now = datetime.now(UTC).replace(microsecond=0)
    items = [
        {
            "id": "harbor-1",
            "title": "Harbor council approves new tram line",
            "text": "The Harbor city council approved a new tram line linking the port with the university. "
            "Mayor Lena Ortiz said construction would begin in spring.",
            "url": "https://harbor.example/tram",
            "source": "Harbor Post",
        },
        {
            "id": "harbor-2",
            "title": "Port workers welcome the tram vote",
            "text": "Port workers welcomed the council's tram vote. Union leader Marco Delgado said commutes "
            "would be half an hour shorter.",
            "url": "https://wire.example/tram-workers",
            "source": "Coast Wire",
        },
        {
            "id": "bank-1",
            "title": "Northwind Bank reports a quarterly loss",
            "text": "Northwind Bank reported a quarterly loss, citing provisions for bad loans. Chief executive "
            "Ana Petrova said the bank would cut costs.",
            "url": "https://money.example/northwind",
            "source": "Money Desk",
        },
    ]
    for i, item in enumerate(items):
        item["date"] = (now - timedelta(minutes=30 + i)).isoformat()
    (inbox / "news.jsonl").write_text(
        "\n".join(json.dumps(o) for o in items) + "\n", encoding="utf-8"
    )
    (tmp_path / "config.yaml").write_text(
        "timezone: UTC\n"
        "sources:\n  - name: inbox\n    type: files\n    path: inbox\n"
        "schedule:\n  cron: '0 0 * * *'\n",
        encoding="utf-8",
    )
    return tmp_path / "config.yaml"


@pytest.fixture
def daemons() -> Iterator[list[DaemonProc]]:
    started: list[DaemonProc] = []
    yield started
    for d in started:
        d.kill()


def briefings(folder: Path) -> list[str]:
    db = folder / "state" / "digest.db"
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT day FROM briefings ORDER BY day")]
    finally:
        conn.close()


def runs(folder: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(folder / "state" / "digest.db")
    try:
        return [(r[0], r[1]) for r in conn.execute("SELECT day, outcome FROM runs ORDER BY id")]
    finally:
        conn.close()


def assert_consistent(folder: Path) -> None:
    """State and files agree: every recorded briefing has its three files, each whole; no temp files."""
    out = folder / "out"
    names = sorted(p.name for p in out.rglob("*")) if out.exists() else []
    assert not [n for n in names if n.endswith(".tmp")], names
    for day in briefings(folder):
        for ext in ("md", "html", "json"):
            assert (out / f"{day}.{ext}").is_file(), f"{day}.{ext} missing"
        json.loads((out / f"{day}.json").read_text(encoding="utf-8"))
        assert (out / f"{day}.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
        assert (out / f"{day}.md").read_text(encoding="utf-8").startswith("# ")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    out = folder / "out"
    return {
        str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def _first_difference(old: bytes, new: bytes, names: list[str]) -> str:
    a, b = old.decode("utf-8", "replace").splitlines(), new.decode("utf-8", "replace").splitlines()
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"{names} differ; first at line {i + 1}:\n- {x}\n+ {y}"
    return f"{names} differ in length ({len(a)} vs {len(b)} lines)"


def test_catch_up_at_start_then_sigterm_then_restart_is_a_no_op(
    site: Path, daemons: list[DaemonProc]
) -> None:
    folder = site.parent
    first = DaemonProc(site)
    daemons.append(first)
    first.wait_for("catch-up: 1 day(s) due")
    done = first.wait_for("items=3 stories=")  # the pipeline's one line per run
    day = done.split("day=")[1].split()[0]
    assert briefings(folder) == [day]
    assert_consistent(folder)

    # while it runs: a second daemon and a one-shot render are refused at once, naming lock and pid
    for command in (["daemon"], ["render"]):
        second = subprocess.run(
            [sys.executable, "-m", "digest", *command, "--config", str(site)],
            capture_output=True,
            text=True,
            env=env(),
            timeout=DEADLINE,
        )
        assert second.returncode == 1
        assert (
            f"{folder / 'state' / 'digest.lock'} (pid {first.proc.pid}, digest daemon)"
            in second.stderr
        )
    status = subprocess.run(
        [sys.executable, "-m", "digest", "status", "--config", str(site)],
        capture_output=True,
        text=True,
        env=env(),
        timeout=DEADLINE,
    )
    assert status.returncode == 0
    assert f"daemon:     running (pid {first.proc.pid}" in status.stdout
    assert f"briefing:   {day} written" in status.stdout
    assert "inbox: ok" in status.stdout

    assert first.stop() == 0
    assert any("daemon stopped" in line for line in first.lines)

    before = snapshot(folder)
    runs_before = runs(folder)
    again = DaemonProc(site)
    daemons.append(again)
    again.wait_for("catch-up: nothing missed")
    code = again.stop(signal.SIGINT)
    assert code == 0, "\n".join(again.lines)
    assert snapshot(folder) == before, "restart rewrote files"  # byte-identical, not even rewritten
    assert runs(folder) == runs_before

    # with the daemon stopped, a manual render of the same date reproduces the same bytes
    render = subprocess.run(
        [sys.executable, "-m", "digest", "render", "--date", day, "--config", str(site)],
        capture_output=True,
        text=True,
        env=env(),
        timeout=DEADLINE,
    )
    assert render.returncode == 0, render.stderr
    after = snapshot(folder)
    day_files = [name for name in before if name.startswith(day)]
    assert len(day_files) == 3
    changed = [n for n in day_files if after[n][0] != before[n][0]]
    assert not changed, _first_difference(before[changed[0]][0], after[changed[0]][0], changed)
    assert not any("Traceback" in line for line in first.lines + again.lines)


def test_sigterm_during_a_job_lets_it_finish_and_exits_0(
    site: Path, daemons: list[DaemonProc]
) -> None:
    folder = site.parent
    d = DaemonProc(site)
    daemons.append(d)
    d.wait_for("running (slot")
    d.proc.send_signal(signal.SIGTERM)  # spaCy is still loading: the job is in flight
    assert d.finish() == 0
    text = "\n".join(d.lines)
    assert "SIGTERM: stopping after the running job" in text, text
    assert "items=3 stories=" in text  # the job completed
    assert len(briefings(folder)) == 1
    assert_consistent(folder)
    assert "Traceback" not in text


def test_second_signal_interrupts_the_job_and_rolls_back(
    site: Path, daemons: list[DaemonProc]
) -> None:
    folder = site.parent
    d = DaemonProc(site)
    daemons.append(d)
    d.wait_for("running (slot")
    d.proc.send_signal(signal.SIGTERM)
    d.wait_for("stopping after the running job")
    d.proc.send_signal(signal.SIGTERM)
    assert d.finish() == 0
    text = "\n".join(d.lines)
    assert_consistent(folder)
    if "interrupted by a second stop signal" in text:
        assert briefings(folder) == []
        assert runs(folder)[-1][1] == "interrupted"
    else:  # the job had already committed when the second signal came
        assert len(briefings(folder)) == 1
    assert "Traceback" not in text
