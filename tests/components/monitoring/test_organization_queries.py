"""The saved queries a centralized group adds: the organisation by account and region."""

from __future__ import annotations

from components.flow_logs.log_format import DEFAULT_FIELDS
from components.monitoring.views import (
    ORGANIZATION_QUERIES,
    SAVED_QUERIES,
    internet_egress_filter,
    saved_queries,
)

EGRESS_FIELDS = (*DEFAULT_FIELDS, "flow-direction", "traffic-path")


def test_a_stack_s_own_group_gets_none_of_them() -> None:
    assert saved_queries(EGRESS_FIELDS) == list(SAVED_QUERIES)


def test_a_centralized_group_gets_them_after_the_usual_ones() -> None:
    queries = saved_queries(EGRESS_FIELDS, organization=True)

    assert queries == [*SAVED_QUERIES, *ORGANIZATION_QUERIES]
    assert [q.query_string(EGRESS_FIELDS) for q in ORGANIZATION_QUERIES] == [
        'parse @message "' + " ".join("*" for _ in EGRESS_FIELDS) + '" as version, accountId, '
        "interfaceId, srcAddr, dstAddr, srcPort, dstPort, protocol, packets, bytes, startTime, "
        "endTime, action, logStatus, flowDirection, trafficPath | " + body
        for body in (
            'filter action = "REJECT" | stats count(*) as rejectedRecords by `@aws.account`, '
            "`@aws.region` | sort rejectedRecords desc | limit 20",
            # The one definition of egress, held to rendered records in test_egress_filter.py:
            # the organisation's query must not have one of its own.
            f"{internet_egress_filter(EGRESS_FIELDS)} "
            "| stats sum(bytes) as egressBytes by `@aws.account`, `@aws.region` "
            "| sort egressBytes desc | limit 20",
            'filter action = "REJECT" and protocol = 6 and (dstPort = 22 or dstPort = 3389) '
            "| stats count(*) as probes by `@aws.account`, `@aws.region` | sort probes desc "
            "| limit 20",
        )
    ]


def test_the_default_format_breaks_down_egress_by_its_private_sources() -> None:
    keys = [q.key for q in saved_queries(DEFAULT_FIELDS, organization=True)]

    assert "rejected-by-account" in keys
    assert "admin-port-probes-by-account" in keys
    assert "internet-egress-by-account" in keys


def test_a_format_without_addresses_cannot_break_down_egress() -> None:
    fields = ("version", "account-id", "action", "log-status")
    keys = [q.key for q in saved_queries(fields, organization=True)]

    assert keys == ["rejected-by-account"]
