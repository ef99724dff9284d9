"""Benchmark of hostile input (issue #8): one run over the whole hostile corpus, and kill trials.

1. Builds the corpus of ``tests/system/test_hostile.py`` (every fixture under tests/fixtures/hostile plus
   the generated cases) under bench/.work/hostile/, adds the heavy cases that are too slow for the
   test suite (a 20,000-entry 8 MB feed, a full-size quadratic-blowup feed, a 10 MB single-line
   file, a 30 MB log dropped in the inbox), and runs
   ``/usr/bin/time -f %M taskset -c 0,1 python -m digest render --config ... --date 2026-11-21``
   on a fresh state: wall time and peak RSS (goal: under 60 s and 700 MB on 2 cores).
2. Walks a folder of 100,000 files with the files source (cap 5,000 per run) and times it.
3. Runs ``tests/system/test_crash.kill_trials``: ``digest render`` children SIGKILLed at random points,
   checking after every kill that the outputs are whole and the state never runs ahead of them,
   and at the end that every item is listed exactly once and a rerun is byte-identical.
4. Issue #18 items 1, 2, 3 and 9, one hostile inbox file at a time: each is dropped into a fresh
   inbox between three innocent neighbours and ``digest -v render`` runs once (default config,
   2 cores). Goal per file: handled within 30 s and 700 MB peak RSS (the whole run), the three
   neighbours in the briefing, the hostile file either read or recorded as skipped with its reason
   (nothing lost without a trace), and no control or bidi character in any output, the state or
   the log.

Run: /work/venv/bin/python bench/hostile.py [--kills 200] [--files 100000] [--only-files]
Invented data only; ../shared/data is not needed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.system.test_crash import kill_trials, make_site
from tests.system.test_hostile import DAY, MTIME, build_world, html_problems, markdown_problems

WORK = ROOT / "bench" / ".work" / "hostile"


def _heavy_extras(root: Path) -> list[str]:
    """Cases too slow for the test suite; returns their descriptions."""
    feeds, inbox = root / "feeds", root / "inbox"
    entries = "".join(
        f"<item><title>Bulk entry {i} about the harbour</title><link>https://bulk.example/{i}</link>"
        f"<guid>bulk-{i}</guid><pubDate>Sat, 21 Nov 2026 08:00:00 GMT</pubDate>"
        f"<description>{'Bulk text about cranes and ferries. ' * 9}</description></item>"
        for i in range(20_000)
    )
    (feeds / "huge_feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bulk</title>'
        f"<link>https://bulk.example/</link><description>x</description>{entries}</channel></rss>",
        encoding="utf-8",
    )
    (feeds / "quadratic_full.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "' + "B" * 10_000 + '">]>'
        '<rss version="2.0"><channel><title>q</title><link>https://q.example/</link><description>x'
        "</description><item><title>" + "&big;" * 20_000 + "</title><guid>q-1</guid>"
        "<pubDate>Sat, 21 Nov 2026 08:00:00 GMT</pubDate><description>quadratic</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    (inbox / "one_line.txt").write_bytes(b"word " * 2_100_000)  # 10.5 MB, no newline
    with open(inbox / "server.log.txt", "wb") as fh:  # a 30 MB log dropped in the folder
        fh.writelines(
            b"2026-11-21T08:00:00Z GET /index.html 200 %d bytes\n" % i for i in range(600_000)
        )
    for path in (inbox / "one_line.txt", inbox / "server.log.txt"):
        os.utime(path, (MTIME, MTIME))
    return [
        "huge_feed.xml: 20,000 entries, 8 MB (case 28: first 500 kept)",
        "quadratic_full.xml: 10 KB entity x 20,000 (case 22: 200 MB if expanded)",
        "one_line.txt: 10.5 MB single line (case 74; over the 5 MB cap: skipped)",
        "server.log.txt: 30 MB log (case 65; over the cap: never read)",
    ]


def bench_corpus() -> dict[str, object]:
    root = WORK / "corpus"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    extras: list[str] = []
    config = build_world(root, lambda r: extras.extend(_heavy_extras(r)))
    cmd = ["/usr/bin/time", "-f", "%M %e", "taskset", "-c", "0,1", sys.executable, "-m", "digest"]
    cmd += ["render", "--config", str(config), "--date", DAY.isoformat()]
    started = time.monotonic()
    proc = subprocess.run(
        cmd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.monotonic() - started
    last = proc.stderr.strip().splitlines()[-1]
    peak_kb, seconds = last.split()
    out = root / "out"
    inert = all(
        not html_problems(p.read_text(encoding="utf-8"), p, out) for p in out.rglob("*.html")
    )
    inert = inert and all(
        not markdown_problems(p.read_text(encoding="utf-8")) for p in out.rglob("*.md")
    )
    briefing = json.loads((out / f"{DAY.isoformat()}.json").read_text(encoding="utf-8"))
    failed = ", ".join(sorted(s["name"] for s in briefing["sources"] if not s["ok"]))
    return {
        "exit": proc.returncode,
        "seconds": float(seconds),
        "wall": wall,
        "peak_mb": int(peak_kb) / 1024,
        "feeds": len(list((root / "feeds").glob("*.xml"))),
        "inbox_files": sum(1 for p in (root / "inbox").rglob("*") if not p.is_dir()),
        "items": sum(len(s["items"]) for s in briefing["stories"]),
        "stories": len(briefing["stories"]),
        "failed_sources": failed,
        "inert": inert,
        "extras": extras,
        "stderr_tail": re.sub(r"\s+", " ", proc.stderr[-300:]) if proc.returncode else "",
    }


def bench_many_files(count: int) -> dict[str, object]:
    from digest.config import SourceConfig
    from digest.sources.files import collect_files

    folder = WORK / "many"
    shutil.rmtree(folder, ignore_errors=True)
    for i in range(count):
        sub = folder / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True)
        path = sub / f"n{i:06d}.jsonl"
        path.write_text(json.dumps({"id": f"n{i}", "title": f"Note {i}", "text": "Body."}) + "\n")
        os.utime(path, (MTIME, MTIME))
    src = SourceConfig(name="many", type="files", path=folder)
    started = time.monotonic()
    first = collect_files(src, {})
    seconds = time.monotonic() - started
    known = {p: (s, m) for p, s, m in first.stamps}
    started = time.monotonic()
    second = collect_files(src, known)
    seconds2 = time.monotonic() - started
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "files": count,
        "first_items": len(first.items),
        "first_seconds": seconds,
        "second_items": len(second.items),
        "second_seconds": seconds2,
        "second_first_origin": second.items[0].origin if second.items else "",
    }


def bench_kills(kills: int, seed: int) -> dict[str, object]:
    root = WORK / "kills"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    site = make_site(root)
    started = time.monotonic()
    result = kill_trials(site, kills=kills, seed=seed, max_trials=kills * 3)
    return {
        "kills": result.kills,
        "trials": result.trials,
        "completed": result.completed,
        "items": len(site.expected),
        "phases": dict(result.phases),
        "temps": result.temp_files_left,
        "seconds": time.monotonic() - started,
    }


# --- 4. hostile inbox files, one at a time (issue #18) ------------------------------------------

_WORDS = (
    "harbour port ferry crane council budget storm river bridge union strike rail museum school "
    "hospital market festival election minister mayor police court flood tunnel airport tram road "
    "grid water bank tax trade shipping fishing farm wheat price wage talks deal vote report survey"
).split()
_PLACES = ["Veldmar", "Osterholm", "Tarsk", "Almen", "Kessel", "Brimfield", "Norrvik", "Halden"]
_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NEIGHBOURS = {
    "a-harbour.txt": (
        "Harbour cranes restored after storm\nThe port authority of Veldmar restored the last two "
        "container cranes on Saturday after a storm had damaged their rails, the harbour master "
        "said.\nShips that waited in the roads for three days began unloading in the afternoon.\n"
    ),
    "m-ferry.md": (
        "---\ntitle: Ferry union signs the new wage deal\n---\nThe ferry union of Osterholm signed "
        "the new wage deal on Saturday after six weeks of talks. Crossings to the islands run on "
        "the normal timetable again from Monday.\n"
    ),
    "z-wire.jsonl": json.dumps(
        {
            "id": "w-1",
            "title": "River Almen falls below the flood mark",
            "text": "The River Almen fell below the flood mark on Saturday, the regional emergency "
            "service said, and the last shelters in the Tarsk valley closed.",
            "url": "https://wire.example/almen",
        }
    )
    + "\n",
}
NEIGHBOUR_TITLES = {
    "Harbour cranes restored after storm",
    "Ferry union signs the new wage deal",
    "River Almen falls below the flood mark",
}


def _bulk_json(count: int) -> str:
    rng = random.Random(18)
    rows = []
    for i in range(count):
        title = " ".join(rng.choice(_WORDS) for _ in range(6)).capitalize()
        text = " ".join(
            " ".join(rng.choice(_WORDS) for _ in range(12)).capitalize()
            + " in "
            + rng.choice(_PLACES)
            + "."
            for _ in range(2)
        )
        rows.append({"id": f"b{i}", "title": f"{title} in {rng.choice(_PLACES)}", "text": text,
                     "url": f"https://bulk.example/{i}"})  # fmt: skip
    return json.dumps(rows)


def _escapes_jsonl() -> str:
    row = {
        "id": "esc-1",
        "title": "Quay \u001b[2J lights \u202egnp.exe\u202c switched",
        "text": "The board \u001b]0;pwned\u0007switched\r the quay lights.\rIt said so on Saturday.",
        "author": "\u202eDesk\u0085",
        "source": "Wire\u0007",
    }
    return json.dumps(row) + "\n"


HOSTILE_FILES: list[tuple[str, str, str, Any]] = [
    ("p-attrs80k.html", "1", "one <p> with 80,000 attributes (htmldate is quadratic)",
     lambda: "<html><body><p " + " ".join(f"a{i}=v" for i in range(80_000)) + ">x</p></body></html>"),
    ("p-attrs490k.html", "1", "one <p> with 490,000 attributes",
     lambda: "<html><body><p " + " ".join(f"a{i}=v" for i in range(490_000)) + ">x</p></body></html>"),
    ("p-bulk.json", "2", "12,500 articles in one JSON file", lambda: _bulk_json(12_500)),
    ("p-escapes.jsonl", "3", "JSON escapes: ESC, BEL, CR, NEL, bidi overrides", _escapes_jsonl),
    ("p-emphasis.md", "9", "'*a ' emphasis runs", lambda: "*a " * 1_600_000),
    ("p-links.html", "9", "300,000 unclosed <a> elements",
     lambda: "<html><body>" + "<a href=x>word " * 300_000 + "</body></html>"),
    ("p-runon.txt", "9", "run-on text without a full stop", lambda: "word " * 1_000_000),
    ("p-brackets.md", "9", "bracket-heavy Markdown", lambda: "[" * 200_000 + "x" + "](" * 200_000),
]  # fmt: skip


def bench_hostile_file(name: str, make: Any) -> dict[str, object]:
    root = WORK / "files" / name
    shutil.rmtree(root, ignore_errors=True)
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    for neighbour, text in NEIGHBOURS.items():
        (inbox / neighbour).write_text(text, encoding="utf-8")
    (inbox / name).write_text(make(), encoding="utf-8")
    for path in inbox.iterdir():
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    config = root / "config.yaml"
    config.write_text(
        "sources:\n  - {name: inbox, type: files, path: inbox}\n"
        "output: {dir: out, formats: [markdown, html, json]}\n",
        encoding="utf-8",
    )
    cmd = ["/usr/bin/time", "-f", "%M %e %U %S", "taskset", "-c", "0,1", sys.executable, "-m"]
    cmd += ["digest", "-v", "render", "--config", str(config)]
    proc = subprocess.run(
        cmd, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
        check=False, cwd=root,
    )  # fmt: skip
    peak_kb, seconds, user, system = proc.stderr.strip().splitlines()[-1].split()
    log = "\n".join(proc.stderr.strip().splitlines()[:-1])
    out = root / "out"
    briefings = sorted(out.glob("????-??-??.json"))
    items = (
        [it for st in json.loads(briefings[-1].read_text(encoding="utf-8"))["stories"]
         for it in st["items"]] if briefings else []
    )  # fmt: skip
    titles = {it["title"] for it in items}
    conn = sqlite3.connect(root / "state" / "digest.db")
    try:
        stored = conn.execute(
            "SELECT title, text, coalesce(author,''), source, origin FROM items"
        ).fetchall()
        skipped = conn.execute(
            "SELECT skipped FROM file_index WHERE path=? AND skipped IS NOT NULL", (name,)
        ).fetchone()
    finally:
        conn.close()
    own = sum(1 for it in items if str(it["origin"]).startswith(name))
    texts = [p.read_text(encoding="utf-8") for p in out.rglob("*.*")] + [log]
    texts += [value for row in stored for value in row]
    raw_free = not any(_RAW.search(text) for text in texts)
    if skipped:
        outcome = f"skipped: {skipped[0].removeprefix('could not be cleaned: ').split(';')[0]}"
    else:
        capped = "; capped at 1000" if "kept the first" in log else ""
        outcome = f"read: {own} item(s) in the briefing{capped}"
    return {
        "exit": proc.returncode,
        "seconds": float(seconds),
        "cpu": float(user) + float(system),
        "peak_mb": int(peak_kb) / 1024,
        "bytes": (inbox / name).stat().st_size,
        "outcome": outcome,
        "neighbours": len(NEIGHBOUR_TITLES & titles),
        "raw_free": raw_free,
    }


def print_hostile_files() -> bool:
    load = os.getloadavg()[0]
    print(f"Load average at the start: {load:.1f} (2 cores; wall times grow with it, CPU less)\n")
    print(
        "| Hostile file (issue #18 item) | Size | Run: wall / CPU | Peak RSS | Outcome | "
        "Neighbours | Raw-free |"
    )
    print("|---|---|---|---|---|---|---|")
    ok = True
    for name, item, what, make in HOSTILE_FILES:
        r = bench_hostile_file(name, make)
        good = (
            r["exit"] == 0 and float(r["seconds"]) <= 30 and float(r["peak_mb"]) <= 700  # type: ignore[arg-type]
            and r["neighbours"] == 3 and r["raw_free"]
        )  # fmt: skip
        ok = ok and good
        print(
            f"| `{name}`: {what} ({item}) | {int(r['bytes']) / 2**20:.1f} MB | "  # type: ignore[call-overload]
            f"{r['seconds']:.1f} s / {r['cpu']:.1f} s | {r['peak_mb']:.0f} MB | {r['outcome']} | "
            f"{r['neighbours']}/3 | "
            f"{'yes' if r['raw_free'] else 'NO'} |"
        )
    print(f"\nGoal (30 s, 700 MB, 3/3 neighbours, raw-free, exit 0) met: {'yes' if ok else 'NO'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--only-files", action="store_true", help="only section 4")
    args = parser.parse_args()
    files_ok = print_hostile_files()
    if args.only_files:
        return 0 if files_ok else 1
    print()
    corpus = bench_corpus()
    many = bench_many_files(args.files)
    kills = bench_kills(args.kills, args.seed)
    print("| Measurement | Result |")
    print("|---|---|")
    print(
        f"| Render over the hostile corpus ({corpus['feeds']} feeds, {corpus['inbox_files']} inbox "
        f"entries, exit {corpus['exit']}) | {corpus['seconds']:.1f} s, peak RSS {corpus['peak_mb']:.0f} MB "
        f"(2 cores) |"
    )
    print(
        f"| Briefing | {corpus['items']} items in {corpus['stories']} stories; failed sources: "
        f"{corpus['failed_sources']}; output inert: {'yes' if corpus['inert'] else 'NO'} |"
    )
    for extra in corpus["extras"]:  # type: ignore[attr-defined]
        print(f"| heavy extra | {extra} |")
    print(
        f"| Files source over {many['files']:,} files (cap 5,000/run) | run 1: {many['first_items']} "
        f"items in {many['first_seconds']:.1f} s; run 2: {many['second_items']} more in "
        f"{many['second_seconds']:.1f} s, starting at {many['second_first_origin']} |"
    )
    print(
        f"| Kill-and-rerun trials | {kills['kills']} SIGKILLs in {kills['trials']} runs "
        f"({kills['completed']} finished first), {kills['items']} items: 0 lost, 0 reported twice, every "
        f"output whole, rerun byte-identical ({kills['seconds']:.0f} s) |"
    )
    print(
        f"| Where the kills landed | {kills['phases']}; {kills['temps']} left a temp file (removed) |"
    )
    if corpus["stderr_tail"]:
        print(f"\nrender stderr: {corpus['stderr_tail']}")
    return 0 if corpus["exit"] == 0 and corpus["inert"] and files_ok else 1


if __name__ == "__main__":
    sys.exit(main())
