"""Duplicate folding on invented articles: syndicated copies, new guids, URL variants, near-copies."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

from digest.clean.items import _normalise_for_hash
from digest.config import StoriesConfig
from digest.models import Article, StoredItem
from digest.net.urls import canonical_url
from digest.store import Store
from digest.stories.dedupe import find_duplicates as _find


def find_duplicates(items: list[StoredItem], store: Store, config: StoriesConfig) -> dict[str, str]:
    """The stage's duplicates, with its signatures stored as the pipeline would."""
    result = _find(items, store, config)
    for sig in result.signatures:
        store.save_minhash(sig.item_id, sig.day, sig.blob, sig.bands)
    return result.duplicates


CONFIG = StoriesConfig()
DAY = date(2025, 3, 4)

WIRE = (
    "The River Almen burst its banks on Monday after three days of heavy rain, flooding farmland across "
    "the Tarsk valley and cutting the main road to the regional capital. The regional emergency service "
    "said 1,300 people had been moved to shelters in schools and sports halls, and that 12 people were "
    "still missing. Dana Whitfield, director of the regional weather service, warned that more rain was "
    "expected on Wednesday and that the river could rise by another half metre before the weekend. "
    "Farmers said the water had reached the grain stores of at least forty farms."
)
OTHER = (
    "Tallis United beat Corvel Rovers two goals to one after extra time on Saturday to lift the national "
    "cup for the first time in eleven years. The winning goal came from a header by the captain in the "
    "last minute of extra time, after Rovers had levelled late in the second half. The club said a parade "
    "would be held through the town centre on Sunday afternoon, and the mayor promised a public holiday."
)


def item(
    key: str,
    text: str,
    *,
    url: str | None = None,
    title: str = "Almen floods Tarsk valley",
    source: str = "Harbour Wire",
) -> StoredItem:
    url = url if url is not None else f"https://{source.lower().replace(' ', '')}.example/{key}"
    article = Article(
        id=hashlib.sha256(key.encode()).hexdigest()[:16],
        source=source,
        origin=f"inbox.jsonl:{key}",
        title=title,
        text=text,
        url=url,
        canonical_url=canonical_url(url),
        published=datetime(2025, 3, 4, 9, tzinfo=UTC),
        date_source="content",
        content_hash=hashlib.sha256(_normalise_for_hash(text).encode()).hexdigest(),
    )
    return StoredItem(article=article, day=DAY, first_seen=article.published)  # type: ignore[arg-type]


def ids(*items: StoredItem) -> list[str]:
    return [it.article.id for it in items]


def test_syndicated_copy_with_new_byline_and_headline_is_folded(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    original = item("a", WIRE)
    copy = item(
        "b",
        "By Staff Reporter\n\n"
        + WIRE.replace("Monday", "Monday,")
        + " Reporting by the Coastal Times desk.",
        title="Floods: Almen bursts its banks",
        source="Coastal Times",
    )
    other = item("c", OTHER, title="Tallis win the cup")
    assert find_duplicates([original, copy, other], store, CONFIG) == {
        copy.article.id: original.article.id
    }


def test_same_text_under_a_new_guid_is_folded(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    first = item("guid-1", WIRE)
    republished = item(
        "guid-2", WIRE.replace("  ", " ").upper(), url=""
    )  # no URL, same normalised text
    assert find_duplicates([first, republished], store, CONFIG) == {
        republished.article.id: first.article.id
    }


def test_tracking_and_www_variants_of_one_url_are_folded(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    first = item("x", WIRE, url="https://www.wire.example/almen/")
    again = item("y", WIRE + " Updated at noon.", url="https://wire.example/almen?utm_source=rss")
    assert find_duplicates([first, again], store, CONFIG) == {again.article.id: first.article.id}


def test_copy_arriving_days_later_folds_into_the_stored_original(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    original = item("a", WIRE)
    store.insert_item(original.article, DAY, original.first_seen)
    with store.transaction():
        assert find_duplicates([original], store, CONFIG) == {}
        store.set_story(original.article.id, "s-almen", None, 1.0, ())
    late = item(
        "late", WIRE.replace("forty", "41"), source="Valley Post", title="Almen flood latest"
    )
    assert find_duplicates([late], store, CONFIG) == {late.article.id: original.article.id}


def test_follow_up_article_on_the_same_story_is_not_a_duplicate(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    follow_up = (
        "The number of people missing after the River Almen floods in the Tarsk valley rose to 15 on "
        "Tuesday, the regional emergency service said, as rescue boats searched flooded villages. Dana "
        "Whitfield of the regional weather service said the rain would ease by Thursday, but that the river "
        "would stay high for days. The regional government promised compensation for farmers."
    )
    a, b = item("a", WIRE), item("b", follow_up)
    assert find_duplicates([a, b], store, CONFIG) == {}


def test_short_different_bodies_are_never_folded_by_similarity(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "s.db")
    a = item("a", "Rates held at 3.5%.", title="Rates held")
    b = item("b", "Rates held at 3.75%.", title="Rates held")
    assert find_duplicates([a, b], store, CONFIG) == {}
