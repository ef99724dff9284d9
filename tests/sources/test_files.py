import json
import os
from datetime import UTC, datetime
from pathlib import Path

from digest.config import SourceConfig
from digest.sources.files import collect_files


def _src(path: Path, **kw) -> SourceConfig:
    return SourceConfig(name="inbox", type="files", path=path, **kw)


def test_reads_every_supported_format_recursively(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Headline here\nBody sentence one is long enough to keep.\n")
    (tmp_path / "sub" / "b.md").write_text(
        "---\ntitle: MD title\ndate: 2025-01-13\nsource: Outlet\n---\nBody *text*.\n"
    )
    (tmp_path / "c.html").write_text(
        "<html><head><title>T</title></head><body><p>Hi</p></body></html>"
    )
    (tmp_path / "d.json").write_text(
        json.dumps(
            {
                "headline": "J",
                "maintext": "Body",
                "date_publish": "2025-01-02 10:00:00",
                "source_domain": "x.example",
            }
        )
    )
    (tmp_path / "e.jsonl").write_text(
        '{"title": "L1", "body": "one"}\nnot json\n\n{"title": "L4", "content": "four"}\n'
    )
    (tmp_path / "f.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / "g.txt~").write_text("backup")
    batch = collect_files(_src(tmp_path), {})
    origins = sorted(i.origin for i in batch.items)
    assert origins == ["a.txt", "c.html", "d.json", "e.jsonl:1", "e.jsonl:4", "sub/b.md"]
    md = next(i for i in batch.items if i.origin == "sub/b.md")
    assert md.title == "MD title" and md.outlet == "Outlet" and md.body_format == "markdown"
    assert md.published == datetime(2025, 1, 13)
    js = next(i for i in batch.items if i.origin == "d.json")
    assert js.title == "J" and js.body == "Body" and js.outlet == "x.example"
    assert js.published == datetime(2025, 1, 2, 10, 0)
    txt = next(i for i in batch.items if i.origin == "a.txt")
    assert txt.is_whole_page and txt.body_format == "text" and txt.reference_time is not None


def test_unchanged_files_are_not_read_again(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\nBody text of the article.\n")
    first = collect_files(_src(tmp_path), {})
    assert len(first.items) == 1
    known = {p: (s, m) for p, s, m in first.stamps}
    assert collect_files(_src(tmp_path), known).items == []
    os.utime(tmp_path / "a.txt", (1, 1))
    assert len(collect_files(_src(tmp_path), known).items) == 1


def test_bad_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "big.txt").write_text("x" * 2000)
    (tmp_path / "broken.json").write_text("{nope")
    (tmp_path / "ok.txt").write_text("Fine headline\nA fine body sentence.\n")
    outside = tmp_path.parent / "outside-secret.txt"
    outside.write_text("Secret headline\nSecret body.\n")
    (tmp_path / "link.txt").symlink_to(outside)
    os.mkfifo(tmp_path / "pipe.txt")
    batch = collect_files(_src(tmp_path, max_file_bytes=1000), {})
    assert [i.origin for i in batch.items] == ["ok.txt"]
    text = "\n".join(batch.warnings)
    for needle in (
        "empty.txt: empty",
        "bin.txt: binary",
        "big.txt: 2000 bytes",
        "broken.json: invalid JSON",
        "link.txt: symlink leaves",
        "pipe.txt: not a regular file",
    ):
        assert needle in text


def test_decodes_legacy_encodings(tmp_path: Path) -> None:
    (tmp_path / "cp.txt").write_bytes(
        "Caf\u00e9 owners protest\nThe caf\u00e9 owners said \u201cno\u201d.\n".encode("cp1252")
    )
    (tmp_path / "bom.txt").write_bytes("\ufeffBOM headline\nBody with a BOM.\n".encode("utf-8"))
    items = {i.origin: i for i in collect_files(_src(tmp_path), {}).items}
    assert "Café owners" in items["cp.txt"].body and "“no”" in items["cp.txt"].body
    assert items["bom.txt"].body.startswith("BOM headline")


def test_missing_folder_is_a_source_error(tmp_path: Path) -> None:
    import pytest

    from digest.errors import SourceError

    with pytest.raises(SourceError, match="does not exist"):
        collect_files(_src(tmp_path / "nope"), {})


def test_epoch_dates_in_json(tmp_path: Path) -> None:
    (tmp_path / "e.json").write_text(
        json.dumps({"title": "T", "text": "B", "published": 1741000000000})
    )
    (item,) = collect_files(_src(tmp_path), {}).items
    assert item.published == datetime.fromtimestamp(1741000000, tz=UTC)
