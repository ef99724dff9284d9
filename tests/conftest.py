"""Shared fixtures: an invented inbox and a config written into a temporary folder."""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

FIRE_DUMP = """\
Home
World
Fire at Port Veldmar grain terminal forces evacuation
4 MIN READ
date 2025-03-03
A fire broke out at the main grain terminal of Port Veldmar on Monday morning, forcing the evacuation of about 400 workers and halting shipments.
"Our first priority is the safety of the crews," said Amara Okafor, the chief executive of the Veldmar Port Authority.
Fire chief Tomas Berg said 85 firefighters were at the scene and three workers were treated for smoke inhalation.
Share this article
More stories
Rail strike enters second week
Museum reopens after renovation
"""

FLOOD_JSONL = [
    {
        "id": "w-1",
        "title": "River Almen floods farmland in the Tarsk valley",
        "text": "The River Almen burst its banks after three days of heavy rain, flooding farmland in the Tarsk valley.\n\nThe regional emergency service said 1,300 people were moved to shelters and 12 people were missing.",
        "date": "2025-03-03T09:00:00Z",
        "url": "https://wire.example/almen-1",
        "source": "Harbour Wire",
    },
    {
        "id": "w-2",
        "title": "Almen flood: missing rises to 15",
        "text": "The number of people missing after the River Almen floods in the Tarsk valley rose to 15, the regional emergency service said.\n\nDana Whitfield, director of the regional weather service, warned of more rain on Wednesday.",
        "date": "2025-03-04T08:00:00Z",
        "url": "https://wire.example/almen-2",
        "source": "Harbour Wire",
    },
]


def write_config(folder: Path, sources: list[dict], **extra: object) -> Path:
    import yaml

    data: dict = {
        "timezone": "UTC",
        "sources": sources,
        "output": {"dir": "out", "formats": ["markdown", "html", "json"]},
        "state": {"path": "state/digest.db"},
    }
    data.update(extra)
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A small inbox of invented articles over two days."""
    box = tmp_path / "inbox"
    box.mkdir()
    (box / "fire.txt").write_text(FIRE_DUMP, encoding="utf-8")
    (box / "wire.jsonl").write_text(
        "\n".join(json.dumps(o) for o in FLOOD_JSONL) + "\n", encoding="utf-8"
    )
    (box / "notes.md").write_text(
        textwrap.dedent(
            """\
            ---
            title: Veldmar council delays budget vote
            date: 2025-03-04
            source: Veldmar Daily
            url: https://daily.example/council?utm_source=feed
            ---
            The Veldmar city council postponed its vote on the annual budget after members failed to
            agree on funding for a new tram line. Mayor Ingrid Solberg said the council would meet again
            next week.
            """
        ),
        encoding="utf-8",
    )
    (box / "ignored.pdf").write_bytes(b"%PDF-1.4")
    old = 1741000000  # 2025-03-03, so file-time dates are stable
    for p in box.iterdir():
        os.utime(p, (old, old))
    return box


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[..., Path]:
    def make(sources: list[dict] | None = None, **extra: object) -> Path:
        if sources is None:
            sources = [{"name": "inbox", "type": "files", "path": "inbox"}]
        return write_config(tmp_path, sources, **extra)

    return make
