"""Metric-filter patterns, evaluated against generated flow-log records.

The expected results come from Python's own ``ipaddress`` and plain comparisons on the records'
fields, never from the code under test; the patterns go through the evaluator in
``tests/support/cloudwatch_patterns.py``.
"""

from __future__ import annotations

import ipaddress
import random
import re
from collections.abc import Sequence

import pytest

from components.flow_logs.log_format import DEFAULT_FIELDS
from components.monitoring.metric_filters import (
    ACCEPTED,
    ADMIN_PORT_PROBES,
    MAX_FILTERS_PER_LOG_GROUP,
    MAX_PATTERN_LENGTH,
    REJECTED,
    address_pieces,
    pack_known_bad,
    parse_entry,
    pattern,
    wildcards,
)
from tests.support.cloudwatch_patterns import Pattern, PatternError
from tests.support.flow_records import (
    PROD_FORMAT,
    Record,
    fifteen_character_addresses,
    flow,
    no_data,
    render,
    varied_records,
)
from tests.support.program import PROJECT_DIR

# A format in an unusual order, so a condition at the wrong position shows.
SHUFFLED_FORMAT: tuple[str, ...] = (
    "flow-direction",
    "action",
    "bytes",
    "dstaddr",
    "protocol",
    "srcaddr",
    "dstport",
    "log-status",
    "interface-id",
)
FORMATS = {"default": DEFAULT_FIELDS, "prod": PROD_FORMAT, "shuffled": SHUFFLED_FORMAT}

BAD = [
    "10.0.0.0/8",  # aligned on an octet: one wildcard
    "172.16.0.0/12",  # not aligned: sixteen /16s
    "192.168.1.0/24",
    "198.51.100.0/25",  # not aligned: 128 single addresses
    "203.0.113.7",
    "100.64.0.0/10",
    "192.0.2.254/31",
]
INSIDE = [
    "10.0.0.0",
    "10.255.255.255",
    "172.16.0.0",
    "172.31.255.255",
    "192.168.1.0",
    "192.168.1.255",
    "198.51.100.0",
    "198.51.100.127",
    "203.0.113.7",
    "100.64.0.1",
    "100.127.255.255",
    "192.0.2.254",
    "192.0.2.255",
]
OUTSIDE = [
    "11.0.0.0",
    "9.255.255.255",
    "100.0.0.1",  # starts with "10", not "10."
    "172.15.255.255",
    "172.32.0.0",
    "192.168.0.255",
    "192.168.2.0",
    "198.51.100.128",
    "198.51.100.255",
    "203.0.113.6",
    "203.0.113.70",
    "100.63.255.255",
    "100.128.0.0",
    "192.0.2.253",
]


def in_list(address: str, entries: Sequence[str]) -> bool:
    if address == "-":
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(e) for e in entries)


def records_for(fields: Sequence[str]) -> list[dict[str, str]]:
    return varied_records(INSIDE + OUTSIDE)


def matching(text: str, fields: Sequence[str], records: Sequence[Record]) -> list[Record]:
    parsed = Pattern.parse(text)
    return [r for r in records if parsed.matches(render(r, fields))]


# The evaluator itself must be able to say no.


def test_the_evaluator_applies_conditions_by_position_and_type() -> None:
    parsed = Pattern.parse('[a, b=22||b=3389, c="REJECT", d=10.0.*]')
    assert parsed.matches("x 22 REJECT 10.0.3.4")
    assert parsed.matches("x 3389 REJECT 10.0.0.0")
    assert not parsed.matches("x 23 REJECT 10.0.3.4")
    assert not parsed.matches("x - - -")
    assert not parsed.matches("x 22 ACCEPT 10.0.3.4")
    assert not parsed.matches("x 22 REJECT 100.0.3.4")
    assert not parsed.matches("x 22 REJECT 10.0.3.4 extra")


def test_the_evaluator_refuses_what_cloudwatch_does_not_document() -> None:
    with pytest.raises(PatternError, match=re.escape("a condition on 'b' in the slot of 'a'")):
        Pattern.parse("[a=1||b=2, b]")
    with pytest.raises(PatternError, match=re.escape("'...' is not supported")):
        Pattern.parse("[a, ...]")


# The counting filters.


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_rejected_and_accepted_count_exactly_their_records_and_never_nodata(
    format_name: str,
) -> None:
    fields = FORMATS[format_name]
    records = records_for(fields)

    rejected = matching(REJECTED.pattern(fields), fields, records)
    accepted = matching(ACCEPTED.pattern(fields), fields, records)

    assert rejected == [r for r in records if r.get("action") == "REJECT"]
    assert accepted == [r for r in records if r.get("action") == "ACCEPT"]
    assert len(rejected) + len(accepted) == len(records) - 2  # NODATA and SKIPDATA
    assert {r["log-status"] for r in rejected + accepted} == {"OK"}


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_admin_port_probes_are_rejected_tcp_to_22_or_3389_only(format_name: str) -> None:
    fields = FORMATS[format_name]
    records = records_for(fields)

    probes = matching(ADMIN_PORT_PROBES.pattern(fields), fields, records)

    expected = [
        r
        for r in records
        if r.get("action") == "REJECT"
        and r.get("protocol") == "6"
        and r.get("dstport") in ("22", "3389")
    ]
    assert probes == expected
    assert {(r["dstport"], r["protocol"]) for r in probes} == {("22", "6"), ("3389", "6")}


def test_patterns_have_one_name_per_field_at_the_fields_position() -> None:
    text = ADMIN_PORT_PROBES.pattern(SHUFFLED_FORMAT)
    assert text == (
        '[flow_direction,action="REJECT",bytes,dstaddr,protocol=6,srcaddr,'
        "dstport=22||dstport=3389,log_status,interface_id]"
    )


def test_a_condition_on_a_field_outside_the_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match=re.escape("conditions on fields not in the format")):
        pattern(DEFAULT_FIELDS, {"flow-direction": '{n}="egress"'})


# Known-bad addresses.


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("203.0.113.7", ["203.0.113.7"]),
        ("203.0.113.7/32", ["203.0.113.7"]),
        ("192.168.1.0/24", ["192.168.1.*"]),
        ("10.0.0.0/8", ["10.*"]),
        ("0.0.0.0/0", ["*.*.*.*"]),
        ("192.0.2.254/31", ["192.0.2.254", "192.0.2.255"]),
        ("172.16.0.0/12", [f"172.{n}.*" for n in range(16, 32)]),
        ("128.0.0.0/1", [f"{n}.*" for n in range(128, 256)]),
    ],
)
def test_blocks_become_the_fewest_octet_aligned_wildcards(entry: str, expected: list[str]) -> None:
    assert wildcards(parse_entry(entry)) == expected


def test_entries_covered_by_an_earlier_one_add_nothing() -> None:
    assert address_pieces(["10.0.0.0/8", "10.1.2.3", "10.0.0.0/8", "11.1.2.3"]) == [
        ["10.*"],
        [],
        [],
        ["11.1.2.3"],
    ]


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_known_bad_filters_match_exactly_the_records_from_or_to_a_listed_block(
    format_name: str,
) -> None:
    fields = FORMATS[format_name]
    records = records_for(fields)
    packing = pack_known_bad(BAD, fields, budget=96)

    for slot in ("srcaddr", "dstaddr"):
        matched = set()
        for text in packing.patterns[slot]:
            matched |= {id(r) for r in matching(text, fields, records)}
        expected = {id(r) for r in records if in_list(r.get(slot, "-"), BAD)}
        assert matched == expected, slot
        assert expected  # the records do include listed addresses in this slot


def test_the_match_all_block_does_not_match_nodata_records() -> None:
    (text,) = pack_known_bad(["0.0.0.0/0"], DEFAULT_FIELDS, budget=96).patterns["srcaddr"]
    assert not Pattern.parse(text).matches(render(no_data("NODATA"), DEFAULT_FIELDS))
    assert Pattern.parse(text).matches(render(flow("8.8.8.8", "10.0.0.1"), DEFAULT_FIELDS))


def random_entries(count: int, seed: int) -> list[str]:
    """Addresses and blocks of every size, the way a threat list mixes them."""
    rng = random.Random(seed)
    entries = []
    for _ in range(count):
        prefix = rng.choice([32, 32, 32, 32, 31, 30, 28, 24, 24, 22, 20, 16, 12])
        address = ipaddress.IPv4Address(rng.getrandbits(32))
        entries.append(str(ipaddress.ip_network(f"{address}/{prefix}", strict=False)))
    return entries


def test_500_entries_stay_within_cloudwatchs_limits_with_the_prod_format() -> None:
    entries = random_entries(500, seed=7)
    packing = pack_known_bad(entries, PROD_FORMAT, budget=96)

    every = [p for slot in packing.patterns.values() for p in slot]
    assert packing.entries_fitting == 500
    assert max(len(p) for p in every) <= MAX_PATTERN_LENGTH
    assert len(every) + 4 <= MAX_FILTERS_PER_LOG_GROUP
    # Every pattern is one the evaluator can read: one name per field, conditions in one slot.
    assert all(len(Pattern.parse(p).slots) == len(PROD_FORMAT) for p in every)


def test_500_packed_entries_still_match_exactly() -> None:
    entries = random_entries(500, seed=11)
    packing = pack_known_bad(entries, PROD_FORMAT, budget=96)
    rng = random.Random(3)
    inside = [
        str(ipaddress.ip_network(e)[rng.randrange(ipaddress.ip_network(e).num_addresses)])
        for e in entries[:100]
    ]
    outside = [str(ipaddress.IPv4Address(rng.getrandbits(32))) for _ in range(200)]
    records = [flow(a, "10.0.0.1") for a in inside + outside]
    parsed = [Pattern.parse(p) for p in packing.patterns["srcaddr"]]

    for record in records:
        line = render(record, PROD_FORMAT)
        assert any(p.matches(line) for p in parsed) == in_list(record["srcaddr"], entries)


@pytest.mark.parametrize(
    ("format_name", "budget", "at_least"), [("prod", 96, 1800), ("default", 97, 1800)]
)
def test_capacity_of_single_addresses_beside_the_other_filters(
    format_name: str, budget: int, at_least: int
) -> None:
    # prod has four other filters (accepted, rejected, admin port, egress); the default format
    # has no flow-direction, so three.
    entries = fifteen_character_addresses(4000)
    packing = pack_known_bad(entries, FORMATS[format_name], budget=budget)

    assert packing.entries_fitting >= at_least
    assert packing.filter_count <= budget
    kept = [p for slot in packing.patterns.values() for p in slot]
    assert max(len(p) for p in kept) <= MAX_PATTERN_LENGTH


def test_a_list_too_long_keeps_what_fits_and_says_how_many() -> None:
    entries = fifteen_character_addresses(4000)
    packing = pack_known_bad(entries, PROD_FORMAT, budget=4)

    # Two chunks, each a srcaddr and a dstaddr pattern; the rest is counted, not kept.
    assert packing.filter_count == 4
    assert packing.filters_needed > 4
    per_pattern = (MAX_PATTERN_LENGTH - len(pattern(PROD_FORMAT, {}, short=True)) + 1 + 2) // (
        len("203.100.100.100") + len("d=") + len("||")
    )
    assert packing.entries_fitting == 2 * per_pattern


def test_the_monitoring_page_states_the_measured_capacity() -> None:
    readme = (PROJECT_DIR / "docs" / "monitoring.md").read_text()
    rows = {
        "default (14 fields)": (DEFAULT_FIELDS, 97),
        "prod (23 fields)": (PROD_FORMAT, 96),
    }
    for label, (fields, budget) in rows.items():
        worst = pack_known_bad(fifteen_character_addresses(4000), fields, budget)
        rng = random.Random(5)
        typical = pack_known_bad(
            [str(ipaddress.IPv4Address(rng.getrandbits(32))) for _ in range(5000)], fields, budget
        )
        row = next(line for line in readme.splitlines() if line.startswith(f"| {label} |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[-2] == f"**{worst.entries_fitting:,}**", label
        assert cells[-1] == f"{typical.entries_fitting:,}", label
        assert len(fields) == int(label.split("(")[1].split()[0])
