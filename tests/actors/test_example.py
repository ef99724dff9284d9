"""The bundled example (``config.yaml`` and ``examples/``) through the real pipeline and model:
its Key actors read like an analyst's list (issue #16: no "Veldmar" as a person, no "River Almen"
as an organisation)."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from digest.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_the_bundled_example_lists_people_and_bodies_and_puts_places_on_the_where_line(
    tmp_path: Path,
) -> None:
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    cfg = tmp_path / "config.yaml"
    aged = time.time() - 3600  # copied just now: past the files source's settle window
    for path in (tmp_path / "examples").rglob("*"):
        os.utime(path, (aged, aged))
    assert main(["render", "--config", str(cfg)]) == 0
    briefings = [json.loads(p.read_text()) for p in sorted((tmp_path / "out").glob("*.json"))]
    assert briefings
    kinds: dict[str, set[str]] = {}
    places: set[str] = set()
    for b in briefings:
        for a in b["actors"]:
            kinds.setdefault(a["name"], set()).add(a["kind"])
        for s in b["stories"]:
            places.update(s.get("places", ()))
            for a in s["actors"]:
                kinds.setdefault(a["name"], set()).add(a["kind"])
    assert "Veldmar" not in kinds and "River Almen" not in kinds
    assert kinds.get("Amara Okafor") == {"person"}
    assert kinds.get("Veldmar Port Authority") == {"organization"}
    assert {"River Almen", "Port Veldmar"} <= places
    assert all(k != {"place"} for k in kinds.values())  # places are on the Where line only
