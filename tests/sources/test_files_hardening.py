"""The files source against hostile and broken inboxes (reliability.md section F, cases 60-75).

Every test builds its own inbox in ``tmp_path``; nothing sleeps: "being written" is simulated with
explicit mtimes relative to the run's ``now`` or by changing the file inside the read hook.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import tempfile
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest.config import SourceConfig
from digest.sources import files
from digest.sources.files import SETTLE_SECONDS, collect_files, display_name

NOW = datetime(2026, 11, 22, 7, 0, tzinfo=UTC)
BODY = "Harbour cranes restart after strike\nThe cranes at the north quay moved again on Friday.\n"


def _src(path: Path, **kw: object) -> SourceConfig:
    return SourceConfig(name="inbox", type="files", path=path, **kw)  # type: ignore[arg-type]


def _age(path: Path, seconds: float) -> None:
    """Set the file's mtime to ``seconds`` before NOW."""
    t = NOW.timestamp() - seconds
    os.utime(path, (t, t), follow_symlinks=False)


def _write(path: Path, content: str | bytes = BODY, age: float = 3600) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    _age(path, age)
    return path


def _known(batch: files.FileBatch) -> dict[str, tuple[int, int]]:
    return {p: (s, m) for p, s, m in batch.stamps}


def _warned(batch: files.FileBatch, needle: str) -> bool:
    return any(needle in w for w in batch.warnings)


# --- 69: files being written ------------------------------------------------------------------


def test_file_modified_within_settle_window_is_skipped_and_not_indexed(tmp_path: Path) -> None:
    fresh = _write(tmp_path / "fresh.txt", age=SETTLE_SECONDS / 5)
    _write(tmp_path / "settled.txt", age=SETTLE_SECONDS * 6)
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert [i.origin for i in batch.items] == ["settled.txt"]
    assert [s[0] for s in batch.stamps] == [
        "settled.txt"
    ]  # the fresh file must NOT enter the index
    assert _warned(batch, "fresh.txt: modified less than")
    # Next run, once it has settled, it is read.
    later = collect_files(_src(tmp_path), _known(batch), NOW + timedelta(seconds=SETTLE_SECONDS))
    assert [i.origin for i in later.items] == ["fresh.txt"]
    assert fresh.name in {s[0] for s in later.stamps}


def test_fresh_json_files_are_read_at_once_because_a_torn_one_does_not_parse(
    tmp_path: Path,
) -> None:
    line1 = json.dumps({"id": "a", "title": "Crane one", "text": "First crane."})
    line2 = json.dumps({"id": "b", "title": "Crane two", "text": "Second crane."})
    feed = _write(tmp_path / "wire.jsonl", line1 + "\n" + line2[:20], age=0.5)  # writer mid-line
    _write(tmp_path / "doc.json", line1[:25], age=0.5)  # writer mid-document
    first = collect_files(_src(tmp_path), {}, NOW)
    assert [i.origin for i in first.items] == ["wire.jsonl:1"]  # the torn line is not an item
    assert _warned(first, "doc.json: invalid JSON")
    _write(feed, line1 + "\n" + line2 + "\n", age=0.2)  # the writer finished
    _write(tmp_path / "doc.json", line1, age=0.2)
    second = collect_files(_src(tmp_path), _known(first), NOW)
    assert sorted(i.origin for i in second.items) == ["doc.json", "wire.jsonl:1", "wire.jsonl:2"]


def test_future_mtime_is_not_waited_for_forever(tmp_path: Path) -> None:
    _write(
        tmp_path / "skewed.txt", age=-86400
    )  # mtime a day after now (clock skew, copied archive)
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert [i.origin for i in batch.items] == ["skewed.txt"]


def _hook_read(monkeypatch: pytest.MonkeyPatch, action: Callable[[Path], None]) -> None:
    """Run ``action`` on the path between the checks and the read (a concurrent writer)."""
    original = files._read_stable
    done: set[Path] = set()

    def hooked(path: Path, checked: os.stat_result) -> bytes:
        if path not in done:
            done.add(path)
            action(path)
        return original(path, checked)

    monkeypatch.setattr(files, "_read_stable", hooked)


def test_file_growing_during_read_is_retried_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _write(tmp_path / "growing.txt")

    def append(path: Path) -> None:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write("A second paragraph arrives while we read.\n")

    _hook_read(monkeypatch, append)
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert batch.items == [] and batch.stamps == []
    assert _warned(batch, "growing.txt: changed while being read")
    monkeypatch.undo()
    _age(target, 3600)
    again = collect_files(_src(tmp_path), _known(batch), NOW)
    assert len(again.items) == 1 and "second paragraph" in again.items[0].body


def test_file_swapped_for_symlink_after_checks_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    secret = _write(tmp_path / "secret.txt", "Secret headline\nPRIVATE-KEY-MATERIAL\n")
    _write(inbox / "note.txt")

    def swap(path: Path) -> None:
        path.unlink()
        path.symlink_to(secret)

    _hook_read(monkeypatch, swap)
    batch = collect_files(_src(inbox), {}, NOW)
    assert all("PRIVATE-KEY" not in i.body for i in batch.items)
    assert batch.items == [] and batch.stamps == []


def test_file_replaced_by_another_inode_after_checks_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "note.txt")

    def replace(path: Path) -> None:
        other = path.with_name("other.tmp")
        other.write_text("Replaced headline\nSomething else entirely.\n")
        os.replace(other, path)
        _age(path, 3600)

    _hook_read(monkeypatch, replace)
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert batch.items == [] and batch.stamps == []


# --- 70: vanished or unreadable files --------------------------------------------------------


def test_file_deleted_between_listing_and_open_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "gone.txt")
    _write(tmp_path / "stays.txt")
    _hook_read(monkeypatch, lambda p: p.unlink() if p.name == "gone.txt" else None)
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert [i.origin for i in batch.items] == ["stays.txt"]
    assert _warned(batch, "gone.txt: cannot read")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of their mode")
def test_permission_denied_is_a_warning(tmp_path: Path) -> None:
    locked = _write(tmp_path / "locked.txt")
    locked.chmod(0)
    _write(tmp_path / "open.txt")
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert [i.origin for i in batch.items] == ["open.txt"]
    assert _warned(batch, "locked.txt: cannot read")


# --- 63, 64, 65: binary, empty, huge ---------------------------------------------------------


@pytest.mark.parametrize(
    "name, content",
    [
        ("image.txt", b"\x89PNG\r\n\x1a\n" + b"IHDR" * 100),
        ("paper.md", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        ("archive.json", b"PK\x03\x04\x14\x00\x00\x00\x08\x00"),
        ("state.html", b"SQLite format 3\x00\x10\x00\x01\x01"),
        ("blob.txt", b"text then \x00\x01\x02 binary"),
        ("zipped.jsonl", b"\x1f\x8b\x08\x00\x00\x00\x00\x00"),
    ],
)
def test_binary_files_are_skipped_and_indexed(tmp_path: Path, name: str, content: bytes) -> None:
    _write(tmp_path / name, content)
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert batch.items == []
    assert _warned(batch, f"{name}: binary file")
    assert [s[0] for s in batch.stamps] == [name]  # binary stays binary until it changes
    assert collect_files(_src(tmp_path), _known(batch), NOW).warnings == []


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded_not_half_read(tmp_path: Path, encoding: str) -> None:
    _write(
        tmp_path / "wide.txt",
        "Caf\u00e9 owners protest\nThe caf\u00e9 owners said no to the plan.\n".encode(encoding),
    )
    (item,) = collect_files(_src(tmp_path), {}, NOW).items
    assert item.body.startswith("Café owners protest") and "\x00" not in item.body


def test_empty_and_whitespace_files_are_skipped_and_retried(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.txt", b"")
    _write(tmp_path / "blank.md", b" \r\n\t\n")
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert batch.items == [] and batch.stamps == []
    assert _warned(batch, "empty.txt: empty") and _warned(batch, "blank.md: empty")
    _write(empty, BODY)  # the writer catches up: read on the next run
    assert [i.origin for i in collect_files(_src(tmp_path), _known(batch), NOW).items] == [
        "empty.txt"
    ]


def test_oversized_file_is_not_read_and_is_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "huge.txt", "x" * 5000)

    def never(path: Path, checked: os.stat_result) -> bytes:
        raise AssertionError("an oversized file must not be read")

    monkeypatch.setattr(files, "_read_stable", never)
    batch = collect_files(_src(tmp_path, max_file_bytes=4096), {}, NOW)
    assert _warned(batch, "huge.txt: 5000 bytes is over the 4096 limit")
    assert [s[0] for s in batch.stamps] == ["huge.txt"]


# --- 66, 67, 68: symlinks, traversal, special files ------------------------------------------


def test_symlinks_leaving_the_folder_and_loops_are_refused(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    _write(outside / "secret.txt", "Secret headline\nOUTSIDE-TEXT\n")
    _write(inbox / "sub" / "real.txt")
    (inbox / "out.txt").symlink_to(outside / "secret.txt")
    (inbox / "dotdot.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    (inbox / "etc.txt").symlink_to("/etc/hostname")
    (inbox / "outdir").symlink_to(outside)  # a folder symlink is never descended into
    (inbox / "loop1.txt").symlink_to(inbox / "loop2.txt")
    (inbox / "loop2.txt").symlink_to(inbox / "loop1.txt")
    (inbox / "dangling.txt").symlink_to(inbox / "nowhere.txt")
    (inbox / "inside.txt").symlink_to(inbox / "sub" / "real.txt")  # stays inside: allowed
    batch = collect_files(_src(inbox), {}, NOW)
    assert sorted(i.origin for i in batch.items) == ["inside.txt", "sub/real.txt"]
    assert all("OUTSIDE-TEXT" not in i.body for i in batch.items)
    for name in ("out.txt", "dotdot.txt", "etc.txt"):
        assert _warned(batch, f"{name}: symlink leaves the source folder")
    for name in ("loop1.txt", "dangling.txt"):
        assert _warned(batch, f"{name}: cannot stat")


def test_fifo_and_socket_are_not_opened(tmp_path: Path) -> None:
    short = Path(tempfile.mkdtemp(prefix="dg", dir="/tmp"))  # AF_UNIX paths must be short
    try:
        os.mkfifo(short / "pipe.txt")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(short / "sock.md"))
        _write(short / "ok.txt")
        batch = collect_files(_src(short), {}, NOW)  # a FIFO opened for reading would block forever
        sock.close()
        assert [i.origin for i in batch.items] == ["ok.txt"]
        assert _warned(batch, "pipe.txt: not a regular file") and _warned(
            batch, "sock.md: not a regular file"
        )
        assert stat.S_ISFIFO(os.stat(short / "pipe.txt").st_mode)
    finally:
        for p in short.iterdir():
            p.unlink()
        short.rmdir()


def test_device_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert batch.items == [] and batch.stamps == []
    assert _warned(batch, "zero.txt: not a regular file") or _warned(
        batch, "zero.txt: symlink leaves"
    )


# --- 72: editor and temp artefacts ------------------------------------------------------------


def test_editor_and_temp_artefacts_are_ignored(tmp_path: Path) -> None:
    for name in (".note.txt.swp", "note.txt~", ".#note.txt", "#note.txt#", ".DS_Store", "dl.html.crdownload",
                 "dl.json.part", "x.md.tmp", "Thumbs.db", ".hidden.md"):  # fmt: skip
        _write(tmp_path / name)
    hidden = tmp_path / ".git"
    hidden.mkdir()
    _write(hidden / "COMMIT_EDITMSG.txt")
    _write(tmp_path / "note.txt")
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert [i.origin for i in batch.items] == ["note.txt"] and batch.warnings == []


# --- 73: file names ---------------------------------------------------------------------------


def test_undecodable_and_control_char_names_are_escaped(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path)
    for name in (b"caf\xe9-latin1.txt", b"two\nlines.txt", b"esc\x1b[2J.md"):
        fd = os.open(raw + b"/" + name, os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, BODY.encode())
        os.close(fd)
        os.utime(raw + b"/" + name, (NOW.timestamp() - 3600,) * 2)
    batch = collect_files(_src(tmp_path), {}, NOW)
    origins = sorted(i.origin for i in batch.items)
    assert origins == ["caf\\xe9-latin1.txt", "esc\\x1b[2J.md", "two\\x0alines.txt"]
    for origin in origins + [s[0] for s in batch.stamps]:
        origin.encode("utf-8")  # no lone surrogates: SQLite and the output can store it
        assert "\n" not in origin and "\x1b" not in origin
    assert (
        collect_files(_src(tmp_path), _known(batch), NOW).items == []
    )  # the escaped key is stable


def test_nfd_and_nfc_names_share_one_key(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Café.txt")
    _write(tmp_path / nfd)
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert [s[0] for s in batch.stamps] == ["Café.txt"] == [i.origin for i in batch.items]
    # The same file copied under its NFC name (a macOS round trip) is not new.
    os.rename(tmp_path / nfd, tmp_path / "Café.txt")
    assert collect_files(_src(tmp_path), _known(batch), NOW).items == []
    assert display_name(nfd) == "Café.txt"


# --- 74: line endings and huge lines ----------------------------------------------------------


def test_crlf_lone_cr_and_mixed_endings_become_newlines(tmp_path: Path) -> None:
    _write(tmp_path / "crlf.txt", b"Crane strike ends\r\nWorkers return on Monday.\r\n")
    _write(tmp_path / "cr.txt", b"Old Mac file\rA lone CR ends each line.\r")
    _write(
        tmp_path / "mixed.jsonl",
        b'{"title": "A", "text": "one"}\r\n{"title": "B", "text": "two"}\r{"title": "C", "text": "three"}\n',
    )
    items = {i.origin: i for i in collect_files(_src(tmp_path), {}, NOW).items}
    assert items["crlf.txt"].body == "Crane strike ends\nWorkers return on Monday.\n"
    assert items["cr.txt"].body == "Old Mac file\nA lone CR ends each line.\n"
    assert sorted(k for k in items if k.startswith("mixed")) == [
        "mixed.jsonl:1",
        "mixed.jsonl:2",
        "mixed.jsonl:3",
    ]


def test_ten_megabyte_single_line_is_skipped_at_the_default_cap(tmp_path: Path) -> None:
    line = ("word " * 2_100_000).encode()  # 10.5 MB, no newline
    _write(tmp_path / "oneline.txt", line)
    batch = collect_files(_src(tmp_path), {}, NOW)
    assert batch.items == [] and _warned(batch, "is over the")


def test_ten_megabyte_single_line_under_a_raised_cap_gives_a_bounded_title(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    from digest.clean.items import MAX_TITLE, clean_item
    from digest.sources.formats import MAX_BODY_CHARS

    _write(tmp_path / "oneline.md", ("Endless sentence without a stop " * 330_000).encode())
    (raw,) = collect_files(_src(tmp_path, max_file_bytes=20 * 2**20), {}, NOW).items
    assert len(raw.body) == MAX_BODY_CHARS  # the body is cut; the file was read whole
    article = clean_item(raw, tz=ZoneInfo("UTC"), now=NOW).article
    assert len(article.title) <= MAX_TITLE


# --- 75: many files ---------------------------------------------------------------------------


def test_many_files_are_capped_per_run_in_a_deterministic_order(tmp_path: Path) -> None:
    for i in range(2500):
        sub = tmp_path / f"d{i % 7}"
        sub.mkdir(exist_ok=True)
        _write(
            sub / f"n{i:05d}.jsonl",
            json.dumps({"id": f"n{i}", "title": f"Note {i}", "text": "Body."}) + "\n",
        )
    src = _src(tmp_path, max_files=1000)
    first = collect_files(src, {}, NOW)
    assert len(first.items) == 1000 and _warned(first, "more than 1000 new files")
    assert [i.origin for i in first.items] == sorted(i.origin for i in first.items)
    assert [i.origin for i in collect_files(src, {}, NOW).items] == [i.origin for i in first.items]
    known = _known(first)
    second = collect_files(src, known, NOW)
    known.update(_known(second))
    third = collect_files(src, known, NOW)
    seen = [i.origin for b in (first, second, third) for i in b.items]
    assert len(seen) == len(set(seen)) == 2500
    assert not _warned(third, "more than")


def test_skipped_files_do_not_use_up_the_cap(tmp_path: Path) -> None:
    for i in range(20):
        _write(tmp_path / f"a{i:02d}-empty.txt", b"")  # never indexed, so seen every run
    _write(tmp_path / "z-real.txt")
    batch = collect_files(_src(tmp_path, max_files=5), {}, NOW)
    assert [i.origin for i in batch.items] == ["z-real.txt"]


# --- Parser bombs inside files ----------------------------------------------------------------


def test_hostile_json_and_front_matter_do_not_fail_the_source(tmp_path: Path) -> None:
    _write(tmp_path / "deep.json", "[" * 200_000 + "]" * 200_000)
    _write(tmp_path / "digits.json", '{"title": "T", "text": "x", "id": ' + "9" * 10_000 + "}")
    _write(
        tmp_path / "deep.jsonl",
        "[" * 100_000 + "\n" + json.dumps({"title": "Line two", "text": "kept"}) + "\n",
    )
    _write(
        tmp_path / "aliases.md",
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "title: *d\ndate: *d\n---\nBody of the alias bomb note.\n",
    )
    _write(
        tmp_path / "longdate.json",
        json.dumps({"title": "T", "text": "Body", "date": "2025-01-01 " * 50_000}),
    )
    _write(tmp_path / "ok.txt")
    batch = collect_files(_src(tmp_path), {}, NOW)
    origins = sorted(i.origin for i in batch.items)
    assert origins == ["aliases.md", "deep.jsonl:2", "longdate.json", "ok.txt"]
    items = {i.origin: i for i in batch.items}
    assert items["aliases.md"].title is None and items["aliases.md"].published is None
    assert items["longdate.json"].published is None
    assert _warned(batch, "deep.json: unreadable JSON") and _warned(
        batch, "digits.json: unreadable JSON"
    )


# --- the run's `now` reaches the files source -------------------------------------------------


def test_the_pipeline_leaves_a_file_still_being_written_for_the_next_run(tmp_path: Path) -> None:
    """Through the source registry: the run's ``now`` reaches the files source."""
    from digest.config import Config, OutputConfig, StateConfig
    from digest.models import SourceState
    from digest.sources import collect

    (tmp_path / "inbox").mkdir()
    _write(tmp_path / "inbox" / "fresh.txt", age=1)  # written a second before the run
    src = _src(tmp_path / "inbox")
    config = Config(
        path=tmp_path / "config.yaml",
        sources=(src,),
        output=OutputConfig(dir=tmp_path / "out"),
        state=StateConfig(path=tmp_path / "state.db"),
    )
    batch = collect(src, config, {}, SourceState(src.name), NOW)
    assert batch.items == [] and batch.stamps == [] and batch.files == []


def test_escaped_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    """``"\\ud800"`` in JSON or YAML is a lone surrogate in Python: SQLite would refuse the item."""
    _write(
        tmp_path / "s.jsonl",
        '{"title": "A \\ud800 b", "text": "x \\udfff y", "source": "W \\udbff"}\n',
    )
    _write(
        tmp_path / "f.md", '---\ntitle: "M \\ud800 n"\nauthor: "\\udc00"\n---\nBody of the note.\n'
    )
    items = {i.origin: i for i in collect_files(_src(tmp_path), {}, NOW).items}
    assert items["s.jsonl:1"].title == "A \ufffd b" and items["s.jsonl:1"].body == "x \ufffd y"
    assert items["s.jsonl:1"].outlet == "W \ufffd"
    assert items["f.md"].title == "M \ufffd n" and items["f.md"].author == "\ufffd"
    for item in items.values():
        for value in (item.title, item.body, item.outlet, item.author):
            (value or "").encode("utf-8")


# --- issue #18: caps per file, sanitised decoding, bounded YAML -------------------------------


def test_json_files_yield_at_most_max_items_per_file(tmp_path: Path) -> None:
    rows = [{"id": f"n{i}", "title": f"Pier {i} reopens", "text": "Body."} for i in range(9)]
    _write(tmp_path / "list.json", json.dumps(rows))
    _write(tmp_path / "lines.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    batch = collect_files(_src(tmp_path, max_items_per_file=4), {}, NOW)
    assert sorted(i.origin for i in batch.items) == sorted(
        [f"lines.jsonl:{n}" for n in range(1, 5)] + [f"list.json:{n}" for n in range(1, 5)]
    )
    assert _warned(batch, "lines.jsonl: kept the first 4 items") and _warned(
        batch, "list.json: kept the first 4 items"
    )
    assert {s[0] for s in batch.stamps} == {"lines.jsonl", "list.json"}  # indexed: not re-read


def test_every_body_is_cut_to_the_body_cap(tmp_path: Path) -> None:
    from digest.sources.formats import MAX_BODY_CHARS

    long = "Sentence about the quay. " * 20_000  # 500,000 characters
    _write(tmp_path / "long.txt", "Title\n" + long)
    _write(tmp_path / "long.md", long)
    _write(tmp_path / "long.jsonl", json.dumps({"title": "T", "text": long}) + "\n")
    for item in collect_files(_src(tmp_path), {}, NOW).items:
        assert len(item.body) <= MAX_BODY_CHARS, item.origin


def test_strings_are_sanitised_after_json_and_yaml_decoding(tmp_path: Path) -> None:
    _write(
        tmp_path / "esc.jsonl",
        json.dumps(
            {
                "title": "Quay\u001b[2J lights \u202eexe.gnp",
                "text": "Line one\r\nline\u0007 two\u001b]0;x\u0007",
                "author": "Desk\u0085",
                "url": "https://e.example/\u0000x",
            }
        )
        + "\n",
    )
    _write(tmp_path / "esc.md", '---\ntitle: "Tug \\e[1m arrives\\u202e"\n---\nBody text.\n')
    items = {i.origin: i for i in collect_files(_src(tmp_path), {}, NOW).items}
    line = items["esc.jsonl:1"]
    assert (line.title, line.body, line.author, line.url) == (
        "Quay lights exe.gnp",
        "Line one\nline two",
        "Desk",
        "https://e.example/x",
    )
    assert items["esc.md"].title == "Tug arrives"


def test_a_yaml_alias_bomb_in_front_matter_is_not_expanded(tmp_path: Path) -> None:
    levels = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
    )
    _write(tmp_path / "bomb.md", f"---\n{levels}title: *i\n---\nThe body is still read.\n")
    (item,) = collect_files(_src(tmp_path), {}, NOW).items
    assert item.title is None and "The body is still read." in item.body
