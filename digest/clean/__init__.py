"""Cleaning stage: raw bytes, text dumps, HTML and Markdown -> article title, body and date.

Everything here is pure: no I/O and no clock reads (time is an argument). The pipeline calls
``decode_bytes`` + ``clean_text_dump`` for text files (then remembers ``line_keys`` in the
source's ``LineMemory``), ``extract_html`` for saved pages, ``html_fragment_to_text`` for feed
entries and ``markdown_to_text`` for Markdown files.
"""

from digest.clean.dates import find_date
from digest.clean.encoding import decode_bytes, normalize_text
from digest.clean.html import extract_html, html_fragment_to_text, markdown_to_text
from digest.clean.items import (
    CleanResult,
    StoredIdentity,
    clean_item,
    raw_fingerprint,
    raw_item_id,
    resolve_id,
)
from digest.clean.memory import InMemoryLineMemory, LineMemory, line_key
from digest.clean.result import CleanedText
from digest.clean.textdump import clean_text_dump
from digest.clean.titles import clean_title

__all__ = [
    "CleanResult",
    "CleanedText",
    "InMemoryLineMemory",
    "LineMemory",
    "StoredIdentity",
    "clean_item",
    "clean_text_dump",
    "clean_title",
    "decode_bytes",
    "extract_html",
    "find_date",
    "html_fragment_to_text",
    "line_key",
    "markdown_to_text",
    "normalize_text",
    "raw_fingerprint",
    "raw_item_id",
    "resolve_id",
]
