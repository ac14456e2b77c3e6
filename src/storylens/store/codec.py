"""Records as stored: the dataclasses of `storylens.model` as compressed JSON, and back.

JSON, not pickle: a store file is something people pass around, and reading one must never run code.
Decoding follows the type hints of the record classes, so tuples, nested records and dicts of records
come back as what they were.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
import zlib
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def encode(record: Any) -> bytes:
    return zlib.compress(json.dumps(dataclasses.asdict(record), ensure_ascii=False).encode("utf-8"), 6)


def decode(cls: type[T], data: bytes) -> T:
    return _builder(cls)(json.loads(zlib.decompress(data)))


@cache
def _builder(kind: Any) -> Callable[[Any], Any]:
    """A function that turns JSON into `kind`, made once per type: decoding a story's result builds
    thousands of records, and reading type hints each time would cost more than the JSON itself."""
    if kind is Any:
        return _same
    if dataclasses.is_dataclass(kind):
        return _record_builder(kind)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) > 1:  # `float | str`: JSON kept the type
            return _same
        inner = _builder(options[0])
        return lambda value: None if value is None else inner(value)
    if origin is list:
        item = _builder(args[0])
        return _same if item is _same else (lambda value: [item(v) for v in value])
    if origin is dict:
        item = _builder(args[1])
        return _same if item is _same else (lambda value: {k: item(v) for k, v in value.items()})
    if origin is tuple:  # the records' tuples hold plain values: spans, pairs of ids
        return tuple
    return _same


def _record_builder(kind: type) -> Callable[[dict], Any]:
    """Most fields of a record are plain JSON values: only the others go through a builder. Keys the class
    does not have (a field an older storylens stored) are left out."""
    hints = typing.get_type_hints(kind)
    names = hints.keys()
    converted = [(name, builder) for name, hint in hints.items() if (builder := _builder(hint)) is not _same]

    def build(value: dict) -> Any:
        fields = dict(value) if value.keys() <= names else {k: v for k, v in value.items() if k in names}
        for name, builder in converted:
            if name in fields:
                fields[name] = builder(fields[name])
        return kind(**fields)

    return build


def _same(value: Any) -> Any:
    return value
