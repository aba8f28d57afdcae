"""Resource-graph helpers shared by the flow-log policies.

Everything here is O(number of resources): resources are indexed once by type, URN and literal
identifier, and links follow each resource's own ``property_dependencies``, never a nested scan.

Reading a property that is unknown during a preview raises ``UnknownValueError`` from the SDK's
proxy. If that escaped a policy, the SDK would replace the policy's whole result with one advisory
("can't run policy during preview") and a mandatory policy would silently stop enforcing. So every
read goes through :func:`read`, which turns an unknown into the :data:`UNKNOWN` sentinel, one value
at a time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from pulumi_policy import (
    PolicyResource,
    ReportViolation,
    StackValidation,
    StackValidationArgs,
)
from pulumi_policy.proxy import UnknownValueError


class _Unknown:
    """The type of :data:`UNKNOWN`; a singleton that prints as ``<unknown>``."""

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN: Final = _Unknown()
"""Stands for a value that is not known yet (a preview of a resource still to be created)."""

VPC_TYPES: Final = frozenset(
    {"aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc", "aws-native:ec2:Vpc"}
)
"""Resource types that are a VPC, wherever they sit in the component tree."""

AWS_FLOW_LOG: Final = "aws:ec2/flowLog:FlowLog"
NATIVE_FLOW_LOG: Final = "aws-native:ec2:FlowLog"
FLOW_LOG_TYPES: Final = frozenset({AWS_FLOW_LOG, NATIVE_FLOW_LOG})

LOG_GROUP_TYPES: Final = frozenset({"aws:cloudwatch/logGroup:LogGroup", "aws-native:logs:LogGroup"})
ROLE_TYPE: Final = "aws:iam/role:Role"
ROLE_POLICY_TYPE: Final = "aws:iam/rolePolicy:RolePolicy"
ROLE_POLICY_ATTACHMENT_TYPE: Final = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
MANAGED_POLICY_TYPE: Final = "aws:iam/policy:Policy"

CLOUDWATCH_LOGS: Final = "cloud-watch-logs"
"""``logDestinationType`` for CloudWatch Logs delivery, which is also AWS's default."""
S3: Final = "s3"
"""``logDestinationType`` for delivery to an S3 bucket."""

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


def read(props: Mapping[str, Any], key: str) -> Any:
    """Return ``props[key]``, ``None`` if absent, or :data:`UNKNOWN` if unknown in a preview."""
    try:
        return props.get(key)
    except UnknownValueError:
        return UNKNOWN


def known_str(value: Any) -> str | None:
    """Return ``value`` if it is a known, non-empty string, else ``None``."""
    return value if isinstance(value, str) and value else None


def as_list(value: Any) -> list[Any]:
    """Return a list of the known elements of a sequence (a str counts as one element).

    Elements that are unknown are returned as :data:`UNKNOWN`; the caller decides what that means.
    """
    if value is None or value is UNKNOWN:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        items: list[Any] = []
        for index in range(len(value)):
            try:
                items.append(value[index])
            except UnknownValueError:
                items.append(UNKNOWN)
        return items
    return [value]


def linked(resource: PolicyResource, key: str, types: frozenset[str]) -> list[PolicyResource]:
    """Return the resources of ``types`` that property ``key`` of ``resource`` depends on.

    Pulumi records these dependencies for every output passed as an input, so they identify the
    target even while its id or ARN is unknown during a preview.
    """
    deps = resource.property_dependencies.get(key) or []
    seen: set[str] = set()
    found: list[PolicyResource] = []
    for dep in deps:
        if dep.resource_type in types and dep.urn not in seen:
            seen.add(dep.urn)
            found.append(dep)
    return found


def strip_log_stream_suffix(arn: str) -> str:
    """Return a log group ARN without the ``:*`` that some APIs append to it."""
    return arn[:-2] if arn.endswith(":*") else arn


@dataclass(frozen=True)
class Finding:
    """One message about one resource."""

    message: str
    urn: str


@dataclass
class Findings:
    """What a check found: violations of its rule, and things it could not check yet."""

    violations: list[Finding] = field(default_factory=list)
    unresolved: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class FlowLog:
    """A flow log, read once from either provider's shape.

    ``level`` is ``"VPC"``, ``"Subnet"``, ``"NetworkInterface"``, ``"TransitGateway"``,
    ``"TransitGatewayAttachment"`` or :data:`UNKNOWN`; ``target`` is the target's literal id, or
    :data:`UNKNOWN`, or ``None``.
    """

    resource: PolicyResource
    level: Any
    target: Any
    target_key: str
    traffic_type: Any
    destination_type: Any
    destination: Any
    destination_key: str
    log_group_name: Any
    role_arn: Any
    role_key: str


_AWS_TARGET_KEYS: Final = (
    ("vpcId", "VPC"),
    ("subnetId", "Subnet"),
    ("eniId", "NetworkInterface"),
    ("transitGatewayId", "TransitGateway"),
    ("transitGatewayAttachmentId", "TransitGatewayAttachment"),
)


def read_flow_log(resource: PolicyResource) -> FlowLog:
    """Read the fields every policy needs from an ``aws`` or ``aws-native`` flow log."""
    props = resource.props
    if resource.resource_type == NATIVE_FLOW_LOG:
        return FlowLog(
            resource=resource,
            level=read(props, "resourceType"),
            target=read(props, "resourceId"),
            target_key="resourceId",
            traffic_type=read(props, "trafficType"),
            destination_type=read(props, "logDestinationType"),
            destination=read(props, "logDestination"),
            destination_key="logDestination",
            log_group_name=read(props, "logGroupName"),
            role_arn=read(props, "deliverLogsPermissionArn"),
            role_key="deliverLogsPermissionArn",
        )
    level: Any = None
    target: Any = None
    target_key = "vpcId"
    for key, kind in _AWS_TARGET_KEYS:
        value = read(props, key)
        # An empty string is how the provider reports an argument that was not set.
        if value is UNKNOWN or known_str(value):
            level, target, target_key = kind, value, key
            break
    return FlowLog(
        resource=resource,
        level=level,
        target=target,
        target_key=target_key,
        traffic_type=read(props, "trafficType"),
        destination_type=read(props, "logDestinationType"),
        destination=read(props, "logDestination"),
        destination_key="logDestination",
        log_group_name=None,
        role_arn=read(props, "iamRoleArn"),
        role_key="iamRoleArn",
    )


def flow_logs(resources: Iterable[PolicyResource]) -> list[FlowLog]:
    """Return every flow log of the stack, whatever it is attached to."""
    return [read_flow_log(r) for r in resources if r.resource_type in FLOW_LOG_TYPES]


def delivers_to_cloudwatch(flow_log: FlowLog) -> Any:
    """Return True, False, or :data:`UNKNOWN` for whether ``flow_log`` writes to CloudWatch Logs."""
    if flow_log.destination_type is UNKNOWN:
        return UNKNOWN
    # Absent means AWS's default, which is CloudWatch Logs.
    return flow_log.destination_type in (None, "", CLOUDWATCH_LOGS)


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
            name = known_str(read(resource.props, "name")) or known_str(
                read(resource.props, "logGroupName")
            )
            if name:
                self.by_name[name] = resource

    def destination_of(self, flow_log: FlowLog) -> PolicyResource | _Unknown | None:
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


def s3_key_prefix(destination: Any) -> Any:
    """The key prefix under which a flow log to ``destination`` writes (``[path/]AWSLogs/``)."""
    match = _S3_ARN.fullmatch(destination) if known_str(destination) else None
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
        match = _S3_ARN.fullmatch(destination) if known_str(destination) else None
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


def with_defaults(config: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``config`` on top of ``defaults``.

    The CLI fills in schema defaults before it calls Configure, but a pack can also be run without
    any config (Configure never called); the policies must behave the same either way.
    """
    merged = dict(defaults)
    merged.update({k: v for k, v in config.items() if v is not None})
    return merged


Check = Callable[[Sequence[PolicyResource], Mapping[str, Any]], Findings]
"""A policy's rule as a plain function: resources and config in, findings out."""


def stack_validation(check: Check, defaults: Mapping[str, Any]) -> StackValidation:
    """Wrap ``check`` as a stack validation that reports each violation on its resource.

    Every read in a check is guarded, so an ``UnknownValueError`` reaching this wrapper is a bug.
    It is reported as a violation at the policy's own level: letting it reach the SDK would turn
    a mandatory policy into one advisory line and let the stack through unchecked.
    """

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        try:
            findings = check(args.resources, with_defaults(args.get_config(), defaults))
        except UnknownValueError as error:
            report_violation(
                f"The policy could not finish because {error.message}; it fails closed rather "
                "than let the stack through unchecked. Please report this as a bug.",
                None,
            )
            return
        for finding in findings.violations:
            report_violation(finding.message, finding.urn)

    return validate


def format_list(values: Iterable[Any]) -> str:
    """Return ``values`` as ``a, b, c`` for a message."""
    return ", ".join(str(v) for v in values)
