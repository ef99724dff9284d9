"""Tracking parameters: one list decides both duplicate folding and the links a reader sees."""

from __future__ import annotations

import pytest

from digest.net.urls import canonical_url, is_tracking_param, strip_tracking

ARTICLE = "https://desk.example/world/2026/02/16/harbour-strike"


@pytest.mark.parametrize(
    "name",
    [
        "utm_source",
        "UTM_Medium",
        "at_medium",
        "at_campaign",
        "traffic_source",
        "maca",
        "fbclid",
        "gclid",
        "mc_cid",
        "itm_campaign",
        "_gl",
    ],
)
def test_known_trackers_are_recognised(name: str) -> None:
    assert is_tracking_param(name)


@pytest.mark.parametrize("name", ["id", "page", "article", "story", "q", "lang", "v"])
def test_meaningful_parameters_are_not_trackers(name: str) -> None:
    assert not is_tracking_param(name)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (ARTICLE + "?utm_source=rss&utm_medium=feed", ARTICLE),
        (ARTICLE + "?at_medium=RSS&at_campaign=world", ARTICLE),
        (ARTICLE + "?maca=en-rss-en-world-1&traffic_source=rss", ARTICLE),
        (ARTICLE + "?id=7&utm_source=rss&page=2", ARTICLE + "?id=7&page=2"),
        (ARTICLE + "?Page=2&ID=7", ARTICLE + "?Page=2&ID=7"),  # untouched: order and case kept
        (ARTICLE + "#xtor=RSS-1", ARTICLE),
        (ARTICLE + "?utm_source=rss#comments", ARTICLE + "#comments"),
        ("https://www.Desk.example/a?q=a%20b&fbclid=1", "https://www.Desk.example/a?q=a%20b"),
        (ARTICLE, ARTICLE),
    ],
)
def test_strip_tracking_keeps_everything_else(url: str, expected: str) -> None:
    assert strip_tracking(url) == expected


def test_both_uses_share_the_list() -> None:
    url = ARTICLE + "?maca=x&traffic_source=rss&at_medium=y"
    assert canonical_url(url) == canonical_url(strip_tracking(url)) == ARTICLE
