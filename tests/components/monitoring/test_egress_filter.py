"""The egress metric counts bytes leaving for the internet, and nothing else.

``flow-direction`` is relative to the interface that records it, so VPC-internal, peered and
VPN traffic make egress records too. The generated patterns are evaluated against rendered
records with ``tests/support/cloudwatch_patterns.py``; what should count is decided here from
the records' own fields and Python's ``ipaddress``, never from the code under test.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pytest

from components.flow_logs.log_format import DEFAULT_FIELDS, FIELD_VERSIONS
from components.monitoring.metric_filters import EGRESS_BYTES, MAX_PATTERN_LENGTH
from tests.support.cloudwatch_patterns import Pattern, metric_values
from tests.support.flow_records import PROD_FORMAT, Record, flow, no_data, render

WITHOUT_PATH = tuple(f for f in PROD_FORMAT if f != "traffic-path")
"""Prod's format less ``traffic-path``: internet egress is told by the destination address."""
SHUFFLED = ("flow-direction", "action", "bytes", "dstaddr", "log-status", "srcaddr")
INSTANCE = "10.0.1.25"
WEB = "93.184.216.34"

PRIVATE = [
    "10.0.0.0",
    "10.255.255.255",
    "172.16.0.1",
    "172.20.5.5",
    "172.31.255.255",
    "192.168.0.1",
    "192.168.255.255",
]
PUBLIC = [
    WEB,
    "8.8.8.8",
    "9.255.255.255",
    "11.0.0.1",
    "100.0.0.1",  # starts with "10", not "10."
    "172.15.255.255",
    "172.32.0.0",
    "172.160.0.1",  # starts with "172.16", not "172.16."
    "192.167.255.255",
    "192.169.0.0",
]


def rfc_1918(address: str) -> bool:
    blocks = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
    return any(ipaddress.ip_address(address) in ipaddress.ip_network(b) for b in blocks)


def counted(fields: Sequence[str], record: Record) -> bool:
    return Pattern.parse(EGRESS_BYTES.pattern(fields)).matches(render(record, fields))


# Prod's format: the traffic path says where a record leaves to.


@pytest.mark.parametrize(
    ("path", "leaves_for_the_internet"),
    [
        ("1", False),  # another resource in the same VPC
        ("2", True),  # an internet gateway (or a gateway endpoint)
        ("3", False),  # a virtual private gateway: VPN or Direct Connect
        ("4", False),  # intra-region peering
        ("5", False),  # inter-region peering
        ("6", False),  # a local gateway
        ("7", False),  # a gateway VPC endpoint (Nitro)
        ("8", True),  # an internet gateway (Nitro)
        ("-", False),
    ],
)
def test_with_traffic_path_only_the_internet_gateways_paths_count(
    path: str, leaves_for_the_internet: bool
) -> None:
    record = flow(INSTANCE, WEB, direction="egress", traffic_path=path)
    assert counted(PROD_FORMAT, record) is leaves_for_the_internet


def test_with_traffic_path_ingress_and_records_without_data_do_not_count() -> None:
    assert not counted(PROD_FORMAT, flow(WEB, INSTANCE, direction="ingress", traffic_path="2"))
    assert not counted(PROD_FORMAT, no_data("NODATA"))
    assert not counted(PROD_FORMAT, no_data("SKIPDATA"))


def test_prods_pattern_tests_direction_path_and_status_in_their_own_slots() -> None:
    slots = EGRESS_BYTES.pattern(PROD_FORMAT)[1:-1].split(",")
    conditions = [s for s in slots if "=" in s]
    assert conditions == [
        'log_status="OK"',
        'flow_direction="egress"',
        "traffic_path=2||traffic_path=8",
    ]


# Without traffic-path: a destination outside the private ranges.


@pytest.mark.parametrize("fields", [WITHOUT_PATH, SHUFFLED], ids=["prod-less-path", "shuffled"])
@pytest.mark.parametrize("destination", PRIVATE + PUBLIC)
def test_without_traffic_path_egress_counts_only_outside_the_private_ranges(
    fields: Sequence[str], destination: str
) -> None:
    record = flow(INSTANCE, destination, direction="egress")
    assert counted(fields, record) is not rfc_1918(destination)
    assert not counted(fields, flow(destination, INSTANCE, direction="ingress"))


@pytest.mark.parametrize("fields", [WITHOUT_PATH, SHUFFLED], ids=["prod-less-path", "shuffled"])
def test_without_traffic_path_peered_and_vpn_destinations_in_private_ranges_do_not_count(
    fields: Sequence[str],
) -> None:
    for path, peer in (("4", "10.1.0.9"), ("5", "172.24.3.3"), ("3", "192.168.40.2")):
        assert not counted(fields, flow(INSTANCE, peer, direction="egress", traffic_path=path))
    assert not counted(fields, no_data("NODATA"))
    assert not counted(fields, no_data("SKIPDATA"))


def test_the_private_ranges_are_same_field_conditions_joined_by_and() -> None:
    (slot,) = (s for s in EGRESS_BYTES.pattern(WITHOUT_PATH)[1:-1].split(",") if "!=" in s)
    conditions = slot.split("&&")
    assert conditions == [
        "dstaddr!=10.*",
        *(f"dstaddr!=172.{n}.*" for n in range(16, 32)),
        "dstaddr!=192.168.*",
    ]


@pytest.mark.parametrize(
    "fields",
    [
        PROD_FORMAT,
        WITHOUT_PATH,
        # The longest formats there are: every VPC field, with and without traffic-path.
        tuple(FIELD_VERSIONS),
        tuple(f for f in FIELD_VERSIONS if f != "traffic-path"),
    ],
    ids=["prod", "prod-less-path", "every-field", "every-field-less-path"],
)
def test_the_whole_pattern_fits_cloudwatchs_limit(fields: Sequence[str]) -> None:
    assert len(EGRESS_BYTES.pattern(fields)) <= MAX_PATTERN_LENGTH


# What the metric adds up.


@pytest.mark.parametrize("fields", [PROD_FORMAT, WITHOUT_PATH, SHUFFLED])
def test_the_metric_sums_exactly_the_internet_egress_bytes(fields: Sequence[str]) -> None:
    records = [no_data("NODATA"), no_data("SKIPDATA")]
    for index, address in enumerate(PRIVATE + PUBLIC):
        records.append(flow(INSTANCE, address, direction="egress", bytes_=1000 + index))
        records.append(flow(address, INSTANCE, direction="ingress", bytes_=5000 + index))
        records.append(flow(INSTANCE, address, direction="egress", action="REJECT"))
    lines = [render(r, fields) for r in records]

    values = metric_values(EGRESS_BYTES.pattern(fields), EGRESS_BYTES.metric_value, lines)

    internet = [
        int(r["bytes"])
        for r in records
        if r.get("flow-direction") == "egress" and not rfc_1918(r["dstaddr"])
    ]
    assert len(values) == len(internet) > 0
    assert sum(values) == sum(internet)


def test_which_formats_can_count_internet_egress() -> None:
    assert EGRESS_BYTES.missing(DEFAULT_FIELDS) == ["flow-direction"]
    assert EGRESS_BYTES.missing(PROD_FORMAT) == []
    assert EGRESS_BYTES.missing(WITHOUT_PATH) == []
    assert EGRESS_BYTES.missing(["flow-direction", "bytes"]) == ["traffic-path"]
    assert EGRESS_BYTES.missing(["srcaddr"]) == ["flow-direction", "bytes", "traffic-path"]
