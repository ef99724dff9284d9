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
   against the gold names, both compared by ``name_key`` (case, dots, hyphens, spaces ignored, so
   "U.S." = "US"). Rows: raw spaCy strings (baseline); our actors' best names only; our actors'
   names with their aliases (merging folds "Okafor" into "Amara Okafor", while the gold lists both
   names); actor level (precision: share of actors one of whose names is gold; recall: share of
   gold names some actor goes by). Actors of kind group are left out: the gold has no such type (NORP is MISC there).
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
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
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
sys.path.insert(0, str(ROOT))

MODEL = "auto"  # --model: the spaCy package the pipeline and the stage-alone runs load
PER_STORY = 0  # --per-story: actors.per_story for the pipeline run (0: the default config)
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
        "state:\n  path: state/digest.db\nitems:\n  max_age_days: 3\n"
        + (f"actors:\n  per_story: {PER_STORY}\n" if PER_STORY else "")
        + f"nlp:\n  model: {MODEL}\n",
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
    from digest.actors.names import clean_name, tables

    forms = {
        _norm(mention),
        _norm(clean_name(mention, person=False)[0]),
        _norm(clean_name(mention)[0]),
    }
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
    print()
    orr, orp = _newswcl_gold_stories(gold, codes)
    return [
        ("NewsWCL50 recall@10 (pipeline)", f"{mr:.2f}"),
        ("NewsWCL50 precision@10 (pipeline)", f"{mp:.2f}"),
        ("NewsWCL50 recall@10 (gold stories)", f"{orr:.2f}"),
        ("NewsWCL50 precision@10 (gold stories)", f"{orp:.2f}"),
    ]


def _newswcl_gold_stories(
    gold: dict[int, list[str]], codes: dict[int, dict[str, set[str]]]
) -> tuple[float, float]:
    """The same scoring with each event's five articles as one story (the gold clustering), so
    the figure measures the actors stage alone: same model, same cleaning-free text."""
    from actors_lib import mentions_of_texts

    from digest.actors.context import actor_mentions
    from digest.actors.rank import story_actors

    docs = [
        json.loads(x)
        for x in (DATA / "newswcl50" / "newswcl50_docs.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    arts = []
    for d in docs:
        parts = [p.strip() for p in re.split(r"\s*\\n\s*", d["text"]) if p.strip()]
        arts.append(
            (
                d["doc_id"],
                int(d["event_id"]),
                d["outlet"],
                _detok(parts[0]),
                "\n\n".join(_detok(p) for p in parts[1:]),
            )
        )
    spans = mentions_of_texts([f"{t}\n\n{b}" for _, _, _, t, b in arts], MODEL)
    per_event: dict[int, list] = defaultdict(list)
    for (doc_id, ev, outlet, title, body), sp in zip(arts, spans):
        per_event[ev].extend(actor_mentions(doc_id, outlet, title, f"{title}\n\n{body}", sp))
    print("| event (gold story of 5 articles) | recall@10 | precision@10 | top-10 actors |")
    print("|---|---|---|---|")
    recalls, precisions = [], []
    for ev in sorted(gold):
        top = [
            {"name": a.name, "aliases": list(a.aliases)}
            for a, _ in story_actors(per_event[ev])
            if a.kind != "place"  # settings go to the Where line, as in the briefing
        ][:10]
        hit = [g for g in gold[ev] if any(_matches(a, g, codes[ev][g]) for a in top)]
        good = [a for a in top if any(_matches(a, c, m) for c, m in codes[ev].items())]
        recalls.append(len(hit) / len(gold[ev]))
        precisions.append(len(good) / len(top) if top else 0.0)
        shown = ", ".join(("" if a in good else "~") + a["name"] for a in top)
        print(f"| {ev} | {recalls[-1]:.2f} | {precisions[-1]:.2f} | {shown} |")
    mr, mp = sum(recalls) / len(recalls), sum(precisions) / len(precisions)
    print(f"| **mean** | **{mr:.2f}** | **{mp:.2f}** | |")
    return mr, mp


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


def _prf(got: set[str], want: set[str]) -> tuple[float, float, float] | None:
    if not want and not got:
        return None
    tp = len(got & want)
    p = tp / len(got) if got else 0.0
    r = tp / len(want) if want else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bench_conll() -> list[tuple[str, str]]:
    from actors_lib import actors_of_texts, mentions_of_texts

    from digest.actors.names import name_key as key

    docs = list(_conll_docs())
    texts = [t for t, _ in docs]
    started = time.monotonic()
    results = actors_of_texts(texts, MODEL)
    secs = time.monotonic() - started
    raw = mentions_of_texts(texts, MODEL)
    rows: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for (text, gold), actors, spans in zip(docs, results, raw):
        want = {key(g) for g in gold}
        written = key(text)  # a name as written: its key is part of the document's
        kept = [a for a in actors if a.kind != "group"]  # gold has no group type (NORP is MISC)
        variants = [
            (
                "raw spaCy PERSON/ORG/GPE/LOC strings",
                {key(m.text) for m in spans if m.label in ("PERSON", "ORG", "GPE", "LOC")},
            ),
            ("actors: best names only", {key(a.name) for a in kept}),
            ("actors: names and aliases", {key(n) for a in kept for n in (a.name, *a.aliases)}),
            (
                "actors: names and aliases as written in the document",
                {key(n) for a in kept for n in (a.name, *a.aliases) if key(n) in written},
            ),
        ]
        for label, got in variants:
            score = _prf(got, want)
            if score:
                rows[label].append(score)
        if kept or want:  # actor level: an actor is right when one of its names is gold
            names = [{key(n) for n in (a.name, *a.aliases)} for a in kept]
            p = sum(1 for ns in names if ns & want) / len(kept) if kept else 0.0
            covered = set().union(*names) if names else set()
            r = len(want & covered) / len(want) if want else 0.0
            rows["actors: actor level"].append((p, r, 2 * p * r / (p + r) if p + r else 0.0))
    print("| CoNLL-2003 eng.testa (per document, mean) | documents | precision | recall | F1 |")
    print("|---|---|---|---|---|")
    for label, scores in rows.items():
        p, r, f = (sum(x[i] for x in scores) / len(scores) for i in range(3))
        print(f"| {label} | {len(scores)} | {p:.3f} | {r:.3f} | {f:.3f} |")
    print(f"(actors stage incl. spaCy: {secs:.1f} s for {len(texts)} documents)")
    f1 = sum(x[2] for x in rows["actors: names and aliases"]) / len(
        rows["actors: names and aliases"]
    )
    return [("CoNLL-2003 testa name-set F1 (names and aliases)", f"{f1:.3f}")]


# ----- MEANTIME ------------------------------------------------------------------------------


_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]}]|'s|'re|'ve|'ll|'d|'m|n't|')$")


def _meantime() -> tuple[list[str], list[str], list[list[tuple[int, int, str]]]]:
    """Documents (keys, texts) rebuilt from the CoNLL tokens with their character offsets, and
    per document the gold proper-name mentions (PROPN-headed PER/ORG/LOC) as the character span of
    their head token and their chain ("Apple CEO Steve Jobs" is a mention of Jobs, headed "Jobs").
    Chain ids drop their cross_/intra_ prefix so one instance has one id across documents."""
    folder = DATA / "meantime_en"
    tokens: dict[str, dict[tuple[int, int], tuple[int, int]]] = defaultdict(dict)
    texts: dict[str, list[str]] = defaultdict(list)
    lengths: dict[str, int] = defaultdict(int)
    last_sent: dict[str, int] = {}
    for line in (folder / "meantime.conll").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 4 or line.startswith("#"):
            continue
        doc, sent, tok, word = parts[0], int(parts[1]), int(parts[2]), parts[3]
        sep = ""
        if lengths[doc]:
            sep = (
                "\n"
                if last_sent.get(doc) != sent
                else ("" if _NO_SPACE_BEFORE.match(word) else " ")
            )
        if texts[doc] and texts[doc][-1] in ("(", "$", "``") and sep == " ":
            sep = ""
        start = lengths[doc] + len(sep)
        texts[doc].append(sep + word)
        lengths[doc] = start + len(word)
        tokens[doc][(sent, tok)] = (start, start + len(word))
        last_sent[doc] = sent
    gold: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for men in json.loads((folder / "entities_mentions.json").read_text(encoding="utf-8")):
        if men["mention_head_pos"] != "PROPN" or men["mention_type"] not in ("PER", "ORG", "LOC"):
            continue
        doc = men["conll_doc_key"]
        spans = [tokens[doc].get((men["sent_id"], t)) for t in men["tokens_number"]]
        if not spans or any(sp is None for sp in spans):
            continue
        head = tokens[doc].get((men["sent_id"], men["mention_head_id"]))
        if head is None:
            continue
        chain = re.sub(r"^(?:cross_)?(?:intra_)?", "", men["coref_chain"])
        gold[doc].append((head[0], head[1], chain))
    keys = sorted(texts)
    return keys, ["".join(texts[k]) for k in keys], [gold[k] for k in keys]


def bench_meantime() -> list[tuple[str, str]]:
    """Each document is one story of its own day, in document order; the registry carries what
    one document taught to the next (as daily briefings would)."""
    from datetime import date, timedelta

    from actors_lib import fold, mentions_of_texts

    from digest.actors.context import actor_mentions
    from digest.actors.rank import learn, story_actors
    from digest.actors.registry import EMPTY

    keys, texts, golds = _meantime()
    started = time.monotonic()
    spans_per_doc = mentions_of_texts(texts, MODEL)
    registry = EMPTY
    by_actor: dict[str, list[str]] = defaultdict(list)
    found = 0
    for n, (key, text, spans, gold) in enumerate(zip(keys, texts, spans_per_doc, golds)):
        day = date(2020, 1, 1) + timedelta(days=n)
        title_end = text.find("\n")
        found_mentions = actor_mentions(key, "", text[:title_end], text, spans)
        ranked = story_actors(found_mentions, registry, day)
        registry = fold(registry, learn({key: ranked}, day))
        for start, end, chain in gold:  # the actor whose (shortest) mention covers the gold head
            hits = [
                (len(m.surface), cluster.key)
                for _, cluster in ranked
                for m in cluster.mentions
                if m.start <= start and end <= m.start + len(m.surface)
            ]
            if hits:
                by_actor[min(hits)[1]].append(chain)
                found += 1
    secs = time.monotonic() - started
    chain_actors: dict[str, list[str]] = defaultdict(list)
    for actor, chains in by_actor.items():
        for c in chains:
            chain_actors[c].append(actor)
    same = same_hit = 0
    for actors in chain_actors.values():
        same += len(actors) * (len(actors) - 1) // 2
        same_hit += sum(v * (v - 1) // 2 for v in Counter(actors).values())
    joined = wrong = 0
    for chains in by_actor.values():
        joined += len(chains) * (len(chains) - 1) // 2
        wrong += len(chains) * (len(chains) - 1) // 2 - sum(
            v * (v - 1) // 2 for v in Counter(chains).values()
        )
    mixed = sum(1 for chains in by_actor.values() if len(set(chains)) > 1)
    split = sum(1 for actors in chain_actors.values() if len(set(actors)) > 1)
    total = sum(len(g) for g in golds)
    rec = same_hit / same if same else 0.0
    wrong_rate = wrong / joined if joined else 0.0
    print("| MEANTIME en | value |")
    print("|---|---|")
    print(
        f"| documents / gold proper-name mentions / chains | {len(keys)} / {total} / {len({c for g in golds for _, _, c in g})} |"
    )
    print(f"| gold mentions found under an actor | {found} ({found / total:.1%}) |")
    print(
        f"| same-chain mention pairs under one actor (pairwise recall) | {same_hit}/{same} = {rec:.3f} |"
    )
    print(
        f"| mention pairs under one actor from different chains (wrong merges) | {wrong}/{joined} = {wrong_rate:.3f} |"
    )
    print(f"| actors mixing two or more chains | {mixed}/{len(by_actor)} |")
    print(f"| chains split over two or more actors | {split}/{len(chain_actors)} |")
    print(f"| seconds (spaCy + actors) | {secs:.1f} |")
    return [
        ("MEANTIME same-chain pairs joined", f"{rec:.3f}"),
        ("MEANTIME pairs wrongly joined", f"{wrong_rate:.3f}"),
    ]


def bench_scale() -> list[tuple[str, str]]:
    """Merging and ranking cost on one invented story of 3,000 distinct names (9,000 mentions)."""
    import random
    import string

    from digest.actors.context import ActorMention
    from digest.actors.rank import story_actors

    rnd = random.Random(1)

    def word() -> str:
        return rnd.choice(string.ascii_uppercase) + "".join(
            rnd.choices(string.ascii_lowercase, k=rnd.randint(3, 8))
        )

    mentions = []
    for i in range(3000):
        kind = rnd.choice(["person", "organization", "place"])
        name = f"{word()} {word()}" if kind == "person" else word()
        mentions += [
            ActorMention(name, kind, item=f"i{i % 300}", source=f"s{i % 20}", start=j)
            for j in range(3)
        ]  # type: ignore[arg-type]
    started = time.monotonic()
    actors = story_actors(mentions)
    secs = time.monotonic() - started
    print(f"scale: {len(mentions)} mentions -> {len(actors)} actors in {secs:.2f} s")
    return [("merge+rank of 9,000 mentions (s)", f"{secs:.2f}")]


def bench_speed() -> list[tuple[str, str]]:
    """Words per second of the NER pass (the pipeline's loader: NER only) over CoNLL testa and
    NewsWCL50 texts, after one warm-up document."""
    from actors_lib import ner_speed

    texts = [t for t, _ in _conll_docs()]
    for raw in (
        (DATA / "newswcl50" / "newswcl50_docs.jsonl").read_text(encoding="utf-8").splitlines()
    ):
        texts.append(_detok(json.loads(raw)["text"].replace("\\n", "\n")))
    ner_speed(texts[:1], MODEL)
    wps, words, secs = ner_speed(texts, MODEL)
    print(f"NER ({MODEL}): {words} words in {secs:.1f} s = {wps:,.0f} words/s")
    return [(f"NER words/s ({MODEL})", f"{wps:,.0f}")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["newswcl", "conll", "meantime", "scale", "speed"])
    parser.add_argument("--model", default="auto", help="spaCy model package (default: auto)")
    parser.add_argument(
        "--per-story", type=int, default=0, help="actors.per_story (default: the default config)"
    )
    args = parser.parse_args()
    global MODEL, PER_STORY
    MODEL, PER_STORY = args.model, args.per_story
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
    if args.only in (None, "scale"):
        summary += bench_scale()
        print()
    if args.only in (None, "speed"):
        summary += bench_speed()
        print()
    for k, v in summary:
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
