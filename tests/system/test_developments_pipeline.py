"""A changed figure goes through the whole pipeline into Markdown, HTML and JSON with its previous value."""

from __future__ import annotations

import json
from pathlib import Path

from digest.cli import main

ARTICLES = [
    {
        "id": "vf-1",
        "title": "Arda river floods Velmora valley, killing 148",
        "text": "At least 148 people were killed when the Arda river burst its banks in the Velmora valley on Sunday.\n\n"
        "Rescue teams from three provinces searched collapsed homes through the night, and the regional "
        "governor, Ilse Marrow, declared a state of emergency.\n\n"
        "Some 30,000 residents of the Velmora valley were moved to schools and sports halls in Castreno.",
        "date": "2025-03-02T08:00:00Z",
        "url": "https://ledger.example/velmora-flood",
        "source": "Harbor Ledger",
    },
    {
        "id": "vf-2",
        "title": "Velmora valley flood death toll rises to 212",
        "text": "The Arda river floods that swept the Velmora valley in March have now killed 212 people, governor "
        "Ilse Marrow said on Thursday.\n\n"
        "After the Arda river burst its banks in March, rescue teams from three provinces searched collapsed "
        "homes in the Velmora valley.\n\n"
        "Marrow said the last of the missing in the Velmora valley had been identified.",
        "date": "2025-05-15T08:00:00Z",
        "url": "https://wire.example/velmora-toll",
        "source": "Valley Wire",
    },
]


def _backfill(tmp_path: Path, articles: list[dict[str, str]], since: str, until: str) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "items.jsonl").write_text(
        "\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8"
    )
    cfg = tmp_path / "config.yaml"
    cfg.write_text(
        "sources:\n  - name: inbox\n    type: files\n    path: inbox\n"
        "output:\n  dir: out\nstate:\n  path: state/digest.db\n",
        encoding="utf-8",
    )
    assert main(["backfill", "--config", str(cfg), "--since", since, "--until", until]) == 0
    return tmp_path / "out"


def test_a_changed_figure_reaches_every_format(tmp_path: Path) -> None:
    out = _backfill(tmp_path, ARTICLES, "2025-03-01", "2025-05-31")
    first = json.loads((out / "2025-03-02.json").read_text(encoding="utf-8"))
    later = json.loads((out / "2025-05-15.json").read_text(encoding="utf-8"))
    assert first["stories"][0]["developments"][0]["kind"] == "first"
    (story,) = later["stories"]
    assert story["id"] == first["stories"][0]["id"]
    changed = [d for d in story["developments"] if d["kind"] == "changed"]
    assert len(changed) == 1
    dev = changed[0]
    assert "212" in dev["text"]
    assert dev["previous"] == "148 reported on 2025-03-02"
    assert dev["source"] == "Valley Wire" and dev["url"] == "https://wire.example/velmora-toll"
    assert dev["published"].startswith("2025-05-15")
    assert all("burst its banks" not in d["text"] for d in story["developments"])
    md = (
        (out / "2025-05-15.md").read_text(encoding="utf-8").replace("\\", "")
    )  # drop Markdown escapes
    html = (out / "2025-05-15.html").read_text(encoding="utf-8")
    assert "212 people" in md and "previously 148 reported on 2025-03-02" in md
    assert "212 people" in html and "previously 148 reported on 2025-03-02" in html
    assert 'href="https://wire.example/velmora-toll"' in html


def test_an_updated_version_of_a_reported_article_reports_what_changed(tmp_path: Path) -> None:
    """The same wire story re-published next day with a new toll and one new paragraph is a near
    duplicate of the first version, but it is news: it must not be folded away as a copy."""
    first = ARTICLES[0]
    body = first["text"].replace("At least 148", "At least 163")
    updated = {
        **first,
        "id": "vf-1b",
        "title": "Arda river floods Velmora valley, killing 163",
        "text": body + "\n\nA second levee gave way near Castreno on Monday night.",
        "date": "2025-03-03T08:00:00Z",
        "url": "https://ledger.example/velmora-flood-update",
    }
    copy = {**updated, "id": "vf-1c", "url": "https://mirror.example/velmora", "source": "Mirror"}
    out = _backfill(tmp_path, [first, updated, copy], "2025-03-02", "2025-03-03")
    day1 = json.loads((out / "2025-03-02.json").read_text(encoding="utf-8"))
    day2 = json.loads((out / "2025-03-03.json").read_text(encoding="utf-8"))
    (story,) = day2["stories"]
    assert story["id"] == day1["stories"][0]["id"]
    texts = " ".join(str(d["text"]) for d in story["developments"])
    assert "163" in texts and "levee" in texts
    changed = [d for d in story["developments"] if d["kind"] == "changed"]
    assert changed and changed[0]["previous"] == "148 reported on 2025-03-02"
    assert all("Rescue teams" not in str(d["text"]) for d in story["developments"])
    # the mirror of the update, on the same day, is still one item with two sources
    assert len(story["items"]) == 2
    assert {i["url"] for i in story["items"]} == {
        "https://ledger.example/velmora-flood-update",
        "https://mirror.example/velmora",
    }
