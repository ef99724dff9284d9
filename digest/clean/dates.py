"""Publication dates found in article text, with sanity limits.

Looks, in order of trust, for: a date line ("Published 2025-01-13", "January 13, 2025 8:15 pm
EST"), a written date near the top, a wire dateline ("NAIROBI, March 3 (Reuters) -", year taken
from the reference time), and relative words ("yesterday", "on Sunday", "3 hours ago") on a short
stamp line, resolved against the reference time (in running text they date the event told, not
the page). Time is an argument: nothing here reads the clock. Naive dates are placed in the
reference time's zone, else UTC.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

logger = logging.getLogger(__name__)

__all__ = ["MIN_YEAR", "find_date", "find_date_line"]

MIN_YEAR = 1990
_FUTURE_SLACK = timedelta(days=1)
_MAX_DATE_LINE_EXTRA_WORDS = 6
_MAX_STAMP_WORDS = 8

_MONTH_WORDS = (
    # English, French, Spanish, Portuguese, Italian, German, Dutch, Indonesian/Malay (abbreviations
    # that are English words, such as "set", "out" or "ago", are left out)
    ("january jan janvier janv enero ene janeiro gennaio januar j\u00e4nner jan januari", 1),
    (
        "february feb f\u00e9vrier fevrier f\u00e9vr febrero febr fevereiro fev febbraio februar "
        "februari pebruari",
        2,
    ),
    ("march mar mars marzo mar\u00e7o marco m\u00e4rz maerz maart maret", 3),
    ("april apr avril avr abril abr aprile", 4),
    ("may mai mayo maio maggio mei", 5),
    ("june jun juin junio junho giugno juni", 6),
    ("july jul juillet juil julio julho luglio juli", 7),
    ("august aug ao\u00fbt aout agosto augustus agustus ogos", 8),
    ("september sep sept septembre septiembre setiembre setembro settembre", 9),
    ("october oct octobre octubre outubro ottobre oktober okt", 10),
    ("november nov novembre noviembre novembro", 11),
    (
        "december dec d\u00e9cembre decembre d\u00e9c diciembre dic dezembro dez dicembre "
        "dezember desember disember",
        12,
    ),
)
_MONTHS = {word: number for words, number in _MONTH_WORDS for word in words.split()}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_TZ_ABBREV = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "bst": 1,
    "cet": 1,
    "cest": 2,
    "eet": 2,
    "eest": 3,
    "msk": 3,
    "ist": 5.5,
    "jst": 9,
    "kst": 9,
    "aest": 10,
    "aedt": 11,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "et": -5,
    "pt": -8,
    "akst": -9,
    "akdt": -8,
    "hst": -10,
    "nzst": 12,
    "nzdt": 13,
    "sast": 2,
    "wat": 1,
    "eat": 3,
}

_MONTH_NAMES = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_ANY_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_MONTH = r"(?P<month>" + _ANY_MONTH_NAMES + r")\.?"
_TIME = (
    r"(?:(?:,|\s+at|\s*[-\u2013|])?\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\.\d+)?\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<tz>z|[+-]\d{2}:?\d{2}|utc|gmt|[a-z]{2,4}t)?\b)?"
)

_ISO_RE = re.compile(
    r"\b(?P<year>\d{4})[-/.](?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})"
    r"(?:[T ]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.\d+)?"
    r"\s*(?P<tz>z|[+-]\d{2}:?\d{2}|utc|gmt)?)?(?!\d)",
    re.IGNORECASE,
)
_MDY_RE = re.compile(
    r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b" + _TIME,
    re.IGNORECASE,
)
_DMY_RE = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th|er|\u00ba)?\.?\s+(?:of\s+|de\s+)?"
    + _MONTH
    + r",?\s+(?:de\s+)?(?P<year>\d{4})\b"
    + _TIME,
    re.IGNORECASE,
)
_NUMERIC_RE = re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})\b")
_DATELINE_RE = re.compile(
    r"^\s*(?:\[[^\[\]\n]{2,60}\]\s*)?"  # an aggregator's source tag: "[Harbour Wire] "
    r"(?:[A-Z][A-Za-z.'\u2019-]*(?:[ -][A-Z][A-Za-z.'\u2019-]*)*,\s*)+"  # NAIROBI, Kenya,
    + r"(?P<month>(?i:"
    + _MONTH_NAMES
    + r"))\.?"
    + r"\s+(?P<day>\d{1,2})\b(?:\s*\([^)]{2,40}\))?\s*[-\u2013\u2014:]"
)
_LABEL_RE = re.compile(
    r"(?:published|posted|updated|date|dated|first published|last updated)\b\s*:?", re.IGNORECASE
)
_RELATIVE_RE = re.compile(
    r"\b(?P<word>yesterday)\b"
    r"|\b(?P<ago>\d{1,2})\s+(?P<unit>hours?|hrs?|days?)\s+ago\b"
    r"|\b(?:on|last|this past|early|late)\s+(?P<weekday>monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday)\b",
    re.IGNORECASE,
)


def _tz_from(text: str | None, default: tzinfo) -> tzinfo:
    if not text:
        return default
    t = text.lower()
    if t in _TZ_ABBREV:
        return timezone(timedelta(hours=_TZ_ABBREV[t]))
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", t)
    if m:
        hours, minutes = int(m.group(2)), int(m.group(3))
        offset = timedelta(hours=hours, minutes=minutes)
        if hours > 14 or minutes >= 60:
            return default
        return timezone(-offset if m.group(1) == "-" else offset)
    return default


def _build(year: int, month: int, day: int, m: re.Match[str] | None, tz: tzinfo) -> datetime | None:
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    t = time()
    zone = tz
    if m is not None and "hour" in m.groupdict() and m.group("hour"):
        hour, minute = int(m.group("hour")), int(m.group("minute"))
        second = int(m.group("second") or 0) if "second" in m.groupdict() else 0
        ampm = (m.groupdict().get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60 and second < 60:
            t = time(hour, minute, second)
            zone = _tz_from(m.groupdict().get("tz"), tz)
    return datetime.combine(d, t, tzinfo=zone)


def _sane(dt: datetime, reference: datetime | None, min_year: int) -> bool:
    if dt.year < min_year or dt.year > 2200:
        return False
    if reference is not None:
        ref = reference if reference.tzinfo else reference.replace(tzinfo=UTC)
        try:
            if dt - ref > _FUTURE_SLACK:
                return False
        except OverflowError:
            return False
    return True


def _absolute(line: str, tz: tzinfo) -> Iterator[tuple[int, int, datetime]]:
    """Every absolute date written in the line with its span, in order of appearance."""
    found: list[tuple[int, int, datetime]] = []
    for m in _ISO_RE.finditer(line):
        dt = _build(int(m["year"]), int(m["mon"]), int(m["day"]), m, tz)
        if dt:
            found.append((m.start(), m.end(), dt))
    for rx in (_MDY_RE, _DMY_RE):
        for m in rx.finditer(line):
            month = _MONTHS[m["month"].lower().rstrip(".")]
            dt = _build(int(m["year"]), month, int(m["day"]), m, tz)
            if dt:
                found.append((m.start(), m.end(), dt))
    for m in _NUMERIC_RE.finditer(line):
        a, b = int(m["a"]), int(m["b"])
        # Dots are day.month (European); slashes month/day unless the first number is > 12.
        day, month = (a, b) if m["sep"] == "." or a > 12 else (b, a)
        dt = _build(int(m["year"]), month, day, None, tz)
        if dt:
            found.append((m.start(), m.end(), dt))
    yield from sorted(found, key=lambda p: p[0])


def _is_date_line(line: str, start: int, end: int) -> bool:
    """A line that is mostly the date ("Jane Doe - Nov 19, 2019"), or a labelled date."""
    rest = (line[:start] + " " + line[end:]).split()
    return len(rest) <= _MAX_DATE_LINE_EXTRA_WORDS or bool(_LABEL_RE.match(line.strip()))


def _dateline(line: str, reference: datetime | None, tz: tzinfo) -> datetime | None:
    m = _DATELINE_RE.match(line)
    if not m or reference is None:
        return None
    month = _MONTHS[m["month"].lower().rstrip(".")]
    ref_day = reference.astimezone(tz).date() if reference.tzinfo else reference.date()
    for year in (ref_day.year, ref_day.year - 1):
        dt = _build(year, month, int(m["day"]), None, tz)
        if dt and dt.date() <= ref_day + _FUTURE_SLACK:
            return dt
    return None


def _relative(text: str, reference: datetime, tz: tzinfo) -> datetime | None:
    m = _RELATIVE_RE.search(text)
    if not m:
        return None
    ref = reference.astimezone(tz) if reference.tzinfo else reference.replace(tzinfo=tz)
    day = ref.date()
    if m["ago"]:
        amount = int(m["ago"])
        if m["unit"].lower().startswith("d"):
            return datetime.combine(day - timedelta(days=amount), time(), tzinfo=tz)
        return ref - timedelta(hours=amount)
    if m["word"]:
        back = 1  # "yesterday"; "today" is left out: "still made today" is not a date
    else:
        back = (day.weekday() - _WEEKDAYS[m["weekday"].lower()]) % 7
        if back == 0 and m.group(0).lower().startswith("last"):
            back = 7
    return datetime.combine(day - timedelta(days=back), time(), tzinfo=tz)


def find_date(
    text: str,
    *,
    reference_time: datetime | None = None,
    max_lines: int = 40,
    min_year: int = MIN_YEAR,
) -> datetime | None:
    """The publication date written in the first ``max_lines`` lines of ``text``, or None.

    Dates before ``min_year`` or more than a day after ``reference_time`` are rejected. Relative
    words and datelines without a year need ``reference_time``.
    """
    tz: tzinfo = UTC
    if reference_time is not None and reference_time.tzinfo is not None:
        tz = reference_time.tzinfo
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:max_lines]
    written: datetime | None = None
    for line in lines:
        for start, end, dt in _absolute(line, tz):
            if not _sane(dt, reference_time, min_year):
                continue
            if _is_date_line(line, start, end):
                return dt
            if written is None:
                written = dt
    if written is not None:
        return written
    for line in lines:
        wire = _dateline(line, reference_time, tz)
        if wire and _sane(wire, reference_time, min_year):
            return wire
    if reference_time is not None:
        relative = _relative("\n".join(ln for ln in lines if _is_stamp(ln)), reference_time, tz)
        if relative and _sane(relative, reference_time, min_year):
            return relative
    return None


def _is_stamp(line: str) -> bool:
    """A publication stamp ("Updated 3 hours ago", "Jane Roe, updated on Sunday"), not prose: a
    weekday or "yesterday" in a sentence dates the event it tells, not the page."""
    if _LABEL_RE.match(line):
        return True
    return len(line.split()) <= _MAX_STAMP_WORDS and not re.search(r"[.!?;]$", line)


def find_date_line(
    text: str, *, reference_time: datetime | None = None, min_year: int = MIN_YEAR
) -> datetime | None:
    """The date of the last line of ``text`` that is mostly a date (a byline or date line): the
    one closest to an article that follows it."""
    tz: tzinfo = UTC
    if reference_time is not None and reference_time.tzinfo is not None:
        tz = reference_time.tzinfo
    for line in reversed([ln.strip() for ln in text.split("\n") if ln.strip()]):
        for start, end, dt in _absolute(line, tz):
            if _sane(dt, reference_time, min_year) and _is_date_line(line, start, end):
                return dt
    return None
