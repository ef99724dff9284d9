"""Start-up cost: ``digest --help`` and a run with nothing new never import the heavy libraries.

spaCy, numpy and scipy (and any embedding model) take seconds to import; only a run that has
new text to analyse or group may pay for them. Each command runs in a fresh interpreter and
reports the modules it ended up with.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from digest.config import load_config
from digest.pipeline import run_day

HEAVY = ("spacy", "thinc", "numpy", "scipy", "torch", "sentence_transformers", "transformers")
ROOT = Path(__file__).resolve().parents[2]
# Runs the digest command in this interpreter, then prints every imported top-level package.
PROBE = """
import atexit, json, runpy, sys
atexit.register(lambda: print(json.dumps(sorted({m.split(".")[0] for m in sys.modules}))))
sys.argv = ["digest", *sys.argv[1:]]
runpy.run_module("digest", run_name="__main__")
"""


def imported_by(*args: str, cwd: Path) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd, env=env
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_help_imports_nothing_heavy(tmp_path: Path) -> None:
    assert not imported_by("--help", cwd=tmp_path) & set(HEAVY)


def test_a_run_with_nothing_new_imports_nothing_heavy(
    inbox: Path, make_config: Callable[..., Path], tmp_path: Path
) -> None:
    feed = tmp_path / "desk.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title><item>'
        "<title>Tram line vote delayed</title><guid>t-1</guid><link>https://desk.example/t1</link>"
        "<pubDate>Tue, 04 Mar 2025 08:00:00 GMT</pubDate><description>The Veldmar council "
        "delayed the tram line vote again.</description></item></channel></rss>",
        encoding="utf-8",
    )
    path = make_config(
        [
            {"name": "inbox", "type": "files", "path": "inbox"},
            {"name": "desk", "type": "feed", "path": "desk.xml"},
        ]
    )
    first = run_day(load_config(path), date(2025, 3, 4), datetime(2025, 3, 4, 18, tzinfo=UTC))
    assert first.items >= 3  # the day had news: analysed, grouped, reported
    for day in ("2025-03-04", "2025-03-05"):  # the same day again, then a day with nothing
        found = imported_by("render", "--config", str(path), "--date", day, cwd=tmp_path)
        assert "digest" in found
        assert not found & set(HEAVY), day
