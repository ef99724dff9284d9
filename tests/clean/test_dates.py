"""find_date: date lines, written dates, datelines, relative words, and the sanity limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from digest.clean import clean_item, clean_text_dump, find_date
from digest.models import RawItem

DATED = Path(__file__).resolve().parents[1] / "fixtures" / "clean" / "dated"
REF = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)  # a Tuesday


def _fixture(path: Path) -> tuple[str, datetime, str, str]:
    header, _, body = path.read_text("utf-8").partition("\n---\n")
    fields = dict(line.split(":", 1) for line in header.splitlines() if ":" in line)
    return (
        body,
        datetime.fromisoformat(fields["Reference"].strip()),
        fields["Expect-content-date"].strip(),
        fields["Expect-date"].strip(),
    )


@pytest.mark.parametrize("path", sorted(DATED.glob("*.txt")), ids=lambda p: p.stem)
def test_dated_fixtures(path: Path) -> None:
    """The text's own date (find_date, the dump cleaner) and the day a text file with that file
    time is filed under (clean_item: the text's date, else the file time)."""
    body, reference, content, filed = _fixture(path)
    for found in (
        find_date(body, reference_time=reference),
        clean_text_dump(body, reference_time=reference).published,
    ):
        assert (found.date().isoformat() if found else "none") == content
    raw = RawItem(
        source="inbox",
        origin=f"inbox/{path.name}",
        body=body,
        body_format="text",
        is_whole_page=True,
        reference_time=reference,
    )
    item = clean_item(raw, tz=ZoneInfo("UTC"), now=reference).article
    assert item.published is not None and item.published.date().isoformat() == filed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date 2025-01-13", datetime(2025, 1, 13, tzinfo=UTC)),
        ("Updated: 2025-01-13T09:30:00Z", datetime(2025, 1, 13, 9, 30, tzinfo=UTC)),
        (
            "2025-01-13 10:00:00+02:00",
            datetime(2025, 1, 13, 10, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("Headline\nJanuary 13, 2025\nBody.", datetime(2025, 1, 13, tzinfo=UTC)),
        ("Jan. 13, 2025", datetime(2025, 1, 13, tzinfo=UTC)),
        ("13th of January 2025", datetime(2025, 1, 13, tzinfo=UTC)),
        ("Published 01/13/2025", datetime(2025, 1, 13, tzinfo=UTC)),
        (
            "Nov 19, 2019, 8:15 pm CST",
            datetime(2019, 11, 19, 20, 15, tzinfo=timezone(timedelta(hours=-6))),
        ),
    ],
)
def test_absolute_dates(text: str, expected: datetime) -> None:
    assert find_date(text, reference_time=REF) == expected


def test_naive_date_uses_the_reference_zone() -> None:
    tz = timezone(timedelta(hours=3))
    found = find_date("date 2025-01-13", reference_time=datetime(2025, 3, 1, tzinfo=tz))
    assert found == datetime(2025, 1, 13, tzinfo=tz)


@pytest.mark.parametrize(
    ("text", "expected_day"),
    [
        ("NAIROBI, March 3 (Reuters) - Kenya said on Monday...", "2025-03-03"),
        ("Jane Roe, updated on Sunday", "2025-03-02"),
        ("Updated last Tuesday", "2025-02-25"),
        ("Posted yesterday at 9:15", "2025-03-03"),
        ("Jane Roe / 2 days ago", "2025-03-02"),
        ("Updated 3 hours ago", "2025-03-04"),
        ("Publicado el 30 de marzo de 2024", "2024-03-30"),
        ("Ver\u00f6ffentlicht am 28. Februar 2025", "2025-02-28"),
        ("Diterbitkan Maret 30, 2024", "2024-03-30"),
    ],
)
def test_datelines_and_relative_words(text: str, expected_day: str) -> None:
    found = find_date(text, reference_time=REF)
    assert found is not None and found.date().isoformat() == expected_day


@pytest.mark.parametrize(
    "text",
    [
        "The minister said on Sunday that talks would resume.",
        "The vote was held last Tuesday.",
        "Police said the fire started yesterday.",
    ],
)
def test_a_weekday_in_running_text_dates_the_event_not_the_page(text: str) -> None:
    assert find_date(text, reference_time=REF) is None


def test_the_date_line_nearest_the_body_is_found_far_down_a_page() -> None:
    from digest.clean.dates import find_date_line

    lines = ["Menu"] * 60 + [
        "Related: March 1, 2024 archive",
        "Jane Roe",
        "Nov 18, 2019, 11:47am EST",
    ]
    found = find_date_line("\n".join(lines), reference_time=REF)
    assert found is not None and found.date().isoformat() == "2019-11-18"


def test_relative_words_need_a_reference_time() -> None:
    assert find_date("The minister said on Sunday that talks would resume.") is None
    assert find_date("NAIROBI, March 3 (Reuters) - Kenya said...") is None


@pytest.mark.parametrize(
    "text",
    [
        "Founded 1749-01-01.",  # year before the window
        "date 0001-01-01",
        "date 9999-12-31",  # beyond reference + 1 day
        "date 2025-03-06",  # two days after the reference
        "date 2025-13-45",  # impossible month and day
        "February 31, 2025",
        "date 2025-03-01 25:61",  # impossible time: date kept only if the time is dropped
        "",
    ],
)
def test_sanity_limits(text: str) -> None:
    found = find_date(text, reference_time=REF)
    if text.endswith("25:61"):
        assert found == datetime(2025, 3, 1, tzinfo=UTC)
    else:
        assert found is None


def test_one_day_of_future_slack_is_allowed() -> None:
    # A page written in UTC+14 can carry tomorrow's date.
    assert find_date("date 2025-03-05", reference_time=REF) == datetime(2025, 3, 5, tzinfo=UTC)


def test_out_of_range_offset_falls_back_to_the_reference_zone() -> None:
    found = find_date("2025-01-13 10:00:00+99:00", reference_time=REF)
    assert found == datetime(2025, 1, 13, 10, tzinfo=UTC)


def test_date_line_beats_a_date_in_running_text() -> None:
    text = "Headline\nThe plan was first floated on March 1, 2024 by the mayor.\nPosted 2025-01-13"
    assert find_date(text, reference_time=REF) == datetime(2025, 1, 13, tzinfo=UTC)
