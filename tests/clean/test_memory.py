"""line_key and the per-source line memory; the package's public API."""

from __future__ import annotations

from digest import clean
from digest.clean import InMemoryLineMemory, LineMemory, line_key


def test_line_key_ignores_case_punctuation_spacing_and_digits() -> None:
    assert line_key("\u00a9 2019 Harbor Ledger.  All rights reserved") == line_key(
        "\u00a9 2020 harbor ledger - all RIGHTS reserved!"
    )
    assert line_key("12 Comments") == line_key("3 comments")
    assert line_key("Full\uff37idth") == line_key("FullWidth")


def test_line_key_of_a_line_without_words_is_empty() -> None:
    assert line_key("--- * ---") == ""


def test_in_memory_line_memory_counts_documents_not_occurrences() -> None:
    memory = InMemoryLineMemory()
    assert memory.documents() == 0 and memory.count("home") == 0
    memory.remember(["home", "home", "story one", ""])
    memory.remember(["home", "story two"])
    assert memory.documents() == 2
    assert memory.count("home") == 2
    assert memory.count("story one") == 1
    assert memory.count("") == 0
    assert isinstance(memory, LineMemory)


def test_public_api() -> None:
    assert set(clean.__all__) == {
        "decode_bytes",
        "clean_text_dump",
        "extract_html",
        "html_fragment_to_text",
        "markdown_to_text",
        "find_date",
        "clean_title",
        "line_key",
        "normalize_text",
        "clean_item",
        "raw_item_id",
        "raw_fingerprint",
        "resolve_id",
        "StoredIdentity",
        "CleanResult",
        "LineMemory",
        "InMemoryLineMemory",
        "CleanedText",
    }
    for name in clean.__all__:
        assert getattr(clean, name) is not None
