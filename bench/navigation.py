"""How a rendered briefing reads: what a reader meets before the first story, and how long the page is.

Usage:
    python bench/navigation.py OUT_DIR [OUT_DIR ...]

Reads every ``DATE.html`` (with its ``DATE.json``) in each folder, e.g. the ``out/`` of
``realfeeds_check.py --keep DIR``, and prints one row per briefing: stories (shown in full / in
total), the HTML size, the words on the page, the words before the first story heading, the links
before it (the table of contents), the story numbers Key actors link to that do not resolve to a
numbered heading, and the most links one story shows before its folded reports. Works on briefings from before the table of
contents too (they have none), so before/after runs print the same columns.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import lxml.html


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def measure(html_path: Path) -> dict[str, object]:
    page = html_path.read_text(encoding="utf-8")
    data = json.loads(html_path.with_suffix(".json").read_text(encoding="utf-8"))
    stories = data.get("stories", [])
    full = sum(1 for s in stories if s.get("in_full", True))
    root = lxml.html.document_fromstring(page)
    body = root.find("body")
    first = root.xpath("//article[contains(@class, 'story')]")
    before_words = before_links = 0
    if first:
        head = page.split('<article class="story', 1)[0]
        before_words = _words(lxml.html.document_fromstring(head + "</body>").text_content())
        before_links = len(re.findall(r"<a\s", head))
    ids = set(root.xpath("//@id"))
    unresolved = 0
    for a in root.xpath("//section[@id='key-actors']//a[starts-with(@href, '#')]"):
        target = a.get("href")[1:]
        heading = root.xpath(f"//*[@id='{target}']//*[self::h3 or self::h4]")
        if (
            target not in ids
            or not heading
            or not heading[0].text_content().strip().startswith(a.text_content().strip() + ".")
        ):
            unresolved += 1
    most = max((len(a.xpath(".//a[@href][not(ancestor::details)]")) for a in first), default=0)
    return {
        "day": html_path.stem,
        "stories": f"{full}/{len(stories)}",
        "kb": round(len(page.encode("utf-8")) / 1024),
        "words": _words(body.text_content()) if body is not None else 0,
        "before first story": before_words,
        "links before": before_links,
        "unresolved actor links": unresolved,
        "most visible links in a story": most,
    }


def main(folders: list[str]) -> int:
    if not folders:
        print(__doc__)
        return 0
    rows = []
    for folder in folders:
        for path in sorted(Path(folder).glob("????-??-??.html")):
            rows.append({"folder": folder, **measure(path)})
    if not rows:
        print("no briefings found")
        return 0
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + " --- |" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
