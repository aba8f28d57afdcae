"""What "egress to the internet" means, once, for every place that counts it: the metric filters
and their alarm and dashboard, the saved Logs Insights query and the Athena query.

A record is egress to the internet when:

- it is outbound: ``flow-direction`` is ``egress``, or, in a format without that field, its
  source address is not on the internet (``NOT_INTERNET``);
- its ``action`` is ``ACCEPT``: a rejected packet did not leave;
- its destination address is not in ``NOT_INTERNET``;
- its ``traffic-path`` is not 7 (a gateway VPC endpoint), when the format has that field.

The traffic path alone cannot say it: an instance in a private subnet reaches the internet
through a NAT gateway, so its records carry path 1 ("another resource in the same VPC"), and
older instances write 2 for a gateway endpoint as for an internet gateway.

Every engine matches addresses by the text AWS writes, with the same prefixes
(``address_prefixes``): CloudWatch metric filters have no CIDR operator, only ``*`` wildcards.
Pure Python: the monitoring and the storage capabilities both import it.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

NOT_INTERNET: tuple[str, ...] = (
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
)
"""Destinations that are not the internet: RFC 1918, shared address space (carrier-grade NAT),
loopback, IPv4 link-local, IPv6 unique local and IPv6 link-local."""
GATEWAY_ENDPOINT_PATH = 7
"""``traffic-path`` of traffic through a gateway VPC endpoint (S3, DynamoDB), from Nitro
instances. Older instances write 2 for it, as for an internet gateway: that cannot be told
apart."""
REQUIRED_FIELDS: tuple[str, ...] = ("action", "dstaddr", "bytes")
"""Fields every egress count needs, beside ``flow-direction`` or ``srcaddr``."""


def _ipv4_prefixes(network: ipaddress.IPv4Network) -> list[str]:
    """Octet-aligned text prefixes: ``172.16.0.0/12`` is ``172.16.`` ... ``172.31.``."""
    aligned = -(-network.prefixlen // 8) * 8
    pieces = network.subnets(new_prefix=aligned) if aligned != network.prefixlen else [network]
    return [".".join(str(p.network_address).split(".")[: aligned // 8]) + "." for p in pieces]


def _ipv6_prefixes(network: ipaddress.IPv6Network) -> list[str]:
    """Hex-digit text prefixes of the first group: ``fe80::/10`` is ``fe8`` ... ``feb``.

    AWS writes IPv6 addresses without leading zeros, so a prefix also matches a first group
    written with fewer digits (``fc:...`` is ``00fc:...``). Every such address lies outside
    ``2000::/3``, where all of the internet's unicast addresses are.
    """
    if network.prefixlen > 16:
        raise ValueError(f"{network}: only blocks of /16 or wider are supported")
    aligned = -(-network.prefixlen // 4) * 4
    pieces = network.subnets(new_prefix=aligned) if aligned != network.prefixlen else [network]
    prefixes = [f"{int(p.network_address) >> 112:04x}"[: aligned // 4] for p in pieces]
    if any(p.startswith("0") for p in prefixes):
        raise ValueError(f"{network}: a leading zero is not written, so it has no text prefix")
    return prefixes


@functools.cache
def address_prefixes(networks: tuple[str, ...] = NOT_INTERNET) -> tuple[str, ...]:
    """The text prefixes of every address in ``networks``, as AWS writes addresses.

    No prefix is a prefix of another, so each address starts with at most one of them.
    """
    prefixes: list[str] = []
    for block in networks:
        network = ipaddress.ip_network(block)
        if isinstance(network, ipaddress.IPv4Network):
            prefixes += _ipv4_prefixes(network)
        else:
            prefixes += _ipv6_prefixes(network)
    return tuple(prefixes)


def private_address_regex() -> str:
    """A regular expression matching exactly the addresses ``address_prefixes`` matches."""
    return "^(" + "|".join(re.escape(p) for p in address_prefixes()) + ")"


ConditionKind = Literal["equals", "not-equals", "private", "not-private"]


@dataclass(frozen=True)
class Condition:
    """One condition of the definition, on one field of the record."""

    field: str
    kind: ConditionKind
    value: str = ""
    """The value ``equals`` and ``not-equals`` compare with; a number for ``traffic-path``."""


def missing_fields(fields: Sequence[str]) -> list[str]:
    """The fields a format lacks to count egress: ``action``, ``dstaddr``, ``bytes``, and
    ``flow-direction`` when it has neither that nor ``srcaddr``."""
    missing = [f for f in REQUIRED_FIELDS if f not in fields]
    if "flow-direction" not in fields and "srcaddr" not in fields:
        missing.insert(0, "flow-direction")
    return missing


def egress_conditions(fields: Sequence[str]) -> list[Condition]:
    """The definition's conditions for a format that has what ``missing_fields`` asks for."""
    if missing_fields(fields):
        raise ValueError(f"the format lacks {missing_fields(fields)} to count egress")
    outbound = (
        Condition("flow-direction", "equals", "egress")
        if "flow-direction" in fields
        else Condition("srcaddr", "private")
    )
    conditions = [
        outbound,
        Condition("action", "equals", "ACCEPT"),
        Condition("dstaddr", "not-private"),
    ]
    if "traffic-path" in fields:
        conditions.append(Condition("traffic-path", "not-equals", str(GATEWAY_ENDPOINT_PATH)))
    return conditions
