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
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


def encode(record: Any) -> bytes:
    return zlib.compress(json.dumps(dataclasses.asdict(record), ensure_ascii=False).encode("utf-8"), 6)


def decode(cls: type[T], data: bytes) -> T:
    return _build(cls, json.loads(zlib.decompress(data)))


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _build(kind: Any, value: Any) -> Any:
    if value is None or kind is Any:
        return value
    if dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        return kind(**{name: _build(hints[name], item) for name, item in value.items() if name in hints})
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        return _build(options[0], value) if len(options) == 1 else value  # `float | str`: JSON kept the type
    if origin is list:
        return [_build(args[0], item) for item in value]
    if origin is dict:
        return {key: _build(args[1], item) for key, item in value.items()}
    if origin is tuple:
        return tuple(_build(a, item) for a, item in zip(args, value, strict=True))
    return value
