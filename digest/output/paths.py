"""Every output file name and every link between output pages, in one place.

``out/`` holds the dated briefings (``DATE.md``, ``DATE.html``, ``DATE.json``), the archive
(``index.html``, ``index.md``), the Atom feed (``feed.xml``) and one timeline page per story
(``stories/<slug>.html``). Pages link to each other only through the functions here, and the
templates reach them as filters, so a name never has to be spelled twice.

Story anchors and timeline file names come from the story id through ``story_slug`` (ASCII
``[a-z0-9-]``, at most 80 characters, a hash suffix whenever the id had to be changed, so two ids
never share a slug): the anchor of a story is the same on every page and every day.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from pathlib import Path

from digest.errors import OutputError

__all__ = [
    "EXTENSIONS",
    "FEED_NAME",
    "STORIES_DIR",
    "briefing_href",
    "briefing_name",
    "briefing_path",
    "feed_path",
    "index_href",
    "index_path",
    "story_anchor",
    "story_href",
    "story_in_briefing_href",
    "story_slug",
    "timeline_href",
    "timeline_path",
]

EXTENSIONS = {"markdown": "md", "html": "html", "json": "json"}
FEED_NAME = "feed.xml"
STORIES_DIR = "stories"
MAX_SLUG = 80


def story_slug(story_id: str) -> str:
    """A safe file stem and anchor part for ``story_id``: unchanged when already
    ``[a-z0-9-]{1,80}``."""
    ascii_text = unicodedata.normalize("NFKD", story_id).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if base and base == story_id and len(base) <= MAX_SLUG:
        return base
    suffix = hashlib.sha256(story_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    base = base[: MAX_SLUG - len(suffix) - 1].strip("-")
    return f"{base}-{suffix}" if base else f"story-{suffix}"


def briefing_name(day: date, fmt: str) -> str:
    """``2025-03-04.html`` for ``fmt`` ``html`` (also ``markdown`` -> ``.md``, ``json``)."""
    return f"{day.isoformat()}.{EXTENSIONS[fmt]}"


def briefing_path(out_dir: Path, day: date, fmt: str) -> Path:
    return out_dir / briefing_name(day, fmt)


def briefing_href(day: date, fmt: str = "html") -> str:
    """Link from a page in ``out/`` to a dated briefing."""
    return briefing_name(day, fmt)


def index_path(out_dir: Path, fmt: str) -> Path:
    return out_dir / f"index.{EXTENSIONS[fmt]}"


def index_href(fmt: str = "html") -> str:
    return f"index.{EXTENSIONS[fmt]}"


def feed_path(out_dir: Path) -> Path:
    return out_dir / FEED_NAME


def story_anchor(story_id: str) -> str:
    """The ``id`` of a story's heading in a briefing (and the fragment that links to it)."""
    return f"story-{story_slug(story_id)}"


def story_href(story_id: str) -> str:
    """Link to the story within the same briefing page."""
    return f"#{story_anchor(story_id)}"


def story_in_briefing_href(day: date, story_id: str, prefix: str = "") -> str:
    """Link to the story in the HTML briefing of ``day``; ``prefix`` is ``../`` from
    ``stories/``."""
    return f"{prefix}{briefing_href(day)}#{story_anchor(story_id)}"


def timeline_href(story_id: str) -> str:
    """Link from a page in ``out/`` to the story's timeline."""
    return f"{STORIES_DIR}/{story_slug(story_id)}.html"


def timeline_path(out_dir: Path, story_id: str) -> Path:
    """The timeline file of ``story_id``, guaranteed to lie inside ``out_dir``."""
    root = out_dir.resolve()
    path = (root / STORIES_DIR / f"{story_slug(story_id)}.html").resolve()
    if not path.is_relative_to(root / STORIES_DIR):
        raise OutputError(f"story id {story_id!r} would write outside {root}")
    return path
