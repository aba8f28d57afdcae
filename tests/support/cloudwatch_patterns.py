"""A small evaluator of CloudWatch's space-delimited filter patterns, written for the tests.

moto stores metric filters but does not evaluate them, so the patterns the component generates
are checked here against flow-log records. It follows CloudWatch's documented rules:

- ``[name, name, ...]`` names the fields of a record split on spaces; a record whose field count
  differs from the number of names does not match;
- a slot holds its name alone, or conditions on that name joined by ``||`` and ``&&``
  (``&&`` binds tighter); a condition naming another slot's field is refused, as AWS gives no
  such form;
- ``=`` and ``!=`` compare strings, quoted or bare, with ``*`` matching any run of characters;
- a bare number compares numerically with ``=``, ``!=``, ``<``, ``>``, ``<=`` and ``>=``, and a
  field that is not a number (``-``) fails every numeric comparison;
- a metric value ``$name`` is the named field's number; ``1`` counts records.

It is deliberately strict: anything else (``...``, regex, JSON patterns) raises
``PatternError``, so a generated pattern outside this subset fails a test instead of passing it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_CONDITION = re.compile(r'\s*([A-Za-z_][A-Za-z0-9_]*)\s*(!=|<=|>=|=|<|>)\s*("[^"]*"|[^\s|&"]+)\s*')
_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*")


@functools.cache
def _wildcard(value: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in value.split("*")))


class PatternError(ValueError):
    """The text is not a space-delimited pattern this evaluator understands."""


@dataclass(frozen=True)
class _Condition:
    op: str
    value: str
    quoted: bool

    def holds(self, field: str) -> bool:
        if not self.quoted and _NUMBER.fullmatch(self.value):
            if not _NUMBER.fullmatch(field):
                return False
            a, b = float(field), float(self.value)
            return {
                "=": a == b,
                "!=": a != b,
                "<": a < b,
                ">": a > b,
                "<=": a <= b,
                ">=": a >= b,
            }[self.op]
        if self.op not in ("=", "!="):
            raise PatternError(f"{self.op} needs a number, not {self.value!r}")
        matched = _wildcard(self.value).fullmatch(field) is not None
        return matched if self.op == "=" else not matched


@dataclass(frozen=True)
class _Slot:
    name: str
    alternatives: tuple[tuple[_Condition, ...], ...]
    """Conditions in disjunctive form: any alternative whose conditions all hold."""

    def matches(self, field: str) -> bool:
        if not self.alternatives:
            return True
        return any(all(c.holds(field) for c in conj) for conj in self.alternatives)


def _split_slots(body: str) -> list[str]:
    slots, current, quoted = [], "", False
    for char in body:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            slots.append(current)
            current = ""
        else:
            current += char
    slots.append(current)
    return slots


def _parse_slot(text: str) -> _Slot:
    if text.strip() == "...":
        raise PatternError("'...' is not supported by this evaluator")
    bare = _NAME.fullmatch(text)
    if bare:
        return _Slot(bare.group(1), ())
    alternatives = []
    name = None
    for alternative in text.split("||"):
        conditions = []
        for term in alternative.split("&&"):
            match = _CONDITION.fullmatch(term)
            if not match:
                raise PatternError(f"not a condition: {term!r}")
            term_name, op, value = match.groups()
            if name is None:
                name = term_name
            elif term_name != name:
                raise PatternError(f"a condition on {term_name!r} in the slot of {name!r}")
            quoted = value.startswith('"')
            conditions.append(_Condition(op, value.strip('"'), quoted))
        alternatives.append(tuple(conditions))
    assert name is not None
    return _Slot(name, tuple(alternatives))


@dataclass(frozen=True)
class Pattern:
    """A parsed space-delimited pattern."""

    slots: tuple[_Slot, ...]

    @classmethod
    def parse(cls, text: str) -> Pattern:
        if not (text.startswith("[") and text.endswith("]")):
            raise PatternError(f"not a space-delimited pattern: {text[:40]!r}")
        slots = tuple(_parse_slot(s) for s in _split_slots(text[1:-1]))
        names = [s.name for s in slots]
        if len(set(names)) != len(names):
            raise PatternError(f"repeated names in {names}")
        return cls(slots)

    def fields(self, record: str) -> dict[str, str] | None:
        """The record's fields by name if the record matches, else None."""
        values = record.split(" ")
        if len(values) != len(self.slots):
            return None
        if all(s.matches(v) for s, v in zip(self.slots, values, strict=True)):
            return {s.name: v for s, v in zip(self.slots, values, strict=True)}
        return None

    def matches(self, record: str) -> bool:
        return self.fields(record) is not None


def metric_values(pattern: str, metric_value: str, records: Sequence[str]) -> list[float]:
    """The datapoints a filter publishes for ``records``: one per matching record.

    A ``$field`` value that is not a number publishes nothing, as in CloudWatch.
    """
    parsed = Pattern.parse(pattern)
    values = []
    for record in records:
        fields = parsed.fields(record)
        if fields is None:
            continue
        if metric_value.startswith("$"):
            raw = fields[metric_value[1:]]
            if _NUMBER.fullmatch(raw):
                values.append(float(raw))
        else:
            values.append(float(metric_value))
    return values
