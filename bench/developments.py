"""Benchmark of the New developments stage (issue #6): update precision and coverage.

Reads ../shared/data/background_summaries/events/<event>/annotator1.tsv. For each dated row the
annotator wrote an Update (only what is new that day) and a Background (a paraphrased recap of
earlier days). One article is built per date: its title is the first words of the update, its body
the update paragraph and the background paragraph, update first on even days of the month and
background first on odd ones (so position alone does not tell them apart). All articles of all
events go into one dated .jsonl inbox under invented outlet names, and the real pipeline runs
``python -m digest backfill`` over the whole range in a subprocess.

Each development reported for an article after the first of its event is attributed to the
update or the background by word-bigram overlap (the larger share of its bigrams wins).
Precision is the share of developments drawn from the update; coverage is the share of articles
with at least one development drawn from the update. Story separation is the B-cubed F1 of the
story ids against the events.

Run: /work/venv/bin/python bench/developments.py [--keep DIR]  (exit 0 when the data is absent).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from metrics import bcubed  # bench/metrics.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "background_summaries" / "events"
EVENTS = (
    "bp_oil_spill",
    "financial_crisis",
    "haitian_earthquake",
    "iraq_war",
    "mj_death",
    "swine_flu",
)
OUTLETS = (
    "Harbor Ledger",
    "The Morning Dispatch",
    "Northfield Courier",
    "Valley Wire",
    "Coastline Times",
)
TITLE_WORDS = 10
ANNOTATORS = ("annotator1", "annotator2", "annotator3")  # 2 and 3 check nothing was tuned to 1
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Row:
    event: str
    day: str
    update: str
    background: str

    @property
    def id(self) -> str:
        return f"{self.event}-{self.day}"


def _flat(text: str) -> str:
    """One paragraph: the files hold some line breaks as a literal backslash-n."""
    return re.sub(r"\s+", " ", text.replace("\\n", " ")).strip()


def read_rows(data: Path, annotator: str = ANNOTATORS[0]) -> list[Row]:
    csv.field_size_limit(10**8)
    rows: list[Row] = []
    for event in EVENTS:
        with open(data / event / f"{annotator}.tsv", encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter="\t")
            next(reader)
            for rec in reader:
                day = rec[0].strip("[] ")
                rows.append(Row(event, day, _flat(rec[1]), _flat(rec[2]) if len(rec) > 2 else ""))
    return rows


def article(row: Row, n: int) -> dict[str, str]:
    words = row.update.split()
    title = " ".join(words[:TITLE_WORDS]).rstrip(",;:")
    paras = (
        [row.update, row.background] if int(row.day[-2:]) % 2 == 0 else [row.background, row.update]
    )
    return {
        "id": row.id,
        "title": title,
        "text": "\n\n".join(p for p in paras if p),
        "date": row.day + "T09:00:00+00:00",
        "url": f"https://news.example.org/{row.event}/{row.day}",
        "source": OUTLETS[n % len(OUTLETS)],
    }


def bigrams(text: str) -> set[tuple[str, str]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return set(itertools.pairwise(words)) or {(w, "") for w in words}


def attribute(text: str, row: Row) -> str:
    """``update`` or ``background``: which paragraph the development's bigrams come from."""
    b = bigrams(text)
    if not b:
        return "background"
    up = len(b & bigrams(row.update)) / len(b)
    bg = len(b & bigrams(row.background)) / len(b)
    return "update" if up > bg else "background"


def oracle(data: Path, annotator: str = ANNOTATORS[0]) -> dict[str, object]:
    """The stage alone, with each event as one perfectly clustered story (no pipeline run), and
    the worst case of clustering: every article its own story, reported as a first report."""
    sys.path.insert(0, str(ROOT))
    from digest.config import DevelopmentsConfig
    from digest.developments.select import story_developments
    from digest.models import Article, StoredItem

    config = DevelopmentsConfig()
    per_event: dict[str, dict[str, int]] = {e: defaultdict(int) for e in EVENTS}
    alone: dict[str, int] = defaultdict(int)
    seconds, calls = 0.0, 0
    for event in EVENTS:
        rows = sorted(
            (r for r in read_rows(data, annotator) if r.event == event), key=lambda r: r.day
        )
        history: list[StoredItem] = []
        for n, row in enumerate(rows):
            a = article(row, n)
            day = datetime.fromisoformat(a["date"])
            item = StoredItem(
                Article(
                    a["id"],
                    a["source"],
                    "oracle",
                    a["title"],
                    a["text"],
                    a["url"],
                    a["url"],
                    day,
                    "content",
                    a["id"],
                ),
                day.date(),
                day,
            )
            started = time.perf_counter()
            devs = story_developments([item], history, config)
            seconds += time.perf_counter() - started
            calls += 1
            history.append(replace(item, reported_on=day.date()))
            if n == 0:
                continue
            lead = [attribute(d.text, row) for d in story_developments([item], [], config)]
            alone["devs"] += len(lead)
            alone["update"] += lead.count("update")
            alone["covered"] += 1 if "update" in lead else 0
            alone["articles"] += 1
            stats = per_event[event]
            labels = [attribute(d.text, row) for d in devs]
            stats["articles"] += 1
            stats["devs"] += len(labels)
            stats["update"] += labels.count("update")
            stats["changed"] += sum(1 for d in devs if d.kind == "changed")
            stats["covered"] += 1 if "update" in labels else 0
    return {"per_event": per_event, "alone": alone, "ms_per_call": 1000 * seconds / max(calls, 1)}


def bcubed_f1(assigned: dict[str, str], gold: dict[str, str]) -> float:
    """B-cubed F1 over the items that were assigned a story."""
    return bcubed(assigned, {i: gold[i] for i in assigned})[2]


def run(data: Path, work: Path, annotator: str = ANNOTATORS[0]) -> dict[str, object]:
    rows = read_rows(data, annotator)
    inbox = work / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    with open(inbox / "events.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(
            json.dumps(article(row, n), ensure_ascii=False) + "\n"
            for n, row in enumerate(sorted(rows, key=lambda r: (r.day, r.event)))
        )
    (work / "config.yaml").write_text(
        "sources:\n  - name: bench\n    type: files\n    path: inbox\n"
        "output:\n  dir: out\n  formats: [json]\nstate:\n  path: state/digest.db\n",
        encoding="utf-8",
    )
    since, until = min(r.day for r in rows), max(r.day for r in rows)
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "digest",
            "backfill",
            "--config",
            str(work / "config.yaml"),
            "--since",
            since,
            "--until",
            until,
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    by_id = {r.id: r for r in rows}
    story_of: dict[str, str] = {}
    devs_of: dict[str, list[dict[str, object]]] = defaultdict(list)
    for path in sorted((work / "out").glob("*.json")):
        briefing = json.loads(path.read_text(encoding="utf-8"))
        for story in briefing["stories"]:
            for item in story["items"]:
                story_of[item["id"]] = story["id"]
            for d in story["developments"]:
                devs_of[str(d["item_id"])].append(d)
    # Items are keyed by the pipeline's own ids; map them back through the url.
    item_row: dict[str, Row] = {}
    for path in sorted((work / "out").glob("*.json")):
        for story in json.loads(path.read_text(encoding="utf-8"))["stories"]:
            for item in story["items"]:
                event, day = item["url"].rstrip("/").split("/")[-2:]
                item_row[item["id"]] = by_id[f"{event}-{day}"]
    first_day = {e: min(r.day for r in rows if r.event == e) for e in EVENTS}
    per_event: dict[str, dict[str, int]] = {e: defaultdict(int) for e in EVENTS}
    for item_id, row in item_row.items():
        stats = per_event[row.event]
        if row.day == first_day[row.event]:
            stats["first_devs"] += len(devs_of.get(item_id, []))
            continue
        stats["articles"] += 1
        labels = [attribute(str(d["text"]), row) for d in devs_of.get(item_id, [])]
        stats["devs"] += len(labels)
        stats["update"] += labels.count("update")
        stats["changed"] += sum(1 for d in devs_of.get(item_id, []) if d["kind"] == "changed")
        stats["covered"] += 1 if "update" in labels else 0
    gold = {i: r.event for i, r in item_row.items()}
    return {
        "rows": len(rows),
        "reported": len(item_row),
        "per_event": per_event,
        "bcubed": bcubed_f1({i: story_of[i] for i in item_row}, gold),
        "bcubed_event": {
            e: bcubed_f1(
                {i: story_of[i] for i in item_row if gold[i] == e},
                {i: e for i in item_row if gold[i] == e},
            )
            for e in EVENTS
        },
        "seconds": seconds,
    }


def table(result: dict[str, object]) -> str:
    per_event: dict[str, dict[str, int]] = result["per_event"]  # type: ignore[assignment]
    bce: dict[str, float] = result.get("bcubed_event") or {}  # type: ignore[assignment]
    lines = [
        "| event | articles | developments | from update | precision | coverage | changed | B3 F1 (within) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total: dict[str, int] = defaultdict(int)
    for e in EVENTS:
        s = per_event[e]
        for k, v in s.items():
            total[k] += v
        lines.append(_line(e, s, f"{bce[e]:.3f}" if e in bce else "n/a"))
    lines.append(_line("**all**", total, ""))
    lines.append("")
    if "reported" not in result:
        return "\n".join(lines[:-1])
    lines.append(
        f"Items reported: {result['reported']} of {result['rows']}; story B-cubed F1 over all events:"
        f" {result['bcubed']:.3f}; backfill wall time {result['seconds']:.1f} s."
    )
    return "\n".join(lines)


def _line(name: str, s: dict[str, int], b3: str) -> str:
    prec = s["update"] / s["devs"] if s["devs"] else 0.0
    cov = s["covered"] / s["articles"] if s["articles"] else 0.0
    return (
        f"| {name} | {s['articles']} | {s['devs']} | {s['update']} | {prec:.3f} | {cov:.3f} |"
        f" {s['changed']} | {b3} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--oracle", action="store_true", help="only the stage, with perfect stories"
    )
    parser.add_argument("--annotator", choices=ANNOTATORS, default=ANNOTATORS[0])
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"data not found: {args.data}; nothing to measure")
        return 0
    print("Stage alone, each event one story (oracle clustering):\n")
    result = oracle(args.data, args.annotator)
    print(table(result))
    alone: dict[str, int] = result["alone"]  # type: ignore[assignment]
    print(
        f"\nEvery article its own story (worst-case clustering, first-report lead facts): precision"
        f" {alone['update'] / max(alone['devs'], 1):.3f}, coverage {alone['covered'] / max(alone['articles'], 1):.3f}"
        f" ({alone['devs']} developments). Stage time: {result['ms_per_call']:.1f} ms per story-day"
        f" (history up to {max(len([r for r in read_rows(args.data, args.annotator) if r.event == e]) for e in EVENTS)} items)."
    )
    if args.oracle:
        return 0
    print("\nThrough the pipeline (digest backfill, real story clustering):\n")
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        print(table(run(args.data, args.keep, args.annotator)))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            print(table(run(args.data, Path(tmp), args.annotator)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
