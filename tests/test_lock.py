"""The single-instance lock: a second process is refused at once with the lock file and the pid."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.config import load_config
from digest.errors import LockError
from digest.lock import InstanceLock, holder_if_locked, instance_lock, lock_path, read_holder

REPO = Path(__file__).resolve().parents[1]
HOLDER = """
import sys
from pathlib import Path
from digest.lock import InstanceLock
lock = InstanceLock(Path(sys.argv[1]), sys.argv[2]).acquire()
print("locked", flush=True)
sys.stdin.read()
lock.release()
"""


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    (tmp_path / "inbox").mkdir()
    path = tmp_path / "config.yaml"
    path.write_text(
        "sources:\n  - name: inbox\n    type: files\n    path: inbox\nschedule:\n  cron: '0 7 * * *'\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def holder(config_file: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock as a running daemon would."""
    path = lock_path(load_config(config_file))
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), "daemon"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env(),
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)


def test_lock_file_lives_beside_the_state(config_file: Path) -> None:
    config = load_config(config_file)
    assert lock_path(config) == config.state.path.parent / "digest.lock"


def test_second_holder_in_another_process_is_refused(
    config_file: Path, holder: subprocess.Popen[str]
) -> None:
    path = lock_path(load_config(config_file))
    with pytest.raises(LockError) as info:
        InstanceLock(path, "render").acquire()
    message = str(info.value)
    assert str(path) in message
    assert f"pid {holder.pid}" in message
    assert "digest daemon" in message
    assert read_holder(path) == (holder.pid, "daemon")
    assert holder_if_locked(path) == (holder.pid, "daemon")


def test_lock_is_free_again_when_the_holder_exits(
    config_file: Path, holder: subprocess.Popen[str]
) -> None:
    path = lock_path(load_config(config_file))
    assert holder.stdin is not None
    holder.stdin.close()
    assert holder.wait(timeout=10) == 0
    assert holder_if_locked(path) is None
    with InstanceLock(path, "render") as lock:
        assert lock.held
        assert read_holder(path) == (os.getpid(), "render")
    assert read_holder(path) == (None, "")  # released: holder line cleared


def test_lock_is_free_again_when_the_holder_is_killed(
    config_file: Path, holder: subprocess.Popen[str]
) -> None:
    path = lock_path(load_config(config_file))
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    assert read_holder(path) == (holder.pid, "daemon")  # stale line left behind...
    assert holder_if_locked(path) is None  # ...but the kernel lock went with the process
    InstanceLock(path, "daemon").acquire().release()


# Takes the lock, forks a child that outlives it (a worker of a killed run), and dies.
FORKER = """
import os, sys, time
from pathlib import Path
from digest.lock import InstanceLock
lock = InstanceLock(Path(sys.argv[1]), "render").acquire()
if os.fork() == 0:
    print("child", os.getpid(), flush=True)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)  # the test reads our output to its end: let it end now
    time.sleep(30)
    os._exit(0)
os.kill(os.getpid(), 9)
"""


def test_a_worker_that_outlives_a_killed_run_does_not_keep_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "digest.lock"
    proc = subprocess.run(
        [sys.executable, "-c", FORKER, str(path)], capture_output=True, text=True, env=env()
    )
    child = int(proc.stdout.split()[1])
    try:
        os.kill(child, 0)  # the child still runs...
        assert holder_if_locked(path) is None  # ...but holds no lock
        InstanceLock(path, "render").acquire().release()
    finally:
        os.kill(child, signal.SIGKILL)


@pytest.mark.parametrize(
    "command",
    [["daemon"], ["render", "--date", "2026-11-21"], ["backfill", "--since", "2026-11-20"]],
)
def test_cli_refuses_while_the_daemon_holds_the_lock(
    config_file: Path, holder: subprocess.Popen[str], command: list[str]
) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "digest", *command, "--config", str(config_file)],
        capture_output=True,
        text=True,
        env=env(),
        timeout=60,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr  # one line, no traceback
    assert lines[0].startswith("digest: error: another digest process holds ")
    assert str(lock_path(load_config(config_file))) in lines[0]
    assert f"pid {holder.pid}" in lines[0]
    assert not (config_file.parent / "out").exists()


def test_in_process_second_lock_is_refused_too(config_file: Path) -> None:
    config = load_config(config_file)
    with instance_lock(config, "daemon"):
        with pytest.raises(LockError, match="stop it first"):
            instance_lock(config, "render").acquire()
        assert holder_if_locked(lock_path(config)) == (os.getpid(), "daemon")


def test_probe_never_creates_the_lock_file(tmp_path: Path) -> None:
    path = tmp_path / "state" / "digest.lock"
    assert holder_if_locked(path) is None
    assert not path.exists()
