"""The hostile corpus through the real pipeline: the briefing must render, inert, over all of it.

``tests/fixtures/hostile/`` holds invented feeds, inbox files and saved pages, each with a sidecar
``NAME.expect.yaml`` (cases, description, expectations; see the corpus README). Cases that cannot
live in git (symlinks, FIFOs, undecodable file names, megabyte titles) are generated here, in
``GENERATED``, with the same fields. One module-scoped run of ``digest.pipeline.run.run_day`` over a
temporary config (one ``files`` source, one local ``path:`` feed per fixture) produces ``out/``;
the tests then check each fixture's expectations and the global invariants on every output file.

"Inert" is checked on the markup, not on the text: a title ``<img onerror=...>`` is *supposed* to
be visible as text (escaped), so the checks look at elements, attributes and URLs as a browser's
tokenizer (``html.parser``) and tree builder (``lxml``) see them, and at the raw bytes only for
things that can never be text (``<script``, ``<svg``...: a literal ``<`` in text is ``&lt;``).
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import markdown
import pytest
import yaml
from markdown_it import MarkdownIt

from digest.config import load_config
from digest.pipeline.run import run_day
from digest.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
SCHEMA = Path(__file__).resolve().parents[2] / "digest" / "schema" / "briefing.schema.json"
DAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
MTIME = NOW.timestamp() - 3600  # every inbox file settled an hour before the run
SECRET = "OUTSIDE-SECRET-9F3A"  # text of a file outside the inbox that symlinks point at


# --- the corpus ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One fixture: where it goes, what it covers and what must come out."""

    name: str  # path under feeds/, files/ or pages/ (or a generated name)
    kind: str  # feed | file | page
    cases: tuple[int, ...]
    description: str
    expect: dict[str, Any]
    write: Callable[[Path], None] | None = field(default=None, compare=False)

    @property
    def origin(self) -> str:
        """How items of this fixture are named in the briefing JSON."""
        if self.kind == "feed":
            return Path(self.name).stem
        if self.kind == "page":
            return f"pages/{self.name}"
        return self.name


def _sidecar_cases() -> list[Case]:
    cases = []
    for kind, folder in (("feed", "feeds"), ("file", "files"), ("page", "pages")):
        for sidecar in sorted((CORPUS / folder).rglob("*.expect.yaml")):
            data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
            name = sidecar.relative_to(CORPUS / folder).as_posix().removesuffix(".expect.yaml")
            cases.append(
                Case(name, kind, tuple(data["cases"]), data["description"], data["expect"])
            )
    return cases


def _write_bytes(rel: str | bytes, data: bytes) -> Callable[[Path], None]:
    def write(inbox: Path) -> None:
        target = os.path.join(os.fsencode(inbox), os.fsencode(rel))
        with open(target, "wb") as fh:
            fh.write(data)

    return write


def _symlink(rel: str, target: str) -> Callable[[Path], None]:
    def write(inbox: Path) -> None:
        (inbox / rel).symlink_to(target.replace("{outside}", str(inbox.parent / "outside")))

    return write


def _fifo(rel: str) -> Callable[[Path], None]:
    return lambda inbox: os.mkfifo(inbox / rel)


def _huge_title_feed(feeds: Path) -> None:
    title = "Endless headline " * 60_000  # about 1 MB
    nested = (
        "<div>" * 50_000 + "Deep text at the bottom of fifty thousand divs." + "</div>" * 50_000
    )
    (feeds / "huge_title.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>huge</title>'
        "<link>https://huge.example/</link><description>x</description><item>"
        f"<title>{title}</title><link>https://huge.example/1</link><guid>hg-1</guid>"
        f"<pubDate>Sat, 21 Nov 2026 08:00:00 GMT</pubDate><description>{html.escape(nested)}</description>"
        "</item></channel></rss>\n",
        encoding="utf-8",
    )


def _deep_page(inbox: Path) -> None:
    body = (
        "<h1>Deeply nested page survives</h1><p>The city of Kessel published its flood report, which "
        "runs to forty pages and lists every damaged street.</p>"
    )
    (inbox / "deep_page.html").write_text(
        "<html><head><title>Deeply nested page survives</title></head><body>"
        + "<div>" * 50_000
        + body
        + "</div>" * 50_000
        + "</body></html>",
        encoding="utf-8",
    )


NOTE = b"Ferry union signs deal\nThe ferry union signed the new wage deal on Saturday.\n"
GENERATED = [
    Case("huge_title.xml", "feed", (18,),
         "Generated: a 1 MB title and 50,000 nested <div>s in one entry. Bounded time and memory; the "
         "title is cut to 300 characters before it is stored or rendered.",
         {"items": 1, "max_title": 300}, _huge_title_feed),
    Case("deep_page.html", "file", (18,),
         "Generated: a saved page nested 50,000 <div>s deep. Extracted or skipped, never a crash.",
         {}, _deep_page),
    Case("escape_out.txt", "file", (66,),
         "Generated: a symlink to a file outside the inbox. Refused; the secret never appears.",
         {"items": 0, "absent": [SECRET]}, _symlink("escape_out.txt", "{outside}/secret.txt")),
    Case("escape_dotdot.md", "file", (66, 67),
         "Generated: a relative ../ symlink out of the inbox. Refused.",
         {"items": 0, "absent": [SECRET]}, _symlink("escape_dotdot.md", "../outside/secret.txt")),
    Case("loop_a.txt", "file", (66,),
         "Generated: a symlink loop (loop_a -> loop_b -> loop_a). A warning, not a crash.",
         {"items": 0}, _symlink("loop_a.txt", "loop_b.txt")),
    Case("loop_b.txt", "file", (66,), "Generated: the other half of the loop.", {"items": 0},
         _symlink("loop_b.txt", "loop_a.txt")),
    Case("pipe.txt", "file", (68,),
         "Generated: a FIFO named like a note. Never opened (opening it would block the run forever).",
         {"items": 0}, _fifo("pipe.txt")),
    Case("caf\\xe9-latin1-name.txt", "file", (73,),
         "Generated: a file name with an undecodable byte (0xE9). Read; named with \\xe9 in the output.",
         {"items": 1}, _write_bytes(b"caf\xe9-latin1-name.txt", NOTE.replace(b"deal", b"deal (latin-1 name)"))),
    Case("two\\x0alines.txt", "file", (20, 73),
         "Generated: a newline in a file name (log forging). Read; the name is escaped everywhere.",
         {"items": 1}, _write_bytes("two\nlines.txt", NOTE.replace(b"deal", b"deal (newline name)"))),
    Case("Cafe\u0301-nfd.txt".replace("e\u0301", "\u00e9"), "file", (73,),
         "Generated: an NFD file name (macOS). Keyed and shown in NFC.",
         {"items": 1}, _write_bytes(unicodedata.normalize("NFD", "Café-nfd.txt"), NOTE.replace(b"deal", b"deal (NFD name)"))),
]  # fmt: skip

ALL_CASES = _sidecar_cases() + GENERATED


# --- one run over the whole corpus ----------------------------------------------------------------


@dataclass
class World:
    root: Path
    out: Path
    state: Path
    briefing: dict[str, Any]
    html: str
    md: str
    first_bytes: dict[str, bytes]
    second_bytes: dict[str, bytes]
    second_new_items: int
    log_messages: list[str]

    def out_files(self) -> Iterator[Path]:
        return (p for p in sorted(self.out.rglob("*")) if p.is_file())


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _copy_corpus(folder: str, target: Path) -> None:
    for src in sorted((CORPUS / folder).rglob("*")):
        if src.is_file() and not src.name.endswith(".expect.yaml"):
            dst = target / src.relative_to(CORPUS / folder)
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def build_world(root: Path, extra: Callable[[Path], object] | None = None) -> Path:
    """Lay out inbox, feeds and config for the corpus under ``root``; return the config path.

    ``extra(root)`` may add more feeds/files before the config is written (bench/hostile.py).
    """
    inbox, feeds, outside = root / "inbox", root / "feeds", root / "outside"
    for folder in (inbox, feeds, outside):
        folder.mkdir(parents=True)
    (outside / "secret.txt").write_text(f"Secret headline\n{SECRET} must never be read.\n")
    _copy_corpus("files", inbox)
    _copy_corpus("pages", inbox / "pages")
    _copy_corpus("feeds", feeds)
    for case in GENERATED:
        assert case.write is not None
        case.write(feeds if case.kind == "feed" else inbox)
    if extra is not None:
        extra(root)
    for dirpath, dirnames, filenames in os.walk(os.fsencode(inbox)):
        for name in filenames + dirnames:
            os.utime(os.path.join(dirpath, name), (MTIME, MTIME), follow_symlinks=False)
    sources: list[dict[str, Any]] = [{"name": "inbox", "type": "files", "path": "inbox"}]
    for feed in sorted(feeds.glob("*.xml")):
        sources.append({"name": feed.stem, "type": "feed", "path": f"feeds/{feed.name}"})
    config = {
        "timezone": "UTC",
        "sources": sources,
        "output": {"dir": "out", "formats": ["markdown", "html", "json"]},
        "state": {"path": "state/digest.db"},
    }
    path = root / "config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("hostile")
    config = load_config(build_world(root))
    handler = _Collect()
    logger = logging.getLogger("digest")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        run_day(config, DAY, NOW)
        first = _snapshot(config.output.dir)
        second = run_day(config, DAY, NOW)  # a rerun of the same day (manual CLI after the daemon)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    out = config.output.dir
    stem = DAY.isoformat()
    return World(
        root=root,
        out=out,
        state=config.state.path,
        briefing=json.loads((out / f"{stem}.json").read_text(encoding="utf-8")),
        html=(out / f"{stem}.html").read_text(encoding="utf-8"),
        md=(out / f"{stem}.md").read_text(encoding="utf-8"),
        first_bytes=first,
        second_bytes=_snapshot(out),
        second_new_items=sum(s.items for s in second.sources),
        log_messages=handler.messages,
    )


# --- checks ---------------------------------------------------------------------------------------

_ALLOWED_LOCAL = re.compile(
    r"^(?:\.\./)?(?:stories/)?[A-Za-z0-9_.-]+\.(?:html|md|json|xml)(?:#[A-Za-z0-9_-]+)?$"
)
_ALLOWED_URL = re.compile(r"^(?:https?://|mailto:|#)")
_BAD_ELEMENTS = frozenset(
    {
        "script", "svg", "math", "form", "input", "button", "textarea", "select", "iframe", "frame",
        "frameset", "object", "embed", "applet", "base", "noscript", "template", "audio", "video",
        "source", "track", "portal", "dialog",
    }
)  # fmt: skip
_META_OK = {("charset", None), ("http-equiv", "content-security-policy"), ("name", "referrer"),
            ("name", "viewport"), ("name", "color-scheme")}  # fmt: skip
_BAD_ATTRIBUTES = frozenset(
    {"style", "srcdoc", "srcset", "formaction", "action", "background", "dynsrc", "lowsrc", "xlink:href",
     "ping", "http-equiv-refresh"}
)  # fmt: skip
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "cite", "poster", "data", "longdesc", "manifest", "icon"}
)
_TAG_TEXT_BAD = re.compile(
    r"javascript:|vbscript:|data:text|srcdoc|\son[a-z]+\s*=|\sstyle\s*=", re.IGNORECASE
)
_RAW_BAD = (
    "<script",
    "<svg",
    "<form",
    "<iframe",
    "<object",
    "<embed",
    "<math",
    "<base",
    "<frame",
    "<noscript",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _MarkupAudit(HTMLParser):
    """Tokenises like a browser and reports every active element, attribute and URL."""

    def __init__(self, page: Path | None, out: Path | None) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.out = page, out
        self.problems: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = html.unescape(self.get_starttag_text() or "")
        for name, value in attrs:  # a vetted http(s) URL may carry any text in its path
            if name in _URL_ATTRIBUTES and value and re.match(r"^https?://", value):
                raw = raw.replace(value, "URL")
        if _TAG_TEXT_BAD.search(raw):
            self.problems.append(f"active text in tag: {raw[:120]}")
        if tag in _BAD_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        if tag == "style" and "head" not in self.stack:
            self.problems.append("<style> outside <head>")
        if tag == "meta":
            keys = {
                (k, (v or "").lower() if k != "charset" else None)
                for k, v in attrs
                if k != "content"
            }
            if not keys <= _META_OK:
                self.problems.append(f"<meta {attrs}>")
        if tag == "link" and dict(attrs).get("rel") != "alternate":
            self.problems.append(f"<link {attrs}>")
        for name, value in attrs:
            if name.startswith("on") or name in _BAD_ATTRIBUTES:
                self.problems.append(f"{tag}[{name}]")
            if name in _URL_ATTRIBUTES:
                self._check_url(tag, name, value or "")
        if tag not in {"meta", "link", "img", "br", "hr", "input", "source"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def _check_url(self, tag: str, name: str, value: str) -> None:
        if _ALLOWED_URL.match(value):
            if value.startswith("#"):
                return
            if not re.match(r"^(https?://[^\s\"'<>`]+|mailto:[^\s\"'<>`]+)$", value):
                self.problems.append(f"{tag}[{name}] malformed {value!r}")
            return
        if not _ALLOWED_LOCAL.match(value):
            self.problems.append(f"{tag}[{name}]={value!r}")
            return
        if self.page is not None and self.out is not None:
            target = (self.page.parent / value.split("#", 1)[0]).resolve()
            if not target.is_relative_to(self.out.resolve()) or not target.is_file():
                self.problems.append(f"{tag}[{name}]={value!r} is not one of our out/ files")


def html_problems(text: str, page: Path | None = None, out: Path | None = None) -> list[str]:
    """Everything active in an HTML document (empty list: inert)."""
    problems = [f"raw {needle}" for needle in _RAW_BAD if needle in text.lower()]
    audit = _MarkupAudit(page, out)
    audit.feed(text)
    audit.close()
    problems += audit.problems
    tree = lxml.html.document_fromstring(text) if text.strip() else None
    if tree is not None:  # a second parser, so a tokenizer differential cannot hide an element
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag in _BAD_ELEMENTS:
                problems.append(f"lxml: <{el.tag}>")
            for name in el.attrib:
                if name.lower().startswith("on") or name.lower() in _BAD_ATTRIBUTES:
                    problems.append(f"lxml: {el.tag}[{name}]")
    return problems


_MD_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "a",
                      "code", "pre", "hr", "blockquote", "br", "html", "body", "div"})  # fmt: skip


def markdown_problems(text: str) -> list[str]:
    """Render with Python-Markdown and CommonMark (raw HTML on): only plain structure and safe links."""
    problems = []
    for label, rendered in (
        ("python-markdown", markdown.markdown(text)),
        ("markdown-it commonmark", MarkdownIt("commonmark").render(text)),
    ):
        tree = lxml.html.document_fromstring(f"<div>{rendered}</div>")
        for el in tree.iter():
            if not isinstance(el.tag, str):
                problems.append(f"{label}: comment or processing instruction")
                continue
            if el.tag not in _MD_TAGS:
                problems.append(f"{label}: <{el.tag}>")
            for name, value in el.attrib.items():
                if el.tag == "a" and name == "href":
                    if not (_ALLOWED_URL.match(value) or _ALLOWED_LOCAL.match(value)):
                        problems.append(f"{label}: href={value!r}")
                else:
                    problems.append(f"{label}: {el.tag}[{name}]")
    return problems


def _visible(text: str) -> str:
    return " ".join(text.split())


def _html_text(page: str) -> str:
    body = lxml.html.document_fromstring(page).find("body")
    return _visible(body.text_content() if body is not None else "")


def _md_text(md: str) -> str:
    return _visible(
        lxml.html.document_fromstring(f"<div>{markdown.markdown(md)}</div>").text_content()
    )


def _items(briefing: dict[str, Any]) -> list[dict[str, Any]]:
    return [it for story in briefing["stories"] for it in story["items"]]


def _origin_matches(origin: str, case: Case) -> bool:
    return origin == case.origin or (case.kind != "feed" and origin.startswith(case.origin + ":"))


# --- the fixture corpus --------------------------------------------------------------------------


def _params() -> list[Any]:
    params = []
    for case in ALL_CASES:
        reason = case.expect.get("xfail")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_fixture_expectations(world: World, case: Case) -> None:
    expect = case.expect
    html_text, md_text = _html_text(world.html), _md_text(world.md)
    for needle in expect.get("shown", []):
        assert _visible(needle) in html_text, f"{needle!r} is not visible text in the HTML"
        assert _visible(needle) in md_text, (
            f"{needle!r} is not visible text in the rendered Markdown"
        )
    for key, suffixes in (("absent", None), ("absent_rendered", {".html", ".md", ".xml"})):
        for needle in expect.get(key, []):
            forms = {needle.lower(), html.escape(needle).lower()}
            for path in world.out_files():
                if suffixes is not None and path.suffix not in suffixes:
                    continue
                data = path.read_text(encoding="utf-8", errors="replace").lower()
                assert not any(f in data for f in forms), f"{needle!r} found in {path.name}"
    statuses = {s["name"]: s for s in world.briefing["sources"]}
    if "failed" in expect:
        assert statuses[case.origin]["ok"] is (not expect["failed"])
        assert case.origin in _html_text(world.html.split("<footer>", 1)[1])
    elif case.kind == "feed":
        assert statuses[case.origin]["ok"], statuses[case.origin]["error"]
    mine = [it for it in _items(world.briefing) if _origin_matches(it["origin"], case)]
    if "items" in expect:
        assert len(mine) == expect["items"], [it["title"] for it in mine]
    if "max_title" in expect:
        assert mine and all(len(it["title"]) <= expect["max_title"] for it in mine)


def test_every_fixture_states_what_it_checks() -> None:
    fixtures = [p for folder in ("feeds", "files", "pages") for p in (CORPUS / folder).rglob("*")
                if p.is_file() and not p.name.endswith(".expect.yaml")]  # fmt: skip
    assert len(fixtures) >= 40
    for path in fixtures:
        sidecar = path.with_name(path.name + ".expect.yaml")
        assert sidecar.is_file(), f"{path.name} has no sidecar"
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        assert data["cases"] and data["description"] and isinstance(data["expect"], dict), path.name
        assert all(1 <= c <= 94 for c in data["cases"])
    for feed in (CORPUS / "feeds").glob("*.xml"):
        head = feed.read_bytes()[:4000]
        text = (
            head.decode("utf-16")
            if head[:2] in (b"\xff\xfe", b"\xfe\xff")
            else head.decode("latin-1")
        )
        if (
            feed.stat().st_size and "Description:" not in text
        ):  # empty/binary/JSON bodies: sidecar only
            assert feed.stem in {"json_error", "garbage"}, f"{feed.name} has no header comment"


# --- inert output, everywhere ----------------------------------------------------------------------


def test_run_produced_the_briefing(world: World) -> None:
    assert len(_items(world.briefing)) >= 50
    assert world.html.rstrip().endswith("</html>")
    jsonschema.validate(world.briefing, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_every_html_output_is_inert(world: World) -> None:
    pages = [p for p in world.out_files() if p.suffix == ".html"]
    assert len(pages) >= 10  # the briefing, the index and the story timelines
    for page in pages:
        assert html_problems(page.read_text(encoding="utf-8"), page, world.out) == [], page.name


def test_the_checker_catches_what_it_must() -> None:
    """The audit itself: every kind of hole it is meant to find is found."""
    holes = [
        '<p><script>alert(1)</script></p>', '<a href="javascript:alert(1)">x</a>',
        '<a href="java&#9;script:alert(1)">x</a>', '<img src=x onerror=alert(1)>', "<svg onload=alert(1)>",
        '<p style="position:fixed">x</p>', '<iframe srcdoc="x"></iframe>', '<form action="https://e.x">',
        '<a href="data:text/html,x">x</a>', '<a href="file:///etc/passwd">x</a>', "<base href=//evil>",
        '<meta http-equiv="refresh" content="0;url=https://e.x">', '<a href="../../etc/passwd.html">x</a>',
        "<p title=x onmouseover=alert(1)>", '<img src="https://ok.example/a b">',
    ]  # fmt: skip
    for hole in holes:
        assert html_problems(f"<html><body>{hole}</body></html>"), hole
    assert (
        html_problems("<html><body><p>&lt;script&gt; onerror=x javascript:1</p></body></html>")
        == []
    )
    assert markdown_problems("[x](javascript:alert(1))") and markdown_problems("<b onclick=1>x</b>")
    assert markdown_problems("![p](https://t.example/p.gif)")
    assert markdown_problems("\\[x\\]\\(javascript:alert\\(1\\)\\) &lt;b&gt;") == []


def test_html_pages_carry_csp_and_no_referrer(world: World) -> None:
    for page in (p for p in world.out_files() if p.suffix == ".html"):
        tree = lxml.html.document_fromstring(page.read_text(encoding="utf-8"))
        csp = tree.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
        assert len(csp) == 1, page.name
        policy = {d.split()[0]: d.split()[1:] for d in csp[0].split(";") if d.strip()}
        assert policy["default-src"] == ["'none'"] and "script-src" not in policy, page.name
        assert policy.get("base-uri") == ["'none'"] and policy.get("form-action") == ["'none'"]
        assert tree.xpath('//meta[@name="referrer"]/@content') == ["no-referrer"], page.name
        assert tree.xpath("//meta/@charset") == ["utf-8"], page.name


def test_markdown_outputs_render_inert(world: World) -> None:
    pages = [p for p in world.out_files() if p.suffix == ".md"]
    assert len(pages) >= 2
    for page in pages:
        assert markdown_problems(page.read_text(encoding="utf-8")) == [], page.name


def test_atom_feed_entries_are_inert(world: World) -> None:
    root = ET.parse(world.out / "feed.xml").getroot()
    contents = root.findall(".//{http://www.w3.org/2005/Atom}content")
    assert contents
    for content in contents:
        assert content.get("type") == "html"
        assert html_problems(f"<html><body>{content.text or ''}</body></html>") == []
    for link in root.iter("{http://www.w3.org/2005/Atom}link"):
        href = link.get("href", "")
        assert _ALLOWED_URL.match(href) or _ALLOWED_LOCAL.match(href), href


def test_no_control_characters_in_outputs_state_or_logs(world: World) -> None:
    for path in world.out_files():
        text = path.read_text(encoding="utf-8")  # also proves every file is valid UTF-8
        assert not _CONTROL.search(text), path.name
    store = Store.open(world.state)
    try:
        rows = store.conn.execute(
            "SELECT id, origin, title, text, coalesce(url,''), source FROM items"
        ).fetchall()
    finally:
        store.close()
    for row in rows:
        for value in row:
            assert not _CONTROL.search(value), (row[0], value[:80])
    for message in world.log_messages:  # one line each, no terminal escapes (case 20)
        assert not _CONTROL.search(message) and "\n" not in message and "\r" not in message, (
            message[:120]
        )


def test_output_file_names_come_only_from_dates_and_ids(world: World) -> None:
    pattern = re.compile(
        r"^(?:\d{4}-\d{2}-\d{2}\.(?:md|html|json)|index\.(?:md|html)|feed\.xml|stories/s-[0-9a-f]+\.html)$"
    )
    names = [p.relative_to(world.out).as_posix() for p in world.out_files()]
    assert names and all(pattern.match(n) for n in names), [
        n for n in names if not pattern.match(n)
    ]


def test_rerun_of_the_same_day_is_byte_identical_and_adds_nothing(world: World) -> None:
    assert world.second_new_items == 0
    assert world.second_bytes == world.first_bytes


def test_failed_sources_are_listed_and_their_errors_are_text(world: World) -> None:
    failed = {s["name"] for s in world.briefing["sources"] if not s["ok"]}
    assert {"empty", "garbage", "json_error", "not_a_feed"} <= failed
    footer = world.html.split("<footer>", 1)[1]
    assert html_problems(f"<html><body>{footer}") == []


def test_undecodable_and_newline_file_names_reach_the_briefing_escaped(world: World) -> None:
    origins = {it["origin"] for it in _items(world.briefing)}
    assert {"caf\\xe9-latin1-name.txt", "two\\x0alines.txt", "Café-nfd.txt"} <= origins


# --- repeats across runs: an updated entry, a touched file, a copied file --------------------------


def _rss(*entries: tuple[str, str, str]) -> str:
    items = "".join(
        f"<item><title>{t}</title><link>https://repeat.example/{g}</link><guid>{g}</guid>"
        f"<pubDate>{d}</pubDate><description>{t}. The harbour board said so on the day.</description></item>"
        for g, t, d in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>repeat</title>'
        f"<link>https://repeat.example/</link><description>x</description>{items}</channel></rss>"
    )


def test_updated_entries_touched_and_copied_files_are_not_reported_again(tmp_path: Path) -> None:
    """Cases 37 and 71: an mtime-only change and a copy are not new; an entry whose content changed
    under the same guid after it was reported is not lost (issue #18 item 5) but is not a
    duplicate either: it is reported once, as a later version in its story."""
    day1, day2 = date(2026, 11, 20), date(2026, 11, 21)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    note = inbox / "note.txt"
    note.write_text(
        "Quay lights switched to LED\nThe harbour board switched the quay lights to LED.\n"
    )
    t1 = datetime(2026, 11, 20, 8, tzinfo=UTC).timestamp()
    os.utime(note, (t1, t1))
    feed = tmp_path / "repeat.xml"
    feed.write_text(_rss(("u-1", "Pilot boat ordered", "Fri, 20 Nov 2026 08:00:00 GMT")))
    (tmp_path / "config.yaml").write_text(
        "sources:\n  - {name: inbox, type: files, path: inbox}\n  - {name: repeat, type: feed, path: repeat.xml}\n"
    )
    config = load_config(tmp_path / "config.yaml")
    run_day(config, day1, datetime(2026, 11, 20, 12, tzinfo=UTC))
    first = json.loads((config.output.dir / "2026-11-20.json").read_text())
    assert {it["title"] for it in _items(first)} == {
        "Quay lights switched to LED",
        "Pilot boat ordered",
    }
    pilot_story = next(s["id"] for s in first["stories"] if s["title"] == "Pilot boat ordered")

    feed.write_text(
        _rss(
            ("u-1", "Pilot boat ordered, price revised", "Fri, 20 Nov 2026 08:00:00 GMT"),
            ("u-2", "Dredger arrives in Veldmar", "Sat, 21 Nov 2026 08:00:00 GMT"),
        )
    )
    t2 = datetime(2026, 11, 21, 8, tzinfo=UTC).timestamp()
    os.utime(note, (t2, t2))  # touched: same bytes, new mtime
    (inbox / "sub").mkdir()
    shutil.copyfile(note, inbox / "sub" / "copy-of-note.txt")
    os.utime(inbox / "sub" / "copy-of-note.txt", (t2, t2))
    run_day(config, day2, datetime(2026, 11, 21, 12, tzinfo=UTC))
    second = json.loads((config.output.dir / "2026-11-21.json").read_text())
    assert sorted(it["title"] for it in _items(second)) == [
        "Dredger arrives in Veldmar",
        "Pilot boat ordered, price revised",
    ]
    revised = next(s for s in second["stories"] if s["id"] == pilot_story)
    assert [it["title"] for it in revised["items"]] == ["Pilot boat ordered, price revised"]
    run_day(config, day2, datetime(2026, 11, 21, 13, tzinfo=UTC))  # fetched again: nothing new
    store = Store.open(config.state.path)
    try:
        assert store.count_items() == 4
    finally:
        store.close()


def test_markup_is_made_in_one_place_and_no_template_is_built_from_text() -> None:
    """Case 78: autoescape on, ``Markup`` only in the sanitiser (``digest/sanitize/markup.py``), no
    ``|safe``, no ``from_string``."""
    from digest.output import pages, render

    assert render.environment("html").autoescape is True
    package = Path(__file__).resolve().parents[2] / "digest"
    for path in package.rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        if path.relative_to(package).as_posix() != "sanitize/markup.py":
            assert not re.search(r"\bMarkup\(|markupsafe", code), path.name
        assert not re.search(r"from_string\(|jinja2\.Template\(", code), path.name
    templates = Path(pages.templates_dir())
    for path in templates.glob("*.j2"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false", text), path.name
        # every attribute value is quoted, so text can never open a new attribute (case 78)
        assert not re.search(r"<[a-z][^>]*\s[a-z-]+=\{\{", text), path.name


@pytest.mark.xfail(
    strict=True,
    reason="digest/sanitize/markup.py keeps 1x1 and 0x0 tracking pixels (case 16: drop images whose width or "
    "height is 0 or 1); fix: an attribute_filter rule or a post-pass removing such <img>",
)
@pytest.mark.parametrize("size", ['width="1" height="1"', 'width="0" height="0"', "width=1"])
def test_tracking_pixels_are_dropped_by_the_sanitiser(size: str) -> None:
    from digest.sanitize import sanitize_html

    cleaned = str(sanitize_html(f'<p>Text</p><img {size} src="https://tracker.example/p.gif">'))
    assert "tracker.example" not in cleaned and "Text" in cleaned


# --- property: any untrusted string in any field renders inert ------------------------------------

_PIECES = [
    "<", ">", "&", '"', "'", "`", "[", "]", "(", ")", "{{ 7*7 }}", "{% x %}", "\n", "\t", "<script>",
    "</script>", " onerror=alert(1) ", "javascript:alert(1)", "![p](https://t.example/p.gif)", "|", "#",
    "*", "_", "~", "<!--", "-->", "&#x3c;", "&lt;", "<svg onload=x>", "\u202e", "  ", "\\", "<a href=x>",
]  # fmt: skip
_URLS = [
    None, "javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "java&#9;script:x",
    "data:text/html,<script>x</script>", "file:///etc/passwd", "//evil.example/x", "mailto:a@b.example",
    "https://ok.example/a b?c=<d>&e=\"f\"", "https://ok.example/)](javascript:x)", "vbscript:x", "",
]  # fmt: skip


def _hostile_text() -> Any:
    from hypothesis import strategies as st

    plain = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
    return st.lists(st.one_of(plain, st.sampled_from(_PIECES)), max_size=8).map("".join)


def _briefing(texts: list[str], urls: list[str | None]) -> Any:
    from digest.briefing.model import Briefing, BriefingStory, DevelopmentEntry, Section
    from digest.briefing.watch import WatchHit
    from digest.models import (
        Actor,
        Article,
        BriefingActor,
        Development,
        SourceStatus,
        StoredItem,
    )

    t = iter(texts * 3)
    u = iter(urls * 3)
    when = datetime(2026, 11, 21, 9, tzinfo=UTC)
    items = tuple(
        StoredItem(
            article=Article(
                id=f"i{k}", source=next(t), origin=next(t), title=next(t) or "x", text=next(t), url=next(u),
                canonical_url=None, published=when, date_source="feed", content_hash=f"h{k}", collector="c",
            ),
            day=DAY, first_seen=when, story_id="s-1", duplicate_of="i0" if k else None,
        )
        for k in range(2)
    )  # fmt: skip
    dev = Development(
        next(t),
        "i0",
        "changed",
        next(t),
        next(u),
        when,
        previous=next(t),
        also_reported_by=(next(t),),
    )
    story = BriefingStory(
        "s-1", next(t), DAY, items, actors=(Actor(next(t), "person", 2, role=next(t)),), developments=(dev,),
        sources=(next(t), next(t)), number=1, summary=next(t), rank=1, rank_why=(next(t),),
    )  # fmt: skip
    return Briefing(
        day=DAY, title="Daily briefing", stories=(story,),
        actors=(BriefingActor(next(t), "organization", 2, ("s-1",), role=next(t), first_seen=True),),
        developments=(DevelopmentEntry("s-1", story.title, dev),),
        sources=(SourceStatus(next(t), False, 0, next(t)), SourceStatus("ok", True, 2)),
        item_count=2, watched=(WatchHit("s-1", story.title, (next(t),)),), timelines=True,
        sections=(Section("Stories", "stories", (story,), ()),),
    )  # fmt: skip


def test_any_untrusted_text_in_any_field_renders_inert() -> None:
    """Hypothesis over the view model: every untrusted field, every URL, both templates."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from digest.output import render

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.lists(_hostile_text(), min_size=8, max_size=8),
        st.lists(st.sampled_from(_URLS), min_size=3, max_size=3),
    )
    def check(texts: list[str], urls: list[str | None]) -> None:
        b = _briefing(texts, urls)
        page = render.render_html(b)
        assert html_problems(page) == []
        assert markdown_problems(render.render_markdown(b)) == []
        shown = _html_text(page)
        for story in b.stories:
            for it in story.items:
                assert _visible(it.article.title) in shown

    check()
