"""Crash safety (reliability.md G81-G83, H89-H94): kill runs at random points, then check the state.

The SIGKILL trials run ``digest render`` in real child processes. Importing spaCy and friends takes
two to five seconds, and a kill during imports proves nothing, so the children are forked from a
"zygote" process that imported digest and ran it once (loading the model): every child starts at
the first line of a run (``digest.cli.main``) and the random kill lands in ingest, analysis,
rendering, file writing or the commit. After each kill the test checks that every output file is
whole and that the state never claims more than the files show; at the end one uninterrupted run
must list every inbox item exactly once, and a rerun must reproduce the files byte for byte.

``bench/hostile.py`` reuses ``kill_trials`` for many more trials.
"""

from __future__ import annotations

import errno
import json
import os
import random
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from digest.errors import OutputError, StateError
from digest.output import files as outfiles

REPO = Path(__file__).resolve().parents[2]
DAY = date(2025, 3, 4)
MTIME = datetime(2025, 3, 4, 6, 0, tzinfo=UTC).timestamp()

# The zygote: import everything, run once, then fork one child per "run" command on stdin. The
# parent kills the child after the delay it was given (or lets it finish) and reports back.
ZYGOTE = r"""
import json, os, signal, sys, time
proto = os.fdopen(os.dup(1), "w")  # the protocol channel; digest's own stdout goes to /dev/null
devnull = os.open(os.devnull, os.O_WRONLY)
os.dup2(devnull, 1)
from digest.cli import main
import digest.pipeline.run  # noqa: F401  (all stage imports happen here, before any fork)
argv = json.loads(sys.argv[1])
started = time.monotonic()
rc = main(argv)
sys.stdout.flush()
print(json.dumps({"warmup": rc, "seconds": time.monotonic() - started}), file=proto, flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = main(argv)
            sys.stdout.flush()
        finally:
            os._exit(code)
    killed = False
    delay = cmd.get("kill_after")
    watch = cmd.get("kill_on_temp")  # a folder: kill as soon as a temporary output file shows up in it
    if delay is not None:
        deadline = started + delay
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            mid_write = False
            if watch:
                try:
                    mid_write = any(n.endswith(".tmp") for n in os.listdir(watch))
                except OSError:
                    pass
            if mid_write or time.monotonic() >= deadline:
                os.kill(pid, signal.SIGKILL)  # a child that exited just now is a zombie: no effect
                _, status = os.waitpid(pid, 0)
                killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
                break
            if not watch:
                time.sleep(0.002)
    else:
        _, status = os.waitpid(pid, 0)
    print(json.dumps({"killed": killed, "status": status, "seconds": time.monotonic() - started}), file=proto, flush=True)
"""


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }


# --- a small invented site ---------------------------------------------------------------------


def _article(i: int) -> dict[str, str]:
    quay = ("north", "south", "east", "west")[i % 4]
    return {
        "id": f"crash-{i}",
        "title": f"Crane {i} repaired at the {quay} quay of Port Veldmar",
        "text": f"Engineers repaired crane {i} at the {quay} quay of Port Veldmar on Tuesday, the port "
        f"authority said. The crane had been out of service for {i + 2} days.",
        "date": "2025-03-04T08:00:00Z",
        "url": f"https://crash.example/cranes/{i}",
        "source": "Veldmar Wire" if i % 2 else "Harbour Post",
    }


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Quay feed</title><link>https://quay.example/</link><description>x</description>
<item><title>Ferry timetable for March published</title><link>https://quay.example/ferry</link><guid>q-1</guid>
<pubDate>Tue, 04 Mar 2025 07:00:00 GMT</pubDate><description>The ferry operator published its March timetable with two extra crossings a day.</description></item>
<item><title>Pilots union meets port authority</title><link>https://quay.example/pilots</link><guid>q-2</guid>
<pubDate>Tue, 04 Mar 2025 07:30:00 GMT</pubDate><description>The harbour pilots union met the Veldmar port authority about night shifts.</description></item>
</channel></rss>
"""


@dataclass
class Site:
    root: Path
    config: Path
    expected: set[str] = field(default_factory=set)  # origins every final briefing must list once
    next_item: int = 0

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def db(self) -> Path:
        return self.root / "state" / "digest.db"

    def add_items(self, n: int) -> None:
        """Drop ``n`` new articles into the inbox as one settled .jsonl file."""
        first = self.next_item
        name = f"batch-{first:04d}.jsonl"
        lines = [json.dumps(_article(i)) for i in range(first, first + n)]
        path = self.root / "inbox" / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.utime(path, (MTIME, MTIME))
        self.expected.update(f"{name}:{k}" for k in range(1, n + 1))
        self.next_item += n


def make_site(root: Path, items: int = 6) -> Site:
    (root / "inbox").mkdir(parents=True)
    (root / "quay.xml").write_text(FEED, encoding="utf-8")
    config = root / "config.yaml"
    config.write_text(
        "timezone: UTC\n"
        "sources:\n"
        "  - {name: inbox, type: files, path: inbox}\n"
        "  - {name: quay, type: feed, path: quay.xml}\n"
        "output: {dir: out, formats: [markdown, html, json]}\n"
        "state: {path: state/digest.db}\n",
        encoding="utf-8",
    )
    site = Site(root, config, expected={"quay#q-1", "quay#q-2"})
    site.add_items(items)
    return site


# --- what must hold after any kill ---------------------------------------------------------------


def check_outputs_whole(out: Path) -> None:
    """Every output file present is complete: JSON parses, HTML ends with </html>, XML parses."""
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue  # .NAME.PID.xxx.tmp of a killed writer: never read, removed by the next write
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            json.loads(text)
        elif path.suffix == ".html":
            assert text.rstrip().endswith("</html>"), f"{path} is cut off"
        elif path.suffix == ".xml":
            ET.fromstring(text.encode("utf-8"))
        elif path.suffix == ".md":
            assert text.endswith("\n") and text.startswith("# "), f"{path} is cut off"


def _json_items(out: Path) -> list[dict[str, object]]:
    path = out / f"{DAY.isoformat()}.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [it for story in data["stories"] for it in story["items"]]


def _key(origin: object, url: object) -> str:
    """Inbox items are named by file:line; feed items (origin = source name) by their guid."""
    if origin == "quay":
        return (
            "quay#"
            + {"https://quay.example/ferry": "q-1", "https://quay.example/pilots": "q-2"}[str(url)]
        )
    return str(origin)


def check_state_consistent(site: Site) -> None:
    """The state never runs ahead of the files: whatever it marks reported, the briefing lists."""
    conn = sqlite3.connect(site.db)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT id, origin, url, reported_on FROM items").fetchall()
        briefed = conn.execute(
            "SELECT count(*) FROM briefings WHERE day=?", (DAY.isoformat(),)
        ).fetchone()[0]
    finally:
        conn.close()
    keys = [_key(origin, url) for _, origin, url, _ in rows]
    assert len(keys) == len(set(keys)), "an item was stored twice"
    reported = {item_id for item_id, _, _, day in rows if day == DAY.isoformat()}
    listed = [str(it["id"]) for it in _json_items(site.out)]
    assert len(listed) == len(set(listed)), "an item is listed twice in the briefing"
    assert reported <= set(listed), "state marks items reported that the briefing does not show"
    if briefed:
        assert (site.out / f"{DAY.isoformat()}.json").exists()


def check_final(site: Site) -> None:
    """After an uninterrupted run: every item exactly once, all reported on DAY, no temp files."""
    check_outputs_whole(site.out)
    check_state_consistent(site)
    listed = [_key(it["origin"], it["url"]) for it in _json_items(site.out)]
    assert sorted(listed) == sorted(site.expected)
    conn = sqlite3.connect(site.db)
    try:
        days = {r[0] for r in conn.execute("SELECT reported_on FROM items")}
    finally:
        conn.close()
    assert days == {DAY.isoformat()}
    assert [p.name for p in site.out.rglob(".*")] == []


# --- the kill trials -------------------------------------------------------------------------------


@dataclass
class TrialResult:
    trials: int = 0
    kills: int = 0
    completed: int = 0
    run_seconds: list[float] = field(default_factory=list)
    # Where the kills landed, judged from the state they left: "before ingest commit" (new items
    # not stored yet), "ingested, not published" (stored, not all reported), "after publish".
    phases: Counter[str] = field(default_factory=Counter)
    temp_files_left: int = 0  # kills that left a .NAME.PID.tmp behind (removed by the next write)


def _phase(site: Site) -> str:
    conn = sqlite3.connect(site.db)
    try:
        stored = conn.execute("SELECT count(*) FROM items").fetchone()[0]
        unreported = conn.execute(
            "SELECT count(*) FROM items WHERE reported_on IS NULL"
        ).fetchone()[0]
    finally:
        conn.close()
    if stored < len(site.expected):
        return "before ingest commit"
    return "ingested, not published" if unreported else "after publish"


class Zygote:
    """A digest process that has imported everything and forks one child per run."""

    def __init__(self, site: Site) -> None:
        argv = ["render", "--config", str(site.config), "--date", DAY.isoformat()]
        self.log = open(site.root / "zygote.log", "w", encoding="utf-8")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE, json.dumps(argv)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            env=_env(),
            cwd=site.root,
        )
        warm = self._read()
        assert warm["warmup"] == 0, (site.root / "zygote.log").read_text()
        self.warmup_seconds = float(warm["seconds"])

    def _read(self) -> dict[str, float]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "the zygote died"
        return json.loads(line)  # type: ignore[no-any-return]

    def run(self, kill_after: float | None, kill_on_temp: Path | None = None) -> dict[str, float]:
        assert self.proc.stdin is not None
        cmd = {
            "kill_after": kill_after,
            "kill_on_temp": str(kill_on_temp) if kill_on_temp else None,
        }
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)
        self.log.close()


def kill_trials(site: Site, kills: int, seed: int, max_trials: int | None = None) -> TrialResult:
    """Run until ``kills`` runs were SIGKILLed at random points; check consistency after each."""
    rng = random.Random(seed)
    result = TrialResult()
    zygote = Zygote(site)
    try:
        check_final(site)  # the warm-up run was a whole run
        full = zygote.run(None)
        assert os.WEXITSTATUS(int(full["status"])) == 0
        scale = max(
            float(full["seconds"]), 0.05
        )  # how long a whole run takes: the kill delays' scale
        limit = max_trials or kills * 3
        while result.kills < kills and result.trials < limit:
            if rng.random() < 0.7:
                site.add_items(rng.randint(1, 3))  # most runs have something new to ingest
            # Every fifth run is let finish: it re-measures how long a run with new work takes (the
            # inbox grows), so the kills keep spreading over the whole run, writes and commit included.
            measure = result.trials % 5 == 4
            # One kill in four waits for a temporary output file: the middle of an atomic write.
            mid_write = not measure and rng.random() < 0.25
            report = zygote.run(
                None
                if measure
                else rng.uniform(0.0, 1.2 * scale)
                if not mid_write
                else 2.0 * scale,
                kill_on_temp=site.out if mid_write else None,
            )
            result.trials += 1
            result.run_seconds.append(float(report["seconds"]))
            if report["killed"]:
                result.kills += 1
                result.phases[_phase(site)] += 1
                result.temp_files_left += any(site.out.rglob(".*.tmp"))
            else:
                result.completed += 1
                assert os.WEXITSTATUS(int(report["status"])) == 0
                if measure:
                    scale = max(float(report["seconds"]), 0.05)
            check_outputs_whole(site.out)
            check_state_consistent(site)
        final = zygote.run(None)
        assert os.WEXITSTATUS(int(final["status"])) == 0
        check_final(site)
        before = {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
        again = zygote.run(None)
        assert os.WEXITSTATUS(int(again["status"])) == 0
        assert {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()} == before
    finally:
        zygote.close()
    return result


def test_sigkill_at_random_points_loses_nothing_and_reports_nothing_twice(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = kill_trials(site, kills=25, seed=20261122)
    assert result.kills == 25, result
    print(
        f"kills={result.kills} trials={result.trials} phases={dict(result.phases)} temps={result.temp_files_left}"
    )
    # The real entry point (a fresh interpreter) agrees with what the forked runs left behind.
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "digest",
            "render",
            "--config",
            str(site.config),
            "--date",
            DAY.isoformat(),
        ],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    check_final(site)


# --- atomic writes ---------------------------------------------------------------------------------


def test_write_atomic_replaces_whole_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out" / "2025-03-04.json"
    outfiles.write_atomic(target, '{"a": 1}\n')
    outfiles.write_atomic(target, '{"a": 2}\n')
    assert target.read_text() == '{"a": 2}\n'
    assert sorted(p.name for p in target.parent.iterdir()) == ["2025-03-04.json"]


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_failed_write_keeps_the_previous_file_and_removes_the_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "2025-03-04.html"
    outfiles.write_atomic(target, "<html>old</html>\n")

    def enospc(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fd: int, mode: str) -> None:
                self.fh = real_fdopen(fd, mode)

            def __enter__(self) -> Full:  # noqa: PYI034
                return self

            def __exit__(self, *exc: object) -> None:
                self.fh.close()

            def write(self, data: bytes) -> int:
                self.fh.write(data[: len(data) // 2])
                raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(outfiles.os, "fdopen", Full)
    else:
        monkeypatch.setattr(outfiles.os, failing, enospc)
    with pytest.raises(OutputError, match="disk full"):
        outfiles.write_atomic(target, "<html>new and longer</html>\n")
    monkeypatch.undo()
    assert target.read_text() == "<html>old</html>\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025-03-04.html"]


def test_temp_files_of_killed_writers_are_removed_by_the_next_write(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".2025-03-04.json.{dead_pid}.abc123.tmp"
    stale.write_text('{"half": ')
    live = tmp_path / f".2025-03-04.json.{os.getppid()}.def456.tmp"  # a live writer's: kept
    live.write_text("{")
    other = tmp_path / f".index.html.{dead_pid}.xyz.tmp"  # another target's: left for its writer
    other.write_text("<")
    outfiles.write_atomic(tmp_path / "2025-03-04.json", "{}\n")
    assert not stale.exists() and live.exists() and other.exists()


def test_unwritable_output_is_a_clear_error_and_a_nonzero_exit(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site.root / "out").write_text("a file where the output folder should be")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "digest",
            "render",
            "--config",
            str(site.config),
            "--date",
            DAY.isoformat(),
        ],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1
    assert "cannot create output folder" in proc.stderr and "Traceback" not in proc.stderr
    conn = sqlite3.connect(site.db)  # nothing was published, so nothing is marked reported
    try:
        assert (
            conn.execute("SELECT count(*) FROM items WHERE reported_on IS NOT NULL").fetchone()[0]
            == 0
        )
        assert conn.execute("SELECT count(*) FROM briefings").fetchone()[0] == 0
    finally:
        conn.close()


def test_read_only_output_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(
        outfiles.os, "access", lambda path, mode: False
    )  # EROFS/EACCES as root cannot be made
    with pytest.raises(OutputError, match="not writable"):
        outfiles.write_atomic(out / "x.md", "x\n")


# --- state: advanced only after the outputs, and never silently recreated ------------------------


@contextmanager
def _fail_on(monkeypatch: pytest.MonkeyPatch, target: object, name: str) -> Iterator[None]:
    def boom(*args: object, **kwargs: object) -> None:
        raise OutputError(f"injected failure in {name}")

    monkeypatch.setattr(target, name, boom)
    try:
        yield
    finally:
        monkeypatch.undo()


def test_a_failed_publish_leaves_state_untouched_and_a_rerun_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digest.config import load_config
    from digest.output import archive
    from digest.pipeline.run import run_day

    site = make_site(tmp_path)
    config = load_config(site.config)
    now = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)
    with _fail_on(monkeypatch, archive, "write_index"), pytest.raises(OutputError):
        run_day(config, DAY, now)  # the briefing files are written, then the index step fails
    conn = sqlite3.connect(site.db)
    try:
        assert conn.execute("SELECT count(*) FROM items").fetchone()[0] == 8  # ingest committed
        assert (
            conn.execute("SELECT count(*) FROM items WHERE reported_on IS NOT NULL").fetchone()[0]
            == 0
        )
        assert conn.execute("SELECT count(*) FROM briefings").fetchone()[0] == 0
    finally:
        conn.close()
    check_outputs_whole(site.out)
    run_day(config, DAY, now)
    check_final(site)
    first = {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()}
    run_day(config, DAY, now)
    assert {p: p.read_bytes() for p in site.out.rglob("*") if p.is_file()} == first


def test_sqlite_runs_in_wal_with_a_busy_timeout_and_full_sync(tmp_path: Path) -> None:
    from digest.store import Store

    store = Store.open(tmp_path / "state" / "digest.db")
    try:
        conn = store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    finally:
        store.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed-page"])
def test_corrupt_state_is_a_clear_error_and_never_recreated(tmp_path: Path, damage: str) -> None:
    from digest.store import Store

    path = tmp_path / "state" / "digest.db"
    store = Store.open(path)
    store.conn.execute("CREATE TABLE filler (x TEXT)")
    store.conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(400)])
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = path.read_bytes()
    if damage == "garbage":
        broken = b"this is not a database at all" * 100
    elif damage == "truncated":
        broken = data[: len(data) // 3]
    else:
        broken = data[:4096] + b"\x00" * 4096 + data[8192:]
    path.write_bytes(broken)
    with pytest.raises(StateError) as info:
        Store.open(path)
    assert str(path) in str(info.value)
    assert (
        path.read_bytes() == broken
    )  # never silently recreated (that would re-announce everything)


def test_a_failing_migration_is_rolled_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    from digest.store import Store, db

    path = tmp_path / "digest.db"
    Store.open(path).close()
    broken = types.ModuleType("digest.store._broken_for_test")
    broken.MIGRATIONS = [("001-half", "CREATE TABLE half_done (x INTEGER); CREATE TABLE oops (;")]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "digest.store._broken_for_test", broken)
    monkeypatch.setattr(db, "MIGRATION_MODULES", (*db.MIGRATION_MODULES, "_broken_for_test"))
    with pytest.raises(StateError):
        Store.open(path)
    conn = sqlite3.connect(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        names = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
    finally:
        conn.close()
    assert "half_done" not in tables and "_broken_for_test:001-half" not in names


def test_a_briefing_is_mailed_once_even_if_the_publish_commit_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from aiosmtpd.controller import Controller

    from digest.config import load_config
    from digest.pipeline.run import run_day
    from digest.store import Store

    class Inbox:
        def __init__(self) -> None:
            self.count = 0

        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            self.count += 1
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        site = make_site(tmp_path)
        with open(site.config, "a", encoding="utf-8") as fh:
            fh.write(
                "delivery:\n  email: {host: 127.0.0.1, port: " + str(port) + ", security: none,"
                " from: d@example.org, to: [r@example.org], timeout: 5}\n"
            )
        config = load_config(site.config)
        now = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)
        with _fail_on(monkeypatch, Store, "record_briefing"), pytest.raises(OutputError):
            run_day(config, DAY, now)  # files written, mail sent, then the commit never happens
        run_day(config, DAY, now)
        assert inbox.count == 1
    finally:
        controller.stop()
