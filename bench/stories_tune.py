"""Replay the stories stage on kept benchmark runs, without spaCy or the CLI, to compare variants.

A kept run (a work folder with ``state/digest.db`` and ``out/*.json`` written by ``bench/stories.py``,
``bench/developments.py --keep`` or the real-feeds set) holds every item, its cached spaCy mentions,
the day it was reported and which items were folded as duplicates. This script rebuilds that input
(one pickle per set under ``$DIGEST_BENCH_WORK/tune``), then runs ``digest.stories.assign_stories``
day by day against ``MemoryStoryLookup`` and scores B-cubed against gold, duplicates following their
original as in the pipeline. It is a development tool: the figures in docs/benchmarks.md come from
the CLI (``bench/stories.py``).

    python bench/stories_tune.py                 # every set found
    python bench/stories_tune.py --sets rf uci
    python bench/stories_tune.py --big-day 1 2 16    # stage cost of one day of N ECB+ copies
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import stories as bench  # bench/stories.py
from metrics import bcubed

from digest.config import StoriesConfig
from digest.models import StoredItem
from digest.store import Store
from digest.text.entities import Mention

WORK = Path(os.environ.get("DIGEST_BENCH_WORK", "/tmp/digest-bench"))


@dataclass
class Replay:
    """A kept run as the stories stage saw it: per briefing day, the originals it assigned."""

    name: str
    days: list[tuple[date, list[StoredItem]]]
    mentions: dict[str, tuple[Mention, ...]]
    gold: dict[str, str]  # item id -> gold label (labelled items only)
    duplicate_of: dict[str, str] = field(default_factory=dict)
    score: Callable[[dict[str, str]], dict[str, float]] | None = None


def _load_run(work: Path, name: str, gold_of: Callable[[dict], str | None]) -> Replay:
    store = Store.open(work / "state" / "digest.db")
    days: list[tuple[date, list[str]]] = []
    gold: dict[str, str] = {}
    dup: dict[str, str] = {}
    for path in sorted((work / "out").glob("*.json")):
        brief = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(brief, dict) or "stories" not in brief:
            continue
        ids = []
        for story in brief["stories"]:
            for item in story["items"]:
                g = gold_of(item)
                if g is not None:
                    gold[item["id"]] = g
                if item.get("duplicate_of"):
                    dup[item["id"]] = item["duplicate_of"]
                else:
                    ids.append(item["id"])
        days.append((date.fromisoformat(brief["date"]), ids))
    every = [i for _, ids in days for i in ids]
    items = store.items_by_ids(every)
    mentions = store.cached_mentions(every)
    store.close()
    out = [(d, [replace(items[i], story_id=None) for i in ids if i in items]) for d, ids in days]
    return Replay(name, out, mentions, gold, dup)


def load(name: str) -> Replay | None:
    cache = WORK / "tune" / f"{name}.pkl"
    if cache.exists():
        return Replay(**pickle.loads(cache.read_bytes()))
    rep = _build(name)
    if rep is None:
        return None
    cache.parent.mkdir(parents=True, exist_ok=True)
    rep.score = None
    cache.write_bytes(pickle.dumps(vars(rep)))
    return rep


def _build(name: str) -> Replay | None:
    if name in ("ecb", "newswcl", "uci"):
        work = WORK / name
        if not (work / "state").exists():
            return None
        docs = {"ecb": bench.ecb_docs, "newswcl": bench.newswcl_docs, "uci": bench.uci_docs}[name]()
        by_line = {i: d.gold for i, d in enumerate(docs, 1)}
        return _load_run(work, name, lambda it: by_line[int(it["origin"].rsplit(":", 1)[1])])
    if name.startswith("bs"):
        work = WORK / f"dev{name[2:]}"
        if not (work / "state").exists():
            return None
        return _load_run(work, name, lambda it: it["url"].rstrip("/").split("/")[-2])
    if name == "rf":
        work = WORK / "realfeeds"
        if not (work / "state").exists():
            return None
        entries, gold = bench.realfeeds_gold()
        by_link = bench.realfeeds_by_link(entries)

        def gold_of(item: dict) -> str | None:
            found = by_link.get(bench.canon_link(item.get("url") or ""))
            return gold[(found[0]["feed"], found[0]["id"])] if found else None

        return _load_run(work, name, gold_of)
    return None


def replay(rep: Replay, config: StoriesConfig) -> tuple[dict[str, str], float]:
    """Story id per item (duplicates follow their original), and seconds in the stage."""
    from digest.stories import MemoryStoryLookup, assign_stories

    lookup = MemoryStoryLookup()
    story: dict[str, str] = {}
    spent = 0.0
    for day, items in rep.days:
        started = time.monotonic()
        result = assign_stories(items, lookup, day, config, rep.mentions)
        spent += time.monotonic() - started
        lookup.apply(result, items)
        for a in result.assignments:
            story[a.item_id] = a.story_id
    for d, o in rep.duplicate_of.items():
        story[d] = story.get(o, o)
    return story, spent


def score(rep: Replay, story: dict[str, str]) -> dict[str, float]:
    if rep.name == "rf":
        return bench.realfeeds_scores(rep_story_by_entry(rep, story))
    gold = {i: g for i, g in rep.gold.items() if i in story}
    p, r, f = bcubed({i: story[i] for i in gold}, gold)
    return {"p": p, "r": r, "f": f}


def rep_story_by_entry(rep: Replay, story: dict[str, str]) -> dict[tuple[str, str], str]:
    """Real feeds: story per labelled entry (by canonical link), as bench/stories.py scores it."""
    entries, _ = bench.realfeeds_gold()
    urls = {}
    for _, items in rep.days:
        for it in items:
            urls[bench.canon_link(it.article.url or "")] = story.get(it.article.id)
    out = {}
    for e in entries:
        sid = urls.get(bench.canon_link(e.get("link") or ""))
        if sid is not None:
            out.setdefault((e["feed"], e["id"]), sid)
    return out


SETS = ("rf", "ecb", "newswcl", "uci", "bs1", "bs2", "bs3")


def big_day(copies: int, config: StoriesConfig) -> tuple[int, float]:
    """Stage seconds for one day holding ``copies`` copies of the ECB+ items (new ids and URLs,
    numbers shifted per copy), on an empty lookup: the cost of a day ``copies`` times larger."""
    from digest.stories import MemoryStoryLookup, assign_stories

    rep = load("ecb")
    assert rep is not None
    day, base = rep.days[0]
    items, mentions = [], {}
    for c in range(copies):
        for it in base:
            a = it.article
            new_id = f"{c:02d}{a.id}"[: len(a.id) + 2]
            text = a.text if c == 0 else a.text.replace("0", str(c % 10))
            items.append(replace(it, article=replace(a, id=new_id, text=text, url=f"{a.url}/{c}")))
            mentions[new_id] = rep.mentions.get(a.id, ())
    from digest.stories.embed import embed

    embed(["warm the model up"])  # loading it is a once-per-process cost, not a per-day one
    started = time.monotonic()
    assign_stories(items, MemoryStoryLookup(), day, config, mentions)
    return len(items), time.monotonic() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=list(SETS))
    ap.add_argument("--set", action="append", default=[], help="config override key=value")
    ap.add_argument("--big-day", type=int, nargs="*", help="time one day of N ECB+ copies")
    args = ap.parse_args()
    config = StoriesConfig()
    for kv in args.set:
        k, v = kv.split("=", 1)
        config = replace(config, **{k: type(getattr(config, k))(v)})
    if args.big_day:
        for copies in args.big_day:
            n, sec = big_day(copies, config)
            print(
                f"| one day, {copies}x ECB+ | {n} items | {sec:.1f} s | {1000 * sec / n:.2f} ms/item |"
            )
        return
    for name in args.sets:
        rep = load(name)
        if rep is None:
            print(f"| {name} | (no kept run) |")
            continue
        story, spent = replay(rep, config)
        s = score(rep, story)
        extra = "".join(f" {k} {v:.3f}" for k, v in s.items() if k not in ("p", "r", "f"))
        n = sum(len(i) for _, i in rep.days)
        print(
            f"| {name} | F1 {s['f']:.3f} | P {s['p']:.3f} | R {s['r']:.3f} |{extra} | "
            f"{1000 * spent / max(n, 1):.2f} ms/item |",
            flush=True,
        )


if __name__ == "__main__":
    main()
