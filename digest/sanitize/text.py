"""The one sanitiser for untrusted text on its way to a log, ``digest status``, a footer, SQLite
or an output file.

``clean_text`` (multi-line text) and ``one_line`` (names, titles, error messages, log lines)
remove C0 controls except tab and newline, C1 controls, DEL, whole terminal escape sequences (CSI
``ESC [ ... m``, OSC ``ESC ] ... BEL``, DCS/APC ... ST, two-byte escapes) and bidirectional
embeddings, overrides and isolates; lone surrogates become U+FFFD. They are applied after the last
decoding step of each value (JSON and YAML escapes included), where the value is stored or shown,
so no decoder can bring a control character back behind them. ``clean_article`` applies them to an
article at the store boundary; ``LogFormatter`` to every log record the CLI and daemon write.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from digest.models import Article
from digest.sanitize.redact import redact_text

__all__ = ["LogFormatter", "clean_article", "clean_text", "one_line"]

# Terminal escape sequences (ECMA-48), removed whole so that no "[2J" or window title is left
# behind: CSI (ESC [ or C1 CSI, parameters, intermediates, a final byte); OSC, DCS, SOS, PM and APC
# strings up to their terminator (BEL or ST; an unterminated one up to the end of the line, at most
# 512 characters); and two-byte escapes (ESC, intermediates, a final byte).
_ESCAPE_RE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]{0,512}(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)
# C0 and C1 controls except tab and newline, plus DEL. They have no business in feed text, are
# invalid in XML, and some (NUL, ESC) break storage, terminals or browsers' URL parsing.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NEWLINE_RE = re.compile("\r\n|\r|\x85")
# Bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) and the
# implicit marks: they reorder what a reader or a terminal shows ("gpj.exe" shown as "exe.jpg").
_BIDI_RE = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Untrusted multi-line text made safe to store, log or show.

    Line breaks are unified to ``\\n``; terminal escape sequences, C0 controls other than tab and
    newline, C1 controls, DEL and bidi controls are removed; lone surrogates become U+FFFD.
    """
    if not text:
        return text
    text = _SURROGATE_RE.sub("\ufffd", text)
    text = _NEWLINE_RE.sub("\n", text)
    text = _ESCAPE_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    return _BIDI_RE.sub("", text)


def one_line(text: str | None, limit: int | None = None) -> str:
    """Untrusted text as one clean line (names, titles, errors, log and status lines).

    ``clean_text``, then every run of whitespace (tab, newline, U+2028...) becomes one space;
    cut to ``limit`` characters with an ellipsis when given.
    """
    line = " ".join(clean_text(text or "").split())
    if limit is not None and len(line) > limit:
        line = line[: max(limit - 1, 0)] + "…"
    return line


# A run of this many characters without whitespace is not a word anyone reads (a long URL is about
# 200). Tokenisers strip prefix and suffix punctuation one character at a time, so 20,000
# brackets or quotes in one "word" cost spaCy minutes (quadratic). A longer run that is mostly
# letters and digits (a URL, an identifier) is cut into pieces of ``_RUN_PIECE`` characters; one
# that is mostly punctuation is not text at all and keeps only its first ``_RUN_PIECE``.
_MAX_RUN = 300
_RUN_PIECE = 100
_LONG_RUN_RE = re.compile(rf"\S{{{_MAX_RUN + 1},}}")


def _break_long_runs(text: str) -> str:
    def piece(match: re.Match[str]) -> str:
        run = match.group(0)
        if sum(c.isalnum() for c in run) < len(run) / 2:
            return run[:_RUN_PIECE] + " …"
        return " ".join(run[i : i + _RUN_PIECE] for i in range(0, len(run), _RUN_PIECE))

    return _LONG_RUN_RE.sub(piece, text)


def clean_article(article: Article) -> Article:
    """The article with every text field through the sanitiser, as it is stored; in the body a
    run of more than 300 characters without whitespace is cut into pieces (or, when it is mostly
    punctuation, to its start), so that no later tokeniser meets a "word" of thousands of
    brackets or quotes."""

    def opt(value: str | None) -> str | None:
        return one_line(value) or None if value is not None else None

    return dataclasses.replace(
        article,
        source=one_line(article.source),
        origin=one_line(article.origin),
        title=one_line(article.title) or "(untitled)",
        text=_break_long_runs(clean_text(article.text)),
        url=opt(article.url),
        canonical_url=opt(article.canonical_url),
        author=opt(article.author),
        html=clean_text(article.html) if article.html is not None else None,
        collector=one_line(article.collector),
    )


class LogFormatter(logging.Formatter):
    """A formatter whose every record is one clean line with its URLs redacted: a message built
    from untrusted text (a server's reason phrase, a file name, a title) can neither forge a line
    nor drive the terminal, and no credential in a URL reaches the log. Tracebacks (``exc_info``)
    follow on their own lines, cleaned the same way."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's API
        return one_line(redact_text(super().formatMessage(record)))

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's API
        return clean_text(super().formatException(ei))
