"""Duplicates and stories through the real CLI (spaCy included): folded copies show their sources,
a follow-up keeps its story id across days, a look-alike event gets its own story, and a fresh
re-run gives the same ids."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from digest.cli import main

FERRY = (
    "The passenger ferry Selka collided with a cargo ship outside the harbour of Port Almsby early on "
    "Monday, the Almsby coastguard said. Captain Renata Voss of the coastguard said 212 passengers "
    "were taken off the ferry by lifeboats and that 9 people were treated in hospital. The cargo ship "
    "Brightwater, which was leaving the port with containers, was not damaged. The harbour master "
    "closed the northern channel while divers inspected the hull of the Selka."
)
ITEMS_DAY1 = [
    {
        "id": "hw-1",
        "title": "Ferry Selka collides with cargo ship off Port Almsby",
        "text": FERRY,
        "date": "2025-06-02T08:00:00Z",
        "url": "https://harbourwire.example/2025/06/02/ferry-selka",
        "source": "Harbour Wire",
    },
    {
        "id": "ct-77",
        "title": "212 rescued as ferry hits cargo ship",
        "text": "By Harbour Wire\n\n" + FERRY + " (Harbour Wire)",
        "date": "2025-06-02T09:30:00Z",
        "url": "https://coastaltimes.example/news/ferry?utm_source=rss&utm_medium=feed",
        "source": "Coastal Times",
    },
    {
        "id": "vp-republished-9",
        "title": "Ferry Selka collides with cargo ship off Port Almsby",
        "text": FERRY,
        "date": "2025-06-02T10:00:00Z",
        "url": "",
        "source": "Valley Post",
    },
    {
        "id": "hw-2",
        "title": "Tallis United sign striker Omar Kessler",
        "text": "Tallis United signed the striker Omar Kessler from Corvel Rovers on a four-year contract, "
        "the club said on Monday. Kessler scored 21 goals for Rovers last season.",
        "date": "2025-06-02T11:00:00Z",
        "url": "https://harbourwire.example/2025/06/02/kessler",
        "source": "Harbour Wire",
    },
]
ITEMS_DAY2 = [
    {
        "id": "hw-3",
        "title": "Selka ferry collision: Almsby coastguard opens inquiry",
        "text": "The Almsby coastguard opened an inquiry into Monday's collision between the ferry Selka "
        "and the cargo ship Brightwater outside Port Almsby. Captain Renata Voss said the 9 injured "
        "passengers had left hospital and that the Selka would stay in dock for repairs.",
        "date": "2025-06-03T08:00:00Z",
        "url": "https://harbourwire.example/2025/06/03/selka-inquiry",
        "source": "Harbour Wire",
    },
    {
        "id": "hw-4",
        "title": "Ferry Morrow runs aground near Kelby island",
        "text": "The island ferry Morrow ran aground on a sandbank near Kelby on Tuesday evening. "
        "Commander Ansel Brook of the Kelby rescue service said all 64 people on board were safe "
        "and would be brought ashore by tugboat. Engineers from Norvik Lines will try to refloat "
        "the Morrow at high tide on Wednesday.",
        "date": "2025-06-03T09:00:00Z",
        "url": "https://harbourwire.example/2025/06/03/morrow-aground",
        "source": "Harbour Wire",
    },
]


def _setup(folder: Path) -> Path:
    box = folder / "inbox"
    box.mkdir(parents=True)
    lines = [json.dumps(o) for o in ITEMS_DAY1 + ITEMS_DAY2]
    (box / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cfg = folder / "config.yaml"
    cfg.write_text(
        "timezone: UTC\nsources:\n  - name: inbox\n    type: files\n    path: inbox\n"
        "output:\n  dir: out\n  formats: [markdown, json]\nstate:\n  path: state/digest.db\n",
        encoding="utf-8",
    )
    return cfg


def _backfill(cfg: Path) -> tuple[dict, dict]:
    assert (
        main(["backfill", "--config", str(cfg), "--since", "2025-06-01", "--until", "2025-06-05"])
        == 0
    )
    out = cfg.parent / "out"
    day1 = json.loads((out / "2025-06-02.json").read_text(encoding="utf-8"))
    day2 = json.loads((out / "2025-06-03.json").read_text(encoding="utf-8"))
    return day1, day2


def _story_of(day: dict, origin_line: int) -> dict:
    return next(
        s
        for s in day["stories"]
        if any(it["origin"] == f"news.jsonl:{origin_line}" for it in s["items"])
    )


def test_duplicates_fold_and_stories_continue(tmp_path: Path) -> None:
    cfg = _setup(tmp_path / "a")
    day1, day2 = _backfill(cfg)

    ferry = _story_of(day1, 1)
    by_origin = {it["origin"]: it for it in ferry["items"]}
    assert set(by_origin) == {"news.jsonl:1", "news.jsonl:2", "news.jsonl:3"}
    original = by_origin["news.jsonl:1"]
    assert original["duplicate_of"] is None
    assert by_origin["news.jsonl:2"]["duplicate_of"] == original["id"]  # syndicated copy
    assert by_origin["news.jsonl:3"]["duplicate_of"] == original["id"]  # same text, new guid
    assert set(ferry["sources"]) == {"Harbour Wire", "Coastal Times", "Valley Post"}
    md = (cfg.parent / "out" / "2025-06-02.md").read_text(encoding="utf-8")
    assert "Reported by 3 sources" in md
    assert _story_of(day1, 4)["id"] != ferry["id"]

    follow_up = _story_of(day2, 5)
    assert follow_up["id"] == ferry["id"]
    why = follow_up["items"][0]["why"]
    assert why["score"] > 0 and why["shared"]
    assert _story_of(day2, 6)["id"] != ferry["id"]  # another ferry, another story


def test_fresh_rerun_gives_the_same_story_ids(tmp_path: Path) -> None:
    first = _backfill(_setup(tmp_path / "a"))
    second_dir = tmp_path / "b"
    cfg = _setup(second_dir)
    second = _backfill(cfg)

    def ids(days: tuple[dict, dict]) -> list[tuple[str, str]]:
        return sorted(
            (it["origin"], s["id"]) for d in days for s in d["stories"] for it in s["items"]
        )

    assert ids(first) == ids(second)
    shutil.rmtree(second_dir / "out")
    assert ids(_backfill(cfg)) == ids(first)  # re-render over the same state
