"""Plain typed records exchanged by the pipeline stages.

Data flows one way: a source yields ``RawItem``s, cleaning turns each into an ``Article``, the store
keeps them, and the later stages add ``Story``, ``Actor`` and ``Development`` records that the
briefing model (``digest.briefing.model``) assembles for rendering. Records are frozen so a stage
can never change what another stage already saw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

BodyFormat = Literal["text", "markdown", "html"]
DateSource = Literal["content", "feed", "file-time", "first-seen"]
ActorKind = Literal["person", "organization", "place", "group"]
DevelopmentKind = Literal["first", "new", "changed"]


@dataclass(frozen=True)
class RawItem:
    """One article as a source found it, before cleaning.

    ``body`` is in ``body_format``: a plain-text page dump, Markdown, or HTML (a whole saved page
    for files, an entry fragment for feeds). ``published`` is timezone-aware when known, with
    ``date_source`` saying where it came from. ``reference_time`` is the file's mtime or the feed's
    timestamp: relative dates in the text ("yesterday") resolve against it. ``source`` is the name
    of the configured source that found it; ``outlet`` is the publisher named by the item itself (a
    JSON ``source`` field, Markdown front matter), shown instead of the source name when present.
    """

    source: str
    origin: str
    body: str
    body_format: BodyFormat
    title: str | None = None
    guid: str | None = None
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    date_source: DateSource | None = None
    reference_time: datetime | None = None
    is_whole_page: bool = False
    outlet: str | None = None


@dataclass(frozen=True)
class Article:
    """A cleaned item: the unit every later stage reads.

    ``id`` is stable: derived from source + guid, else canonical URL, else content hash.
    ``source`` is what the reader sees (the outlet when the item names one); ``collector`` is the
    configured source that found it.
    ``text`` is the cleaned body (paragraphs separated by blank lines). ``html`` is the entry's own
    HTML when it came from a feed (unsanitised here; the renderer sanitises it).
    """

    id: str
    source: str
    origin: str
    title: str
    text: str
    url: str | None
    canonical_url: str | None
    published: datetime | None
    date_source: DateSource
    content_hash: str
    author: str | None = None
    html: str | None = None
    collector: str = ""  # name of the configured source that collected it


@dataclass(frozen=True)
class StoredItem:
    """An article as the store holds it, with its bookkeeping."""

    article: Article
    day: date
    first_seen: datetime
    story_id: str | None = None
    duplicate_of: str | None = None
    reported_on: date | None = None
    why_score: float | None = None
    why_shared: tuple[str, ...] = ()


@dataclass(frozen=True)
class Actor:
    """A person, organisation, place or group, under its best name."""

    name: str
    kind: ActorKind
    mentions: int
    role: str | None = None
    aliases: tuple[str, ...] = ()
    salience: float = 0.0
    first_seen: bool = False


@dataclass(frozen=True)
class Development:
    """One thing that is new in a story today, with where it came from.

    ``kind`` is ``first`` for a story's first report (its lead facts), ``new`` for information not
    reported before, ``changed`` for a figure that moved (``previous`` says from what, and when).
    """

    text: str
    item_id: str
    kind: DevelopmentKind
    source: str
    url: str | None
    published: datetime | None
    previous: str | None = None
    also_reported_by: tuple[str, ...] = ()
    score: float = 0.0


@dataclass(frozen=True)
class SourceStatus:
    """How one source fared in this run."""

    name: str
    ok: bool
    items: int = 0
    error: str | None = None


@dataclass(frozen=True)
class StoryView:
    """One story as it appears in one briefing: ``title`` is the headline of the day's most
    central item; ``first_title`` the headline the story started with ("" when the same)."""

    id: str
    title: str
    first_seen: date
    items: tuple[StoredItem, ...]
    actors: tuple[Actor, ...] = ()
    developments: tuple[Development, ...] = ()
    sources: tuple[str, ...] = field(default=())
    first_title: str = ""


@dataclass(frozen=True)
class BriefingActor:
    """An actor at briefing level: the stories of the day it appears in."""

    name: str
    kind: ActorKind
    mentions: int
    stories: tuple[str, ...]
    role: str | None = None
    aliases: tuple[str, ...] = ()
    first_seen: bool = False


@dataclass(frozen=True)
class Assignment:
    """Where the stories stage put one new item, and why (``shared``: the evidence it names)."""

    item_id: str
    story_id: str
    score: float
    shared: tuple[str, ...] = ()
    duplicate_of: str | None = None


@dataclass(frozen=True)
class StoryMember:
    """One of a story's latest items as the stories stage compares new items with it: its
    weighted features and its headline-and-lead embedding (empty when not known)."""

    item_id: str
    day: date
    vector: dict[str, float]
    embedding: tuple[float, ...] = ()


@dataclass(frozen=True)
class StoryProfile:
    """What the stories stage keeps of a story: how many items it ever had, when it was last
    seen, and its latest items (a bounded window, oldest first), never a sum of all of them."""

    story_id: str
    items: int
    last_seen: date
    members: tuple[StoryMember, ...] = ()
