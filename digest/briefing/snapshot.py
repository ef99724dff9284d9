"""A briefing as plain data and back: what the store keeps so a day can be rendered again.

A briefing is rendered before the next day exists, so its "next" link is filled in later by
rendering that day again from its snapshot (``digest.pipeline.outputs``); no output file is ever
read back. The snapshot is the view model itself, field by field (driven by the dataclass type
hints, so a field added to the model round-trips without a change here): dates as ISO text,
tuples as lists. Fields the pages never show are left out (``OMITTED``); a field missing from an
older snapshot takes its default. ``tests/briefing/test_snapshot.py`` checks that every page
renders byte-identically from a decoded snapshot.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import types
import typing
from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from digest.briefing.model import Briefing

__all__ = ["VERSION", "SnapshotError", "from_snapshot", "to_snapshot"]

VERSION = 1
#: ``Class.field`` names that no page or JSON file shows: not kept (a feed entry's raw HTML).
OMITTED = frozenset({"Article.html"})


class SnapshotError(ValueError):
    """A stored snapshot that cannot be turned back into a briefing (too old or damaged)."""


def to_snapshot(b: Briefing) -> dict[str, Any]:
    return {"version": VERSION, "briefing": _encode(b)}


def from_snapshot(data: Any) -> Briefing:
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise SnapshotError("unknown snapshot version")
    try:
        result = _decode(Briefing, data["briefing"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SnapshotError(f"damaged snapshot: {exc}") from exc
    assert isinstance(result, Briefing)
    return result


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        return {
            f.name: _encode(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f"{name}.{f.name}" not in OMITTED
        }
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot snapshot a {type(value).__name__}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in args if a is not type(None)]
        return _decode(options[0], value)
    if origin is Literal:
        if value not in args:
            raise ValueError(f"{value!r} is not one of {args}")
        return value
    if origin is tuple:
        item = args[0] if args else Any
        return tuple(_decode(item, v) for v in value)
    if isinstance(origin, type) and issubclass(origin, collections.abc.Mapping):
        return {k: _decode(args[1], v) for k, v in value.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _decode_dataclass(tp, value)
    if tp is datetime:
        return datetime.fromisoformat(value)
    if tp is date:
        return date.fromisoformat(value)
    if tp is float:
        return float(value)
    if tp in (str, int, bool) and not isinstance(value, tp):
        raise TypeError(f"expected {tp.__name__}, got {type(value).__name__}")
    return value


def _decode_dataclass(cls: type, value: Any) -> Any:
    if not isinstance(value, dict):
        raise TypeError(f"expected an object for {cls.__name__}")
    hints = _hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if f.name in value:
            kwargs[f.name] = _decode(hints[f.name], value[f.name])
        elif (
            f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
            and f"{cls.__name__}.{f.name}" not in OMITTED
        ):
            raise KeyError(f"{cls.__name__}.{f.name}")
    return cls(**kwargs)
