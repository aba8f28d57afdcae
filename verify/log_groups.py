"""Checks 2 and 3: each log group the outputs name exists with the stack's retention and key,
and records are arriving in it (CloudWatch Logs)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from verify.aws import Aws
from verify.results import Check

GROUP_CHECK = "log-group"
RECORDS_CHECK = "cloudwatch-records"
FILTER_PAGES = 5
"""Pages of FilterLogEvents to read looking for one recent record; it may answer a page with
none while it searches."""

Clock = Callable[[], datetime]
"""The current time, timezone-aware (tests move it)."""


def check_log_group(
    aws: Aws, region: str, name: str, retention_in_days: int, kms_key_arn: str | None
) -> list[Check]:
    """The log group exists, keeps records as long as the stack says, under the stack's key."""
    group = _describe_log_group(aws, region, name)
    if group is None:
        return [
            Check(
                GROUP_CHECK,
                region,
                name,
                False,
                "does not exist: it was deleted outside the stack, and flow logs cannot deliver. "
                "Run `pulumi refresh` and then ./up.sh to create it again.",
            )
        ]
    problems = []
    retention = group.get("retentionInDays")
    if retention != retention_in_days:
        kept = f"{retention} days" if retention else "never expire"
        problems.append(
            f"retention is {kept}, but the stack says {retention_in_days} days; it was changed "
            "outside the stack: run ./up.sh to set it back, or change retentionInDays"
        )
    key = group.get("kmsKeyId")
    if key != kms_key_arn:
        problems.append(
            f"its KMS key is {key or 'none'}, but the stack says {kms_key_arn or 'none'}; run "
            "./up.sh to set it back"
        )
    detail = (
        "; ".join(problems) or f"retention {retention} days, key {key or 'none'}, as the stack says"
    )
    return [Check(GROUP_CHECK, region, name, not problems, detail)]


def check_records(aws: Aws, region: str, name: str, fresh_minutes: int, now: Clock) -> list[Check]:
    """The newest record in the group is at most ``fresh_minutes`` old."""
    logs = aws.client("logs", region)
    current = now()
    limit_ms = int(current.timestamp() * 1000) - fresh_minutes * 60_000
    try:
        streams = logs.describe_log_streams(
            logGroupName=name, orderBy="LastEventTime", descending=True, limit=1
        )["logStreams"]
    except logs.exceptions.ResourceNotFoundException:
        return [Check(RECORDS_CHECK, region, name, False, "no such log group, so no records")]
    newest = max((s.get("lastEventTimestamp") or 0 for s in streams), default=0)
    # A stream's lastEventTimestamp can lag ingestion by up to an hour, so a stale-looking group
    # is searched for a recent record before it is called stale.
    if newest < limit_ms and _has_record_since(logs, name, limit_ms):
        newest = limit_ms
        detail = f"records within the last {fresh_minutes} min"
    else:
        detail = ""
    if newest >= limit_ms:
        age = _minutes(current, newest)
        detail = detail or f"newest record {age} min old (at most {fresh_minutes})"
        return [Check(RECORDS_CHECK, region, name, True, detail)]
    if not newest:
        found = "has no records at all"
    else:
        found = f"newest record is {_minutes(current, newest)} min old"
    return [
        Check(
            RECORDS_CHECK,
            region,
            name,
            False,
            f"{name} {found} (at most {fresh_minutes} min wanted). Delivery starts within "
            "minutes of a deploy (try --wait 15); otherwise look at the flow-log rows' "
            "delivery status, and whether the logged VPCs carry any traffic.",
        )
    ]


def _describe_log_group(aws: Aws, region: str, name: str) -> Mapping[str, Any] | None:
    paginator = aws.client("logs", region).get_paginator("describe_log_groups")
    for page in paginator.paginate(logGroupNamePrefix=name):
        for group in page.get("logGroups", []):
            if group.get("logGroupName") == name:
                return dict(group)
    return None


def _has_record_since(logs: Any, name: str, since_ms: int) -> bool:
    token = None
    for _ in range(FILTER_PAGES):
        args: dict[str, Any] = {"logGroupName": name, "startTime": since_ms, "limit": 1}
        if token:
            args["nextToken"] = token
        page = logs.filter_log_events(**args)
        if page.get("events"):
            return True
        token = page.get("nextToken")
        if not token:
            return False
    return False


def _minutes(now: datetime, timestamp_ms: int) -> int:
    return max(0, round((now.timestamp() * 1000 - timestamp_ms) / 60_000))
