"""Benchmark of the Key actors stage (issue #5) on three public sets; prints Markdown tables.

1. NewsWCL50 (10 events x 5 outlets, hand-coded actors). The 50 articles go through the real
   pipeline (``python -m digest backfill`` over a generated .jsonl inbox, dates from the URLs). For
   each event we take the story that holds most of its articles (on the day it held most of them)
   and score that story's top-10 actors:
   - gold = the event's 5 most-annotated ACTOR/COUNTRY/GROUP codes, ignoring ``-I``/``-Misc``
     codes and generic groups (Supporters, Investigators, Trumps Lawyers, Migrant caravan);
   - recall = share of the gold codes matched by one of the top 10;
   - precision = share of the top 10 that match any ACTOR/ACTOR-I/COUNTRY/GROUP code of the event.
   An actor matches a code when (a) for a person code (the part after the last backslash, e.g.
   ``Mike Pompeo``, ``Jong Un``): the code's tokens are a contiguous run of the actor's name or
   alias tokens, or the code is a single token equal to the actor's first or last token; (b) for a
   country code: the actor's name or an alias is one of the country's names in COUNTRY_NAMES
   (ISO code -> names, capital as metonym, demonyms); (c) for a group: the name or an alias is in
   GROUP_NAMES; or (d) the actor's name or an alias equals, case-insensitively, a mention string
   the annotators coded under that code in that event (``code_mention``): that surface string was
   judged to denote that entity.
2. CoNLL-2003 eng.testa: per document, F1 of the set of distinct PER/ORG/LOC names we extract
   (after merging: the actor names) against the gold names (after the same surface cleaning).
3. MEANTIME (English): gold cross-document entity chains over 120 documents. Every document is
   analysed; proper-name mentions (spaCy entity spans matching a gold mention span) are mapped to
   the actor they end up under (per-document merging, then the registry across documents). We
   report pairwise recall (two mentions of one chain under one actor) and the share of actor
   clusters that mix two gold chains (wrong merges), over mention pairs.

Run: /work/venv/bin/python bench/actors.py [--only newswcl|conll|meantime]
(exit 0 with a message when ../shared/data is absent).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

GENERIC_GROUPS = {"supporters", "investigators", "trumps lawyers", "migrant caravan"}
COUNTRY_NAMES: dict[str, set[str]] = {
    "USA": {
        "united states",
        "u.s.",
        "us",
        "usa",
        "u.s.a.",
        "america",
        "washington",
        "united states of america",
        "white house",
    },
    "PRK": {"north korea", "pyongyang", "dprk", "democratic people's republic of korea"},
    "KOR": {"south korea", "seoul", "korea", "republic of korea"},
    "JPN": {"japan", "tokyo"},
    "CHN": {"china", "beijing", "people's republic of china"},
    "RUS": {"russia", "moscow", "russian federation", "kremlin", "russians"},
    "GBR": {"united kingdom", "britain", "great britain", "uk", "u.k.", "london", "england"},
    "FRA": {"france", "paris"},
    "IRN": {"iran", "tehran", "islamic republic of iran"},
    "ISR": {"israel", "jerusalem"},
    "SYR": {"syria", "damascus"},
    "SAU": {"saudi arabia", "riyadh"},
    "MEX": {"mexico", "mexico city"},
    "CAN": {"canada", "ottawa"},
    "EU": {"european union", "eu", "e.u.", "brussels", "europe"},
    "GUM": {"guam"},
    "DEU": {"germany", "berlin"},
}
GROUP_NAMES: dict[str, set[str]] = {
    "democrats": {
        "democrats",
        "democratic party",
        "democrat",
        "dnc",
        "democratic national committee",
    },
    "republicans": {
        "republicans",
        "republican party",
        "gop",
        "republican",
        "rnc",
        "republican national committee",
    },
    "wikileaks": {"wikileaks"},
    "people without borders": {"pueblo sin fronteras", "people without borders"},
    "steel producers": set(),
}


# ----- NewsWCL50 -----------------------------------------------------------------------------


def _detok(text: str) -> str:
    """Undo the corpus tokenisation (" , ", " 's", "Jong - un") so the pipeline sees prose."""
    text = re.sub(r" ([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    text = re.sub(r" (['’](?:s|re|ve|ll|d|m)\b|n['’]t\b)", r"\1", text)
    text = re.sub(r"(\w) - (\w)", r"\1-\2", text)
    text = re.sub(r"\" (.*?) \"", r'"\1"', text)
    return re.sub(r"[ \t]+", " ", text)


def _newswcl_inbox(folder: Path) -> dict[str, int]:
    """Write the inbox; return origin line -> event id."""
    lines = []
    events: dict[str, int] = {}
    for n, raw in enumerate(
        (DATA / "newswcl50" / "newswcl50_docs.jsonl").read_text(encoding="utf-8").splitlines(), 1
    ):
        doc = json.loads(raw)
        m = re.search(r"/(20\d\d)/(\d\d)/(\d\d)/", doc["url"])
        day = f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else "2018-04-20"
        parts = [p.strip() for p in re.split(r"\s*\\n\s*", doc["text"]) if p.strip()]
        title, body = _detok(parts[0]), "\n\n".join(_detok(p) for p in parts[1:])
        lines.append(
            json.dumps(
                {
                    "id": doc["doc_id"],
                    "title": title,
                    "text": body,
                    "date": f"{day}T12:00:00Z",
                    "url": doc["url"],
                    "source": doc["outlet"],
                }
            )
        )
        events[f"newswcl50.jsonl:{n}"] = int(doc["event_id"])
    (folder / "inbox").mkdir(parents=True, exist_ok=True)
    (folder / "inbox" / "newswcl50.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return events


def _run_pipeline(folder: Path) -> list[dict]:
    (folder / "config.yaml").write_text(
        "sources:\n  - name: wcl\n    type: files\n    path: inbox\noutput:\n  dir: out\n  formats: [json]\n"
        "state:\n  path: state/digest.db\nitems:\n  max_age_days: 3\nactors:\n  per_story: 10\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "digest",
            "backfill",
            "--config",
            str(folder / "config.yaml"),
            "--since",
            "2018-04-01",
            "--until",
            "2018-06-01",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"digest backfill failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    print(f"pipeline: {time.monotonic() - started:.1f} s", file=sys.stderr)
    return [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "out").rglob("*.json"))
    ]


def _annotations() -> list[dict[str, str]]:
    text = (DATA / "newswcl50" / "Annotations.csv").read_text(encoding="utf-8-sig").splitlines()
    return list(csv.DictReader(text[1:]))


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("’", "'")).strip().lower()


def _gold(
    rows: list[dict[str, str]],
) -> tuple[dict[int, list[str]], dict[int, dict[str, set[str]]]]:
    """Gold top-5 codes per event, and every actor-like code of an event with its mention strings."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    codes: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        ev = int(r["event_id"])
        if r["code_type"] in ("ACTOR", "ACTOR-I", "COUNTRY", "GROUP"):
            codes[ev][r["code_name"]].update(_mention_forms(r["code_mention"]))
        if r["code_type"] not in ("ACTOR", "COUNTRY", "GROUP"):
            continue
        name = r["code_name"]
        if "-Misc" in name or name.endswith("-I") or _leaf(name).lower() in GENERIC_GROUPS:
            continue
        counts[ev][name] += 1
    return {ev: [c for c, _ in cnt.most_common(5)] for ev, cnt in counts.items()}, codes


def _mention_forms(mention: str) -> set[str]:
    """An annotated mention, and the same with our name cleaning (leading "the", possessive,
    honorifics) and with a leading title removed ("Attorney General Jeff Sessions" -> "Jeff Sessions")."""
    from digest.actors_names import clean_name, tables

    forms = {_norm(mention), _norm(clean_name(mention)[0])}
    words = mention.split()
    heads = [i for i, w in enumerate(words) if w.lower().strip(".,") in tables().role_heads]
    if heads and heads[-1] + 1 < len(words):
        forms.add(_norm(clean_name(" ".join(words[heads[-1] + 1 :]))[0]))
    return {f for f in forms if f}


def _leaf(code: str) -> str:
    return code.split("\\")[-1].strip()


def _names(actor: dict) -> list[str]:
    return [_norm(actor["name"])] + [_norm(a) for a in actor.get("aliases", [])]


def _matches(actor: dict, code: str, mentions: set[str]) -> bool:
    names = _names(actor)
    leaf = _leaf(code)
    if any(n in mentions for n in names):
        return True
    if leaf.upper() == leaf and leaf in COUNTRY_NAMES:
        return any(n in COUNTRY_NAMES[leaf] for n in names)
    if leaf.lower() in GROUP_NAMES:
        return any(n in GROUP_NAMES[leaf.lower()] or n == leaf.lower() for n in names)
    want = re.split(r"[\s-]+", leaf.lower())
    for n in names:
        toks = re.split(r"[\s-]+", n)
        if len(want) == 1 and toks and want[0] in (toks[0], toks[-1]):
            return True
        if len(want) > 1 and any(toks[i : i + len(want)] == want for i in range(len(toks))):
            return True
    return False


def bench_newswcl() -> list[tuple[str, str]]:
    rows = _annotations()
    gold, codes = _gold(rows)
    with tempfile.TemporaryDirectory(prefix="bench-actors-") as tmp:
        folder = Path(tmp)
        events = _newswcl_inbox(folder)
        briefings = _run_pipeline(folder)
    # story -> (day, items of the event) ; pick per event the story instance with most of its items
    best: dict[int, tuple[int, dict, int]] = {}
    splits: dict[int, int] = {}
    per_event_stories: dict[int, set[str]] = defaultdict(set)
    for b in briefings:
        for s in b["stories"]:
            evs = Counter(
                events[it["origin"].split("/")[-1]]
                for it in s["items"]
                if it["origin"].split("/")[-1] in events
            )
            for ev, n in evs.items():
                per_event_stories[ev].add(s["id"])
                if ev not in best or n > best[ev][0]:
                    best[ev] = (n, s, len(s["items"]))
    for ev, ids in per_event_stories.items():
        splits[ev] = len(ids)
    print("| event | items in story | stories | recall@10 | precision@10 | top-10 actors |")
    print("|---|---|---|---|---|---|")
    recalls, precisions = [], []
    for ev in sorted(gold):
        n, story, size = best[ev]
        top = story["actors"][:10]
        ev_codes = codes[ev]
        hit = [g for g in gold[ev] if any(_matches(a, g, ev_codes[g]) for a in top)]
        good = [a for a in top if any(_matches(a, c, m) for c, m in ev_codes.items())]
        r = len(hit) / len(gold[ev])
        p = len(good) / len(top) if top else 0.0
        recalls.append(r)
        precisions.append(p)
        shown = ", ".join(("" if a in good else "~") + a["name"] for a in top)
        missed = [g for g in gold[ev] if g not in hit]
        print(
            f"| {ev} | {n}/5 of {size} | {splits[ev]} | {r:.2f} | {p:.2f} | {shown}{' (missed: ' + ', '.join(missed) + ')' if missed else ''} |"
        )
    mr, mp = sum(recalls) / len(recalls), sum(precisions) / len(precisions)
    print(f"| **mean** | | | **{mr:.2f}** | **{mp:.2f}** | |")
    return [("NewsWCL50 recall@10", f"{mr:.2f}"), ("NewsWCL50 precision@10", f"{mp:.2f}")]


# ----- CoNLL-2003 ----------------------------------------------------------------------------


def _conll_docs() -> Iterable[tuple[str, set[str]]]:
    """(text, gold names) per document; tokens joined with spaces, then detokenised."""
    tokens: list[str] = []
    gold: set[str] = set()
    cur: list[str] = []
    cur_type = ""

    def flush_entity() -> None:
        nonlocal cur, cur_type
        if cur and cur_type in ("PER", "ORG", "LOC"):
            gold.add(_detok(" ".join(cur)))
        cur, cur_type = [], ""

    lines = (DATA / "conll2003_en" / "eng.testa").read_text(encoding="utf-8").splitlines()
    sent: list[str] = []
    for line in lines + ["-DOCSTART- -X- -X- O"]:
        if line.startswith("-DOCSTART-"):
            flush_entity()
            if sent:
                tokens.append(" ".join(sent))
            if tokens:
                yield "\n".join(_detok(t) for t in tokens), gold
            tokens, gold, sent = [], set(), []
            continue
        if not line.strip():
            flush_entity()
            if sent:
                tokens.append(" ".join(sent))
            sent = []
            continue
        parts = line.split()
        word, tag = parts[0], parts[-1]
        sent.append(word)
        if tag == "O":
            flush_entity()
            continue
        prefix, typ = tag.split("-", 1)
        if prefix == "B" or typ != cur_type:
            flush_entity()
        cur.append(word)
        cur_type = typ


def bench_conll() -> list[tuple[str, str]]:
    from digest.actors import actors_of_texts

    docs = list(_conll_docs())
    started = time.monotonic()
    results = actors_of_texts([t for t, _ in docs])
    secs = time.monotonic() - started
    f1s, ps, rs = [], [], []
    for (_, gold), actors in zip(docs, results):
        got = {_norm(a.name) for a in actors}
        want = {_norm(g) for g in gold}
        if not want and not got:
            continue
        tp = len(got & want)
        p = tp / len(got) if got else 0.0
        r = tp / len(want) if want else 0.0
        ps.append(p)
        rs.append(r)
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    mean = lambda xs: sum(xs) / len(xs)
    print("| set | documents | precision | recall | F1 | seconds |")
    print("|---|---|---|---|---|---|")
    print(
        f"| CoNLL-2003 eng.testa | {len(f1s)} | {mean(ps):.3f} | {mean(rs):.3f} | {mean(f1s):.3f} | {secs:.1f} |"
    )
    return [("CoNLL-2003 testa name-set F1", f"{mean(f1s):.3f}")]


# ----- MEANTIME ------------------------------------------------------------------------------


def bench_meantime() -> list[tuple[str, str]]:
    from digest.actors import cluster_texts

    folder = DATA / "meantime_en"
    docs, chains = _meantime()
    ids = sorted(docs)
    started = time.monotonic()
    assignments = cluster_texts([docs[d][0] for d in ids])
    secs = time.monotonic() - started
    # each gold mention (doc, start, end) -> chain; each extracted mention -> actor key
    pairs_same = pairs_same_hit = 0
    by_actor: dict[str, list[str]] = defaultdict(list)
    for d, found in zip(ids, assignments):
        _text, spans = docs[d]
        for (start, end), chain in spans.items():
            key = found.get((start, end))
            if key is not None:
                by_actor[key].append(chain)
    chain_actors: dict[str, list[str]] = defaultdict(list)
    for key, chs in by_actor.items():
        for c in chs:
            chain_actors[c].append(key)
    found_mentions = sum(len(v) for v in chain_actors.values())
    for c, keys in chain_actors.items():
        n = len(keys)
        pairs_same += n * (n - 1) // 2
        pairs_same_hit += sum(v * (v - 1) // 2 for v in Counter(keys).values())
    wrong_pairs = total_pairs = 0
    mixed = 0
    for key, chs in by_actor.items():
        n = len(chs)
        total_pairs += n * (n - 1) // 2
        wrong_pairs += n * (n - 1) // 2 - sum(v * (v - 1) // 2 for v in Counter(chs).values())
        if len(set(chs)) > 1:
            mixed += 1
    gold_mentions = sum(len(s) for _, s in docs.values())
    print(
        "| set | gold name mentions | found | same-chain pairs joined | actor pairs wrongly joined | actors mixing chains | seconds |"
    )
    print("|---|---|---|---|---|---|---|")
    rec = pairs_same_hit / pairs_same if pairs_same else 0.0
    wrong = wrong_pairs / total_pairs if total_pairs else 0.0
    print(
        f"| MEANTIME en ({len(ids)} docs, {len(chains)} chains) | {gold_mentions} | {found_mentions} | {rec:.3f} | {wrong:.3f}"
        f" | {mixed}/{len(by_actor)} | {secs:.1f} |"
    )
    _ = folder
    return [
        ("MEANTIME same-chain pairs joined", f"{rec:.3f}"),
        ("MEANTIME pairs wrongly joined", f"{wrong:.3f}"),
    ]


def _meantime() -> tuple[dict[str, tuple[str, dict[tuple[int, int], str]]], set[str]]:
    raise NotImplementedError


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["newswcl", "conll", "meantime"])
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"benchmark data not found at {DATA}; nothing to measure")
        return 0
    summary: list[tuple[str, str]] = []
    if args.only in (None, "newswcl"):
        summary += bench_newswcl()
        print()
    if args.only in (None, "conll"):
        summary += bench_conll()
        print()
    if args.only in (None, "meantime"):
        summary += bench_meantime()
        print()
    for k, v in summary:
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
