"""Real-feeds audit of Key actors: every briefing-level and per-story actor of the labelled real
news feeds (2026-02-15..18), classified against a hand-made label file of actor names.

The feeds of ``../shared/data/realfeeds_stories`` (their raw bytes from
``fastfeedparser_realworld_feeds``) become local ``feed`` sources with ``path:``; ``digest
backfill --since 2026-02-15 --until 2026-02-18`` renders the four days; every actor of the JSON
briefings is looked up in ``bench/data/actor_labels.tsv`` (name, class, optional same-as name;
names only, no article text), labelled by reading each name in its story.

Classes: person, organisation, state (a country or territory with a government), alliance (EU,
NATO, AU...), place (a city, region or site), group (a people, a party's voters, a movement),
other (a real name that is no actor: an event, a product, a law), not-a-name. An actor counts as
- not-a-name when its label says so;
- wrong type when the kind we show does not fit its class (a person shown as an organisation, a
  city as a person, an event as anything); a place shown as a state is right (a capital acting
  for its government: "Moscow said"), and so is a state shown as a place (a country as a
  setting);
- an unmerged variant when another actor of the same story (or of the briefing-level list) has
  the same label name (``same_as``: "Alexey Navalny" -> "Alexei Navalny");
- otherwise right, counted under its class.
Briefing-level actors shown as places (kind ``place``) are listed: the goal is none.

Run (from the repository root, about a minute):
    .venv/bin/python bench/actors_audit.py [--work DIR] [--reuse] [--unlabelled] [--show] [--model M]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(
    os.environ.get(
        "DIGEST_BENCH_DATA",
        next(
            (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()),
            ROOT.parent / "shared" / "data",
        ),
    )
)
LABELS = ROOT / "bench" / "data" / "actor_labels.tsv"
FITS = {
    "person": {"person"},
    "organisation": {"organization", "group"},
    "state": {"state", "place"},
    "alliance": {"state", "organization"},
    "place": {"place", "state"},
    "group": {"group", "organization"},
    "other": set(),
    "not-a-name": set(),
}
MODEL = "auto"  # --model: the spaCy package the backfill loads
REPORTED = ("person", "organisation", "state-or-alliance", "place", "group")


def _feeds(work: Path) -> list[tuple[str, str]]:
    """Unpack the labelled feeds; (source name, relative path) per feed."""
    raw = DATA / "fastfeedparser_realworld_feeds"
    wanted = set()
    for line in (DATA / "realfeeds_stories" / "entries.jsonl").read_text().splitlines():
        wanted.add(json.loads(line)["feed"])
    titles = {}
    with open(raw / "feeds_index.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            title = re.sub(r"<!\[CDATA\[|\]\]>", "", row["channel_title"] or "")
            titles[row["file"].removesuffix(".gz")] = html.unescape(title).strip()
    (work / "feeds").mkdir(parents=True, exist_ok=True)
    out, seen = [], set()
    for feed in sorted(wanted):
        rel = f"feeds/{feed}.xml"
        (work / rel).write_bytes(gzip.decompress((raw / "feeds" / f"{feed}.gz").read_bytes()))
        name = titles.get(feed) or feed
        while name in seen:
            name += " (2)"
        seen.add(name)
        out.append((name, rel))
    return out


def backfill(work: Path) -> None:
    lines = ["timezone: UTC", "sources:"]
    for name, rel in _feeds(work):
        lines += [f"  - name: {json.dumps(name)}", "    type: feed", f"    path: {rel}"]
    lines += [
        "output:",
        "  dir: out",
        "  formats: [json, markdown]",
        "state:",
        "  path: state/digest.db",
        "nlp:",
        f"  model: {MODEL}",
    ]
    (work / "config.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "digest", "backfill", "--config", str(work / "config.yaml")]
    cmd += ["--since", "2026-02-15", "--until", "2026-02-18"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"digest backfill failed:\n{proc.stderr[-3000:]}")


def load_labels() -> dict[str, tuple[str, str]]:
    """name -> (class, same-as name)."""
    out: dict[str, tuple[str, str]] = {}
    if not LABELS.exists():
        return out
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        cls = parts[1].strip()
        if cls not in FITS:
            raise SystemExit(f"{LABELS}: unknown class {cls!r} for {parts[0]!r}")
        out[parts[0]] = (cls, parts[2].strip() if len(parts) > 2 and parts[2].strip() else "")
    return out


def classify(
    actors: list[dict], labels: dict[str, tuple[str, str]], counts: Counter[str]
) -> list[tuple[dict, str]]:
    """Count each actor of one list (a story's, or the briefing's) under its verdict."""
    seen: set[str] = set()
    out = []
    for a in actors:
        name, kind = a["name"], a["kind"]
        if name not in labels:
            verdict = "unlabelled"
        else:
            cls, same = labels[name]
            canon = same or name
            if cls == "not-a-name":
                verdict = "not-a-name"
            elif canon in seen:
                verdict = "unmerged variant"
            elif kind not in FITS[cls]:
                verdict = "wrong type"
            else:
                verdict = "state-or-alliance" if cls in ("state", "alliance") else cls
            seen.add(canon)
        counts[verdict] += 1
        out.append((a, verdict))
    return out


def _table(title: str, counts: Counter[str]) -> None:
    total = sum(counts.values())
    print(f"| {title} | count | share |")
    print("|---|---:|---:|")
    for k in (*REPORTED, "not-a-name", "wrong type", "unmerged variant", "unlabelled"):
        print(f"| {k} | {counts[k]} | {counts[k] / max(1, total):.1%} |")
    bad = counts["not-a-name"] + counts["wrong type"] + counts["unmerged variant"]
    print(
        f"| **not-a-name + wrong type + unmerged variant** | **{bad}** | **{bad / max(1, total):.1%}** |"
    )
    print(f"| all | {total} | |")
    print()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default="/tmp/digest-actors-audit")
    ap.add_argument("--reuse", action="store_true", help="read the briefings already in --work")
    ap.add_argument("--unlabelled", action="store_true", help="list unlabelled names in context")
    ap.add_argument("--show", action="store_true", help="list every faulty actor")
    ap.add_argument("--model", default="auto", help="spaCy model package (default: auto)")
    args = ap.parse_args()
    global MODEL
    MODEL = args.model
    if not (DATA / "realfeeds_stories").is_dir():
        print(f"real-feeds data not found under {DATA}; nothing to audit")
        return 0
    work = Path(args.work)
    if not args.reuse:
        work.mkdir(parents=True, exist_ok=True)
        backfill(work)
    labels = load_labels()
    story_counts: Counter[str] = Counter()
    top_counts: Counter[str] = Counter()
    faults: list[str] = []
    todo: dict[str, str] = {}
    top_places: list[str] = []
    for path in sorted((work / "out").glob("2026-*.json")):
        b = json.loads(path.read_text(encoding="utf-8"))
        titles = {s["id"]: s["title"] for s in b["stories"]}
        for s in b["stories"]:
            for a, verdict in classify(s["actors"], labels, story_counts):
                where = f"{path.stem} {s['title'][:70]}"
                if verdict in ("not-a-name", "wrong type", "unmerged variant"):
                    faults.append(f"{verdict}: {a['name']} ({a['kind']}) in {where}")
                if verdict == "unlabelled":
                    todo.setdefault(a["name"], f"{a['kind']}\t{where}")
        for a, verdict in classify(b["actors"], labels, top_counts):
            if a["kind"] == "place":
                top_places.append(f"{path.stem} {a['name']}")
            if verdict == "unlabelled":
                first = titles.get(a["stories"][0], "") if a["stories"] else ""
                todo.setdefault(a["name"], f"{a['kind']}\t{path.stem} {first[:70]}")
            elif verdict in ("not-a-name", "wrong type", "unmerged variant"):
                faults.append(f"{verdict} (briefing level): {a['name']} ({a['kind']}) {path.stem}")
    _table("per-story actors, 2026-02-15..18", story_counts)
    _table("briefing-level key actors, 2026-02-15..18", top_counts)
    print(f"briefing-level actors shown as places: {len(top_places)} {top_places}")
    if args.show:
        print("\n".join(faults))
    if todo:
        print(f"{len(todo)} names not labelled yet (add them to {LABELS.relative_to(ROOT)})")
        if args.unlabelled:
            for name, ctx in sorted(todo.items()):
                print(f"{name}\t{ctx}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
