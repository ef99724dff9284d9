"""The pages in real headless Chromium: no console errors (CSP included), sections visible,
local links resolve, nothing overflows a 375 px phone screen.

Uses Debian's chromium (/usr/bin/chromium) through Playwright's Python package; never downloads a
browser. Skipped with a reason when either is missing.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from digest.cli import main
from tests.output.test_archive import DAY3

CHROMIUM = Path(os.environ.get("DIGEST_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright Python package is not installed"
)
if not CHROMIUM.is_file():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

WATCH = {"actors": ["Dana Whitfield"], "keywords": []}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backfill over three days with a watchlist and a hostile long title."""
    from tests.conftest import FIRE_DUMP, FLOOD_JSONL, write_config

    root = tmp_path_factory.mktemp("site")
    box = root / "inbox"
    box.mkdir()
    (box / "fire.txt").write_text(FIRE_DUMP, encoding="utf-8")
    long_title = "Harbour<script>alert(1)</script>" + "Supercalifragilisticexpialidocious" * 4
    extra = {
        **DAY3,
        "id": "w-9",
        "title": long_title,
        "url": "https://wire.example/" + "x" * 300,
        "text": "Lighthouse keepers on Osterholm voted to keep the old lamp lit through the winter.",
    }
    rows = [*FLOOD_JSONL, DAY3, extra]
    (box / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    for p in box.iterdir():
        os.utime(p, (1741000000, 1741000000))
    cfg = write_config(root, [{"name": "inbox", "type": "files", "path": "inbox"}], watch=WATCH)
    assert (
        main(["backfill", "--config", str(cfg), "--since", "2025-03-01", "--until", "2025-03-10"])
        == 0
    )
    return root / "out"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with playwright_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 375, "height": 812},
            offline=True,
        )
        yield context
        context.close()


def _open(context: object, path: Path) -> tuple[object, list[str]]:
    page = context.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on(
        "console", lambda msg: errors.append(msg.text) if msg.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"request failed: {req.url}"))
    page.goto(path.as_uri(), wait_until="load")
    return page, errors


def _check_page(page: object, errors: list[str], out: Path, width: int = 375) -> None:
    assert errors == [], errors
    scroll = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert scroll <= width, f"page is {scroll}px wide at a {width}px viewport"
    wide = page.evaluate(  # type: ignore[attr-defined]
        f"[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > {width + 1}).map(e => e.tagName)"
    )
    assert wide == []
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")  # type: ignore[attr-defined]
    assert hrefs
    for href in hrefs:
        url = urlparse(href)
        if url.scheme == "file":
            target = Path(unquote(url.path))
            assert target.is_file(), f"broken link {href}"
            assert target.resolve().is_relative_to(out.resolve())
        else:
            assert url.scheme in ("http", "https"), href
    assert page.evaluate("document.querySelectorAll('script').length") == 0  # type: ignore[attr-defined]


def test_briefing_page(site: Path, browser: object, tmp_path: Path) -> None:
    page, errors = _open(browser, site / "2025-03-04.html")
    for heading in ("Key actors", "New developments", "Stories", "Watched"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible()  # type: ignore[attr-defined]
    _check_page(page, errors, site)
    page.screenshot(path=str(tmp_path / "briefing-375.png"), full_page=True)  # type: ignore[attr-defined]
    keep = os.environ.get("DIGEST_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "briefing-375.png", Path(keep) / "briefing-375.png")
        page.emulate_media(color_scheme="dark")  # type: ignore[attr-defined]
        page.screenshot(path=str(Path(keep) / "briefing-375-dark.png"), full_page=True)  # type: ignore[attr-defined]
        page.set_viewport_size({"width": 1100, "height": 900})  # type: ignore[attr-defined]
        page.emulate_media(color_scheme="light")  # type: ignore[attr-defined]
        page.screenshot(path=str(Path(keep) / "briefing-1100.png"), full_page=False)  # type: ignore[attr-defined]


def test_dark_mode_and_print_styles_apply(site: Path, browser: object) -> None:
    page, errors = _open(browser, site / "2025-03-04.html")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")  # type: ignore[attr-defined]
    page.emulate_media(color_scheme="dark")  # type: ignore[attr-defined]
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")  # type: ignore[attr-defined]
    assert light != dark
    page.emulate_media(media="print", color_scheme="light")  # type: ignore[attr-defined]
    assert page.evaluate("getComputedStyle(document.querySelector('nav.days')).display") == "none"  # type: ignore[attr-defined]
    assert errors == []


@pytest.mark.parametrize("name", ["index.html", "2025-03-03.html", "2025-03-05.html", "timeline"])
def test_other_pages(site: Path, browser: object, name: str, tmp_path: Path) -> None:
    path = site / name
    if name == "timeline":  # the flood story: three days
        path = max(
            (site / "stories").glob("*.html"), key=lambda p: p.read_text().count('<li id="day-')
        )
    page, errors = _open(browser, path)
    _check_page(page, errors, site)
    assert page.locator("main").is_visible()  # type: ignore[attr-defined]
    keep = os.environ.get("DIGEST_SCREENSHOTS")
    if keep:
        page.screenshot(path=str(Path(keep) / f"{path.stem}-375.png"), full_page=True)  # type: ignore[attr-defined]


def test_csp_blocks_an_injected_script(site: Path, browser: object, tmp_path: Path) -> None:
    """The page's own policy is live: a script slipped into a copy is refused and reported."""
    html = (
        (site / "2025-03-04.html")
        .read_text()
        .replace("</main>", "<script>document.title='pwned'</script></main>")
    )
    copy = site / "csp-probe.html"
    copy.write_text(html, encoding="utf-8")
    try:
        page, errors = _open(browser, copy)
        assert page.title() != "pwned"  # type: ignore[attr-defined]
        assert any("Content Security Policy" in e for e in errors), errors
    finally:
        copy.unlink()
