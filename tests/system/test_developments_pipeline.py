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


RUNNING_TOTAL = [
    {
        "id": "ts-1",
        "title": "Fighting spreads in Tessaly as Oran ceasefire talks stall",
        "text": "Fighting between the Tessaly army and the Northern Front spread to three more districts "
        "of Tessaly on Monday, the Relief Council said.\n\n"
        "A shell hit a market in Marsa on Sunday, killing 26 people, the Relief Council said.\n\n"
        "More than 3,000 people have since been killed in Tessaly, according to the Relief Council.\n\n"
        "Ceasefire talks between the army and the Northern Front in Oran were suspended after the "
        "second round.",
        "date": "2025-01-14T08:00:00Z",
        "url": "https://ledger.example/tessaly-fighting",
        "source": "Harbor Ledger",
    },
    {
        "id": "ts-2",
        "title": "Tessaly army and Northern Front agree to resume Oran ceasefire talks",
        "text": "The Tessaly army and the Northern Front agreed on Tuesday to resume ceasefire talks in "
        "Oran next month, the mediators of the Relief Council said.\n\n"
        "Both sides will sign a declaration of principles in Oran if the ceasefire talks go well, "
        "the mediators announced.\n\n"
        "The conflict, which began over a disputed transition plan, has killed nearly 4,500 "
        "people, most of them civilians, since April 2023, despite repeated calls for a truce.\n\n"
        "The Northern Front also agreed to free 200 prisoners before the Oran ceasefire talks, "
        "the mediators announced.\n\n"
        "The Oran agenda will include a humanitarian corridor to the besieged city of Marsa.\n\n"
        "Colonel Idris Vane, the Northern Front's leader, will lead his delegation to the Oran "
        "talks in person for the first time.",
        "date": "2025-06-03T08:00:00Z",
        "url": "https://wire.example/tessaly-talks",
        "source": "Valley Wire",
    },
]


def test_a_toll_worded_as_a_running_total_is_the_first_development_everywhere(
    tmp_path: Path,
) -> None:
    """Months later the new toll sits inside a long sentence among several other new ones; it is
    the day's most important fact, so it comes first in every format, with its previous value."""
    out = _backfill(tmp_path, RUNNING_TOTAL, "2025-01-01", "2025-06-30")
    later = json.loads((out / "2025-06-03.json").read_text(encoding="utf-8"))
    (story,) = later["stories"]
    first = story["developments"][0]
    assert first["kind"] == "changed" and "4,500" in first["text"]
    assert first["previous"] == "3,000 reported on 2025-01-14"
    assert len(story["developments"]) >= 3  # the other news is still there
    md = (out / "2025-06-03.md").read_text(encoding="utf-8").replace("\\", "")
    section = md.split("## New developments", 1)[1].split("\n## ", 1)[0]
    first_line = next(ln for ln in section.splitlines() if ln.startswith("- "))
    assert "4,500" in first_line and "previously 3,000 reported on 2025-01-14" in first_line
    html = (out / "2025-06-03.html").read_text(encoding="utf-8")
    section_html = html.split("New developments</h2>", 1)[1]
    first_li = section_html.split("<li", 2)[1]
    assert "4,500" in first_li and "previously 3,000 reported on 2025-01-14" in first_li
