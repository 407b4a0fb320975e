"""Plain dataclasses ↔ JSON values, so the cache stores data that cannot execute anything.

A dataclass becomes the list of its field values in field order; enums their values, tuples and
Counters lists and objects. Reading back is driven by the type hints: every value is checked
against its declared type (str is str, int is int, an enum value is one of its members, a list
has the right items …) and objects are rebuilt with their own constructors, so what comes back
equals what was stored, or the read fails with ValueError. Decoders are compiled once per type.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import types
import typing
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from itertools import chain
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aligner.match import Unit
    from aligner.model import Plan

Decoder = Callable[[object], object]

_LIST = frozenset({list})
_PRIMITIVES: dict[type, tuple[type, ...]] = {str: (str,), int: (int,), bool: (bool,), float: (float, int)}


class DecodeError(ValueError):
    """A stored value does not have the type its field declares."""


def encode(value: object) -> object:
    """A JSON value for a dataclass tree (dataclasses, enums, lists, tuples, dicts, primitives)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [encode(x) for x in value]
    if isinstance(value, dict):
        if not all(type(k) is str for k in value):
            raise TypeError("only str keys can be stored")
        return {k: encode(x) for k, x in value.items()}
    if value is None or type(value) in (str, int, bool, float):
        return value
    raise TypeError(f"cannot store a {type(value).__name__}")


def _expect(value: object, kind: type) -> None:
    if type(value) is not kind:
        raise DecodeError(f"expected {kind.__name__}, found {type(value).__name__}")


def _primitive(tp: type) -> Decoder:
    allowed = _PRIMITIVES[tp]

    def decode(value: object) -> object:
        if type(value) not in allowed:
            raise DecodeError(f"expected {tp.__name__}, found {type(value).__name__}")
        return value

    return decode


def _bulk(item_type: object) -> Callable[[Iterable[object]], Iterable[object]] | None:
    """For items of a primitive type, or flat lists or tuples of one: a check that runs over all
    items at once (in C: set(map(type, …))) and yields what to store; None for other types.

    The prepared national plan holds some 100,000 small values: a Python call per value would
    make reading it several times slower than computing it."""
    if item_type in _PRIMITIVES:
        allowed = frozenset(_PRIMITIVES[item_type])

        def check_plain(items: Iterable[object]) -> Iterable[object]:
            if not set(map(type, items)) <= allowed:
                raise DecodeError(f"expected items of {item_type}")
            return items

        return check_plain
    origin, args = typing.get_origin(item_type), typing.get_args(item_type)
    flat = (origin is list and len(args) == 1) or (origin is tuple and len(args) == 2 and args[1] is Ellipsis)
    if not flat or args[0] not in _PRIMITIVES:
        return None
    inner = frozenset(_PRIMITIVES[args[0]])
    build = tuple if origin is tuple else None

    def check_nested(items: Iterable[object]) -> Iterable[object]:
        if not set(map(type, items)) <= _LIST:
            raise DecodeError(f"expected lists of {args[0]}")
        if not set(map(type, chain.from_iterable(items))) <= inner:  # type: ignore[arg-type]
            raise DecodeError(f"expected lists of {args[0]}")
        return map(build, items) if build else items  # type: ignore[arg-type]

    return check_nested


def _sequence(item_type: object, build: Callable[[Iterable[object]], object]) -> Decoder:
    bulk = _bulk(item_type)
    if bulk is not None:

        def decode_bulk(value: object) -> object:
            _expect(value, list)
            return build(bulk(value))  # type: ignore[arg-type]

        return decode_bulk
    item = decoder(item_type)

    def decode(value: object) -> object:
        _expect(value, list)
        return build([item(x) for x in value])  # type: ignore[attr-defined]

    return decode


def _mapping(key_type: object, value_type: object, build: Callable[[dict[str, object]], object]) -> Decoder:
    if key_type is not str:
        raise TypeError("only str keys can be stored")
    bulk = _bulk(value_type)
    if bulk is not None:

        def decode_bulk(value: object) -> object:
            _expect(value, dict)
            values = value.values()  # type: ignore[attr-defined]
            checked = bulk(values)
            if checked is values:
                return build(value)  # type: ignore[arg-type]
            return build(dict(zip(value, checked)))  # type: ignore[call-overload]

        return decode_bulk
    item = decoder(value_type)

    def decode(value: object) -> object:
        _expect(value, dict)
        return build({k: item(x) for k, x in value.items()})  # type: ignore[attr-defined]

    return decode


def _as_list(items: Iterable[object]) -> list[object]:
    return items if type(items) is list else list(items)


def _same(value: dict[str, object]) -> dict[str, object]:
    return value


def _none(value: object) -> None:
    if value is not None:
        raise DecodeError(f"expected null, found {type(value).__name__}")


def _optional(inner: Decoder) -> Decoder:
    return lambda value: None if value is None else inner(value)


def _enum(tp: type[enum.Enum]) -> Decoder:
    members = {m.value: m for m in tp}

    def decode(value: object) -> object:
        try:
            return members[value]
        except (KeyError, TypeError):
            raise DecodeError(f"not a {tp.__name__}: {value!r}") from None

    return decode


@cache
def _hints(tp: type) -> dict[str, object]:
    """The resolved type hints of a dataclass (its annotations are strings: evaluated once)."""
    return typing.get_type_hints(tp)


def dataclass_decoder(tp: type, skip: tuple[str, ...] = ()) -> Decoder:
    """Decoder of a dataclass stored by `encode`, without the fields in `skip` (the caller
    passes those to the returned function as keyword arguments)."""
    hints = _hints(tp)
    fields = [f.name for f in dataclasses.fields(tp) if f.name not in skip]
    decoders = [decoder(hints[name]) for name in fields]
    pairs = list(zip(fields, decoders))

    def decode(value: object, **given: object) -> object:
        _expect(value, list)
        if len(value) != len(pairs):  # type: ignore[arg-type]
            raise DecodeError(f"{tp.__name__}: expected {len(pairs)} fields")
        return tp(**given, **{name: d(x) for (name, d), x in zip(pairs, value)})  # type: ignore[call-overload]

    return decode


@cache
def decoder(tp: object) -> Decoder:
    """The checking decoder of a type hint (resolved, not a string)."""
    if tp is type(None):
        return _none
    if tp in _PRIMITIVES:
        return _primitive(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return dataclass_decoder(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        others = [a for a in args if a is not type(None)]
        if len(others) != 1 or len(args) != 2:
            raise TypeError(f"unsupported union {tp}")
        return _optional(decoder(others[0]))
    if origin is list:
        return _sequence(args[0], _as_list)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence(args[0], tuple)
    if origin is Counter:
        return _mapping(args[0], int, Counter)
    if origin is dict:
        return _mapping(args[0], args[1], _same)
    raise TypeError(f"unsupported type {tp}")


@lru_cache(maxsize=8)
def layout(*roots: type) -> str:
    """A digest of the field names and types of these dataclasses and those they contain: stored
    beside the data, so a changed dataclass never reads old data into the wrong fields."""
    seen: dict[str, str] = {}

    def visit(tp: object) -> None:
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            name = f"{tp.__module__}.{tp.__qualname__}"
            if name in seen:
                return
            hints = _hints(tp)
            seen[name] = ";".join(f"{f.name}:{hints[f.name]}" for f in dataclasses.fields(tp))
            for f in dataclasses.fields(tp):
                visit(hints[f.name])
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            seen[f"{tp.__module__}.{tp.__qualname__}"] = ";".join(repr(m.value) for m in tp)
        for arg in typing.get_args(tp):
            visit(arg)

    for root in roots:
        visit(root)
    return hashlib.sha256("\n".join(f"{k}={v}" for k, v in sorted(seen.items())).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# The prepared national plan: a Plan and its Units, each Unit naming its clause by position.

SCHEMA = 1  # bump when the stored shape changes in a way `layout` cannot see


def _national_types() -> tuple[type, type]:
    from aligner.match import Unit
    from aligner.model import Plan

    return Plan, Unit


def prepared_to_json(plan: Plan, units: list[Unit]) -> dict[str, object]:
    """The JSON value of a prepared national plan; the units' clauses are stored as positions in
    plan.clauses, so reading it back shares the clause objects as `prepare_national` does."""
    position = {id(c): i for i, c in enumerate(plan.clauses)}
    return {
        "layout": layout(*_national_types()),
        "plan": encode(plan),
        "units": [[position[id(u.clause)], *_unit_fields(u)] for u in units],
    }


def prepared_from_json(value: object) -> tuple[Plan, list[Unit]]:
    """The Plan and Units stored by `prepared_to_json`; DecodeError when anything does not fit."""
    plan_type, unit_type = _national_types()
    if type(value) is not dict or value.get("layout") != layout(plan_type, unit_type):
        raise DecodeError("another layout")
    plan = decoder(plan_type)(value.get("plan"))
    clauses = plan.clauses  # type: ignore[attr-defined]
    unit = _unit_decoder()
    stored = value.get("units")
    _expect(stored, list)
    units = []
    for item in stored:  # type: ignore[union-attr]
        _expect(item, list)
        if not item or type(item[0]) is not int or not 0 <= item[0] < len(clauses):
            raise DecodeError("a unit names no clause")
        units.append(unit(item[1:], clause=clauses[item[0]]))
    return plan, units  # type: ignore[return-value]


def _unit_fields(unit: Unit) -> list[object]:
    return [encode(getattr(unit, f.name)) for f in dataclasses.fields(unit) if f.name != "clause"]


@lru_cache(maxsize=1)
def _unit_decoder() -> Callable[..., object]:
    return dataclass_decoder(_national_types()[1], skip=("clause",))


# ---------------------------------------------------------------------------------------------
# A provincial plan as read and parsed (no units: the matcher prepares those per alignment).


def plan_to_json(plan: Plan) -> dict[str, object]:
    from aligner.model import Plan

    return {"layout": layout(Plan), "plan": encode(plan)}


def plan_from_json(value: object) -> Plan:
    """The Plan stored by `plan_to_json`; DecodeError when anything does not fit."""
    from aligner.model import Plan

    if type(value) is not dict or value.get("layout") != layout(Plan):
        raise DecodeError("another layout")
    plan = decoder(Plan)(value.get("plan"))
    if not isinstance(plan, Plan):
        raise DecodeError("not a plan")
    return plan
