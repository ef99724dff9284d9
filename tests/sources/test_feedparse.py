"""parse_feed: the data-driven fixture corpus plus the bounds (size, time, memory)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from digest.errors import ParseError
from digest.sanitize import sanitize_html
from digest.sources import feedparse
from digest.sources.feedparse import FeedEntry, ParsedFeed, neutralise_dtd, parse_feed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
BASE = "https://harbour.example/feeds/main.xml"
DANGEROUS_TAGS = frozenset(
    {"script", "style", "svg", "math", "iframe", "form", "input", "object", "embed", "base", "meta"}
)
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "cite", "background", "to"})


class _InertChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.problems.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and not re.match(r"^(https?://|mailto:)", value or ""):
                self.problems.append(f"{tag}[{name}={value}]")


def _header(data: bytes) -> tuple[str, list[str]]:
    """The Description and Expect lines of a fixture, whatever its encoding."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16")
    elif data[:2] == b"\x00<":
        text = data.decode("utf-16-be")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    comment = re.search(r"<!--(.*?)-->", text, re.DOTALL)
    assert comment, "fixture has no header comment"
    description = re.search(r"^Description: (.+)$", comment.group(1), re.MULTILINE)
    expects = re.findall(r"^Expect: (.+)$", comment.group(1), re.MULTILINE)
    assert description and expects, "fixture needs Description: and Expect: lines"
    return description.group(1), expects


def _inert(markup: object) -> bool:
    """No dangerous element, no handler/style attribute, and every URL http(s) or mailto."""
    checker = _InertChecker()
    checker.feed(str(markup))
    checker.close()
    return not checker.problems


FIXTURE_FILES = sorted(FIXTURES.glob("*.xml"))


def test_the_corpus_is_there() -> None:
    assert len(FIXTURE_FILES) >= 20


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=[p.name for p in FIXTURE_FILES])
def test_fixture(path: Path) -> None:
    data = path.read_bytes()
    description, expects = _header(data)
    feed: ParsedFeed | None = None
    error: str | None = None
    started = time.monotonic()
    try:
        feed = parse_feed(data, base_url=BASE, timeout=10)
    except ParseError as exc:
        error = str(exc)
    namespace = {
        "feed": feed, "error": error, "inert": _inert, "datetime": datetime, "UTC": UTC,
        "FeedEntry": FeedEntry, "BASE": BASE,
        "clean": lambda text, base: sanitize_html(text, base_url=base),
    }  # fmt: skip
    for expect in expects:
        assert eval(expect, namespace), (
            f"{path.name}: {description}\n  failed: {expect}\n"
            f"  feed={feed!r:.2000}\n  error={error}"
        )
    # Every fixture, hostile ones included, is bounded: it finishes well inside its timeout.
    assert time.monotonic() - started < 10


def test_oversized_input_is_refused_before_parsing() -> None:
    with pytest.raises(ParseError, match="over the 1000-byte cap"):
        parse_feed(b"<rss>" + b" " * 2000 + b"</rss>", max_bytes=1000)


def test_parse_errors_name_the_feed() -> None:
    with pytest.raises(
        ParseError, match=r"^https://harbour\.example/feeds/main\.xml: empty document"
    ):
        parse_feed(b"  \n", base_url=BASE)


def test_a_parse_that_hangs_is_killed_at_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(*args: object) -> ParsedFeed:  # runs in the forked child
        while True:
            pass

    monkeypatch.setattr(feedparse, "_parse_here", hang)

    with pytest.raises(ParseError, match=r"longer than 0\.5 s"):
        parse_feed(b"<rss/>", timeout=0.5)


def test_a_parse_that_balloons_hits_the_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    def balloon(*args: object) -> ParsedFeed:
        chunks = []
        while True:
            chunks.append(bytearray(16 * 2**20))

    monkeypatch.setattr(feedparse, "_parse_here", balloon)

    with pytest.raises(ParseError, match="memory limit"):
        parse_feed(b"<rss/>", memory_limit=64 * 2**20, timeout=20)


def test_a_crashing_child_is_a_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(feedparse, "_parse_here", lambda *args: os._exit(3))

    with pytest.raises(ParseError, match="exit code 3"):
        parse_feed(b"<rss/>")


def test_one_entry_that_breaks_extraction_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    real = feedparse._entry

    def flaky(raw: dict, base_url: str | None) -> FeedEntry | None:
        if raw.get("title") == "Bad":
            raise ValueError("odd entry")
        return real(raw, base_url)

    monkeypatch.setattr(feedparse, "_entry", flaky)
    data = (
        (FIXTURES / "valid_empty_rss.xml")
        .read_bytes()
        .replace(
            b"</channel>",
            b"<item><title>Good</title><link>https://harbour.example/g</link></item>"
            b"<item><title>Bad</title></item></channel>",
        )
    )

    parsed = parse_feed(data)

    assert [e.title for e in parsed.entries] == ["Good"]
    assert parsed.warning == "skipped 1 unreadable entries"


def test_entries_beyond_the_cap_are_dropped_with_a_warning() -> None:
    items = b"".join(
        b"<item><title>n%d</title><link>https://harbour.example/%d</link></item>" % (i, i)
        for i in range(12)
    )
    data = b'<rss version="2.0"><channel><title>t</title>' + items + b"</channel></rss>"
    parsed = parse_feed(data, max_entries=10)

    assert len(parsed.entries) == 10 and parsed.entries[0].title == "n0"
    assert parsed.warning == "kept the first 10 of 12 entries"


def test_bytes_that_look_like_a_path_are_never_opened(tmp_path: Path) -> None:
    """feedparser.parse(bytes) would open a file by that name; parse_feed must not."""
    secret = tmp_path / "secret.xml"
    secret.write_bytes(b'<rss version="2.0"><channel><title>SECRET</title></channel></rss>')

    with pytest.raises(ParseError):
        parse_feed(str(secret).encode())


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'<!DOCTYPE rss [<!ENTITY a "x">]><rss/>', b"<!DOCTYPE rss ><rss/>"),
        (b'<!doctype rss SYSTEM "x.dtd" [ <!ENTITY a "]>"> ]><rss/>',
         b'<!doctype rss SYSTEM "x.dtd" ><rss/>'),
        (b"<rss><!ENTITY b 'y'></rss>", b"<rss>&lt;!ENTITY b 'y'></rss>"),
        (b"<rss>no doctype</rss>", b"<rss>no doctype</rss>"),
        (b'<?xml version="1.0"?><!-- <!DOCTYPE x [ --><rss/>',
         b'<?xml version="1.0"?><!-- <!DOCTYPE x [ --><rss/>'),
        (b'<rss><![CDATA[ <!DOCTYPE " ]]></rss>', b'<rss><![CDATA[ <!DOCTYPE " ]]></rss>'),
        (b'<?xml version="1.0" encoding="iso-8859-1"?><!DOCTYPE r [<!ENTITY a "\xe9">]><r>\xe9</r>',
         b'<?xml version="1.0" encoding="iso-8859-1"?><!DOCTYPE r ><r>\xe9</r>'),
    ],
)  # fmt: skip
def test_neutralise_dtd(data: bytes, expected: bytes) -> None:
    assert neutralise_dtd(data) == expected


@pytest.mark.parametrize("data", [b"<!DOCTYPE rss [<!ENTITY a 'x'>", b'<!DOCTYPE rss [ "open ]>'])
def test_unterminated_doctype_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(ParseError, match="unterminated"):
        parse_feed(data + b"<rss/>")


def test_neutralise_dtd_in_utf16_keeps_the_encoding() -> None:
    text = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY a "é">]><rss>é</rss>'
    out = neutralise_dtd(text.encode("utf-16"))
    assert (
        out.decode("utf-16") == '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss ><rss>é</rss>'
    )
