"""The feed source: local path feeds behave like conditional GET, and size caps apply before reading."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.config import FetchConfig, SourceConfig
from digest.errors import SourceError
from digest.sources import feed as feed_source
from digest.store import SourceState

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><title>Bridge reopens after repairs</title><guid>b-1</guid><link>https://desk.example/b1</link>
<description>The Kessel bridge reopened to traffic on Friday after six weeks of repairs.</description></item>
</channel></rss>"""
NOW = datetime(2025, 3, 4, 12, tzinfo=UTC)


def test_unchanged_local_feed_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "desk.xml"
    path.write_bytes(RSS)
    src = SourceConfig(name="desk", type="feed", path=path)
    first = feed_source.collect_feed(src, SourceState("desk"), FetchConfig(), NOW, known={})
    assert [i.title for i in first.items] == ["Bridge reopens after repairs"]
    known = {p: (s, m) for p, s, m in first.stamps}
    calls: list[bytes] = []
    monkeypatch.setattr(feed_source, "parse_feed", lambda data, **kw: calls.append(data))
    second = feed_source.collect_feed(src, SourceState("desk"), FetchConfig(), NOW, known=known)
    assert second.not_modified and second.items == [] and calls == []
    os.utime(path, (1, 1))
    monkeypatch.undo()
    third = feed_source.collect_feed(src, SourceState("desk"), FetchConfig(), NOW, known=known)
    assert len(third.items) == 1


def test_oversized_local_feed_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(RSS + b" " * 2000)
    src = SourceConfig(name="big", type="feed", path=path)
    with pytest.raises(SourceError, match="over the 1000 limit"):
        feed_source.collect_feed(
            src, SourceState("big"), FetchConfig(max_bytes=1000), NOW, known={}
        )


def test_many_sources_are_collected_in_worker_processes_in_order(tmp_path: Path) -> None:
    from digest.config import load_config
    from digest.pipeline.run import ingest
    from digest.sources import PARALLEL_MIN_SOURCES
    from digest.store import Store
    from tests.conftest import write_config

    names = [f"desk{i}" for i in range(PARALLEL_MIN_SOURCES + 1)]
    sources = []
    for i, name in enumerate(names):
        (tmp_path / f"{name}.xml").write_bytes(
            RSS.replace(b"b-1", f"b-{i}".encode()).replace(b"/b1", f"/b{i}".encode())
        )
        sources.append({"name": name, "type": "feed", "path": f"{name}.xml"})
    sources.insert(2, {"name": "gone", "type": "files", "path": "missing"})
    config = load_config(write_config(tmp_path, sources))
    store = Store.open(config.state.path)
    try:
        statuses = ingest(config, store, NOW)
        assert [s.name for s in statuses] == names[:2] + ["gone"] + names[2:]
        assert [s.ok for s in statuses] == [True, True, False] + [True] * (len(names) - 2)
        assert all(s.items == 1 for s in statuses if s.ok)
        assert store.count_items() == len(names)
        assert store.source_state("gone").consecutive_failures == 1
        again = ingest(config, store, NOW)  # unchanged local feeds: nothing parsed, nothing new
        assert [s.items for s in again if s.ok] == [0] * len(names)
    finally:
        store.close()
