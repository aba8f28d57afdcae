"""Resource-graph helpers shared by the flow-log policies: reading properties safely, following
links between resources, and reading flow logs from either provider's shape.

Where flow logs deliver (log groups and buckets) is in ``destinations``. Everything here is
O(number of resources): resources are indexed once by type, URN and literal identifier, and links
follow each resource's own ``property_dependencies``, never a nested scan.

Reading a property that is unknown during a preview raises ``UnknownValueError`` from the SDK's
proxy. If that escaped a policy, the SDK would replace the policy's whole result with one advisory
("can't run policy during preview") and a mandatory policy would silently stop enforcing. So every
read goes through :func:`read`, which turns an unknown into the :data:`UNKNOWN` sentinel, one value
at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UnknownValueError


class Unknown:
    """The type of :data:`UNKNOWN`; a singleton that prints as ``<unknown>``."""

    def __repr__(self) -> str:
        return "<unknown>"


UNKNOWN: Final = Unknown()
"""Stands for a value that is not known yet (a preview of a resource still to be created)."""

VPC_TYPES: Final = frozenset(
    {"aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc", "aws-native:ec2:Vpc"}
)
"""Resource types that are a VPC, wherever they sit in the component tree."""

AWS_FLOW_LOG: Final = "aws:ec2/flowLog:FlowLog"
NATIVE_FLOW_LOG: Final = "aws-native:ec2:FlowLog"
FLOW_LOG_TYPES: Final = frozenset({AWS_FLOW_LOG, NATIVE_FLOW_LOG})

ROLE_TYPE: Final = "aws:iam/role:Role"
ROLE_POLICY_TYPE: Final = "aws:iam/rolePolicy:RolePolicy"
ROLE_POLICY_ATTACHMENT_TYPE: Final = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
MANAGED_POLICY_TYPE: Final = "aws:iam/policy:Policy"


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


def literal_ids(resource: PolicyResource, keys: Iterable[str]) -> list[str]:
    """Return the known literal ids ``resource`` is known by, read from ``keys`` in order."""
    ids = []
    for key in keys:
        value = known_str(read(resource.props, key))
        if value:
            ids.append(value)
    return ids


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
