"""What people read: saved Logs Insights queries and the monitoring dashboard's body.

Pure functions of plain values; the component calls ``dashboard_body`` inside an ``apply`` once
the log group's name and the alarms' ARNs are known.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from components.flow_logs.log_format import DEFAULT_FIELDS
from components.internet_egress import (
    Condition,
    egress_conditions,
    missing_fields,
    private_address_regex,
)
from components.monitoring.egress import EGRESS_BYTES
from components.monitoring.metric_filters import ACCEPTED, ADMIN_PORTS, REJECTED, TCP

# The names Logs Insights discovers for the default format's fields, from AWS's list of
# discovered fields for flow logs: `start` and `end` become `startTime` and `endTime`.
_DISCOVERED: dict[str, str] = {
    "version": "version",
    "account-id": "accountId",
    "interface-id": "interfaceId",
    "srcaddr": "srcAddr",
    "dstaddr": "dstAddr",
    "srcport": "srcPort",
    "dstport": "dstPort",
    "protocol": "protocol",
    "packets": "packets",
    "bytes": "bytes",
    "start": "startTime",
    "end": "endTime",
    "action": "action",
    "log-status": "logStatus",
}

EXAMPLE_ADDRESS = "192.0.2.10"
"""The address the "traffic of one address" query starts with; edit it in the console."""


def insights_name(field: str) -> str:
    """The Logs Insights name of a flow-log field: ``srcAddr``, ``flowDirection``, ..."""
    if field in _DISCOVERED:
        return _DISCOVERED[field]
    head, *rest = field.split("-")
    return head + "".join(part.capitalize() for part in rest)


def parse_clause(fields: Sequence[str]) -> str:
    """``parse @message ... as ...`` naming each field, or empty for the default format.

    Logs Insights discovers only the default format's fields; a custom format's records are
    parsed into the same names, so the queries read the same either way.
    """
    if tuple(fields) == DEFAULT_FIELDS:
        return ""
    globs = " ".join("*" for _ in fields)
    names = ", ".join(insights_name(f) for f in fields)
    return f'parse @message "{globs}" as {names} | '


@dataclass(frozen=True)
class SavedQuery:
    """A Logs Insights query saved on the log group."""

    key: str
    title: str
    fields: tuple[str, ...]
    """The flow-log fields it reads; a format without them gets no such query."""
    body: str | Callable[[Sequence[str]], str]
    """The query after the parse clause, with Logs Insights field names; or a function of the
    format that writes it."""
    missing: Callable[[Sequence[str]], list[str]] | None = None
    """Beside ``fields``, what else a format lacks for the query, when that depends on the
    format. Defaults to nothing."""

    def usable(self, fields: Sequence[str]) -> bool:
        """Whether the format ``fields`` has what the query reads."""
        return all(f in fields for f in self.fields) and not (
            self.missing is not None and self.missing(fields)
        )

    def body_for(self, fields: Sequence[str]) -> str:
        """The query after the parse clause, for the format ``fields``."""
        return self.body if isinstance(self.body, str) else self.body(fields)

    def query_string(self, fields: Sequence[str]) -> str:
        return parse_clause(fields) + self.body_for(fields)


def _insights_condition(condition: Condition) -> str:
    name = insights_name(condition.field)
    if condition.kind in ("private", "not-private"):
        negation = "not " if condition.kind == "not-private" else ""
        return f"{name} {negation}like /{private_address_regex()}/"
    op = "=" if condition.kind == "equals" else "!="
    return (
        f'{name} {op} "{condition.value}"'
        if not condition.value.isdigit()
        else (f"{name} {op} {condition.value}")
    )


def internet_egress_filter(fields: Sequence[str]) -> str:
    """The ``filter`` on records leaving for the internet, as the egress metric counts them
    (``components.internet_egress``), with the same address prefixes as a regular expression."""
    return "filter " + " and ".join(_insights_condition(c) for c in egress_conditions(fields))


TOP_TALKERS = SavedQuery(
    "top-talkers",
    "Top talkers by bytes",
    ("srcaddr", "dstaddr", "bytes"),
    "stats sum(bytes) as bytesTransferred by srcAddr, dstAddr "
    "| sort bytesTransferred desc | limit 20",
)
SAVED_QUERIES: tuple[SavedQuery, ...] = (
    TOP_TALKERS,
    SavedQuery(
        "top-rejected-sources",
        "Top rejected sources",
        ("srcaddr", "action"),
        'filter action = "REJECT" | stats count(*) as rejectedRecords by srcAddr '
        "| sort rejectedRecords desc | limit 20",
    ),
    SavedQuery(
        "rejections-by-port",
        "Rejections by destination port",
        ("dstport", "action"),
        'filter action = "REJECT" | stats count(*) as rejectedRecords by dstPort '
        "| sort rejectedRecords desc | limit 20",
    ),
    SavedQuery(
        "internet-egress-by-destination",
        "Egress to the internet by destination",
        ("dstaddr", "bytes"),
        lambda fields: (
            f"{internet_egress_filter(fields)} "
            "| stats sum(bytes) as egressBytes by dstAddr | sort egressBytes desc | limit 20"
        ),
        missing_fields,
    ),
    SavedQuery(
        "address-traffic",
        "All traffic of one address",
        ("srcaddr", "dstaddr"),
        f'filter srcAddr = "{EXAMPLE_ADDRESS}" or dstAddr = "{EXAMPLE_ADDRESS}" '
        "| sort @timestamp desc | limit 200",
    ),
)
"""The queries saved on the log group, in the order the console lists them."""


ACCOUNT_AND_REGION = "`@aws.account`, `@aws.region`"
"""The system fields centralization adds to every copied event: the source account and region."""
ORGANIZATION_QUERIES: tuple[SavedQuery, ...] = (
    SavedQuery(
        "rejected-by-account",
        "Top accounts by rejected flows",
        ("action",),
        f'filter action = "REJECT" | stats count(*) as rejectedRecords by {ACCOUNT_AND_REGION} '
        "| sort rejectedRecords desc | limit 20",
    ),
    SavedQuery(
        "internet-egress-by-account",
        "Top accounts by bytes to the internet",
        ("dstaddr", "bytes"),
        lambda fields: (
            f"{internet_egress_filter(fields)} | stats sum(bytes) as egressBytes by "
            f"{ACCOUNT_AND_REGION} | sort egressBytes desc | limit 20"
        ),
        missing_fields,
    ),
    SavedQuery(
        "admin-port-probes-by-account",
        "Top accounts by admin-port probes",
        ("action", "protocol", "dstport"),
        f'filter action = "REJECT" and protocol = {TCP} and '
        f"({' or '.join(f'dstPort = {port}' for port in ADMIN_PORTS)}) "
        f"| stats count(*) as probes by {ACCOUNT_AND_REGION} | sort probes desc | limit 20",
    ),
)
"""The queries a centralized group adds: the organisation broken down by account and region."""


def saved_queries(fields: Sequence[str], *, organization: bool = False) -> list[SavedQuery]:
    """The saved queries whose fields ``fields`` has; with ``organization``, those of a
    centralized group too."""
    queries = SAVED_QUERIES + (ORGANIZATION_QUERIES if organization else ())
    return [q for q in queries if q.usable(fields)]


def dashboard_body(
    *,
    region: str,
    namespace: str,
    metrics: Sequence[str],
    egress_band: int,
    alarm_arns: Sequence[str],
    log_group_name: str | None,
    fields: Sequence[str],
) -> dict[str, Any]:
    """The dashboard: records by action, bytes to the internet with their band, alarms, top
    talkers.

    ``metrics`` are the metric names the component's filters publish; a widget whose metrics
    are not published is left out, and so is the top-talkers table without a log group.
    """
    widgets: list[dict[str, Any]] = []
    # Left to right in rows 24 units wide, the grid CloudWatch dashboards use.
    cursor = {"x": 0, "y": 0, "row_height": 0}

    def add(kind: str, width: int, height: int, properties: dict[str, Any]) -> None:
        if cursor["x"] + width > 24:
            cursor.update(x=0, y=cursor["y"] + cursor["row_height"], row_height=0)
        widgets.append(
            {"type": kind, "x": cursor["x"], "y": cursor["y"], "width": width, "height": height,
             "properties": properties}
        )  # fmt: skip
        cursor.update(x=cursor["x"] + width, row_height=max(cursor["row_height"], height))

    if ACCEPTED.metric_name in metrics and REJECTED.metric_name in metrics:
        add(
            "metric",
            12,
            6,
            {
                "title": "Flow-log records: accepted and rejected",
                "region": region,
                "view": "timeSeries",
                "stat": "Sum",
                "period": 300,
                "metrics": [
                    [namespace, ACCEPTED.metric_name, {"label": "Accepted"}],
                    [namespace, REJECTED.metric_name, {"label": "Rejected", "color": "#d62728"}],
                ],
            },
        )
    if EGRESS_BYTES.metric_name in metrics and egress_band > 0:
        add(
            "metric",
            12,
            6,
            {
                "title": "Egress bytes to the internet, with the expected band",
                "region": region,
                "view": "timeSeries",
                "period": 300,
                "metrics": [
                    [namespace, EGRESS_BYTES.metric_name, {"id": "m1", "stat": "Sum"}],
                    [
                        {
                            "expression": f"ANOMALY_DETECTION_BAND(m1, {egress_band})",
                            "id": "ad1",
                            "label": "Expected range",
                        }
                    ],
                ],
            },
        )
    if alarm_arns:
        add("alarm", 24, 4, {"title": "Alarms", "alarms": list(alarm_arns)})
    if log_group_name is not None and TOP_TALKERS in saved_queries(fields):
        add(
            "log",
            24,
            8,
            {
                "title": TOP_TALKERS.title,
                "region": region,
                "view": "table",
                "query": f"SOURCE '{log_group_name}' | {TOP_TALKERS.query_string(fields)}",
            },
        )
    return {"widgets": widgets}
