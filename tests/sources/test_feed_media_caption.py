"""An RSS item's <media:description> is its photo's caption, never its text."""

from __future__ import annotations

from digest.sources.feedparse import parse_feed

FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Harbour Wire</title><link>https://wire.example/</link>
<item>
  <title>Velmora port reopens after the flood</title>
  <link>https://wire.example/port</link>
  <description>The port of Velmora reopened on Monday after a week of repairs.</description>
  <media:content url="https://wire.example/port.jpg" medium="image"/>
  <media:credit>Ana Lima for Harbour Wire</media:credit>
  <media:description>Dock workers in Velmora on Sunday.</media:description>
</item>
<item>
  <title>Caption only</title>
  <link>https://wire.example/caption</link>
  <media:content url="https://wire.example/c.jpg" medium="image"/>
  <media:description>Dock workers in Castreno on Sunday.</media:description>
</item>
</channel></rss>"""


def test_the_description_is_the_text_and_the_caption_is_not() -> None:
    entries = parse_feed(FEED, timeout=10).entries
    assert "reopened on Monday" in entries[0].html
    assert "Dock workers" not in entries[0].html


def test_an_item_with_only_a_media_description_keeps_it() -> None:
    entries = parse_feed(FEED, timeout=10).entries
    assert "Dock workers in Castreno" in entries[1].html
