"""decode_bytes: every encoding case a dropped-in text file can have (reliability.md C, F)."""

from __future__ import annotations

import unicodedata

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import pytest

from digest.clean import decode_bytes

TEXT = "Caf\u00e9 \u201cquoted\u201d \u2013 \u20ac5 na\u00efve"


def test_plain_utf8_is_kept_with_curly_quotes() -> None:
    assert decode_bytes(TEXT.encode("utf-8")) == TEXT


def test_utf8_bom_is_stripped() -> None:
    out = decode_bytes(b"\xef\xbb\xbf" + b"Headline\nBody")
    assert out == "Headline\nBody"


def test_utf16_with_bom() -> None:
    assert decode_bytes(TEXT.encode("utf-16")) == TEXT


def test_cp1252_fallback_keeps_euro_and_smart_quotes() -> None:
    assert decode_bytes(TEXT.encode("cp1252")) == TEXT


def test_latin1_bytes_undefined_in_cp1252_still_decode() -> None:
    # 0x81 is undefined in cp1252: the Latin-1 fallback must still give text, never raise.
    out = decode_bytes(b"Gr\xfc\xdfe \x81 aus K\xf6ln")
    assert out.startswith("Gr\u00fc\u00dfe") and out.endswith("aus K\u00f6ln")


def test_mojibake_is_repaired_without_straightening_quotes() -> None:
    # UTF-8 read as Windows-1252 and saved again as UTF-8: "CafÃ© â€œquotedâ€\x9d".
    broken = TEXT.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8")
    assert "\u00c3\u00a9" in broken.decode("utf-8")
    assert decode_bytes(broken) == TEXT


def test_clean_text_is_not_touched_by_the_fixer() -> None:
    # Legitimate characters that a careless fixer would rewrite.
    text = "\u201cI\u2019m fine,\u201d she said \u2014 \uff21\uff22 full-width stays."
    assert decode_bytes(text.encode("utf-8")) == text


@pytest.mark.parametrize(
    "dirty",
    [
        "Bo\u200bdy",  # zero-width space
        "Bo\u202edy",  # right-to-left override
        "Bo\u2066dy\u2069",  # bidi isolates
        "Bo\x00dy",  # NUL
        "Bo\x07dy\x1b",  # bell and escape
        "B\u00adody",  # soft hyphen
    ],
)
def test_control_zero_width_and_bidi_characters_are_removed(dirty: str) -> None:
    assert decode_bytes(dirty.encode("utf-8")) == "Body"


def test_tabs_and_newlines_survive() -> None:
    assert decode_bytes(b"a\tb\nc") == "a\tb\nc"


def test_nfd_becomes_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "S\u00e3o Paulo \u00e9t\u00e9")
    out = decode_bytes(nfd.encode("utf-8"))
    assert out == "S\u00e3o Paulo \u00e9t\u00e9"
    assert unicodedata.is_normalized("NFC", out)


@pytest.mark.parametrize("raw", [b"one\r\ntwo\rthree\nfour", b"one\r\ntwo\r\nthree\r\nfour"])
def test_crlf_and_lone_cr_become_newlines(raw: bytes) -> None:
    out = decode_bytes(raw)
    assert "\r" not in out
    assert out.split("\n")[0] == "one" and out.endswith("four")


def test_empty_input() -> None:
    assert decode_bytes(b"") == ""
