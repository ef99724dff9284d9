"""The briefing view model handed to the templates: stories ranked, summarised, numbered and
grouped into sections; the watchlist that pins stories; the snapshot that stores a briefing."""

from digest.briefing.model import Briefing, BriefingStory, DevelopmentEntry, Section, build
from digest.briefing.watch import WatchHit, pin_watched

__all__ = [
    "Briefing",
    "BriefingStory",
    "DevelopmentEntry",
    "Section",
    "WatchHit",
    "build",
    "pin_watched",
]
