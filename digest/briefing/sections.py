"""Sections (``sections:`` in the config): stories grouped by source, source tag, keyword or actor.

A story belongs to the first section, in config order, that one of its rules selects: an item
collected by a listed source (an ``opml`` source's name covers its feeds), an item from a source
carrying a listed tag, or a keyword or actor matched the way the watchlist matches them (whole
words or phrases, case-insensitive, in titles and text; actors also by name or alias). Stories no
section selects go under ``OTHER``. Without ``sections:`` the briefing has no sections.
"""

from __future__ import annotations

from collections.abc import Sequence

from digest.briefing.watch import story_reasons
from digest.config import SectionConfig, SourceConfig, WatchConfig
from digest.models import StoryView

__all__ = ["OTHER", "section_of"]

OTHER = "Other"


def _covers(name: str, collector: str) -> bool:
    return collector == name or collector.startswith(name + "/")


def _tags(collector: str, sources: Sequence[SourceConfig]) -> set[str]:
    return {t for s in sources if _covers(s.name, collector) for t in s.tags}


def section_of(
    view: StoryView, sections: Sequence[SectionConfig], sources: Sequence[SourceConfig]
) -> str:
    """The title of the section ``view`` belongs to (``OTHER`` when none selects it)."""
    collectors = {it.article.collector for it in view.items}
    for sec in sections:
        if any(_covers(name, c) for name in sec.sources for c in collectors):
            return sec.title
        if sec.tags and any(_tags(c, sources) & set(sec.tags) for c in collectors):
            return sec.title
        if (sec.keywords or sec.actors) and story_reasons(
            view, WatchConfig(actors=sec.actors, keywords=sec.keywords)
        ):
            return sec.title
    return OTHER
