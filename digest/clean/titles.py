"""Headline clean-up: page titles carry the site name and section around the real headline."""

from __future__ import annotations

import re

__all__ = ["clean_title"]

# Separators sites put between the headline and their own name or section.
_SEPARATOR_RE = re.compile(r"\s+(?:\||\u2013|\u2014|-{1,2}|::|\u00bb|\u00b7|\u2022|/)\s+")
_SPACE_RE = re.compile(r"\s+")
_MAX_AFFIX_WORDS = 5


def _is_affix(segment: str, rest: str, separator: str = "-") -> bool:
    """A site name or section: short, and much shorter than the rest; after a dash, also not
    starting lower-case ("Man bites dog - and wins": a dash can join a sentence, a bar cannot)."""
    words = segment.split()
    if not words or len(words) > _MAX_AFFIX_WORDS:
        return False
    dash = not re.search(r"[|:\u00bb\u00b7\u2022/]", separator)
    if dash and words[0][:1].islower() and "." not in words[0]:
        return False
    return len(rest.split()) >= max(3, len(words) + 1)


def clean_title(title: str) -> str:
    """Strip "| Site name", " - Site", "Section | " affixes and squeeze whitespace."""
    text = _SPACE_RE.sub(" ", title).strip()
    while True:
        parts = _SEPARATOR_RE.split(text)
        if len(parts) < 2:
            break
        seps = _SEPARATOR_RE.findall(text)
        last = parts[-1]
        head = text[: len(text) - len(last) - len(seps[-1])]
        if _is_affix(last, head, seps[-1]):
            text = head.strip()
            continue
        first = parts[0]
        tail = text[len(first) + len(seps[0]) :]
        if "|" in seps[0] and _is_affix(first, tail) and len(first.split()) <= 2:
            text = tail.strip()
            continue
        break
    # "Opinion|Headline" written without spaces around the bar.
    m = re.match(r"^([A-Z][\w&' ]{0,20})\|(\S.*)$", text)
    if m and len(m.group(2).split()) >= 3:
        text = m.group(2).strip()
    return text
