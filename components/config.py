"""Reading the stack's config: the namespace, the error every bad setting raises, and decoders.

The CLI hands every value to the program as a string (JSON for arrays and objects) and has
already type-checked stack values against ``Pulumi.yaml``; the decoders still check, because
programs are also run by tests and by other tools with raw config. Each capability's settings
module declares its own keys with these decoders; ``components.settings`` composes them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import fields
from typing import Any, cast

import pulumi

CONFIG_NAMESPACE = "vpc-flow-logs"

Decoder = Callable[[str, object], object]
"""Turns a raw config value into a Python value, or raises ``TypeProblem`` naming the key."""


class SettingsError(pulumi.RunError):
    """Invalid settings. ``RunError`` makes Pulumi print the message without a stack trace."""


class TypeProblem(Exception):
    """A config value is not of its key's type."""


def raise_if(problems: Sequence[str]) -> None:
    """Raise one ``SettingsError`` listing every problem, if there are any."""
    if problems:
        raise SettingsError("\n".join(problems))


def choices(values: Sequence[object]) -> str:
    """Allowed values, as an error message lists them."""
    return ", ".join(str(v) for v in values)


def given(decoded: Mapping[str, object], key: str) -> object | None:
    """A decoded value, or None when it is unset: missing, or an empty string, list or map, or
    ``false``. ``Pulumi.yaml`` declares those empty values as the defaults of optional keys."""
    value = decoded.get(key)
    return value if value not in (None, "", (), {}, False) else None


def whole(value: object) -> object:
    """A whole float as an int: numbers reach a component hosted by a provider as floats."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def field_values(
    cls: Any, args: Mapping[str, object], exclude: Collection[str] = ()
) -> dict[str, object]:
    """The values in a component's ``args`` for the fields of the dataclass ``cls``: keys that
    are absent or None left out (they take the field's default), whole floats made ints."""
    names = {f.name for f in fields(cls)} - set(exclude)
    return {k: whole(v) for k, v in args.items() if k in names and v is not None}


def as_string(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeProblem(f"{key}: {value!r} is not a string.")
    return value


def as_bool(key: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise TypeProblem(f"{key}: {value!r} is not a boolean; use true or false.")


def as_int(key: str, value: object) -> int:
    if isinstance(value, bool):
        raise TypeProblem(f"{key}: {value!r} is not a whole number.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise TypeProblem(f"{key}: {value!r} is not a whole number.")


def _as_json(key: str, value: object, kind: type, noun: str) -> object:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise TypeProblem(f"{key}: {value!r} is not {noun} (it is not valid JSON).") from None
    if not isinstance(value, kind):
        raise TypeProblem(f"{key}: {value!r} is not {noun}.")
    return value


def as_string_list(key: str, value: object) -> tuple[str, ...]:
    items = cast(list[object], _as_json(key, value, list, "a list of strings"))
    if not all(isinstance(item, str) for item in items):
        raise TypeProblem(f"{key}: {items!r} is not a list of strings.")
    return tuple(cast(list[str], items))


def as_string_map(key: str, value: object) -> dict[str, str]:
    items = cast(dict[object, object], _as_json(key, value, dict, "a map of strings"))
    if not all(isinstance(v, str) for v in items.values()):
        raise TypeProblem(f"{key}: {items!r} is not a map of strings.")
    return cast(dict[str, str], items)


def as_string_or_string_map(key: str, value: object) -> str | dict[str, str]:
    """A string, or a map of strings (given as a map or as its JSON)."""
    if isinstance(value, dict) or (isinstance(value, str) and value.lstrip().startswith("{")):
        return as_string_map(key, value)
    if not isinstance(value, str):
        raise TypeProblem(f"{key}: {value!r} is not a string or a map of strings.")
    return value


def as_int_map(key: str, value: object) -> dict[str, int]:
    items = cast(dict[object, object], _as_json(key, value, dict, "a map of whole numbers"))
    decoded: dict[str, int] = {}
    for name, item in items.items():
        try:
            decoded[str(name)] = as_int(key, item)
        except TypeProblem:
            raise TypeProblem(f"{key}: {items!r} is not a map of whole numbers.") from None
    return decoded
