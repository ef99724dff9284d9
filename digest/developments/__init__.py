"""New developments: what each story reports today that it had not reported before, and the
figures that changed."""

from digest.developments.select import story_developments

__all__ = [
    "story_developments",
]
