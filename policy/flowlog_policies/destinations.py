"""Where flow logs deliver: the stack's CloudWatch log groups and S3 buckets that receive them.

A flow log is linked to its destination through the ``logDestination`` property dependency first
(``logGroupName`` too for aws-native), which the engine sends even while the destination's ARN is
unknown in a preview, and otherwise through the literal ARN or name. A flow log whose destination
can't be identified, or is a Firehose stream (which keeps nothing the pack can see), is returned as
a note for ``vpc-flow-log-checks-resolvable``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from pulumi_policy import PolicyResource

from .graph import UNKNOWN, FlowLog, Unknown, flow_logs, known_str, linked, read
from .scaffolding import Finding

CLOUDWATCH_LOGS: Final = "cloud-watch-logs"
"""``logDestinationType`` for CloudWatch Logs delivery, which is also AWS's default."""
S3: Final = "s3"
"""``logDestinationType`` for delivery to an S3 bucket."""
FIREHOSE: Final = "kinesis-data-firehose"
"""``logDestinationType`` for delivery to an Amazon Data Firehose stream."""

LOG_GROUP_TYPES: Final = frozenset({"aws:cloudwatch/logGroup:LogGroup", "aws-native:logs:LogGroup"})
BUCKET_TYPES: Final = frozenset(
    {"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws-native:s3:Bucket"}
)
LIFECYCLE_TYPES: Final = frozenset(
    {
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    }
)
_S3_ARN: Final = re.compile(r"arn:[a-z-]+:s3:::(?P<bucket>[^/]+)(?:/(?P<path>.*))?")


def strip_log_stream_suffix(arn: str) -> str:
    """Return a log group ARN without the ``:*`` that some APIs append to it."""
    return arn[:-2] if arn.endswith(":*") else arn


def delivers_to_cloudwatch(flow_log: FlowLog) -> Any:
    """Return True, False, or :data:`UNKNOWN` for whether ``flow_log`` writes to CloudWatch Logs."""
    if flow_log.destination_type is UNKNOWN:
        return UNKNOWN
    # Absent means AWS's default, which is CloudWatch Logs.
    return flow_log.destination_type in (None, "", CLOUDWATCH_LOGS)


def log_group_name(group: PolicyResource) -> str | None:
    """A log group's literal name (``name``, ``logGroupName`` for aws-native), if known."""
    return known_str(read(group.props, "name")) or known_str(read(group.props, "logGroupName"))


class LogGroupIndex:
    """Log groups of the stack, findable by URN, ARN and name."""

    def __init__(self, resources: Iterable[PolicyResource]) -> None:
        self.by_arn: dict[str, PolicyResource] = {}
        self.by_name: dict[str, PolicyResource] = {}
        for resource in resources:
            if resource.resource_type not in LOG_GROUP_TYPES:
                continue
            arn = known_str(read(resource.props, "arn"))
            if arn:
                self.by_arn[strip_log_stream_suffix(arn)] = resource
            name = log_group_name(resource)
            if name:
                self.by_name[name] = resource

    def destination_of(self, flow_log: FlowLog) -> PolicyResource | Unknown | None:
        """Return the log group ``flow_log`` delivers to, :data:`UNKNOWN`, or None (not ours)."""
        for key in (flow_log.destination_key, "logGroupName"):
            groups = linked(flow_log.resource, key, LOG_GROUP_TYPES)
            if len(groups) == 1:
                return groups[0]
        destination = flow_log.destination
        if known_str(destination):
            return self.by_arn.get(strip_log_stream_suffix(destination))
        if known_str(flow_log.log_group_name):
            return self.by_name.get(flow_log.log_group_name)
        if destination is UNKNOWN or flow_log.log_group_name is UNKNOWN:
            return UNKNOWN
        return None


def cloudwatch_log_groups(
    resources: Sequence[PolicyResource],
) -> tuple[list[tuple[PolicyResource, list[FlowLog]]], list[Finding]]:
    """Return each log group that receives flow logs (with those flow logs), in stack order.

    Also returns a note for every CloudWatch-bound flow log whose log group can't be identified.
    """
    index = LogGroupIndex(resources)
    receiving: dict[str, tuple[PolicyResource, list[FlowLog]]] = {}
    unresolved: list[Finding] = []
    for flow_log in flow_logs(resources):
        cloudwatch = delivers_to_cloudwatch(flow_log)
        if cloudwatch is False:
            continue
        group = index.destination_of(flow_log) if cloudwatch is True else UNKNOWN
        if isinstance(group, PolicyResource):
            receiving.setdefault(group.urn, (group, []))[1].append(flow_log)
        elif group is UNKNOWN:
            unresolved.append(
                Finding(
                    f"Flow log '{flow_log.resource.name}' delivers to a destination that is "
                    "unknown during this preview and depends on no log group of this stack, so "
                    "its log group's retention and encryption are checked only when it is known.",
                    flow_log.resource.urn,
                )
            )
    return list(receiving.values()), unresolved


def bucket_name(bucket: PolicyResource) -> str | None:
    """A bucket's literal name (``bucket``, ``bucketName`` for aws-native), if known."""
    return known_str(read(bucket.props, "bucket")) or known_str(read(bucket.props, "bucketName"))


@dataclass
class ReceivingBucket:
    """A bucket of the stack that receives flow logs, and the key prefixes they write under.

    A prefix is :data:`UNKNOWN` when a flow log's destination is not known yet.
    """

    bucket: PolicyResource
    flow_logs: list[FlowLog] = field(default_factory=list)
    key_prefixes: list[Any] = field(default_factory=list)


def _s3_arn(destination: Any) -> re.Match[str] | None:
    """The parts of a known S3 ARN (``bucket`` and ``path``), or None."""
    return _S3_ARN.fullmatch(destination) if known_str(destination) else None


def s3_key_prefix(destination: Any) -> Any:
    """The key prefix under which a flow log to ``destination`` writes (``[path/]AWSLogs/``)."""
    match = _s3_arn(destination)
    if match is None:
        return UNKNOWN
    path = (match.group("path") or "").strip("/")
    return f"{path}/AWSLogs/" if path else "AWSLogs/"


def s3_buckets(
    resources: Sequence[PolicyResource],
) -> tuple[list[ReceivingBucket], list[Finding]]:
    """Return each bucket of the stack that receives flow logs, in stack order.

    Also returns a note for every S3-bound flow log whose bucket can't be identified (unknown)
    or is not in the stack (its lifecycle is its owner's).
    """
    buckets = [r for r in resources if r.resource_type in BUCKET_TYPES]
    by_name = {name: b for b in buckets if (name := bucket_name(b))}
    receiving: dict[str, ReceivingBucket] = {}
    unresolved: list[Finding] = []
    for flow_log in flow_logs(resources):
        if flow_log.destination_type != S3:
            continue
        linked_buckets = linked(flow_log.resource, flow_log.destination_key, BUCKET_TYPES)
        destination = flow_log.destination
        match = _s3_arn(destination)
        bucket: PolicyResource | None = None
        if len(linked_buckets) == 1:
            bucket = linked_buckets[0]
        elif match is not None:
            bucket = by_name.get(match.group("bucket"))
            if bucket is None:
                unresolved.append(
                    Finding(
                        f"Flow log '{flow_log.resource.name}' delivers to bucket "
                        f"'{match.group('bucket')}', which is not in this stack; its lifecycle "
                        "is its owner's, and vpc-flow-log-retention checks only buckets the "
                        "stack creates.",
                        flow_log.resource.urn,
                    )
                )
                continue
        if bucket is None:
            unresolved.append(
                Finding(
                    f"Flow log '{flow_log.resource.name}' delivers to an S3 destination that is "
                    "unknown during this preview and depends on no bucket of this stack, so its "
                    "bucket's lifecycle is checked only when it is known.",
                    flow_log.resource.urn,
                )
            )
            continue
        entry = receiving.setdefault(bucket.urn, ReceivingBucket(bucket))
        entry.flow_logs.append(flow_log)
        entry.key_prefixes.append(s3_key_prefix(destination))
    return list(receiving.values()), unresolved


def lifecycle_configurations(
    resources: Sequence[PolicyResource], bucket: PolicyResource
) -> list[PolicyResource]:
    """The lifecycle configurations of the stack that apply to ``bucket``."""
    name = bucket_name(bucket)
    found = []
    for resource in resources:
        if resource.resource_type not in LIFECYCLE_TYPES:
            continue
        links = linked(resource, "bucket", BUCKET_TYPES)
        if links:
            if bucket in links:
                found.append(resource)
        elif name is not None and read(resource.props, "bucket") == name:
            found.append(resource)
    return found


def firehose_notes(resources: Sequence[PolicyResource]) -> list[Finding]:
    """A note for every flow log that delivers to Firehose: a stream passes records on, to a
    destination and a retention outside the stack's view."""
    notes = []
    for flow_log in flow_logs(resources):
        if flow_log.destination_type != FIREHOSE:
            continue
        stream = known_str(flow_log.destination)
        where = f"Firehose stream {stream!r}" if stream else "a Firehose stream"
        notes.append(
            Finding(
                f"Flow log '{flow_log.resource.name}' delivers to {where}, outside the stack's "
                "view: a stream has no retention the pack can see, so where it delivers, and for "
                "how long it is kept there, must be checked by hand.",
                flow_log.resource.urn,
            )
        )
    return notes
