"""The Jinja environments every page is rendered with, and the filters the templates may use.

HTML is rendered with autoescaping switched on explicitly; untrusted text only becomes markup
through ``digest.sanitize``. Markdown output escapes every untrusted string with
``escape_markdown`` and emits links only through ``markdown_link``. Every link to an article goes
through ``link_url``: vetted by ``safe_url`` and stripped of tracking parameters. Links between
our own pages come from ``digest.output.paths``.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import jinja2

from digest.errors import OutputError
from digest.net.urls import strip_tracking
from digest.output import paths
from digest.sanitize import escape_markdown, markdown_link, safe_url

__all__ = ["environment", "fmt_date", "link_url", "render_page", "templates_dir"]


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


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat()


def link_url(url: str | None) -> str | None:
    """An article link as a reader gets it: http(s)/mailto only, tracking parameters removed."""
    if not url:
        return None
    return safe_url(strip_tracking(url.strip()))


def _md_link(text: str, url: str | None) -> str:
    return markdown_link(text, link_url(url))


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
    env.filters["mdlink"] = _md_link
    env.filters["safe_url"] = lambda u: link_url(u) or ""
    env.filters["date"] = fmt_date
    env.filters["story_href"] = paths.timeline_href  # the story's timeline page
    env.filters["anchor"] = paths.story_anchor  # the id of a story's heading
    env.filters["in_page"] = paths.story_href  # "#story-..." within the same briefing
    env.filters["briefing_href"] = paths.briefing_href
    env.filters["story_in_briefing"] = paths.story_in_briefing_href
    env.globals["index_href"] = paths.index_href
    env.globals["feed_href"] = paths.FEED_NAME
    return env


def render_page(template: str, kind: str = "html", **context: object) -> str:
    """Render ``template`` with the environment of ``kind`` (``html`` or ``markdown``)."""
    return environment(kind).get_template(template).render(**context)
