"""Benchmark of the cleaning stage (issues #3, #17): body F1 on text dumps and HTML, titles and
publication days, each beside its baseline.

Reads ../shared/data/article_extraction_benchmark (120 news pages: raw HTML, a whole-page text
dump, and the hand-cleaned articleBody) and prints one Markdown table. The score is bag-of-words
token F1 (multiset overlap, lower-cased \\w+ tokens; Chinese/Japanese characters count one each)
between the cleaned body (title excluded: our body never repeats the headline, and articleBody
does not hold it) and articleBody, averaged over pages. The body is what ``clean_item`` stores:
the format's cleaner, then ``tidy_text``.

Halves: the 120 page ids, sorted, split into two fixed halves. Half A (the first 60) is where
cleaning rules are developed and inspected (``--worst`` lists half A only); half B (the last 60) is
only scored, to show how the rules hold on pages they were not developed on.

Titles: the 30 pages whose URL holds a date; the reference is the visible headline, the page's
<h1> that is printed as a line of the dump and shares most words with its og:title (else the
og:title without its site name); exact match after case, quote, dash and space folding.

Dates: the same 30 pages, the day in the URL as reference. htmldate alone
(``find_date(html, original_date=True, extensive_search=True)``) beside digest, on the HTML (run
without the URL) and on the text dump (htmldate given the dump as HTML, one <p> per line); the
dated fixtures under tests/fixtures/clean/dated/ with their own expected day (htmldate given the
text as HTML).

Run: .venv/bin/python bench/cleaning.py [--data DIR] [--worst N]  (exit 0 when the data is absent).
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
import unicodedata
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
    clean_title,
    decode_bytes,
    extract_html,
    find_date,
)
from digest.clean.prose import tidy_text

DEFAULT_DATA = next(
    (
        p / "article_extraction_benchmark"
        for p in (ROOT.parent / "shared" / "data", Path("/work/shared/data"))
        if (p / "article_extraction_benchmark").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "article_extraction_benchmark",
)
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


def _norm_title(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = re.sub(r"[\u2018\u2019'`\u00b4]", "'", text)
    text = re.sub(r"[\u201c\u201d\"]", '"', text)
    text = re.sub(r"[\u2013\u2014-]", "-", text)
    return re.sub(r"\s+", " ", text).strip(" .")


def reference_title(raw_html: bytes, dump: str) -> str | None:
    """The visible headline: the <h1> printed as a dump line that shares most words with the
    page's og:title (or <title>); else the og:title without its site name."""
    import lxml.html
    from trafilatura.utils import decode_file

    doc = lxml.html.document_fromstring(decode_file(raw_html))
    og = doc.xpath('//meta[@property="og:title"]/@content') or [doc.findtext(".//title") or ""]
    og_words = set(re.findall(r"\w+", og[0].lower()))
    lines = {_norm_title(line) for line in dump.split("\n") if line.strip()}
    best: tuple[int, str] | None = None
    for h in doc.iter("h1"):
        text = re.sub(r"\s+", " ", h.text_content()).strip()
        shared = len(set(re.findall(r"\w+", text.lower())) & og_words)
        if (
            text
            and _norm_title(text) in lines
            and shared >= 2
            and (best is None or shared > best[0])
        ):
            best = (shared, text)
    if best is not None:
        return best[1]
    return clean_title(og[0]) if og[0].strip() else None


def _htmldate(page: str | bytes) -> date | None:
    import htmldate

    found = htmldate.find_date(page, original_date=True, extensive_search=True)
    return date.fromisoformat(found) if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--worst", type=int, default=0, help="also list the N worst half-A pages")
    args = parser.parse_args()
    data: Path = args.data
    if not (data / "ground-truth.json").is_file():
        print(f"benchmark data not found at {data}; nothing to measure (this is not an error).")
        return 0

    truth: dict[str, dict[str, str]] = json.loads((data / "ground-truth.json").read_text("utf-8"))
    ids = sorted(truth)
    half_a = set(ids[: len(ids) // 2])
    by_domain: dict[str, list[str]] = {}
    for pid in ids:
        by_domain.setdefault(domain(truth[pid]["url"]), []).append(pid)

    scores: dict[str, dict[str, float]] = {
        k: {} for k in ("raw", "justext", "trafilatura-dump", "dump", "dump+mem", "html")
    }
    seconds: Counter[str] = Counter()
    dated: dict[str, dict[str, object]] = {}  # pid -> expected day, answers, titles
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
            plain_body = tidy_text(plain.body)
            seconds["dump"] += time.perf_counter() - t0
            scores["dump"][pid] = f1(plain_body, gold)

            remembered = clean_text_dump(dump, memory=memory)
            memory.remember(remembered.line_keys)
            scores["dump+mem"][pid] = f1(tidy_text(remembered.body), gold)

            raw_html = gzip.decompress((data / "html" / f"{pid}.html.gz").read_bytes())
            t0 = time.perf_counter()
            page = extract_html(raw_html)
            seconds["html"] += time.perf_counter() - t0
            scores["html"][pid] = f1(tidy_text(page.body), gold)

            expected = url_date(truth[pid]["url"])
            if expected is not None:
                dated[pid] = {
                    "expected": expected,
                    "html: htmldate alone": _htmldate(raw_html),
                    "html: digest": page.published.date() if page.published else None,
                    "text dump: htmldate alone": _htmldate(_as_html(dump)),
                    "text dump: digest": plain.published.date() if plain.published else None,
                    "title": reference_title(raw_html, dump),
                    "title dump": plain.title,
                }

    subsets: dict[str, Callable[[str], bool]] = {
        "all": lambda pid: True,
        "half A (rules developed here)": lambda pid: pid in half_a,
        "half B (held out)": lambda pid: pid not in half_a,
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
        "dump": "clean_text_dump + tidy_text, no memory",
        "dump+mem": "clean_text_dump + tidy_text + per-domain memory",
        "html": "extract_html (trafilatura) + tidy_text",
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
    rows.extend(_dated_rows(dated, half_a))
    rows.extend(_fixture_rows())
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
        worst = sorted(
            ((pid, v) for pid, v in scores["dump"].items() if pid in half_a), key=lambda kv: kv[1]
        )[: args.worst]
        for pid, v in worst:
            print(f"{v:.3f} {scores['html'][pid]:.3f} {pid[:12]} {truth[pid]['url']}")
    return 0


def _dated_rows(dated: dict[str, dict[str, object]], half_a: set[str]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    halves = {
        "URL holds a date": lambda pid: True,
        "... half A": lambda pid: pid in half_a,
        "... half B": lambda pid: pid not in half_a,
    }
    for name, pred in halves.items():
        pids = [pid for pid in sorted(dated) if pred(pid)]
        same = sum(
            _norm_title(str(dated[p]["title"])) == _norm_title(str(dated[p]["title dump"]))
            for p in pids
        )
        rows.append(
            (
                "title exact match: text dump",
                name,
                str(len(pids)),
                f"{same / len(pids):.3f}",
                "",
                "",
            )
        )
    for key in (
        "html: htmldate alone",
        "html: digest",
        "text dump: htmldate alone",
        "text dump: digest",
    ):
        for name, pred in halves.items():
            pids = [pid for pid in sorted(dated) if pred(pid)]
            right = sum(dated[p][key] == dated[p]["expected"] for p in pids)
            none = sum(dated[p][key] is None for p in pids)
            label = f"publication day right: {key} (wrong {len(pids) - right - none}, none {none})"
            rows.append(
                (
                    label,
                    name,
                    str(len(pids)),
                    f"{right}/{len(pids)} = {right / len(pids):.3f}",
                    "",
                    "",
                )
            )
    return rows


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


def _fixture_rows() -> list[tuple[str, ...]]:
    """Own fixtures: "Reference: <iso>", "Expect-content-date:" (the text's own date) and
    "Expect-date:" (the day a text file with that file time is filed under)."""
    from zoneinfo import ZoneInfo

    from digest.clean import clean_item
    from digest.models import RawItem

    counts: Counter[str] = Counter()
    for path in sorted(DATED_FIXTURES.glob("*.txt")):
        header, _, body = path.read_text("utf-8").partition("\n---\n")
        fields = dict(ln.split(":", 1) for ln in header.splitlines() if ":" in ln)
        content = fields.get("Expect-content-date", "").strip()
        filed = fields.get("Expect-date", "").strip()
        reference = datetime.fromisoformat(fields["Reference"].strip()).astimezone(UTC)
        found = clean_text_dump(body, reference_time=reference).published
        alone = find_date(body, reference_time=reference)
        hd = _htmldate(_as_html(body))
        raw = RawItem(
            "inbox",
            f"inbox/{path.name}",
            body,
            "text",
            is_whole_page=True,
            reference_time=reference,
        )
        item = clean_item(raw, tz=ZoneInfo("UTC"), now=reference).article
        counts["n"] += 1
        counts["content"] += int(_day(found) == content and _day(alone) == content)
        counts["htmldate"] += int((hd.isoformat() if hd else "none") == filed)
        counts["filed"] += int(_day(item.published) == filed)
    n = counts["n"]
    if not n:
        return []
    return [
        (f"dated fixtures: {label}", "own fixtures", str(n), f"{counts[key]}/{n}", "", "")
        for key, label in (
            ("content", "the text's own date (find_date, clean_text_dump)"),
            ("htmldate", "day filed, htmldate alone on the text"),
            ("filed", "day filed, digest (clean_item with the file time)"),
        )
    ]


def _day(found: datetime | None) -> str:
    return found.date().isoformat() if found else "none"


if __name__ == "__main__":
    raise SystemExit(main())
