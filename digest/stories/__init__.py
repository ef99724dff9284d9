"""Stories: duplicate folding and grouping items into stories that persist across days."""

from digest.stories.assign import assign_stories, story_id_for
from digest.stories.dedupe import find_duplicates, is_later_version

__all__ = [
    "assign_stories",
    "find_duplicates",
    "is_later_version",
    "story_id_for",
]
