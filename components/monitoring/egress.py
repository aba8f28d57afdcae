"""The egress metric's filters: ``components.internet_egress``'s definition as space-delimited
patterns.

A condition may only test its own slot's field, and there is no CIDR operator: "not a private
address" is written as alternatives joined by ``||``, each a wildcard with the private prefixes
under it excluded by ``!=`` and ``&&`` (``dstaddr=172.*&&dstaddr!=172.16.*...``). The
alternatives are disjoint, so when they do not fit in one pattern of 1,024 characters they are
spread over several filters that publish to the same metric, and no record is counted twice.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from components.internet_egress import (
    Condition,
    address_prefixes,
    egress_conditions,
    missing_fields,
)
from components.monitoring.metric_filters import (
    MAX_PATTERN_LENGTH,
    Detection,
    pattern,
    short_names,
)


def _alternative(name: str, positive: str, excluded: Sequence[str]) -> str:
    terms = [f"{name}={positive}*"] if positive else []
    return "&&".join(terms + [f"{name}!={prefix}*" for prefix in excluded])


_HEX = "0123456789abcdef"


def _next_characters(region: str) -> str | None:
    """Every character that can follow ``region`` in an address AWS writes, or None when
    ``region`` could be a whole address (or is IPv6 past its first group), where splitting
    by the next character would lose it."""
    if ":" in region:
        return None
    if "." not in region:
        # IPv4 or IPv6: a superset costs only an alternative that never matches.
        return _HEX + ".:"
    dots, octet = region.count("."), region.rsplit(".", 1)[1]
    if dots == 3 and octet:
        return None
    digits = "".join(d for d in "0123456789" if octet != "0" and int(octet + d) <= 255)
    return digits + ("." if octet and dots < 3 else "")


@functools.cache
def _stems() -> frozenset[str]:
    """Every beginning of a private prefix, the prefix itself included."""
    return frozenset(p[:k] for p in address_prefixes() for k in range(len(p) + 1))


def _under(region: str) -> list[str]:
    """The private prefixes that start with ``region``."""
    return [p for p in address_prefixes() if p.startswith(region)] if region in _stems() else []


@functools.cache
def _in_prefix(text: str) -> bool:
    """Whether ``text`` starts with a private prefix."""
    prefixes = frozenset(address_prefixes())
    return any(text[:k] in prefixes for k in range(1, len(text) + 1))


def _cost(alternatives: Sequence[str]) -> int:
    return sum(len(a) for a in alternatives) + 2 * max(len(alternatives) - 1, 0)


@functools.cache
def outside_alternatives(name: str, room: int, region: str = "") -> tuple[str, ...]:
    """Disjoint alternatives that together match every address starting with ``region`` that
    is outside ``address_prefixes``, as short as they can be written in alternatives of at
    most ``room`` characters.

    Three ways are compared: the region with every private prefix under it excluded
    (``d=10*&&d!=10.*&&...``); the region with the next characters that lead to private
    prefixes excluded, and those written apart; or only what can follow the region, written
    apart (``100.7`` is followed by ``.`` or a digit, and ``100.70.`` to ``100.79.`` are
    private, so what is left of it is ``100.7.*``).
    """
    if _in_prefix(region):
        return ()
    under = _under(region)
    if not under:
        return (_alternative(name, region, []),)
    options: list[tuple[str, ...]] = [(_alternative(name, region, under),)]
    children = sorted({p[len(region)] for p in under})
    split = (a for c in children for a in outside_alternatives(name, room, region + c))
    options.append((_alternative(name, region, [region + c for c in children]), *split))
    following = _next_characters(region)
    if following is not None:
        options.append(
            tuple(a for c in following for a in outside_alternatives(name, room, region + c))
        )
    fitting = [o for o in options if all(len(a) <= room for a in o)] or options[1:2]
    return min(fitting, key=_cost)


@functools.cache
def _all_private(text: str) -> bool:
    """Whether every address starting with ``text`` is private."""
    if _in_prefix(text):
        return True
    following = _next_characters(text)
    return (
        text in _stems()
        and following is not None
        and all(_all_private(text + c) for c in following)
    )


@functools.cache
def private_alternatives(name: str, region: str = "") -> tuple[str, ...]:
    """Disjoint alternatives that together match every address starting with ``region`` that
    is in ``address_prefixes``, as short as they can be written: each prefix apart, or split
    by the next character, or the region less what follows it that is public
    (``100.7*`` less ``100.7.*`` is ``100.70.*`` to ``100.79.*``)."""
    if _all_private(region):
        return (f"{name}={region}*",)
    under = _under(region)
    if not under:
        return ()
    options: list[tuple[str, ...]] = [tuple(f"{name}={p}*" for p in under)]
    following = _next_characters(region)
    if following is not None:
        options.append(tuple(a for c in following for a in private_alternatives(name, region + c)))
        public = [c for c in following if region + c not in _stems()]
        if all(_all_private(region + c) for c in following if c not in public):
            options.append((_alternative(name, region, [region + c for c in public]),))
    return min(options, key=_cost)


def _chunks(alternatives: Sequence[str], room: int) -> list[str]:
    """The alternatives joined by ``||`` into as few slots of at most ``room`` characters as
    they fit in, in order."""
    chunks: list[list[str]] = []
    used = 0
    for alternative in alternatives:
        cost = len(alternative) + (2 if chunks and chunks[-1] else 0)
        if not chunks or used + cost > room:
            chunks.append([])
            used, cost = 0, len(alternative)
        chunks[-1].append(alternative)
        used += cost
    return ["||".join(chunk) for chunk in chunks]


@dataclass(frozen=True)
class InternetEgress(Detection):
    """Bytes of records that leave for the internet, as ``components.internet_egress`` defines
    it, over as few filters as CloudWatch's 1,024 characters allow.

    The patterns use one- or two-letter slot names, which leaves room for more addresses.
    """

    def missing(self, fields: Sequence[str]) -> list[str]:
        return missing_fields(fields)

    def value_for(self, fields: Sequence[str]) -> str:
        """``$`` and the short name of the ``bytes`` slot."""
        return "$" + short_names(len(fields))[list(fields).index("bytes")]

    def pattern(self, fields: Sequence[str]) -> str:
        (only,) = self.patterns(fields)
        return only

    def patterns(self, fields: Sequence[str]) -> list[str]:
        """Patterns that together match exactly the egress records, none matching one that
        another matches."""
        return list(_egress_patterns(tuple(fields)))


@functools.cache
def _egress_patterns(fields: tuple[str, ...]) -> tuple[str, ...]:
    """``InternetEgress.patterns``, computed once per format."""
    names = dict(zip(fields, short_names(len(fields)), strict=True))
    fixed: dict[str, str] = {}
    spread: list[str] = []
    for condition in egress_conditions(fields):
        if condition.kind in ("private", "not-private"):
            spread.append(condition.field)
        else:
            fixed[condition.field] = _fixed_condition(condition)
    room = (
        MAX_PATTERN_LENGTH
        - len(pattern(fields, fixed, short=True))
        + sum(len(names[f]) for f in spread)
    )
    destination = names["dstaddr"]
    if "srcaddr" not in spread:
        slots = _chunks(outside_alternatives(destination, room), room)
        return tuple(pattern(fields, {**fixed, "dstaddr": _literal(d)}, short=True) for d in slots)
    # Outbound by source address: every chunk of private sources with every chunk of
    # destinations, the room shared between the two slots so that the fewest result.
    sources = private_alternatives(names["srcaddr"])
    best: list[tuple[str, str]] = []
    for source_room in range(room // 8, room - room // 8, max(room // 40, 1)):
        source_slots = _chunks(sources, source_room)
        rest = room - max(len(s) for s in source_slots)
        destination_slots = _chunks(outside_alternatives(destination, rest), rest)
        pairs = list(itertools.product(source_slots, destination_slots))
        if not best or len(pairs) < len(best):
            best = pairs
    return tuple(
        pattern(fields, {**fixed, "srcaddr": _literal(s), "dstaddr": _literal(d)}, short=True)
        for s, d in best
    )


def _fixed_condition(condition: Condition) -> str:
    """An ``equals`` or ``not-equals`` condition in its slot, compared as text: a record
    without a ``traffic-path`` (``-``) is not 7 either."""
    op = "=" if condition.kind == "equals" else "!="
    return f'{{n}}{op}"{condition.value}"'


def _literal(slot: str) -> str:
    """A slot's text as ``pattern`` takes a condition: its braces doubled."""
    return slot.replace("{", "{{").replace("}", "}}")


EGRESS_BYTES = InternetEgress("egress-bytes", "EgressBytes", (), {}, metric_value="$bytes")
"""Bytes leaving for the internet, through an internet gateway or a NAT gateway."""
