"""Variables as bind parameters: one compiled plan serves every value of a variable.

Compiling an operation costs 1.5-5 ms; keyed by its variables' values, a plan is built
again for every new incident id or governorate. Which variables can become parameters is
learnt, not declared: the operation is built once with the request's values and once
more per candidate variable with that variable perturbed (another string, the next day,
another id). A variable is bound when the perturbed build is the same statement (same
SQLAlchemy cache key) and the only parameters that changed hold exactly the variable's
value in both builds (or, for a global id "Incident:42", exactly its database id). Any
other outcome (the build fails, the SQL changes, the value was transformed on the way,
e.g. lower-cased or wrapped in `%...%`) leaves the variable as part of the plan's key.

Values are also sorted into classes that every validation of the schema respects (string
length limits, page-size limits, the type named by a global id), and the class is part of
the key: a value that the resolvers would reject never reaches a plan built for valid
ones. Leaves of input objects and lists are variables in their own right ("filter.admin1").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from api.graphql.inputs import MAX_TEXT
from api.graphql.nodes import NESTED_MAX

Path = tuple[str | int, ...]
INT32_MAX = 2**31 - 1
_GID = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):([0-9]{1,18})")
_URL_MAX = 2048


def leaves(value: Any, path: Path = ()) -> list[tuple[Path, Any]]:
    """Every scalar inside a variables mapping, with its path."""
    if isinstance(value, Mapping):
        out: list[tuple[Path, Any]] = []
        for k in sorted(value):
            out += leaves(value[k], (*path, k))
        return out
    if isinstance(value, list | tuple):
        out = []
        for i, v in enumerate(value):
            out += leaves(v, (*path, i))
        return out
    return [(path, value)]


def candidate(value: Any) -> bool:
    """Could this value be a bind parameter? (Enums, booleans and nulls change the SQL.)"""
    if isinstance(value, bool):
        return False
    return isinstance(value, str | int | float | dt.date)


def value_class(value: Any, max_page_size: int) -> Hashable:
    """What validation and SQL shape may depend on, short of the value itself."""
    if isinstance(value, str):
        gid = _GID.fullmatch(value)
        if gid:
            return ("gid", gid.group(1), int(gid.group(2)) <= INT32_MAX)
        if value.isascii() and value.isdigit() and len(value) <= 18:
            return ("digits", int(value) <= INT32_MAX)
        return ("str", value == "", len(value) > MAX_TEXT, len(value) > _URL_MAX, ":" in value)
    if isinstance(value, int):
        return ("int", value < 0, value == 0, value > NESTED_MAX, value > max_page_size)
    if isinstance(value, dt.datetime):
        return ("datetime", value.tzinfo is None)
    if isinstance(value, dt.date):
        return ("date",)
    return (type(value).__name__,)


def perturb(value: Any, max_page_size: int) -> Any | None:
    """Another value of the same class, or None when there is none handy."""
    options: list[Any]
    if isinstance(value, str):
        gid = _GID.fullmatch(value)
        if gid:
            n = int(gid.group(2))
            options = [f"{gid.group(1)}:{n + 1}", f"{gid.group(1)}:{n - 1}"]
        elif value.isascii() and value.isdigit():
            options = [str(int(value) + 1), str(int(value) - 1)]
        else:
            # Upper and lower case, so a lower()/upper() on the way shows as a change.
            options = [value + "Qq", value[:-2] + "Qq"]
    elif isinstance(value, int):
        options = [value + 1, value - 1]
    elif isinstance(value, float):
        options = [value + 1.0, value - 1.0]
    elif isinstance(value, dt.datetime):
        options = [value + dt.timedelta(seconds=1), value - dt.timedelta(seconds=1)]
    elif isinstance(value, dt.date):
        options = [value + dt.timedelta(days=1), value - dt.timedelta(days=1)]
    else:
        return None
    want = value_class(value, max_page_size)
    for option in options:
        if option != value and value_class(option, max_page_size) == want:
            return option
    return None


def replace_at(value: Any, path: Path, new: Any) -> Any:
    """A copy of `value` with the leaf at `path` replaced."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, Mapping):
        return {**value, head: replace_at(value[head], rest, new)}
    items = list(value)
    items[head] = replace_at(items[head], rest, new)  # type: ignore[index]
    return items


def at(value: Any, path: Path) -> Any:
    for key in path:
        value = value[key]
    return value


# How a bound parameter is computed from a variable's value.
Derive = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _gid_pk(value: Any) -> Any:
    return int(str(value).partition(":")[2])


def _digits(value: Any) -> Any:
    return int(str(value))


def then(derive: Derive, process: Callable[[Any], Any] | None) -> Derive:
    """`derive`, then the column type's bind processor (if any)."""
    if process is None:
        return derive
    return lambda value: None if (v := derive(value)) is None else process(v)


def derivation(var_a: Any, var_b: Any, bind_a: Any, bind_b: Any) -> Derive | None:
    """How the parameter follows the variable (values `a` and `b` of both builds)."""
    if type(bind_a) is type(var_a) and bind_a == var_a and bind_b == var_b:
        return _identity
    if isinstance(var_a, str) and isinstance(bind_a, int) and not isinstance(bind_a, bool):
        for derive in (_gid_pk, _digits):
            try:
                if derive(var_a) == bind_a and derive(var_b) == bind_b:
                    return derive
            except ValueError:
                continue
    return None


@dataclass(frozen=True)
class Shape:
    """A variables mapping without its candidate values: the structure a plan's binding
    analysis holds for (paths, value types and classes, nulls, list lengths)."""

    key: Hashable

    @staticmethod
    def of(variables: Mapping[str, Any], max_page_size: int) -> Shape:
        parts = []
        for path, value in leaves(variables):
            if candidate(value):
                parts.append((path, value_class(value, max_page_size)))
            else:
                parts.append((path, ("=", _hashable(value))))
        return Shape(tuple(parts))


def _hashable(value: Any) -> Hashable:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    out: Hashable = value
    return out


def signature(variables: Mapping[str, Any], bound: frozenset[Path], max_page_size: int) -> Hashable:
    """The plan key of `variables`: bound leaves by class, the others by value."""
    parts = []
    for path, value in leaves(variables):
        if path in bound:
            parts.append((path, "$", value_class(value, max_page_size)))
        else:
            parts.append((path, "=", _hashable(value) if candidate(value) else None))
    return (Shape.of(variables, max_page_size).key, tuple(parts))


@dataclass(frozen=True)
class Arg:
    """One positional parameter of a compiled root statement: a constant, or derived
    from the variable at `path`."""

    value: Any = None
    path: Path | None = None
    derive: Derive = _identity

    def get(self, variables: Mapping[str, Any]) -> Any:
        if self.path is None:
            return self.value
        return self.derive(at(variables, self.path))


def args_of(args: Sequence[Arg], variables: Mapping[str, Any]) -> list[Any]:
    return [a.get(variables) for a in args]
