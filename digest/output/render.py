"""Render a ``Briefing`` to Markdown, HTML and JSON, and write the files atomically.

HTML is rendered with autoescaping switched on explicitly; untrusted text only becomes markup
through ``digest.sanitize``. Markdown output escapes every untrusted string with
``escape_markdown`` and emits links only through ``markdown_link``. JSON follows
``digest/schema/briefing.schema.json``. Nothing here reads the clock: the same briefing gives the
same bytes.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from digest.briefing.model import Briefing
from digest.config import Config
from digest.errors import OutputError
from digest.models import Actor, BriefingActor, Development, StoredItem, StoryView
from digest.output.files import ensure_dir, write_atomic
from digest.output.timelines import story_href
from digest.sanitize import escape_markdown, markdown_link, safe_url

log = logging.getLogger(__name__)

EXTENSIONS = {"markdown": "md", "html": "html", "json": "json"}


def templates_dir() -> Path:
    """Templates ship inside the package (``digest/templates`` in an installed wheel); an editable
    install or a checkout reads the top-level ``templates/`` folder."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "templates", package.parent / "templates"):
        if (candidate / "briefing.html.j2").is_file():
            return candidate
    raise OutputError(
        f"digest templates not found (looked in {package / 'templates'}); reinstall digest"
    )


def _fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat()


@lru_cache(maxsize=2)
def environment(kind: str) -> jinja2.Environment:
    """The Jinja environment for ``html`` (autoescape on) or ``markdown`` (autoescape off)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=(kind == "html"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["mdlink"] = markdown_link
    env.filters["safe_url"] = lambda u: safe_url(u) or ""
    env.filters["date"] = _fmt_date
    env.filters["story_href"] = story_href
    return env


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
        "previous": _fmt_date(b.previous_day) or None,
        "next": _fmt_date(b.next_day) or None,
        "stories": [_story_json(s) for s in b.stories],
        "actors": [_briefing_actor_json(a) for a in b.actors],
        "sources": [
            {"name": s.name, "ok": s.ok, "items": s.items, "error": s.error} for s in b.sources
        ],
    }


def _story_json(s: StoryView) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "first_title": s.first_title or s.title,
        "first_seen": s.first_seen.isoformat(),
        "sources": list(s.sources),
        "items": [_item_json(it) for it in s.items],
        "actors": [_actor_json(a) for a in s.actors],
        "developments": [_development_json(d) for d in s.developments],
    }


def _item_json(it: StoredItem) -> dict[str, Any]:
    a = it.article
    return {
        "id": a.id,
        "title": a.title,
        "url": safe_url(a.url),  # only http(s)/mailto: consumers may turn it into a link
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
        "url": safe_url(d.url),
        "published": d.published.isoformat() if d.published else None,
        "also_reported_by": list(d.also_reported_by),
    }


RENDERERS = {"markdown": render_markdown, "html": render_html, "json": render_json}


def render_all(b: Briefing, formats: tuple[str, ...]) -> dict[str, str]:
    """Render every requested format to a string (before anything is written)."""
    return {fmt: RENDERERS[fmt](b) for fmt in formats}


def write_briefing(b: Briefing, config: Config) -> list[Path]:
    """Render all formats first, then write each file atomically. Returns the paths written."""
    rendered = render_all(b, config.output.formats)
    out = config.output.dir
    ensure_dir(out)
    paths = []
    for fmt, text in rendered.items():
        path = out / f"{b.day.isoformat()}.{EXTENSIONS[fmt]}"
        write_atomic(path, text)
        paths.append(path)
    return paths


def render_page(template: str, kind: str = "html", **context: object) -> str:
    """Render one of the other pages (index, story timeline) with the briefing's environment."""
    return environment(kind).get_template(template).render(**context)


def day_nav(kind: str, previous: date | None, next_day: date | None) -> str:
    """The one-line day navigation exactly as the briefing templates render it."""
    name = "_daynav.html.j2" if kind == "html" else "_daynav.md.j2"
    return str(environment(kind).get_template(name).module.daynav(previous, next_day))  # type: ignore[attr-defined]


# The navigation line of an existing file: ours alone (dates and fixed words), so it is found
# exactly.
_NAV_PATTERNS = {
    "html": re.compile(r'<nav class="days" aria-label="Other briefings">.*?</nav>'),
    "markdown": re.compile(
        r"^(?:Previous: \[\d{4}-\d{2}-\d{2}\]\(\d{4}-\d{2}-\d{2}\.md\) · )?"
        r"\[All briefings\]\(index\.md\)"
        r"(?: · Next: \[\d{4}-\d{2}-\d{2}\]\(\d{4}-\d{2}-\d{2}\.md\))?$",
        re.MULTILINE,
    ),
}


def refresh_day_links(
    out_dir: Path, day: date, previous: date | None, next_day: date | None, formats: tuple[str, ...]
) -> None:
    """Set the previous/next links of an already written briefing without re-rendering it.

    The result equals a fresh render of that day now. Missing or unreadable files are skipped
    with a warning: they are rewritten whole when that day is rendered again.
    """
    for fmt in formats:
        path = out_dir / f"{day.isoformat()}.{EXTENSIONS[fmt]}"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("file=%s cannot refresh day links: %s", path, exc)
            continue
        if fmt == "json":
            try:
                data = json.loads(text)
            except ValueError as exc:
                log.warning("file=%s cannot refresh day links: %s", path, exc)
                continue
            if not isinstance(data, dict):
                continue
            data["previous"] = _fmt_date(previous) or None
            data["next"] = _fmt_date(next_day) or None
            new = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            nav = day_nav(fmt, previous, next_day)
            new, count = _NAV_PATTERNS[fmt].subn(nav.replace("\\", "\\\\"), text, count=1)
            if not count:
                log.warning("file=%s has no day navigation to refresh", path)
                continue
        if new != text:
            write_atomic(path, new)
