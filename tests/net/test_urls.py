"""Canonical URLs: tracking parameters, host and path variants fold to one spelling."""

from __future__ import annotations

import pytest

from digest.net.urls import canonical_url

BASE = "https://harbourwire.example/world/2025/03/03/almen-floods"


@pytest.mark.parametrize(
    "variant",
    [
        BASE,
        BASE + "/",
        "http://www.harbourwire.example/world/2025/03/03/almen-floods",
        "HTTPS://WWW.HarbourWire.example:443/world/2025/03/03/almen-floods/",
        BASE + "?utm_source=rss&utm_medium=feed&utm_campaign=world",
        BASE + "?fbclid=IwAR0abc&gclid=xyz#comments",
        BASE + "?ref=homepage&mc_cid=123&mc_eid=456",
        "https://harbourwire.example//world/2025/03/03//almen-floods",
    ],
)
def test_variants_fold_to_one_url(variant: str) -> None:
    assert canonical_url(variant) == BASE


def test_meaningful_parameters_are_kept_and_sorted() -> None:
    a = canonical_url("https://news.example/article?page=2&id=77&utm_source=x")
    b = canonical_url("https://news.example/article?id=77&page=2")
    assert a == b == "https://news.example/article?id=77&page=2"


def test_different_articles_stay_different() -> None:
    assert canonical_url("https://news.example/a?id=1") != canonical_url(
        "https://news.example/a?id=2"
    )
    assert canonical_url("https://news.example/quake-one") != canonical_url(
        "https://news.example/quake-two"
    )


def test_index_pages_fold_with_their_folder() -> None:
    assert (
        canonical_url("https://news.example/special/index.html") == "https://news.example/special"
    )


@pytest.mark.parametrize(
    "url", [None, "", "mailto:desk@news.example", "ftp://news.example/a", "not a url", "https://"]
)
def test_non_web_urls_have_no_canonical_form(url: str | None) -> None:
    assert canonical_url(url) is None


def test_feed_and_analytics_parameters_are_dropped() -> None:
    url = "https://news.example/world/quake?ns_mchannel=rss&ns_source=feed&xtor=RSS-1&_ga=2.1&id=5"
    assert canonical_url(url) == "https://news.example/world/quake?id=5"
