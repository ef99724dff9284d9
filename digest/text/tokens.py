"""Words as the stages count them: the word pattern, the stop-word list of content terms, and
markup shown as text (which is no word of the news).

A word starts with a letter and is at least two letters long; digits, underscores and stray
punctuation are not words. Stop words are function words plus the reporting and calendar words
every news item uses ("said", "reported", "monday"): they tell no event from another.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W\d_][\w'\-]*[^\W_]|[^\W\d_]{2}", re.UNICODE)
# markup shown as text: a script or style element with its content, any other tag, an entity
MARKUP = re.compile(
    r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>|<\s*/?\s*[a-zA-Z][^<>]{0,200}>|&#?\w{1,10};",
    re.IGNORECASE | re.DOTALL,
)
_STOPWORDS_TEXT = """
a about above after again against all almost also although always am among an and another any
are around as at be because been before being below between both but by can cannot could did do
does doing done down during each either else even ever every few for from further get gets got
had has have having he her here hers herself him himself his how however i if in into is it its
itself just last least less like made make many may me might more most much must my myself near
neither never new next no nor not now of off often on once one only or other others our ours
out over own per perhaps put rather really said same say says see seen several shall she should
since so some still such than that the their theirs them themselves then there these they this
those though three through thus to too two under until up upon us very via was we well were
what whatever when where whether which while who whom whose why will with within without would
year years yet you your yours yesterday today tomorrow monday tuesday wednesday thursday friday
saturday sunday week weeks day days time times mr mrs ms dr according told tell including
percent people first second third former latter later early earlier news report reported
reports reporting reuters ap afp cnn update updated
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def strip_markup(text: str) -> str:
    """Text without markup-looking fragments (tags, script bodies, entities)."""
    return MARKUP.sub(" ", text) if "<" in text or "&" in text else text
