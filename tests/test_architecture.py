"""The house rules of docs/architecture.md, checked by reading the source (nothing is imported).

1. Layers: a module imports only from its own layer or lower ones.
2. Only the orchestrator and the command layer talk to the store.
3. No import cycles between modules, lazy (function-level) and type-checking imports included.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "digest"

# Bottom to top. A module belongs to the first entry that is its name or a prefix of it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("digest.errors", "digest.models", "digest.config", "digest.logs", "digest.schema"),
    ("digest.text", "digest.clean", "digest.net", "digest.sanitize"),
    ("digest.store",),
    ("digest.sources", "digest.stories", "digest.actors", "digest.developments", "digest.briefing"),
    ("digest.output",),
    ("digest.pipeline",),
    (
        "digest.cli",
        "digest.daemon",
        "digest.status",
        "digest.schedule",
        "digest.lock",
        "digest.progress",
        "digest.__main__",
    ),
)
STORE_USERS = ("digest.store", "digest.pipeline", "digest.cli", "digest.daemon", "digest.status")


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """Every ``digest`` module ``path`` imports (anywhere in the file), with the line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "digest":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "digest":
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                yield (sub if sub in known else node.module), node.lineno


def layer_of(name: str) -> int:
    if name == "digest":  # the package itself: its version only
        return 0
    best = -1, -1  # (prefix length, layer)
    for i, members in enumerate(LAYERS):
        for m in members:
            if (name == m or name.startswith(m + ".")) and len(m) > best[0]:
                best = len(m), i
    assert best[1] >= 0, f"{name} is in no layer: add it to LAYERS and docs/architecture.md"
    return best[1]


def test_every_module_has_a_layer() -> None:
    for name in modules():
        layer_of(name)


def test_modules_import_only_their_own_layer_or_lower() -> None:
    known = modules()
    wrong = []
    for name, path in known.items():
        for target, line in imports(path, known):
            if layer_of(target) > layer_of(name):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} {name} -> {target}")
    assert not wrong, "imports that point up a layer:\n" + "\n".join(wrong)


def test_only_the_orchestrator_and_commands_import_the_store() -> None:
    known = modules()
    wrong = []
    for name, path in known.items():
        if any(name == u or name.startswith(u + ".") for u in STORE_USERS):
            continue
        for target, line in imports(path, known):
            if target == "digest.store" or target.startswith("digest.store."):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} {name} -> {target}")
    assert not wrong, "stages that talk to the store:\n" + "\n".join(wrong)


def test_no_import_cycles() -> None:
    known = modules()
    graph = {
        name: sorted({t for t, _ in imports(path, known) if t in known and t != name})
        for name, path in known.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)
