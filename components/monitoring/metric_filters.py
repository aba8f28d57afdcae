"""CloudWatch metric-filter patterns for flow-log records, generated from the log's own format.

Everything here is pure: plain strings in, plain strings out, so the patterns are known when the
program is constructed (a preview shows them) and the tests can evaluate them against records.

Space-delimited patterns are positional: ``[name1,name2,...]`` with one name per field of the
format, and a condition sits in its own field's slot. A condition may only test its own slot's
field, so matching "source or destination" takes one filter per slot. There is no CIDR operator
and regex is limited to 5 patterns per log group, so address blocks become ``*`` wildcards on
octet boundaries, and a block that is not octet-aligned is split into the fewest aligned pieces.
"""

from __future__ import annotations

import ipaddress
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_PATTERN_LENGTH = 1024
"""CloudWatch's limit on a filter pattern, in characters."""
MAX_FILTERS_PER_LOG_GROUP = 100
"""CloudWatch's limit on metric filters per log group; it cannot be raised."""

ADMIN_PORTS: tuple[int, ...] = (22, 3389)
"""SSH and RDP: the ports scanned first on anything reachable."""
TCP = 6


def slot_name(field: str) -> str:
    """A readable pattern name for a flow-log field: ``flow-direction`` -> ``flow_direction``."""
    return field.replace("-", "_")


def short_names(count: int) -> list[str]:
    """``count`` distinct one- or two-letter names: a, b, ..., z, aa, ab, ...

    The known-bad patterns repeat their slot's name before every address, so a short name
    leaves room for more addresses within CloudWatch's 1,024 characters.
    """
    letters = string.ascii_lowercase
    names = list(letters) + [a + b for a in letters for b in letters]
    if count > len(names):
        raise ValueError(f"{count} fields is more than a flow-log format can have")
    return names[:count]


def pattern(fields: Sequence[str], conditions: Mapping[str, str], *, short: bool = False) -> str:
    """A space-delimited pattern with one name per field of ``fields``.

    ``conditions`` maps a flow-log field to its slot's condition, written with ``{n}`` for the
    slot's name (``'{n}="REJECT"'``); fields without a condition match anything.
    """
    unknown = set(conditions) - set(fields)
    if unknown:
        raise ValueError(f"conditions on fields not in the format: {sorted(unknown)}")
    names = short_names(len(fields)) if short else [slot_name(f) for f in fields]
    slots = [
        conditions[field].format(n=name) if field in conditions else name
        for field, name in zip(fields, names, strict=True)
    ]
    return "[" + ",".join(slots) + "]"


# The detections. Each names the fields it needs, so a format without them skips it.


@dataclass(frozen=True)
class Detection:
    """A metric filter's purpose: what it counts and which fields of the format it needs."""

    key: str
    """Short name, used in resource names (``{component}-{key}``)."""
    metric_name: str
    """The metric the filter publishes."""
    fields: tuple[str, ...]
    """The flow-log fields the pattern tests or reads."""
    conditions: Mapping[str, str]
    metric_value: str = "1"
    """What each matching record adds: 1 (a count) or ``$field`` (a field's value)."""

    def pattern(self, fields: Sequence[str]) -> str:
        return pattern(fields, self.conditions)

    def patterns(self, fields: Sequence[str]) -> list[str]:
        """The patterns of this detection's filters, which publish to the same metric; one
        unless a detection needs more room than a pattern has."""
        return [self.pattern(fields)]

    def value_for(self, fields: Sequence[str]) -> str:
        """What each matching record adds, in the format ``fields``."""
        return self.metric_value

    def missing(self, fields: Sequence[str]) -> list[str]:
        """The fields this detection needs that ``fields`` lacks, in the detection's order."""
        return [f for f in self.fields if f not in fields]


# `action` is `-` in NODATA and SKIPDATA records, so a condition on REJECT or ACCEPT never counts
# them.
ACCEPTED = Detection("accepted-records", "AcceptedRecords", ("action",), {"action": '{n}="ACCEPT"'})
REJECTED = Detection("rejected-records", "RejectedRecords", ("action",), {"action": '{n}="REJECT"'})
ADMIN_PORT_PROBES = Detection(
    "admin-port-probes",
    "AdminPortProbes",
    ("dstport", "protocol", "action"),
    {
        "dstport": "||".join(f"{{n}}={port}" for port in ADMIN_PORTS),
        "protocol": f"{{n}}={TCP}",
        "action": '{n}="REJECT"',
    },
)
KNOWN_BAD_METRIC = "KnownBadAddressRecords"
KNOWN_BAD_FIELDS: tuple[str, ...] = ("srcaddr", "dstaddr")
"""The known-bad detection needs both: records from a bad address, and records to one."""


# Known-bad addresses.


def parse_entry(entry: str) -> ipaddress.IPv4Network:
    """An address or CIDR block as a network; raises ``ValueError`` if it is not valid IPv4.

    Host bits set (``10.0.0.1/24``) is an error rather than silently widened: the user meant
    something, and it is not clear what.
    """
    if ":" in entry:
        raise ValueError("IPv6")
    return ipaddress.IPv4Network(entry.strip(), strict=True)


def wildcards(network: ipaddress.IPv4Network) -> list[str]:
    """The fewest octet-aligned wildcards that match exactly the addresses of ``network``.

    ``10.1.0.0/16`` is ``10.1.*``; ``10.1.2.3/32`` is ``10.1.2.3``; ``10.1.16.0/20`` is the
    sixteen ``/24``s ``10.1.16.*`` ... ``10.1.31.*``. ``0.0.0.0/0`` is ``*.*.*.*``, which
    matches every IPv4 address and not the ``-`` of a NODATA record.
    """
    if network.prefixlen == 0:
        return ["*.*.*.*"]
    aligned = -(-network.prefixlen // 8) * 8
    pieces = network.subnets(new_prefix=aligned) if aligned != network.prefixlen else [network]
    result = []
    for piece in pieces:
        octets = str(piece.network_address).split(".")[: aligned // 8]
        result.append(".".join(octets) + (".*" if aligned < 32 else ""))
    return result


def address_pieces(entries: Sequence[str]) -> list[list[str]]:
    """For each entry, the wildcards it adds: none when an earlier entry covers it.

    Entries must be valid (see ``parse_entry``).
    """
    networks = [parse_entry(e) for e in entries]
    # Only earlier entries cover later ones, so the entries that fit are always a prefix of the
    # list, and each of them is matched by its own wildcards or an earlier entry's.
    result: list[list[str]] = []
    earlier: set[tuple[int, int]] = set()
    for network in networks:
        address, length = int(network.network_address), network.prefixlen
        covered = any(
            (address >> (32 - wider) << (32 - wider), wider) in earlier
            for wider in range(length + 1)
        )
        earlier.add((address, length))
        result.append([] if covered else wildcards(network))
    return result


@dataclass(frozen=True)
class KnownBadPacking:
    """Known-bad wildcards packed into patterns: one list of patterns per address field."""

    patterns: Mapping[str, list[str]]
    """``srcaddr`` and ``dstaddr`` to their patterns, in the same order."""
    entries_fitting: int
    """How many entries of the list, from the start, fit in the filter budget."""
    filters_needed: int

    @property
    def filter_count(self) -> int:
        return sum(len(p) for p in self.patterns.values())


def _known_bad_pattern(fields: Sequence[str], field: str, pieces: Sequence[str]) -> str:
    return pattern(fields, {field: "||".join(f"{{n}}={p}" for p in pieces)}, short=True)


def _pattern_room(fields: Sequence[str], field: str) -> tuple[int, int]:
    """Characters a pattern has left for conditions, and the cost of each beyond the text."""
    bare = pattern(fields, {}, short=True)
    name = short_names(len(fields))[list(fields).index(field)]
    # The slot's bare name is replaced by `name=piece||name=piece...`.
    return MAX_PATTERN_LENGTH - len(bare) + len(name), len(name) + 1


def pack_known_bad(entries: Sequence[str], fields: Sequence[str], budget: int) -> KnownBadPacking:
    """Pack ``entries`` into as few patterns as 1,024 characters allow, per address field.

    Source and destination get the same chunks of wildcards, so each chunk costs two filters.
    ``budget`` is the number of filters left for them; a packing that needs more reports how
    many entries fit and how many filters the whole list needs, and holds only what fits.
    """
    per_entry = address_pieces(entries)
    rooms = [_pattern_room(fields, f) for f in KNOWN_BAD_FIELDS]
    chunks: list[list[str]] = []
    used = [0] * len(KNOWN_BAD_FIELDS)
    for pieces in per_entry:
        for piece in pieces:
            costs = [len(piece) + per + (2 if used[i] else 0) for i, (_, per) in enumerate(rooms)]
            if not chunks or any(used[i] + costs[i] > rooms[i][0] for i in range(len(rooms))):
                chunks.append([])
                used = [0] * len(KNOWN_BAD_FIELDS)
                costs = [len(piece) + per for _, per in rooms]
            chunks[-1].append(piece)
            used = [u + c for u, c in zip(used, costs, strict=True)]
    per_chunk = len(KNOWN_BAD_FIELDS)
    fitting_chunks = max(budget, 0) // per_chunk
    kept = chunks[:fitting_chunks]
    if len(kept) == len(chunks):
        fitting = len(entries)
    else:
        # An entry fits if all of its pieces lie in the kept chunks.
        last_kept = sum(len(c) for c in kept)
        seen = 0
        fitting = 0
        for pieces in per_entry:
            seen += len(pieces)
            if seen > last_kept:
                break
            fitting += 1
    return KnownBadPacking(
        patterns={f: [_known_bad_pattern(fields, f, c) for c in kept] for f in KNOWN_BAD_FIELDS},
        entries_fitting=fitting,
        filters_needed=per_chunk * len(chunks),
    )
