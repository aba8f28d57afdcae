"""Flow-log records for the pattern tests, written the way the flow-logs service writes them.

A record is a dict of field values, rendered in any format; fields that the record has no value
for are ``-``, as AWS writes a missing value. NODATA and SKIPDATA records have ``-`` from
``srcaddr`` to ``action``.
"""

from __future__ import annotations

import ipaddress
import itertools
from collections.abc import Iterable, Mapping, Sequence

import yaml

from tests.support.program import PROJECT_DIR

Record = Mapping[str, str]

PROD_FORMAT: tuple[str, ...] = tuple(
    yaml.safe_load((PROJECT_DIR / "Pulumi.prod.yaml").read_text())["config"][
        "vpc-flow-logs:logFormat"
    ]
)
"""The prod stack's record format, as its stack file sets it."""


def fifteen_character_addresses(count: int) -> list[str]:
    """The longest single addresses there are (``203.100.100.100``): the worst case."""
    octets = range(100, 256)
    every = (f"203.{a}.{b}.{c}" for a, b, c in itertools.product(octets, repeat=3))
    return list(itertools.islice(every, count))


RFC_1918 = tuple(
    ipaddress.ip_network(block) for block in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
)
"""The private IPv4 ranges: traffic to them does not leave for the internet."""

NOT_THE_INTERNET = tuple(
    ipaddress.ip_network(block)
    for block in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "fc00::/7",
        "fe80::/10",
    )
)
"""Destinations that are not the internet, as issue 18 lists them, written out here so that the
tests do not take them from the code under test."""


def not_the_internet(address: str) -> bool:
    """Whether ``address`` is in one of ``NOT_THE_INTERNET``'s blocks."""
    return any(ipaddress.ip_address(address) in block for block in NOT_THE_INTERNET)


def address_sweep() -> list[str]:
    """Addresses on and around the private blocks' edges: every first octet, every second octet
    under the first octets that hold a private block, and IPv6 first groups of four digits."""
    v4 = [f"{a}.{b}.3.4" for a in range(256) for b in (0, 64, 127, 128, 254, 255)]
    v4 += [f"{a}.{b}.0.1" for a in (10, 100, 127, 169, 172, 192) for b in range(256)]
    groups = [g << 8 for g in range(0x10, 0x100)]
    groups += [0xFBFF, 0xFC00, 0xFCFF, 0xFDFF, 0xFE00, 0xFE7F, 0xFE80, 0xFEBF, 0xFEC0]
    return v4 + [f"{g:x}:db8::1" for g in groups]


_COMMON = {
    "version": "5",
    "account-id": "123456789012",
    "interface-id": "eni-0a1b2c3d4e5f60718",
    "start": "1700000000",
    "end": "1700000060",
    "vpc-id": "vpc-0a1b2c3d4e5f60718",
    "subnet-id": "subnet-0123456789abcdef0",
    "instance-id": "i-0123456789abcdef0",
    "type": "IPv4",
    "traffic-path": "-",
}


def render(record: Record, fields: Sequence[str]) -> str:
    """The record as a line in the format ``fields``."""
    return " ".join(record.get(f, "-") for f in fields)


def flow(
    src: str,
    dst: str,
    *,
    srcport: int = 49152,
    dstport: int = 443,
    protocol: int = 6,
    action: str = "ACCEPT",
    direction: str = "ingress",
    packets: int = 10,
    bytes_: int = 840,
    traffic_path: str | None = None,
) -> dict[str, str]:
    """One OK record. ``traffic_path`` defaults to what AWS writes for the simplest case: ``-``
    on ingress; on egress, ``1`` (same VPC) to an RFC 1918 address and ``2`` (internet
    gateway) to any other."""
    if traffic_path is None:
        private = any(ipaddress.ip_address(dst) in block for block in RFC_1918)
        traffic_path = "-" if direction != "egress" else "1" if private else "2"
    return {
        **_COMMON,
        "srcaddr": src,
        "dstaddr": dst,
        "pkt-srcaddr": src,
        "pkt-dstaddr": dst,
        "srcport": str(srcport),
        "dstport": str(dstport),
        "protocol": str(protocol),
        "packets": str(packets),
        "bytes": str(bytes_),
        "tcp-flags": "2" if protocol == 6 else "0",
        "action": action,
        "log-status": "OK",
        "flow-direction": direction,
        "traffic-path": traffic_path,
    }


def no_data(status: str) -> dict[str, str]:
    """A NODATA or SKIPDATA record: dashes from srcaddr to action."""
    return {**_COMMON, "log-status": status}


def varied_records(addresses: Iterable[str]) -> list[dict[str, str]]:
    """Records over ``addresses`` in every role: both directions, ACCEPT and REJECT, TCP and UDP,
    the admin ports and others, plus NODATA and SKIPDATA."""
    records: list[dict[str, str]] = [no_data("NODATA"), no_data("SKIPDATA")]
    addresses = list(addresses)
    peer = "10.0.1.25"
    combos = itertools.product(
        ("ACCEPT", "REJECT"), (6, 17), (22, 3389, 443, 2222), ("ingress", "egress")
    )
    for index, (action, protocol, port, direction) in enumerate(combos):
        for address in addresses:
            records.append(
                flow(
                    address,
                    peer,
                    action=action,
                    protocol=protocol,
                    dstport=port,
                    direction=direction,
                    bytes_=100 + index,
                )
            )
            records.append(
                flow(
                    peer,
                    address,
                    action=action,
                    protocol=protocol,
                    dstport=port,
                    direction=direction,
                    bytes_=1000 + index,
                )
            )
    return records
