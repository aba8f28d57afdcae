"""The egress metric counts bytes leaving for the internet, and nothing else: through an
internet gateway or a NAT gateway, not through a gateway endpoint, not to private addresses.

The generated patterns are evaluated against rendered records with
``tests/support/cloudwatch_patterns.py``; what should count is decided here from the records'
own fields and Python's ``ipaddress``, with the blocks written out below, never from the code
under test.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pytest

from components.flow_logs.log_format import DEFAULT_FIELDS, FIELD_VERSIONS
from components.monitoring.egress import EGRESS_BYTES
from components.monitoring.metric_filters import MAX_PATTERN_LENGTH
from tests.support.cloudwatch_patterns import Pattern, metric_values
from tests.support.flow_records import (
    PROD_FORMAT,
    Record,
    address_sweep,
    flow,
    no_data,
    not_the_internet,
    render,
)

WITHOUT_PATH = tuple(f for f in PROD_FORMAT if f != "traffic-path")
WITHOUT_DIRECTION = tuple(f for f in PROD_FORMAT if f != "flow-direction")
SHUFFLED = ("traffic-path", "action", "bytes", "dstaddr", "srcaddr", "flow-direction")
EVERY_FIELD = tuple(FIELD_VERSIONS)
FORMATS = {
    "prod": PROD_FORMAT,
    "default": DEFAULT_FIELDS,
    "prod-less-path": WITHOUT_PATH,
    "prod-less-direction": WITHOUT_DIRECTION,
    "shuffled": SHUFFLED,
    "every-field": EVERY_FIELD,
    "every-field-less-direction": tuple(f for f in EVERY_FIELD if f != "flow-direction"),
}
INSTANCE = "10.0.1.25"
WEB = "93.184.216.34"
S3_ADDRESS = "52.216.8.10"
INSTANCE_V6 = "2600:1f18:4a3:6900:8d6e:3477:df66:f105"
WEB_V6 = "2606:2800:220:1:248:1893:25c8:1946"


private = not_the_internet
SWEEP = address_sweep()


def counted(fields: Sequence[str], record: Record) -> bool:
    return any(
        Pattern.parse(p).matches(render(record, fields)) for p in EGRESS_BYTES.patterns(fields)
    )


def internet_egress(record: Record) -> bool:
    """The definition, from the record's own fields."""
    outbound = record.get("flow-direction") == "egress"
    return (
        outbound
        and record["action"] == "ACCEPT"
        and not private(record["dstaddr"])
        and record.get("traffic-path") != "7"
    )


# The ways out of a VPC, in prod's format.


@pytest.mark.parametrize("fields", [PROD_FORMAT, WITHOUT_DIRECTION], ids=["prod", "less-direction"])
@pytest.mark.parametrize(
    ("source", "destination", "path", "leaves"),
    [
        (INSTANCE, WEB, "1", True),  # a private subnet, through a NAT gateway
        (INSTANCE, WEB, "2", True),  # an internet gateway
        (INSTANCE, WEB, "8", True),  # an internet gateway (Nitro)
        (INSTANCE, S3_ADDRESS, "7", False),  # a gateway VPC endpoint (Nitro)
        (INSTANCE, "10.1.0.9", "4", False),  # intra-region peering
        (INSTANCE, "172.24.3.3", "5", False),  # inter-region peering
        (INSTANCE, "10.200.0.7", "1", False),  # a transit gateway attachment
        (INSTANCE, "192.168.40.2", "3", False),  # a VPN
        (INSTANCE, "100.64.0.1", "1", False),  # shared address space
        (INSTANCE, "169.254.169.254", "1", False),  # instance metadata
        (INSTANCE, "127.0.0.1", "1", False),
        (INSTANCE_V6, WEB_V6, "8", True),  # IPv6 through an internet gateway
        (INSTANCE_V6, WEB_V6, "1", True),  # IPv6 through an egress-only internet gateway
        (INSTANCE_V6, "fd00:ec2::254", "1", False),  # the metadata service's ULA address
        (INSTANCE_V6, "fe80::1", "1", False),
    ],
)
def test_what_leaves_for_the_internet_and_what_does_not(
    fields: Sequence[str], source: str, destination: str, path: str, leaves: bool
) -> None:
    record = flow(source, destination, direction="egress", traffic_path=path)
    if "flow-direction" not in fields and not private(source):
        # Without flow-direction, outbound means a private source; an IPv6 instance's own
        # address is usually public (a documented limit of such formats).
        leaves = False
    assert counted(fields, record) is leaves


@pytest.mark.parametrize("fields", FORMATS.values(), ids=FORMATS.keys())
def test_rejected_inbound_and_records_without_data_do_not_count(fields: Sequence[str]) -> None:
    assert not counted(fields, flow(INSTANCE, WEB, direction="egress", action="REJECT"))
    assert not counted(fields, no_data("NODATA"))
    assert not counted(fields, no_data("SKIPDATA"))
    if "flow-direction" in fields:
        assert not counted(fields, flow(WEB, INSTANCE, direction="ingress", traffic_path="2"))


@pytest.mark.parametrize("fields", [PROD_FORMAT, WITHOUT_PATH, SHUFFLED], ids=str)
def test_every_destination_counts_exactly_when_it_is_outside_the_private_blocks(
    fields: Sequence[str],
) -> None:
    wrong = [
        destination
        for destination in SWEEP
        if counted(fields, flow(INSTANCE, destination, direction="egress", traffic_path="1"))
        is private(destination)
    ]
    assert wrong == []


def test_without_flow_direction_a_private_source_makes_a_record_outbound() -> None:
    sources = [*[a for a in SWEEP if ":" not in a][::7], "fd12::5", "fe80::9", INSTANCE_V6]
    wrong = [
        source
        for source in sources
        if counted(DEFAULT_FIELDS, flow(source, WEB)) is not private(source)
    ]
    assert wrong == []


def test_a_first_group_written_short_is_taken_for_private_and_lies_outside_the_internet() -> None:
    # `fc::1` is 00fc::1: its text starts as a ULA's does. Nothing outside 2000::/3 is routed
    # on the internet, so nothing is lost.
    assert not counted(PROD_FORMAT, flow(INSTANCE_V6, "fc::1", direction="egress"))
    assert ipaddress.ip_address("fc::1") not in ipaddress.ip_network("2000::/3")


# One filter where it fits; several, never overlapping, where it does not.


@pytest.mark.parametrize(("name", "filters"), [("prod", 1), ("every-field", 1), ("default", 2)])
def test_how_many_filters_a_format_needs(name: str, filters: int) -> None:
    assert len(EGRESS_BYTES.patterns(FORMATS[name])) == filters


@pytest.mark.parametrize("fields", FORMATS.values(), ids=FORMATS.keys())
def test_every_pattern_fits_cloudwatchs_limit(fields: Sequence[str]) -> None:
    lengths = [len(p) for p in EGRESS_BYTES.patterns(fields)]
    assert max(lengths) <= MAX_PATTERN_LENGTH


@pytest.mark.parametrize("fields", [DEFAULT_FIELDS, FORMATS["every-field-less-direction"]])
def test_no_record_is_matched_by_two_filters(fields: Sequence[str]) -> None:
    patterns = [Pattern.parse(p) for p in EGRESS_BYTES.patterns(fields)]
    sources = [INSTANCE, "172.31.0.5", "100.127.1.1", "192.168.1.1", "fd00::1"]
    for source in sources:
        for destination in SWEEP[::3]:
            line = render(flow(source, destination), fields)
            assert sum(p.matches(line) for p in patterns) <= 1, (source, destination)


def test_prods_pattern_tests_each_condition_in_its_own_slot() -> None:
    (only,) = EGRESS_BYTES.patterns(PROD_FORMAT)
    slots = dict(zip(PROD_FORMAT, only[1:-1].split(","), strict=True))
    assert slots["action"] == 'm="ACCEPT"'
    assert slots["flow-direction"] == 'v="egress"'
    assert slots["traffic-path"] == 'w!="7"'
    assert slots["srcaddr"] == "d"
    assert slots["dstaddr"].startswith("e!=1*&&e!=f*||")
    assert [f for f, s in slots.items() if "=" in s] == [
        "dstaddr",
        "action",
        "flow-direction",
        "traffic-path",
    ]


# What the metric adds up.


@pytest.mark.parametrize("fields", FORMATS.values(), ids=FORMATS.keys())
def test_the_metric_sums_exactly_the_internet_egress_bytes(fields: Sequence[str]) -> None:
    records = [no_data("NODATA"), no_data("SKIPDATA")]
    for index, address in enumerate(SWEEP[::11]):
        for path in ("1", "2", "7", "8"):
            records.append(
                flow(INSTANCE, address, direction="egress", traffic_path=path, bytes_=1000 + index)
            )
        records.append(flow(address, INSTANCE, direction="ingress", bytes_=5000 + index))
        records.append(flow(INSTANCE, address, direction="egress", action="REJECT"))
    lines = [render(r, fields) for r in records]
    values = [
        value
        for pattern in EGRESS_BYTES.patterns(fields)
        for value in metric_values(pattern, EGRESS_BYTES.value_for(fields), lines)
    ]

    def expected(record: Record) -> bool:
        if record.get("log-status") != "OK":
            return False
        if "flow-direction" not in fields:
            record = {**record, "flow-direction": "egress" if private(record["srcaddr"]) else ""}
        if "traffic-path" not in fields:
            record = {**record, "traffic-path": "-"}
        return internet_egress(record)

    internet = [int(r["bytes"]) for r in records if expected(r)]
    assert len(values) == len(internet) > 0
    assert sum(values) == sum(internet)


def test_which_formats_can_count_internet_egress() -> None:
    assert EGRESS_BYTES.missing(DEFAULT_FIELDS) == []
    assert EGRESS_BYTES.missing(PROD_FORMAT) == []
    assert EGRESS_BYTES.missing(["srcaddr", "dstaddr", "action", "bytes"]) == []
    assert EGRESS_BYTES.missing(["flow-direction", "dstaddr", "bytes"]) == ["action"]
    assert EGRESS_BYTES.missing(["bytes"]) == ["flow-direction", "action", "dstaddr"]
