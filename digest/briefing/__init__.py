"""The briefing view model handed to the templates, and the watchlist that pins stories."""

from digest.briefing.model import Briefing, DevelopmentEntry, build
from digest.briefing.watch import WatchHit, pin_watched

__all__ = [
    "Briefing",
    "DevelopmentEntry",
    "WatchHit",
    "build",
    "pin_watched",
]
