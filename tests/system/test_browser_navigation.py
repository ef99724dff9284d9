"""A 250-story briefing in real headless Chromium: the table of contents resolves, every Key-actors
story link lands on a numbered heading, nothing overflows a 390 px phone, and screenshots at
1280 and 390 px are kept as test artefacts (in the test's tmp dir, and in $DIGEST_SCREENSHOTS when
set).

The briefing is invented (250 stories over 40 outlets, long titles, stories of up to 30 reports,
key actors across many stories, changed figures) and goes through the real view model and every
output step: briefing files, timelines, index and feed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from digest.actors.rank import ActorsResult
from digest.briefing import build
from digest.config import parse_config
from digest.models import Actor, Article, BriefingActor, Development, SourceStatus, StoredItem
from digest.pipeline.outputs import write_outputs
from digest.store import Store
from tests.system.test_browser import CHROMIUM, FLAGS, _check_page, _open, playwright_api

DAY = date(2026, 2, 16)
STORIES = 250
PLACES = ["Veldmar", "Kessel", "Osterholm", "Tarsk", "Almen", "Brisa", "Norvik", "Caldera"]
THINGS = ["harbour", "budget", "ferry", "flood", "strike", "election", "bridge", "hospital"]
VERBS = ["reopens", "delays", "approves", "rejects", "floods", "expands", "closes", "reviews"]
PEOPLE = ["Dana Whitfield", "Amara Okafor", "Tomas Berg", "Ingrid Solberg", "Mara Olsen"]


def _title(i: int) -> str:
    place, thing, verb = PLACES[i % 8], THINGS[(i // 8) % 8], VERBS[(i // 64) % 8]
    title = f"{place} {thing} {verb} after weeks of talks ({i})"
    if i % 17 == 0:  # a very long headline with a long unbroken word
        title += " as Supercalifragilisticexpialidocious-sized consortium files objections"
    return title


def _items(i: int) -> list[StoredItem]:
    count = 30 if i == 0 else 1 + (i * 7) % 9 if i < 60 else 1 + i % 3
    out = []
    for n in range(count):
        outlet = f"Outlet {(i + n) % 40} Daily News Service"
        published = datetime(2026, 2, 16 - (i % 3 == 2), 6 + n % 12, tzinfo=UTC)
        article = Article(
            id=f"i{i}-{n}",
            source=outlet,
            origin="feed",
            title=f"{_title(i)}: report {n}",
            text=(
                f"The {THINGS[(i // 8) % 8]} in {PLACES[i % 8]} {VERBS[(i // 64) % 8]} after "
                f"weeks of talks, officials said on Monday. Report {n} adds that {i * 13 % 900} "
                "people were affected and the regional council will meet again next week."
            ),
            url=f"https://outlet{(i + n) % 40}.example/{i}/{n}?utm_source=rss&id={n}"
            + ("/" + "x" * 200 if n == 1 else ""),
            canonical_url=None,
            published=published,
            date_source="feed",
            content_hash=f"h{i}-{n}",
            collector=f"feed{(i + n) % 40}",
        )
        out.append(StoredItem(article, published.date(), published, story_id=f"s-{i:04d}"))
    return out


def _briefing(config: Any) -> Any:
    grouped = {f"s-{i:04d}": _items(i) for i in range(STORIES)}
    per_story = {
        sid: tuple(Actor(PEOPLE[(k + j) % 5], "person", 2) for j in range(k % 3))
        + ((Actor("Nadia Renn", "person", 1),) if k >= 240 else ())  # only in More stories
        for k, sid in enumerate(grouped)
    }
    key = tuple(
        BriefingActor(
            name,
            "person",
            40 - n,
            tuple(sid for sid, actors in per_story.items() if name in {a.name for a in actors}),
            role="director of the regional weather service" if n == 0 else None,
        )
        for n, name in enumerate([*PEOPLE, "Nadia Renn"])
    )
    devs = {
        sid: [
            Development(
                f"The number of people affected rose to {k * 13 % 900}.",
                f"i{k}-0",
                "changed" if k % 5 == 0 else "new",
                "Outlet 1 Daily News Service",
                f"https://outlet1.example/{k}",
                datetime(2026, 2, 16, 8, tzinfo=UTC),
                previous="12 reported on 2026-02-15" if k % 5 == 0 else None,
            )
        ]
        for k, sid in enumerate(grouped)
        if k % 4 == 0
    }
    return build(
        config=config,
        day=DAY,
        grouped=grouped,
        actors=ActorsResult(per_story, key),
        developments=devs,
        sources=[SourceStatus(f"feed{n}", True) for n in range(40)],
        titles={},
        first_days={},
        briefing_days=[],
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("navigation")
    sources = [{"name": f"feed{n}", "type": "feed", "path": f"f{n}.xml"} for n in range(40)]
    config = parse_config({"sources": sources}, root / "config.yaml")
    store = Store.open(root / "state" / "digest.db")
    try:
        b = _briefing(config)
        assert len(b.stories) == STORIES and len(b.more_stories) == STORIES - 40
        with store.transaction():
            write_outputs(config, store, b)
    finally:
        store.close()
    return root / "out"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with playwright_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 390, "height": 844},
            offline=True,
        )
        yield context
        context.close()


def _keep(path: Path) -> None:
    keep = os.environ.get("DIGEST_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


def test_contents_links_resolve_to_numbered_story_headings(site: Path, browser: Any) -> None:
    page, errors = _open(browser, site / "2026-02-16.html")
    links = page.evaluate(
        """[...document.querySelectorAll('#contents a[href^="#"]')].map(a => {
            const target = document.getElementById(a.getAttribute('href').slice(1));
            const heading = target && target.querySelector('h3, h4');
            return [a.getAttribute('href'), a.closest('li') ? a.closest('li').value : null,
                    heading ? heading.textContent.trim() : (target ? target.tagName : null)];
        })"""
    )
    stories = [link for link in links if link[0].startswith("#story-")]
    assert len(stories) == 40, "the table of contents lists the stories shown in full"
    for href, number, heading in stories:
        assert heading is not None and heading.startswith(f"{number}. "), (href, number, heading)
    assert "#more-stories" in [href for href, _, _ in links]
    assert page.evaluate("document.getElementById('more-stories').tagName") == "SECTION"
    assert errors == []


def test_every_key_actor_story_link_lands_on_a_numbered_heading(site: Path, browser: Any) -> None:
    page, errors = _open(browser, site / "2026-02-16.html")
    links = page.evaluate(
        """[...document.querySelectorAll('#key-actors a[href^="#story-"]')].map(a => {
            const target = document.getElementById(a.getAttribute('href').slice(1));
            const heading = target && target.querySelector('h3, h4');
            return [a.textContent.trim(), heading ? heading.textContent.trim() : null];
        })"""
    )
    assert len(links) >= 60, "actors point into the full stories and the More stories list"
    for number, heading in links:
        assert heading is not None and heading.startswith(f"{number}. "), (number, heading)
    numbers = [int(n) for n, _ in links]
    assert max(numbers) > 40, "some land in More stories"
    assert errors == []


def test_a_contents_link_scrolls_to_its_story(site: Path, browser: Any) -> None:
    page, _ = _open(browser, site / "2026-02-16.html")
    page.click("#contents li[value='25'] a")
    top = page.evaluate(
        "document.getElementById(location.hash.slice(1)).getBoundingClientRect().top"
    )
    assert 0 <= top < 50, top


def test_nothing_overflows_a_390px_phone_and_screenshots(
    site: Path, browser: Any, tmp_path: Path
) -> None:
    page, errors = _open(browser, site / "2026-02-16.html")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    _check_page(page, errors, site, width=390)
    shot = tmp_path / "navigation-390.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    _keep(shot)
    page.evaluate("document.getElementById('more-stories').scrollIntoView()")
    more = tmp_path / "navigation-390-more.png"
    page.screenshot(path=str(more))
    _keep(more)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate("window.scrollTo(0, 0)")
    wide = tmp_path / "navigation-1280.png"
    page.screenshot(path=str(wide))
    assert wide.stat().st_size > 10_000
    _keep(wide)
    page.set_viewport_size({"width": 390, "height": 844})
