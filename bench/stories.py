"""Story clustering benchmark: B-cubed precision/recall/F1 of story ids against gold, through the CLI.

Each set is written as a ``.jsonl`` inbox (id, title, text, date, url, source) into a work folder
with its own config.yaml, then ``python -m digest backfill`` runs in a subprocess; story ids are read
back from ``out/*.json`` and scored per item (duplicates included). Items per second and the peak
RSS of the child (``RUSAGE_CHILDREN`` ``ru_maxrss``) are reported too. The ``scale`` set repeats
ECB+ 1x/4x/16x (``--copies``): every copy gets new URLs, dates shifted by 40 days and its names and
numbers altered, so the archive grows with stories that share the generic vocabulary; the per-day
seconds of the stories stage (from its log line) show whether per-item cost stays flat.

The ``rf`` set is the yardstick: the labelled real world-news feeds of
``realfeeds_stories/stories.tsv`` (each feed of ``fastfeedparser_realworld_feeds/feeds/<feed>.gz``
unpacked as a local ``feed`` source with ``path:``), ``digest backfill --since 2026-02-15 --until
2026-02-18``, every labelled entry matched to a reported item by canonical link (host without
``www.`` plus path: the feeds add tracking queries and fragments). Besides B-cubed it reports
**impure** (share of multi-item stories holding entries of two or more labelled stories), **split**
(share of multi-item labelled stories spread over several stories), the lenient B-cubed against the
coarser ``umbrella.tsv`` level, and the tolerant B-cubed where an entry of ``ambiguous.tsv`` counts
under its alternative label when its story holds more of that label. An unreported entry counts as
a story of its own.

Reads ../shared/data (or $DIGEST_BENCH_DATA); says so and exits when it is absent.

    python bench/stories.py rf ecb newswcl uci
    python bench/stories.py scale --copies 1 4 16
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from metrics import bcubed  # bench/metrics.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("DIGEST_BENCH_DATA", ROOT.parent / "shared" / "data"))
WORK = Path(os.environ.get("DIGEST_BENCH_WORK", "/tmp/digest-bench"))
_DETOK = [
    (re.compile(r" ([,.;:!?%)\]'])"), r"\1"),
    (re.compile(r"([(\[$]) "), r"\1"),
    (re.compile(r" n't"), "n't"),
]


@dataclass
class Doc:
    key: str
    gold: str
    title: str
    text: str
    day: datetime
    url: str
    source: str


@dataclass
class Result:
    name: str
    items: int
    gold_clusters: int
    stories: int
    precision: float
    recall: float
    f1: float
    seconds: float
    maxrss_mb: float
    stage_seconds: list[float]
    day_seconds: list[tuple[int, float]]
    extra: dict[str, float] = field(default_factory=dict)


def detok(text: str) -> str:
    """Undo the corpora's token spacing (" , " and literal "\\n") so the text reads like news."""
    text = text.replace("\\n", "\n")
    for pat, rep in _DETOK:
        text = pat.sub(rep, text)
    return text


def ecb_docs(copy: int = 0) -> list[Doc]:
    base = datetime(2020, 1, 6, 9, tzinfo=UTC) + timedelta(days=40 * copy)
    docs = []
    for i, line in enumerate((DATA / "ecbplus_docs" / "ecbplus_docs.jsonl").open(encoding="utf-8")):
        o = json.loads(line)
        title, text = detok(o["title"]), detok(o["text"])
        if copy:
            title, text = _alter(title, copy), _alter(text, copy)
        docs.append(
            Doc(
                key=f"{copy}:{o['doc_id']}",
                gold=f"{copy}:{o['event_id']}",
                title=title,
                text=text,
                day=base + timedelta(seconds=i),
                url=f"https://news{copy}.example.org/ecb/{o['doc_id']}",
                source=f"outlet{zlib.crc32(o['doc_id'].encode()) % 50}",
            )
        )
    return docs


_SUFFIX = [
    "",
    "ar",
    "elk",
    "ov",
    "ine",
    "usk",
    "ard",
    "oth",
    "ami",
    "ez",
    "ula",
    "orn",
    "ist",
    "ava",
    "ent",
    "ish",
]


def _alter(text: str, copy: int) -> str:
    """A different story with the same shape: every name gets a copy suffix, every number moves."""
    suffix = _SUFFIX[copy % len(_SUFFIX)] + ("x" * (copy // len(_SUFFIX)))
    text = re.sub(r"\b([A-Z][a-z]{2,})\b", lambda m: m.group(1) + suffix, text)
    return re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + 7 * copy), text)


def newswcl_docs() -> list[Doc]:
    rows = [
        json.loads(line)
        for line in (DATA / "newswcl50" / "newswcl50_docs.jsonl").open(encoding="utf-8")
    ]
    dated = [_url_date(r["url"]) for r in rows]
    last = max(d for d in dated if d)
    docs = []
    for r, d in zip(rows, dated):
        text = detok(r["text"]).strip()
        title, _, body = text.partition("\n")
        docs.append(
            Doc(
                key=r["doc_id"],
                gold=str(r["event_id"]),
                title=title.strip(),
                text=body.strip(),
                day=d or last,  # URLs without any date (3 of 50): fed on the last day of the set
                url=r["url"],
                source=r["outlet"],
            )
        )
    return docs


def _url_date(url: str) -> datetime | None:
    """The date in a URL path (/2018/04/17/), else the timestamp of a HuffPost entry id (a
    MongoDB ObjectId, whose first 8 hex digits are the creation time)."""
    m = re.search(r"/(20\d\d)/(\d\d)/(\d\d)/", url)
    if m:
        return datetime(int(m[1]), int(m[2]), int(m[3]), 12, tzinfo=UTC)
    oid = re.search(r"_(?:us|uk)_([0-9a-f]{24})", url)
    if oid:
        return datetime.fromtimestamp(int(oid[1][:8], 16), tz=UTC)
    return None


def uci_docs() -> list[Doc]:
    path = DATA / "uci_news_aggregator_sample" / "uci-news-aggregator_first6365rows.csv"
    docs = []
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            docs.append(
                Doc(
                    key=r["ID"],
                    gold=r["STORY"],
                    title=r["TITLE"],
                    text="",
                    day=datetime.fromtimestamp(int(r["TIMESTAMP"]) / 1000, tz=UTC),
                    url=r["URL"].replace("\\", ""),
                    source=r["PUBLISHER"].replace("\\", ""),
                )
            )
    return docs


RF_SINCE, RF_UNTIL = "2026-02-15", "2026-02-18"


def canon_link(url: str) -> str:
    """Host (without ``www.``) and path: the feeds add tracking queries and fragments."""
    if not url:
        return ""
    u = urlsplit(url.strip())
    return (u.hostname or "").lower().removeprefix("www.") + u.path.rstrip("/")


def realfeeds_gold() -> tuple[list[dict], dict[tuple[str, str], str]]:
    """Labelled entries and their gold story, keyed by (feed, id)."""
    d = DATA / "realfeeds_stories"
    gold: dict[tuple[str, str], str] = {}
    with (d / "stories.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            gold[(row["feed"], row["id"])] = row["story"]
    entries = [json.loads(line) for line in (d / "entries.jsonl").open(encoding="utf-8")]
    return [e for e in entries if (e["feed"], e["id"]) in gold], gold


def realfeeds_by_link(entries: list[dict]) -> dict[str, list[dict]]:
    by_link: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        by_link[canon_link(e.get("link") or "")].append(e)
    return by_link


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def realfeeds_scores(pred: dict[tuple[str, str], str]) -> dict[str, float]:
    """B-cubed, impure, split, lenient (umbrella) and tolerant (ambiguous) scores of a story id per
    labelled entry; entries missing from ``pred`` count as stories of their own."""
    _, gold = realfeeds_gold()
    full = {k: pred.get(k, f"missing:{k[0]}:{k[1]}") for k in gold}
    p, r, f = bcubed(full, gold)
    members: dict[str, list[str]] = defaultdict(list)
    for k, sid in full.items():
        members[sid].append(gold[k])
    multi = [labels for labels in members.values() if len(labels) >= 2]
    impure = sum(1 for labels in multi if len(set(labels)) > 1)
    spread: dict[str, set[str]] = defaultdict(set)
    sizes: dict[str, int] = defaultdict(int)
    for k, g in gold.items():
        spread[g].add(full[k])
        sizes[g] += 1
    gmulti = [g for g in sizes if sizes[g] >= 2]
    split = sum(1 for g in gmulti if len(spread[g]) > 1)
    d = DATA / "realfeeds_stories"
    umbrella = {row["story"]: row["umbrella"] for row in _tsv(d / "umbrella.tsv")}
    _, _, lenient = bcubed(full, {k: umbrella.get(g, g) for k, g in gold.items()})
    tolerant = dict(gold)
    for row in _tsv(d / "ambiguous.tsv"):
        key = (next((f for f, i in gold if i == row["id"]), ""), row["id"])
        if key not in gold:
            continue
        labels = members[full[key]]
        if labels.count(row["alternative"]) > labels.count(row["story"]):
            tolerant[key] = row["alternative"]
    _, _, tol = bcubed(full, tolerant)
    return {
        "p": p,
        "r": r,
        "f": f,
        "impure": impure / max(1, len(multi)),
        "multi": float(len(multi)),
        "split": split / max(1, len(gmulti)),
        "lenient": lenient,
        "tolerant": tol,
        "missing": float(sum(1 for k in gold if k not in pred)),
    }


def realfeeds_sources(work: Path) -> list[tuple[str, str]]:
    """Unpack each labelled outlet's own feed bytes; name it by its channel title."""
    raw = DATA / "fastfeedparser_realworld_feeds"
    entries, _ = realfeeds_gold()
    titles = {}
    for row in _tsv(raw / "feeds_index.tsv"):
        title = re.sub(r"<!\[CDATA\[|\]\]>", "", row["channel_title"] or "")
        titles[row["file"].removesuffix(".gz")] = html.unescape(title).strip()
    (work / "feeds").mkdir(parents=True, exist_ok=True)
    sources, seen = [], set()
    for feed in sorted({e["feed"] for e in entries}):
        rel = f"feeds/{feed}.xml"
        (work / rel).write_bytes(gzip.decompress((raw / "feeds" / f"{feed}.gz").read_bytes()))
        name = titles.get(feed) or feed
        while name in seen:
            name += " (2)"
        seen.add(name)
        sources.append((name, rel))
    return sources


def run_realfeeds() -> Result:
    work = WORK / "realfeeds"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    lines = ["timezone: UTC", "sources:"]
    for name, rel in realfeeds_sources(work):
        lines += [f"  - name: {json.dumps(name)}", "    type: feed", f"    path: {rel}"]
    lines += [
        "output:",
        "  dir: out",
        "  formats: [json, markdown]",
        "state:",
        "  path: state/digest.db",
    ]
    (work / "config.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc, seconds, maxrss = _backfill(work, RF_SINCE, RF_UNTIL)
    entries, gold = realfeeds_gold()
    by_link = realfeeds_by_link(entries)
    pred: dict[tuple[str, str], str] = {}
    items = 0
    for path in sorted((work / "out").glob("*.json")):
        briefing = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(briefing, dict) or "stories" not in briefing:
            continue
        for story in briefing["stories"]:
            for item in story["items"]:
                items += 1
                # one article carried by several feeds (same link) is one item: it stands for all
                for e in by_link.get(canon_link(item.get("url") or ""), []):
                    pred.setdefault((e["feed"], e["id"]), str(story["id"]))
    s = realfeeds_scores(pred)
    stories_n = len({pred[k] for k in pred})
    return Result(
        "rf",
        len(gold),
        len(set(gold.values())),
        stories_n,
        s["p"],
        s["r"],
        s["f"],
        seconds,
        maxrss,
        _stage_seconds(proc.stderr),
        _day_seconds(proc.stderr),
        s,
    )


def _backfill(
    work: Path, since: str, until: str
) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run ``digest backfill`` in a child; its output, wall seconds and the children's peak RSS."""
    cmd = [
        sys.executable,
        "-m",
        "digest",
        "-v",
        "backfill",
        "--config",
        str(work / "config.yaml"),
        "--since",
        since,
        "--until",
        until,
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    proc = subprocess.run(cmd, check=False, cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - started
    maxrss = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    (work / "run.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        raise SystemExit(f"{work.name}: digest failed ({proc.returncode}); see {work / 'run.log'}")
    return proc, seconds, maxrss


def _stage_seconds(stderr: str) -> list[float]:
    return [
        float(m[1])
        for m in re.finditer(r"digest.stories.assign: stage=stories .*?seconds=([\d.]+)", stderr)
    ]


def _day_seconds(stderr: str) -> list[tuple[int, float]]:
    return [
        (int(m[1]), float(m[2]))
        for m in re.finditer(
            r"digest.pipeline.\w+: day=\S+ items=(\d+) .*?seconds=([\d.]+)", stderr
        )
    ]


def run(name: str, docs: list[Doc]) -> Result:
    """Write the inbox and config, run ``digest backfill`` and score the JSON it wrote."""
    work = WORK / name
    shutil.rmtree(work, ignore_errors=True)
    (work / "inbox").mkdir(parents=True)
    with (work / "inbox" / "items.jsonl").open("w", encoding="utf-8") as fh:
        for d in docs:
            rec = {
                "id": d.key,
                "title": d.title,
                "text": d.text,
                "date": d.day.isoformat(),
                "url": d.url,
                "source": d.source,
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    aged = time.time() - 3600  # the files source skips files modified in the last seconds
    os.utime(work / "inbox" / "items.jsonl", (aged, aged))
    (work / "config.yaml").write_text(
        "sources:\n  - name: bench\n    type: files\n    path: inbox\n    max_files: 10\n    max_file_bytes: 500000000\n"
        "output:\n  dir: out\n  formats: [json]\nstate:\n  path: state/digest.db\n",
        encoding="utf-8",
    )
    since = min(d.day for d in docs).date()
    until = max(d.day for d in docs).date()
    proc, seconds, maxrss = _backfill(work, since.isoformat(), until.isoformat())
    stage = _stage_seconds(proc.stderr)
    per_day = _day_seconds(proc.stderr)
    line_to_doc = {i: d for i, d in enumerate(docs, 1)}
    predicted: dict[str, str] = {}
    for path in sorted((work / "out").rglob("*.json")):
        briefing = json.loads(path.read_text(encoding="utf-8"))
        for story in briefing.get("stories", []):
            for item in story["items"]:
                line = int(item["origin"].rsplit(":", 1)[1])
                predicted[line_to_doc[line].key] = story["id"]
    gold = {d.key: d.gold for d in docs if d.key in predicted}
    missing = len(docs) - len(gold)
    if missing:
        print(f"note: {name}: {missing} items were not in any briefing", file=sys.stderr)
    p, r, f = bcubed(predicted, gold)
    return Result(
        name,
        len(gold),
        len(set(gold.values())),
        len(set(predicted.values())),
        p,
        r,
        f,
        seconds,
        maxrss,
        stage,
        per_day,
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("sets", nargs="+", choices=["rf", "ecb", "newswcl", "uci", "scale"])
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 4, 16])
    args = ap.parse_args()
    if not DATA.is_dir():
        raise SystemExit(
            f"benchmark data not found at {DATA} (set DIGEST_BENCH_DATA); nothing measured"
        )
    results: list[Result] = []
    for name in args.sets:
        if name == "rf":
            results.append(run_realfeeds())
        elif name == "ecb":
            results.append(run("ecb", ecb_docs()))
        elif name == "newswcl":
            results.append(run("newswcl", newswcl_docs()))
        elif name == "uci":
            results.append(run("uci", uci_docs()))
        else:
            for n in args.copies:
                results.append(run(f"ecb-x{n}", [d for c in range(n) for d in ecb_docs(c)]))
    print(
        "| set | items | gold stories | stories | B3 P | B3 R | B3 F1 | seconds | items/s | peak RSS MB | stories stage s/day (first..last) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for x in results:
        stage = f"{x.stage_seconds[0]:.2f}..{x.stage_seconds[-1]:.2f}" if x.stage_seconds else "-"
        print(
            f"| {x.name} | {x.items} | {x.gold_clusters} | {x.stories} | {x.precision:.3f} | {x.recall:.3f} | "
            f"{x.f1:.3f} | {x.seconds:.1f} | {x.items / x.seconds:.1f} | {x.maxrss_mb:.0f} | {stage} |"
        )
        if x.extra:
            e = x.extra
            print(
                f"  {x.name}: impure {e['impure']:.0%} of {e['multi']:.0f} multi-item stories; split"
                f" {e['split']:.0%}; lenient (umbrella) F1 {e['lenient']:.3f}; tolerant (ambiguous)"
                f" F1 {e['tolerant']:.3f}; unreported entries {e['missing']:.0f}"
            )
        if x.name.startswith("ecb-x") and x.day_seconds:
            ms = " ".join(f"{1000 * sec / max(n, 1):.0f}" for n, sec in x.day_seconds)
            print(f"  {x.name} whole publish ms per item, day by day: {ms}")
        if len(x.stage_seconds) > 1:
            print(
                f"  {x.name} stories stage seconds per day: "
                + " ".join(f"{s:.2f}" for s in x.stage_seconds)
            )


if __name__ == "__main__":
    main()
