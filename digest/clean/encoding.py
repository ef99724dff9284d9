"""Bytes -> clean Unicode text: the one place that decides how a file's bytes are read.

Strict UTF-8 first (BOM stripped), then cp1252 and Latin-1 so old Windows files keep their euro
signs and curly quotes. ftfy repairs mojibake only when its badness heuristic flags the text, and is
told not to straighten quotes or change character widths, so clean text is never rewritten.
"""

from __future__ import annotations

import logging
import re
import unicodedata

import ftfy
from ftfy.badness import is_bad

logger = logging.getLogger(__name__)

__all__ = ["decode_bytes", "normalize_text"]

_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    normalization="NFC",
    unescape_html=False,
    explain=False,
)

# Zero-width and bidirectional controls: invisible, and used to spoof or split words.
_INVISIBLE = (
    "\u00ad\u200b\u2060-\u2064\u206a-\u206f\ufeff\u180e\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
)
_INVISIBLE_RE = re.compile("[" + _INVISIBLE + "]")
# ZWNJ/ZWJ (U+200C/U+200D) shape the letters of Arabic, Persian, Hebrew and the Indic scripts and
# glue emoji sequences; next to anything else (a Latin word, a space) they are only debris.
_JOINER_RE = re.compile("[\u200c\u200d]")
_JOINING_FROM = 0x0590  # Hebrew, Arabic, Syriac, Thaana, the Indic scripts and beyond
# C0/C1 controls except tab and newline (CR is handled by newline normalisation first).
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NEWLINE_RE = re.compile("\r\n|\r|\x85|\u2028|\u2029")


def normalize_text(text: str) -> str:
    """NFC, unified newlines, and no control, zero-width or bidi characters."""
    text = _NEWLINE_RE.sub("\n", text)
    text = _CONTROL_RE.sub("", text)
    text = _INVISIBLE_RE.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        text = _JOINER_RE.sub(lambda m: _keep_joiner(m.string, m.start()), text)
    return unicodedata.normalize("NFC", text)


def _joins(ch: str) -> bool:
    """A character whose script or emoji sequence can use a zero-width (non-)joiner."""
    if ord(ch) >= _JOINING_FROM and unicodedata.category(ch)[0] in "LM":
        return not ("\u1e00" <= ch <= "\u1eff")  # Latin Extended Additional
    return unicodedata.category(ch) == "So" or ch == "\ufe0f" or 0x1F3FB <= ord(ch) <= 0x1F3FF


def _keep_joiner(text: str, at: int) -> str:
    before = text[at - 1] if at > 0 else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    return text[at] if before and after and _joins(before) and _joins(after) else ""


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            logger.debug("utf-16 BOM present but data does not decode as utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        logger.debug("decoded as cp1252 after utf-8 failed")
        return text
    except UnicodeDecodeError:
        logger.debug("decoded as latin-1 after utf-8 and cp1252 failed")
        return data.decode("latin-1")


def decode_bytes(data: bytes) -> str:
    """Decode file bytes to normalised text; repairs mojibake only when it is detected."""
    text = _decode(data)
    if is_bad(text):
        fixed = ftfy.fix_text(text, _FTFY_CONFIG)
        if fixed != text:
            logger.debug("repaired mojibake with ftfy")
            text = fixed
    return normalize_text(text)
