"""Render a ``Briefing`` to Markdown, HTML and JSON, and write the briefing files atomically.

The environments and filters are ``digest.output.pages``; file names are ``digest.output.paths``.
JSON follows ``digest/schema/briefing.schema.json``. Nothing here reads the clock or any earlier
output: the same briefing gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from digest.briefing.model import Briefing, BriefingStory
from digest.models import Actor, BriefingActor, Development, StoredItem
from digest.output import paths
from digest.output.files import ensure_dir, write_atomic
from digest.output.pages import environment, fmt_date, link_url

__all__ = [
    "briefing_json",
    "render_all",
    "render_html",
    "render_json",
    "render_markdown",
    "write_briefing",
]


def render_markdown(b: Briefing) -> str:
    return environment("markdown").get_template("briefing.md.j2").render(b=b)


def render_html(b: Briefing) -> str:
    return environment("html").get_template("briefing.html.j2").render(b=b)


def render_json(b: Briefing) -> str:
    return json.dumps(briefing_json(b), ensure_ascii=False, indent=2) + "\n"


def briefing_json(b: Briefing) -> dict[str, Any]:
    return {
        "date": b.day.isoformat(),
        "title": b.title,
        "previous": fmt_date(b.previous_day) or None,
        "next": fmt_date(b.next_day) or None,
        "sections": [
            {
                "title": sec.title,
                "stories": [s.id for s in sec.stories],
                "more": [s.id for s in sec.more],
            }
            for sec in b.sections
        ]
        if b.has_sections
        else [],
        "stories": [_story_json(s) for s in b.stories],
        "actors": [_briefing_actor_json(a) for a in b.actors],
        "sources": [
            {"name": s.name, "ok": s.ok, "items": s.items, "error": s.error} for s in b.sources
        ],
    }


def _story_json(s: BriefingStory) -> dict[str, Any]:
    return {
        "id": s.id,
        "number": s.number,
        "anchor": paths.story_anchor(s.id),
        "title": s.title,
        "summary": s.summary,
        "in_full": s.in_full,
        "section": s.section,
        "rank": s.rank,
        "rank_score": s.rank_score,
        "rank_why": list(s.rank_why),
        "first_title": s.first_title or s.title,
        "first_seen": s.first_seen.isoformat(),
        "sources": list(s.sources),
        "items": [_item_json(it) for it in s.items],
        "actors": [_actor_json(a) for a in s.actors],
        "places": list(s.places),
        "developments": [_development_json(d) for d in s.developments],
    }


def _item_json(it: StoredItem) -> dict[str, Any]:
    a = it.article
    return {
        "id": a.id,
        "title": a.title,
        "url": link_url(a.url),  # http(s)/mailto only, no tracking parameters
        "source": a.source,
        "origin": a.origin,
        "published": a.published.isoformat() if a.published else None,
        "date_source": a.date_source,
        "text": a.text,
        "duplicate_of": it.duplicate_of,
        "why": {
            "score": it.why_score if it.why_score is not None else 0.0,
            "shared": list(it.why_shared),
        },
    }


def _actor_json(a: Actor | BriefingActor) -> dict[str, Any]:
    return {
        "name": a.name,
        "kind": a.kind,
        "mentions": a.mentions,
        "role": a.role,
        "aliases": list(a.aliases),
    }


def _briefing_actor_json(a: BriefingActor) -> dict[str, Any]:
    return {**_actor_json(a), "stories": list(a.stories), "first_seen": a.first_seen}


def _development_json(d: Development) -> dict[str, Any]:
    return {
        "text": d.text,
        "item_id": d.item_id,
        "kind": d.kind,
        "previous": d.previous,
        "source": d.source,
        "url": link_url(d.url),
        "published": d.published.isoformat() if d.published else None,
        "also_reported_by": list(d.also_reported_by),
    }


RENDERERS = {"markdown": render_markdown, "html": render_html, "json": render_json}


def render_all(b: Briefing, formats: tuple[str, ...]) -> dict[str, str]:
    """Render every requested format to a string (before anything is written)."""
    return {fmt: RENDERERS[fmt](b) for fmt in formats}


def write_briefing(out_dir: Path, day: date, rendered: Mapping[str, str]) -> list[Path]:
    """Write each rendered format of ``day`` atomically. Returns the paths written."""
    ensure_dir(out_dir)
    written = []
    for fmt, text in rendered.items():
        path = paths.briefing_path(out_dir, day, fmt)
        write_atomic(path, text)
        written.append(path)
    return written
