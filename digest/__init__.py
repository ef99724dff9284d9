"""digest: an automated news-digest generator.

Collects items from files and feeds, cleans them, folds duplicates, groups them into stories that
persist across days, and renders a dated briefing with Key actors and New developments.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
