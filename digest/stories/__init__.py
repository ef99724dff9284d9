"""Stories: duplicate folding and grouping items into stories that persist across days.

Both stages are pure: they read through a small lookup (``StoryLookup``, ``DuplicateLookup``) and
return intents (``StoriesResult``, ``DedupeResult``) that ``digest.pipeline.publish`` applies.
"""

from digest.stories.assign import assign_stories, story_id_for
from digest.stories.dedupe import find_duplicates, is_later_version, place_duplicates
from digest.stories.lookup import (
    DedupeResult,
    DuplicateLookup,
    MemoryStoryLookup,
    NewStory,
    ProfileUpdate,
    Signature,
    StoriesResult,
    StoryLookup,
)

__all__ = [
    "DedupeResult",
    "DuplicateLookup",
    "MemoryStoryLookup",
    "NewStory",
    "ProfileUpdate",
    "Signature",
    "StoriesResult",
    "StoryLookup",
    "assign_stories",
    "find_duplicates",
    "is_later_version",
    "place_duplicates",
    "story_id_for",
]
