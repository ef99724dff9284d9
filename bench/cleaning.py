"""Benchmark of the cleaning stage (issue #3): body F1 on text dumps and HTML, and date accuracy.

Reads ../shared/data/article_extraction_benchmark (120 news pages: raw HTML, a whole-page text
dump, and the hand-cleaned articleBody) and prints one Markdown table. The score is bag-of-words
token F1 (multiset overlap, lower-cased \\w+ tokens; Chinese/Japanese characters count one each)
between the cleaned body (title excluded: our body never repeats the headline, and articleBody
does not hold it) and articleBody, averaged over pages.

Date rows: pages whose URL holds a full date (/2019/11/19/, 2019-11-19, /20191119) give the
expected publication day; the HTML is run without the URL so htmldate cannot read it from there.
The dated fixtures under tests/fixtures/clean/dated/ state their own expected day.

Run: /work/venv/bin/python bench/cleaning.py  (exit 0 with a message when the data is absent).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from digest.clean import (
    InMemoryLineMemory,
    clean_text_dump,
    decode_bytes,
    extract_html,
    find_date,
)

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "article_extraction_benchmark"
DATED_FIXTURES = ROOT / "tests" / "fixtures" / "clean" / "dated"
_TOKEN_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+"
)
_URL_DATE_RES = (
    re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)(?:/|$)"),
    re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"),
    re.compile(r"/((?:19|20)\d\d)(\d\d)(\d\d)(?:/|$)"),
)


def tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN_RE.findall(text.lower()))


def f1(predicted: str, truth: str) -> float:
    p, t = tokens(predicted), tokens(truth)
    if not p or not t:
        return 1.0 if not p and not t else 0.0
    overlap = sum((p & t).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def url_date(url: str) -> date | None:
    for rx in _URL_DATE_RES:
        m = rx.search(url)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def domain(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return host.removeprefix("www.")


def _half(key: str) -> str:
    return "A" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0 else "B"


def _english(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.lower())
    common = sum(1 for w in words if w in {"the", "of", "and", "to", "in", "is", "that"})
    return bool(words) and common / len(words) > 0.08


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--worst", type=int, default=0, help="also list the N worst dump pages")
    args = parser.parse_args()
    data: Path = args.data
    if not (data / "ground-truth.json").is_file():
        print(f"benchmark data not found at {data}; nothing to measure (this is not an error).")
        return 0

    truth: dict[str, dict[str, str]] = json.loads((data / "ground-truth.json").read_text("utf-8"))
    ids = sorted(truth)
    by_domain: dict[str, list[str]] = {}
    for pid in ids:
        by_domain.setdefault(domain(truth[pid]["url"]), []).append(pid)

    scores: dict[str, dict[str, float]] = {
        k: {} for k in ("raw", "justext", "trafilatura-dump", "dump", "dump+mem", "html")
    }
    seconds: Counter[str] = Counter()
    date_hits: Counter[str] = Counter()
    date_none: Counter[str] = Counter()
    date_total: Counter[str] = Counter()
    for dom in sorted(by_domain):
        memory = InMemoryLineMemory()
        for pid in by_domain[dom]:
            gold = truth[pid]["articleBody"]
            dump = decode_bytes((data / "dumps" / f"{pid}.txt").read_bytes())
            scores["raw"][pid] = f1(dump, gold)
            scores["justext"][pid] = f1(_justext(dump), gold)
            scores["trafilatura-dump"][pid] = f1(_trafilatura_lines(dump), gold)

            t0 = time.perf_counter()
            plain = clean_text_dump(dump)
            seconds["dump"] += time.perf_counter() - t0
            scores["dump"][pid] = f1(plain.body, gold)

            remembered = clean_text_dump(dump, memory=memory)
            memory.remember(remembered.line_keys)
            scores["dump+mem"][pid] = f1(remembered.body, gold)

            raw_html = gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes())
            t0 = time.perf_counter()
            page = extract_html(raw_html)
            seconds["html"] += time.perf_counter() - t0
            scores["html"][pid] = f1(page.body, gold)

            expected = url_date(truth[pid]["url"])
            if expected is not None:
                for name, found in (
                    ("html (no URL given)", page.published),
                    ("html (URL given)", extract_html(raw_html, url=truth[pid]["url"]).published),
                    ("text dump", plain.published),
                ):
                    date_total[name] += 1
                    date_hits[name] += int(found is not None and found.date() == expected)
                    date_none[name] += int(found is None)

    subsets: dict[str, Callable[[str], bool]] = {
        "all": lambda pid: True,
        "id half 1": lambda pid: pid < ids[len(ids) // 2],
        "id half 2": lambda pid: pid >= ids[len(ids) // 2],
        "domain group A": lambda pid: _half(domain(truth[pid]["url"])) == "A",
        "domain group B": lambda pid: _half(domain(truth[pid]["url"])) == "B",
        "English": lambda pid: _english(truth[pid]["articleBody"]),
        "not English": lambda pid: not _english(truth[pid]["articleBody"]),
        "domains with 2 pages": lambda pid: len(by_domain[domain(truth[pid]["url"])]) > 1,
    }
    rows: list[tuple[str, ...]] = []
    labels = {
        "raw": "raw dump (no cleaning)",
        "justext": "baseline: jusText on the dump, one <p> per line",
        "trafilatura-dump": "baseline: trafilatura on the dump, one <p> per line",
        "dump": "clean_text_dump, no memory",
        "dump+mem": "clean_text_dump + per-domain memory",
        "html": "extract_html (trafilatura)",
    }
    for kind, label in labels.items():
        for sub, pred in subsets.items():
            if kind in ("raw", "justext", "trafilatura-dump") and sub != "all":
                continue
            vals = [v for pid, v in scores[kind].items() if pred(pid)]
            if not vals:
                continue
            below = sum(1 for v in vals if v < 0.5)
            rows.append(
                (
                    f"body F1: {label}",
                    sub,
                    str(len(vals)),
                    f"{statistics.mean(vals):.3f}",
                    f"{min(vals):.3f}",
                    str(below),
                )
            )
    for name in sorted(date_total):
        wrong = date_total[name] - date_hits[name] - date_none[name]
        rows.append(
            (
                f"date day correct vs URL date: {name} (wrong {wrong}, none {date_none[name]})",
                "URL holds a date",
                str(date_total[name]),
                f"{date_hits[name] / date_total[name]:.3f}",
                "",
                "",
            )
        )
    hits, total = _dated_fixtures()
    if total:
        rows.append(
            (
                "date day correct: tests/fixtures/clean/dated",
                "own fixtures",
                str(total),
                f"{hits / total:.3f}",
                "",
                "",
            )
        )
    n = len(ids)
    rows.append(
        ("ms per page: clean_text_dump", "all", str(n), f"{1000 * seconds['dump'] / n:.1f}", "", "")
    )
    rows.append(
        ("ms per page: extract_html", "all", str(n), f"{1000 * seconds['html'] / n:.1f}", "", "")
    )

    header = ("measure", "subset", "n", "mean", "min", "pages < 0.5")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if args.worst:
        print()
        worst = sorted(scores["dump"].items(), key=lambda kv: kv[1])[: args.worst]
        for pid, v in worst:
            print(f"{v:.3f} {scores['html'][pid]:.3f} {pid[:12]} {truth[pid]['url']}")
    return 0


def _as_html(dump: str) -> str:
    lines = (html.escape(ln.strip()) for ln in dump.split("\n") if ln.strip())
    return "<html><body>" + "".join(f"<p>{ln}</p>" for ln in lines) + "</body></html>"


def _justext(dump: str) -> str:
    try:
        import justext  # baseline only (trafilatura's dependency), not imported by digest
    except ImportError:
        return ""
    paragraphs = justext.justext(_as_html(dump), justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _trafilatura_lines(dump: str) -> str:
    import trafilatura

    return trafilatura.extract(_as_html(dump), include_comments=False) or ""


def _dated_fixtures() -> tuple[int, int]:
    """Own fixtures: header lines "Reference: <iso>" and "Expect-date: <yyyy-mm-dd|none>"."""
    hits = total = 0
    for path in sorted(DATED_FIXTURES.glob("*.txt")):
        header, _, body = path.read_text("utf-8").partition("\n---\n")
        fields = dict(ln.split(":", 1) for ln in header.splitlines() if ":" in ln)
        expected = fields.get("Expect-date", "").strip()
        reference = datetime.fromisoformat(fields["Reference"].strip()).astimezone(UTC)
        found = clean_text_dump(body, reference_time=reference).published
        alone = find_date(body, reference_time=reference)
        total += 1
        got = found.date().isoformat() if found else "none"
        hits += int(got == expected and (alone.date().isoformat() if alone else "none") == expected)
    return hits, total


if __name__ == "__main__":
    raise SystemExit(main())
