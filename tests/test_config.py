from pathlib import Path

import pytest

from digest.config import find_config, load_config, redacted
from digest.errors import ConfigError
from tests.conftest import write_config


def test_example_config_loads_with_paths_relative_to_the_file() -> None:
    root = Path(__file__).resolve().parent.parent
    config = load_config(root / "config.yaml")
    assert config.timezone == "UTC"
    assert [s.type for s in config.sources] == ["files", "feed"]
    assert config.sources[0].path == root / "examples" / "inbox"
    assert config.output.dir == root / "out"
    assert config.state.path == root / "state" / "digest.db"
    assert config.schedule.cron == "0 7 * * *"


def test_unknown_key_is_an_error_naming_it(tmp_path: Path) -> None:
    path = write_config(tmp_path, [{"name": "a", "type": "files", "path": "x", "pathh": "y"}])
    with pytest.raises(ConfigError, match=r"sources\[0\]\.pathh: unknown key"):
        load_config(path)
    path = write_config(tmp_path, [{"name": "a", "type": "files", "path": "x"}], colour="red")
    with pytest.raises(ConfigError, match="colour: unknown key"):
        load_config(path)


@pytest.mark.parametrize(
    ("sources", "extra", "message"),
    [
        ([{"name": "a", "type": "nope", "path": "x"}], {}, "is not one of"),
        ([{"name": "a", "type": "feed"}], {}, "exactly one of url: or path:"),
        ([{"name": "a", "type": "feed", "url": "ftp://x/feed"}], {}, "only http"),
        ([{"name": "a", "type": "files", "path": "x"}] * 2, {}, "duplicate source name"),
        (
            [{"name": "a", "type": "files", "path": "x"}],
            {"timezone": "Mars/Olympus"},
            "unknown time zone",
        ),
        (
            [{"name": "a", "type": "files", "path": "x"}],
            {"output": {"dir": "o", "formats": ["pdf"]}},
            "unknown format",
        ),
        ([{"type": "files", "path": "x"}], {}, "name: required key is missing"),
    ],
)
def test_invalid_configs_give_one_line_errors(tmp_path: Path, sources, extra, message) -> None:
    path = write_config(tmp_path, sources, **extra)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path)
    assert "\n" not in str(info.value)


def test_missing_and_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("sources: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_config(bad)


def test_lookup_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DIGEST_CONFIG", str(tmp_path / "env.yaml"))
    assert find_config("given.yaml") == Path("given.yaml")
    assert find_config(None) == tmp_path / "env.yaml"
    monkeypatch.delenv("DIGEST_CONFIG")
    assert find_config(None) == Path("config.yaml")


def test_redacted_hides_nothing_it_should_not_need(tmp_path: Path) -> None:
    path = write_config(tmp_path, [{"name": "a", "type": "files", "path": "x"}])
    data = redacted(load_config(path))
    assert data["sources"][0]["name"] == "a"
    assert "path" not in data
