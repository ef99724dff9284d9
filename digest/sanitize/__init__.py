"""Making untrusted input safe: the one place for it.

* ``digest.sanitize.markup``: untrusted HTML and text made inert in HTML and Markdown
  (``sanitize_html``, ``safe_url``, ``escape_markdown``, ``markdown_link``, ``html_to_text``);
  the only code that wraps untrusted content in ``Markup``.
* ``digest.sanitize.text``: the one sanitiser for untrusted text that reaches a log, a status, a
  footer, SQLite or an output (``clean_text``, ``one_line``, ``clean_article``, ``LogFormatter``).
* ``digest.sanitize.redact``: the one redaction of secrets in URLs (``redact_url``,
  ``redact_text``).
"""

from digest.sanitize.markup import (
    MAX_FRAGMENT_CHARS,
    escape_markdown,
    html_to_text,
    markdown_link,
    safe_url,
    sanitize_html,
    strip_control_chars,
)
from digest.sanitize.redact import redact_text, redact_url
from digest.sanitize.text import LogFormatter, clean_article, clean_text, one_line

__all__ = [
    "MAX_FRAGMENT_CHARS",
    "LogFormatter",
    "clean_article",
    "clean_text",
    "escape_markdown",
    "html_to_text",
    "markdown_link",
    "one_line",
    "redact_text",
    "redact_url",
    "safe_url",
    "sanitize_html",
    "strip_control_chars",
]
