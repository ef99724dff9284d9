"""Output: the briefing files (Markdown, HTML, JSON), the archive index, story timelines, the
Atom feed and e-mail delivery."""

from digest.output.files import write_atomic

__all__ = [
    "write_atomic",
]
