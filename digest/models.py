"""Plain typed records exchanged by the pipeline stages.

Data flows one way: a source yields ``RawItem``s, cleaning turns each into an ``Article``, the store
keeps them, and the later stages add ``Story``, ``Actor`` and ``Development`` records that the
briefing model (``digest.briefing.model``) assembles for rendering. Records are frozen so a stage
can never change what another stage already saw.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

BodyFormat = Literal["text", "markdown", "html"]
DateSource = Literal["content", "feed", "file-time", "first-seen"]
ActorKind = Literal["person", "organization", "state", "place", "group"]
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
    HTML when it came from a feed (unsanitised here; the renderer sanitises it). ``title`` is the
    headline, ``url`` the link as published (untrusted: pages vet it), ``published`` the
    timezone-aware publication time when known.
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
    """An article as the store holds it, with its bookkeeping: the cleaned ``article``, the
    ``day`` it belongs to, its ``story_id``, and ``duplicate_of`` (the id of the item it is a copy
    of, shown as "same article")."""

    article: Article
    day: date
    first_seen: datetime
    story_id: str | None = None
    duplicate_of: str | None = None
    reported_on: date | None = None
    why_score: float | None = None
    why_shared: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A named-entity span: its text, spaCy label and character offsets into the analysed text
    (``digest.text.analysed_text``)."""

    text: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Actor:
    """A person, organisation, state (a country that acts), place or group, under its best
    ``name``, with its ``kind``, its ``mentions`` in the story, its ``role`` when the text gives
    one ("director of ...") and the other names (``aliases``) it was merged from."""

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
    ``text`` is the sentence; ``source``, ``url`` and ``published`` cite the item it came from;
    ``also_reported_by`` names the other outlets that reported the same fact.
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
class SourceState:
    """What is remembered about one source between runs (the store keeps it; sources read it).

    ``etag``/``last_modified`` are the vetted conditional-GET validators; ``not_before`` is when a
    server that answered 429/503 with ``Retry-After`` may be asked again.
    """

    name: str
    etag: str | None = None
    last_modified: str | None = None
    not_before: datetime | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    consecutive_failures: int = 0
    last_items: int = 0


@dataclass(frozen=True)
class SourceStatus:
    """How one source fared in this run: its ``name``, whether it was ``ok``, the ``items`` it
    contributed and, when it failed, the ``error``."""

    name: str
    ok: bool
    items: int = 0
    error: str | None = None


@dataclass(frozen=True)
class StoryView:
    """One story as it appears in one briefing: its ``id`` (stable across days), ``title`` (the
    headline of the day's most central item), ``first_title`` (the headline the story started
    with), ``first_seen`` (the date of its earliest item), ``items`` (originals first), ``actors``,
    ``developments`` (what is new today), ``sources`` (the outlets that reported it) and
    ``places`` (where it happens)."""

    id: str
    title: str
    first_seen: date
    items: tuple[StoredItem, ...]
    actors: tuple[Actor, ...] = ()
    developments: tuple[Development, ...] = ()
    sources: tuple[str, ...] = field(default=())
    places: tuple[str, ...] = ()  # where the story happens (places named as settings)
    first_title: str = ""  # the headline the story started with


@dataclass(frozen=True)
class BriefingActor:
    """An actor at briefing level: its ``name``, ``kind``, ``role`` and ``mentions`` across the
    day, the ``stories`` of the day it appears in (ids, the one it weighs most in first), and
    ``first_seen`` when the briefings never named it before."""

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
class KnownActor:
    """An actor the registry has seen on earlier days: best name, kind, first sighting, and how
    many days it was seen with each kind."""

    key: str
    name: str
    kind: ActorKind
    first_seen: date
    kinds: Mapping[str, int] = field(default_factory=dict)  # kind -> days seen with that kind


@dataclass(frozen=True)
class Registry:
    """A read-only snapshot of the actor registry: actors by key and, per alias key, the
    (actor key, days) it named."""

    actors: Mapping[str, KnownActor] = field(default_factory=dict)
    aliases: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)

    def resolve(self, alias_key: str) -> str | None:
        """The actor an alias names most often (ties: the alphabetically first key, for
        stability)."""
        named = self.aliases.get(alias_key)
        if not named:
            return None
        return min(named, key=lambda kv: (-kv[1], kv[0]))[0]


@dataclass(frozen=True)
class Learned:
    """What one day taught about one actor: its best name, kind, and the names it went by."""

    key: str
    name: str
    kind: ActorKind
    day: date
    aliases: tuple[tuple[str, str], ...]  # (alias key, alias as written)


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
