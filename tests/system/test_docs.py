"""Docs tests: every config key and every CLI command is documented."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

from digest import config as config_module
from digest.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def _keys(cls: type, prefix: str = "") -> list[str]:
    keys = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if cls is config_module.Config and f.name == "path":
            continue
        name = "from" if f.name == "sender" else f.name
        keys.append(f"{prefix}{name}")
        tp = hints[f.name]
        inner = [a for a in typing.get_args(tp) if dataclasses.is_dataclass(a)] or (
            [tp] if dataclasses.is_dataclass(tp) else []
        )
        for sub in inner:
            keys.extend(_keys(sub, f"{prefix}{name}."))
    return keys


def test_every_config_key_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [k for k in _keys(config_module.Config) if f"`{k.rsplit('.', 1)[-1]}`" not in doc]
    assert not missing, f"undocumented config keys: {missing}"


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"digest {name}" not in readme]
    assert not missing, f"commands missing from README.md: {missing}"
