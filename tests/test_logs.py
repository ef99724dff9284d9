"""Library warnings become one log line of ours; digest's own warnings pass through."""

from __future__ import annotations

import logging
import warnings

import pytest

from digest.logs import captured_warnings, summarise


class FakeLibraryWarning(UserWarning):
    pass


def _library_warns(n: int) -> None:
    for _ in range(n):
        warnings.warn_explicit(
            "tzname UT identified but not understood", FakeLibraryWarning, "/lib/dateutil.py", 1
        )


def test_many_warnings_become_one_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    log = logging.getLogger("digest.test")
    with warnings.catch_warnings(record=True) as outside:
        warnings.simplefilter("always")
        with captured_warnings(log, "source=world") as notes:
            _library_warns(12)
    assert outside == [], "nothing printed raw"
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "source=world library warnings: FakeLibraryWarning x12: "
        "tzname UT identified but not understood"
    ]
    assert notes == [lines[0].split("library warnings: ", 1)[1]]


def test_nothing_logged_without_warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with captured_warnings(logging.getLogger("digest.test"), "x") as notes:
        pass
    assert notes == [] and caplog.records == []


def test_warnings_are_reported_even_when_the_block_fails(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with pytest.raises(ValueError), captured_warnings(logging.getLogger("digest.t"), "source=a"):
        _library_warns(1)
        raise ValueError("boom")
    assert "FakeLibraryWarning: tzname UT" in caplog.text


def test_our_own_warnings_pass_through() -> None:
    import digest.logs as module

    with warnings.catch_warnings(record=True) as outside:
        warnings.simplefilter("always")
        with captured_warnings():
            warnings.warn_explicit("ours", DeprecationWarning, module.__file__, 1)
    assert [str(w.message) for w in outside] == ["ours"]


def test_summary_orders_and_counts() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn("b", FakeLibraryWarning, stacklevel=1)
        warnings.warn("a", UserWarning, stacklevel=1)
        warnings.warn("b", FakeLibraryWarning, stacklevel=1)
    assert summarise(caught) == "FakeLibraryWarning x2: b; UserWarning: a"
