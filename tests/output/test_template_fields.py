"""Templates use only documented fields of their view models (datasette-style).

Each template's context variables have a known type (``b`` is a ``Briefing``, ...). The test walks
the template's syntax tree, follows the types through ``for``, ``set``, attribute and item access
and macro calls, and checks that every attribute a template reads is a field or property of that
type with help text: a comment on (or just above) the field, a mention as ``name`` in the class
docstring, or a property's docstring. A template that reads an undocumented or unknown attribute
fails here, not in front of a reader.
"""

from __future__ import annotations

import ast
import collections.abc
import dataclasses
import inspect
import textwrap
import types
import typing
from functools import cache
from typing import Any

import jinja2
import pytest
from jinja2 import nodes

from digest.briefing.model import Briefing
from digest.output.archive import Archive, ArchiveEntry
from digest.output.pages import environment, templates_dir
from digest.output.timelines import Timeline

CONTEXTS: dict[str, tuple[str, dict[str, Any]]] = {
    "briefing.html.j2": ("html", {"b": Briefing}),
    "briefing.md.j2": ("markdown", {"b": Briefing}),
    "index.html.j2": ("html", {"a": Archive}),
    "index.md.j2": ("markdown", {"a": Archive}),
    "story.html.j2": ("html", {"t": Timeline}),
    "_feed_entry.html.j2": ("html", {"e": ArchiveEntry, "href": str}),
}


def _strip_optional(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return options[0] if len(options) == 1 else None
    return tp


def _element(tp: Any) -> Any:
    tp = _strip_optional(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is tuple and args:
        return args[0]
    if isinstance(origin, type) and issubclass(origin, collections.abc.Mapping):
        return args[0]
    return None


def _item_type(tp: Any) -> Any:
    tp = _strip_optional(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if isinstance(origin, type) and issubclass(origin, collections.abc.Mapping):
        return args[1]
    if origin is tuple and args:
        return args[0]
    return None


@cache
def _member_type(cls: type, attr: str) -> Any:
    """The type of ``cls.attr``, or raise KeyError when it is neither a field nor a property."""
    if dataclasses.is_dataclass(cls) and attr in {f.name for f in dataclasses.fields(cls)}:
        return typing.get_type_hints(cls)[attr]
    prop = inspect.getattr_static(cls, attr, None)
    if isinstance(prop, property) and prop.fget is not None:
        return typing.get_type_hints(prop.fget).get("return")
    raise KeyError(attr)


@cache
def _has_help(cls: type, attr: str) -> bool:
    for owner in cls.__mro__:
        prop = owner.__dict__.get(attr)
        if isinstance(prop, property):
            return bool((prop.__doc__ or "").strip())
        if attr not in owner.__dict__.get("__annotations__", {}):
            continue
        if f"``{attr}``" in (owner.__doc__ or ""):
            return True
        source = textwrap.dedent(inspect.getsource(owner))
        lines = source.splitlines()
        tree = ast.parse(source).body[0]
        assert isinstance(tree, ast.ClassDef)
        for stmt in tree.body:
            if isinstance(stmt, ast.AnnAssign) and getattr(stmt.target, "id", None) == attr:
                own = lines[stmt.lineno - 1 : stmt.end_lineno]
                above = lines[stmt.lineno - 2].strip() if stmt.lineno >= 2 else ""
                return any("#" in line for line in own) or above.startswith("#")
        return False
    return False


class _Walker:
    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.used: set[tuple[type, str]] = set()
        self.unknown: set[str] = set()
        self.macros: dict[str, nodes.Macro] = {}
        self.walked_macros: set[str] = set()

    def infer(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            return scope.get(node.name)
        if isinstance(node, nodes.Getattr):
            base = _strip_optional(self.infer(node.node, scope))
            if isinstance(base, type) and dataclasses.is_dataclass(base):
                try:
                    result = _member_type(base, node.attr)
                except KeyError:
                    self.unknown.add(f"{base.__name__}.{node.attr}")
                    return None
                self.used.add((base, node.attr))
                return result
            return None
        if isinstance(node, nodes.Getitem):
            self.walk(node.arg, scope)
            return _item_type(self.infer(node.node, scope))
        self.walk(node, scope)
        return None

    def bind(self, target: nodes.Node, tp: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = tp
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, None, scope)

    def walk(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.Macro):
            self.macros[node.name] = node
            return
        if isinstance(node, nodes.For):
            inner = dict(scope)
            self.bind(node.target, _element(self.infer(node.iter, scope)), inner)
            for child in [*([node.test] if node.test else []), *node.body]:
                self.walk(child, inner)
            for child in node.else_:
                self.walk(child, scope)
            return
        if isinstance(node, nodes.Assign):
            self.bind(node.target, self.infer(node.node, scope), scope)
            return
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            self.infer(node, scope)
            return
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
            macro = self.macros.get(node.node.name)
            if macro is not None and macro.name not in self.walked_macros:
                self.walked_macros.add(macro.name)
                inner = dict(scope)
                for param, arg in zip(macro.args, node.args):
                    inner[param.name] = self.infer(arg, scope)
                for child in macro.body:
                    self.walk(child, inner)
        for child in node.iter_child_nodes():
            self.walk(child, scope)


def _walk(name: str) -> _Walker:
    kind, context = CONTEXTS[name]
    env = environment(kind)
    source = (templates_dir() / name).read_text(encoding="utf-8")
    walker = _Walker(env)
    tree = env.parse(source)
    for node in tree.find_all(nodes.Macro):
        walker.macros[node.name] = node
    walker.walk(tree, dict(context))
    return walker


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_templates_use_only_documented_fields(name: str) -> None:
    walker = _walk(name)
    assert not walker.unknown, f"{name} reads attributes its view model lacks: {walker.unknown}"
    undocumented = sorted(f"{c.__name__}.{a}" for c, a in walker.used if not _has_help(c, a))
    assert not undocumented, f"{name} reads fields without help text: {undocumented}"


def test_the_walker_sees_the_stories_and_their_reports() -> None:
    """A guard on the guard: the types really flow into loops and macros."""
    used = {(c.__name__, a) for c, a in _walk("briefing.html.j2").used}
    for pair in [
        ("Briefing", "sections"),
        ("Section", "stories"),
        ("BriefingStory", "summary"),
        ("StoredItem", "article"),
        ("Article", "url"),
        ("BriefingActor", "stories"),
        ("Development", "previous"),
    ]:
        assert pair in used, pair


def test_every_template_has_a_context() -> None:
    pages = {p.name for p in templates_dir().glob("*.j2") if not p.name.startswith("_daynav")}
    pages -= {"_head.html.j2"}
    assert pages == set(CONTEXTS)
