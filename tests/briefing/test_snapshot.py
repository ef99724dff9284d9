"""A stored briefing renders exactly as the briefing it was taken from."""

from __future__ import annotations

import json

import pytest

from digest.briefing.snapshot import SnapshotError, from_snapshot, to_snapshot
from digest.output import render
from tests.output.test_render_golden import sample_briefing


def _stored(data: object) -> object:
    return json.loads(json.dumps(data))  # what the store gives back


def test_every_format_renders_byte_identically_from_a_snapshot() -> None:
    b = sample_briefing()
    again = from_snapshot(_stored(to_snapshot(b)))
    for fmt in ("markdown", "html", "json"):
        assert render.RENDERERS[fmt](again) == render.RENDERERS[fmt](b), fmt


def test_feed_html_is_not_kept() -> None:
    data = to_snapshot(sample_briefing())
    assert '"html"' not in json.dumps(data)


@pytest.mark.parametrize("data", [None, {}, {"version": 99}, {"version": 1, "briefing": {}}])
def test_unusable_snapshots_raise_one_error(data: object) -> None:
    with pytest.raises(SnapshotError):
        from_snapshot(data)
