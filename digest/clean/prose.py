"""The one clean-up every article text gets before a sentence splitter reads it.

Feed summaries, feed content and files all pass here (``clean_item``), after their format's own
cleaner. What it removes is the packaging that wire services, aggregators and publishing systems
wrap around prose, recognised by shape, never by outlet name:

* a source tag opening the text: "[Harbour Wire] The council ...";
* a byline and dateline opening it: "By Ana Lima and Tom Reyes VELMORA/CASTRENO, Mar 3 (Wire) -",
  "VELMORA, Mar 3 (Wire) -", "VELMORA: ", "Castreno -- ", "VELMORA (Wire) -- ";
* "Read more", "Continue reading" and "The post ... appeared first on ..." tails, trailing "[...]"
  markers (kept as "…", so a cut sentence still shows it was cut) and blog shortcodes
  ("[video id=...]");
* a photo caption that ends in its credit ("... at the scene. / Photo: Coastal Press Archive"),
  the credit line under it, and credit lines alone ("Photo: Coastal Press");
* short "More from ..." labels left at the end of a text.

Invisible characters are removed earlier, by ``normalize_text``. Pure string work: no I/O.
"""

from __future__ import annotations

import re

from digest.clean.vocabulary import CREDIT_RE, TAIL_LABEL_RE

__all__ = ["opens_with_dateline", "tidy_text"]

_PARAGRAPH_RE = re.compile(r"\n\s*\n")
# "[Harbour Wire]", "[Coastal Press (CP)]": a short bracketed name opening a text.
_SOURCE_TAG_RE = re.compile(r"^\[(?P<tag>[^\[\]\n]{2,60})\](?:\s+|$)")
# A name of a place or person: capitalised words (with initials, hyphens, apostrophes).
_CAP = r"[A-Z\u00c0-\u00de][\w.'\u2019-]*"
_UPPER = r"[A-Z\u00c0-\u00de][A-Z\u00c0-\u00de.'\u2019-]+"
_NAME = rf"{_CAP}(?:\s+(?:{_CAP}|de|da|do|dos|del|van|von|der|al|el|bin|ibn|le|la)){{0,4}}"
_NAMES = rf"By\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME}){{0,5}}"
_BYLINE = _NAMES + r"\s+"
_MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = rf"(?:,\s*{_MONTHS}\s+\d{{1,2}}(?:,\s*\d{{4}})?)"
_AGENCY = r"(?:\s*\([A-Za-z][\w .&'/-]{0,30}\))"
_DASH = r"(?:-{1,2}|\u2013|\u2014)"
# "VELMORA, Mar 3 (Wire) -", "NEW YORK/LONDON (Wire) --", "VELMORA, Northland -", "VELMORA:".
_UPPER_PLACE = rf"{_UPPER}(?:[ /]{_UPPER})*(?:,\s*(?:{_UPPER}|{_CAP})(?:\s{_CAP}){{0,2}})?"
_UPPER_DATELINE_RE = re.compile(
    rf"^(?:{_BYLINE})?(?P<place>{_UPPER_PLACE}){_DAY}?{_AGENCY}?\s*(?:{_DASH}\s+|:\s+)"
    r"(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u00de])"
)
# "Castreno -- ", "Port Elm, Mar 3 (Wire) - ": a title-case place needs a dash and a capital after.
_TITLE_DATELINE_RE = re.compile(
    rf"^(?:{_BYLINE})?(?P<place>{_CAP}(?:\s{_CAP}){{0,3}}){_DAY}?{_AGENCY}?\s+{_DASH}\s+"
    r"(?=[\"'\u201c\u2018]?[A-Z0-9\u00c0-\u00de])"
)
_WIRE_DATELINE_RE = re.compile(
    rf"^(?:{_BYLINE})?(?P<place>{_CAP}(?:[ /]{_CAP}){{0,3}}){_DAY}{_AGENCY}\s*(?:{_DASH}|:)\s+"
)
_MORE = (
    r"(?:read more|continue reading|read the (?:full|whole|rest of the) (?:story|article)|"
    r"full (?:story|article)|more)"
)
# "...", "[…]", "… Read more", "[Read more]" closing a paragraph; the ellipsis is kept.
_CUT_TAIL_RE = re.compile(
    rf"\s*(?:\[\s*(?:\.{{3}}|\u2026)\s*\]|(?:\.{{3}}|\u2026)\s*\[?\s*{_MORE}\W{{0,3}}\]?)\s*$",
    re.IGNORECASE,
)
# "... the council said. Continue reading on Harbour Wire →", "[Read more]".
_MORE_TAIL_RE = re.compile(
    rf"(?:(?<=[.!?\"\u201d\u2019)])|^)\s*(?:\[\s*{_MORE}\W{{0,3}}\]|"
    r"(?:read more|continue reading|read the (?:full|whole|rest of the) (?:story|article))\b"
    r"[^.!?\n]{0,60})\s*$",
    re.IGNORECASE,
)
# Blog shortcodes: "[video id=abc autostart=1]", "[caption id="x"]...[/caption]", "[/embed]".
_SHORTCODE_RE = re.compile(
    r"\[caption\b[^\]]{0,300}\].{0,600}?\[/caption\]"
    r"|\[[a-z][a-z_-]*\s+[a-z_-]+=[^\]\n]{0,300}\]|\[/[a-z][a-z_-]*\]",
    re.DOTALL,
)
_POST_FOOTER_RE = re.compile(
    r"\s*\bthe post\b.{1,300}\bappeared first on\b.{1,120}$", re.IGNORECASE | re.DOTALL
)
# A caption ending in its credit after a slash or bar: "... at the scene / Photo: Coastal Press".
_SLASH_CREDIT_RE = re.compile(
    r"\s[/|]\s*(?:photo|photograph|image|picture|foto|credit|source)s?\s*(?::|by\b)\s*"
    r"(?P<credit>[^./|]{2,60})$",
    re.IGNORECASE,
)
_BYLINE_RE = re.compile(rf"^{_NAMES}\s*$")
_BULLET_RE = re.compile(r"^[\u2022\u25aa\u25cf*\u2013-]\s")
_OPENING_PARAGRAPHS = 3  # a dateline follows at most a few byline lines and the highlights
_MAX_CAPTION_WORDS = 40
_MAX_LABEL_WORDS = 6


def _strip_opening(paragraph: str) -> str:
    """Remove a source tag, byline and dateline from the start of the text's first paragraph."""
    tag = _SOURCE_TAG_RE.match(paragraph)
    if tag and len(tag["tag"].split()) <= 8 and not re.search(r"[.!?]\s", tag["tag"]):
        paragraph = paragraph[tag.end() :]
    for rx in (_WIRE_DATELINE_RE, _UPPER_DATELINE_RE, _TITLE_DATELINE_RE):
        m = rx.match(paragraph)
        if not m or m.end() >= len(paragraph):
            continue
        if paragraph[m.end("place") :].lstrip().startswith(":") and len(m["place"]) < 3:
            continue  # "AI: ...", "UK: ...": a topic label, not a place
        return paragraph[m.end() :]
    return paragraph


def opens_with_dateline(paragraph: str) -> bool:
    """The paragraph opens with a wire dateline in capitals ("VELMORA, Mar 3 (Wire) -",
    "PORT ELM, Northland \u2014"): the first paragraph of an article."""
    for rx in (_WIRE_DATELINE_RE, _UPPER_DATELINE_RE):
        m = rx.match(paragraph)
        if m and m.end() < len(paragraph) and len(m["place"]) >= 3:
            return True
    return False


def _strip_tail(paragraph: str) -> str:
    paragraph = _POST_FOOTER_RE.sub("", paragraph)
    m = _CUT_TAIL_RE.search(paragraph)
    if m:
        paragraph = paragraph[: m.start()].rstrip()
        return paragraph + "\u2026" if paragraph else ""
    m = _MORE_TAIL_RE.search(paragraph)
    return paragraph[: m.start()].rstrip() if m else paragraph


def _credit_line(paragraph: str) -> bool:
    """A photo credit alone, or a caption that ends in one."""
    words = len(paragraph.split())
    if words > _MAX_CAPTION_WORDS:
        return False
    return bool(_SLASH_CREDIT_RE.search(paragraph) or CREDIT_RE.search(paragraph))


def tidy_text(text: str) -> str:
    """Article text without source tags, datelines, captions, credits and "Read more" tails."""
    if not text:
        return text
    paragraphs = [p.strip() for p in _PARAGRAPH_RE.split(text)]
    out: list[str] = []
    drop_credit: str | None = None
    opening = True  # until the first paragraph of prose
    leading = 0  # paragraphs before it, highlight bullets not counted (a list may be long)
    for para in paragraphs:
        para = _SHORTCODE_RE.sub("", para).strip()
        if opening and leading < _OPENING_PARAGRAPHS and para:
            if _BULLET_RE.match(para):
                pass
            elif _BYLINE_RE.match(para):
                leading += 1
                continue  # "By Ana Lima and Tom Reyes" on a line of its own
            else:
                para, opening = _strip_opening(para).strip(), False
        para = _strip_tail(para).strip()
        if not para:
            continue
        if drop_credit is not None and para.casefold() == drop_credit:
            drop_credit = None
            continue  # the credit printed again under its caption
        drop_credit = None
        if _credit_line(para):
            m = _SLASH_CREDIT_RE.search(para)
            drop_credit = m["credit"].strip().casefold() if m else None
            continue
        out.append(para)
    while out and len(out[-1].split()) <= _MAX_LABEL_WORDS and TAIL_LABEL_RE.search(out[-1]):
        out.pop()  # "More from the Harbour Wire" left under the text
    return "\n\n".join(out)
