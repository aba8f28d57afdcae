"""What a flow log can be attached to: VPCs, subnets, network interfaces and transit gateways.

Pure data and checks: the kinds of target, their id formats and config keys, and the arguments
of a flow log for each kind. Every destination (CloudWatch Logs, S3) builds its flow logs from
``flow_log_target_args``, so a kind's rules live in one place.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import pulumi

from components.config import Decoder, as_string_list, given
from components.flow_logs.log_format import render_log_format
from components.flow_logs.settings import FlowLogOptions

TRANSIT_GATEWAY_INTERVAL = 60
"""Transit-gateway flow logs aggregate over 60 s; AWS accepts nothing else."""


@dataclass(frozen=True)
class TargetKind:
    """One kind of resource a flow log can be attached to."""

    field: str
    """The key in component args and the ``FlowLogTargets`` field: ``subnet_ids``."""
    config_key: str
    """The stack config key: ``subnetIds``."""
    noun: str
    """What one id names, for messages: ``subnet id``."""
    prefix: str
    """The id's prefix, before 8 or 17 hex digits: ``subnet``."""
    flow_log_arg: str
    """The ``aws.ec2.FlowLog`` argument that takes the id: ``subnet_id``."""
    transit_gateway: bool = False
    """Transit-gateway flow logs take no traffic type, a 60 s interval and AWS's own format."""

    def id_problems(self, ids: Sequence[str]) -> list[str]:
        """Problems with literal ids of this kind: malformed or repeated ones."""
        pattern = re.compile(rf"{self.prefix}-(?:[0-9a-f]{{8}}|[0-9a-f]{{17}})")
        problems = []
        seen: set[str] = set()
        for target_id in ids:
            if not pattern.fullmatch(target_id):
                problems.append(
                    f"{self.config_key}: {target_id!r} is not a {self.noun}; "
                    f"expected '{self.prefix}-' followed by 8 or 17 lowercase hex digits."
                )
            elif target_id in seen:
                problems.append(
                    f"{self.config_key}: {target_id!r} appears more than once; "
                    f"list each {self.noun.removesuffix(' id')} once."
                )
            seen.add(target_id)
        return problems


VPC = TargetKind("vpc_ids", "vpcIds", "VPC id", "vpc", "vpc_id")
SUBNET = TargetKind("subnet_ids", "subnetIds", "subnet id", "subnet", "subnet_id")
ENI = TargetKind("eni_ids", "eniIds", "network interface id", "eni", "eni_id")
TRANSIT_GATEWAY = TargetKind(
    "transit_gateway_ids",
    "transitGatewayIds",
    "transit gateway id",
    "tgw",
    "transit_gateway_id",
    transit_gateway=True,
)
TRANSIT_GATEWAY_ATTACHMENT = TargetKind(
    "transit_gateway_attachment_ids",
    "transitGatewayAttachmentIds",
    "transit gateway attachment id",
    "tgw-attach",
    "transit_gateway_attachment_id",
    transit_gateway=True,
)
TARGET_KINDS: tuple[TargetKind, ...] = (
    VPC,
    SUBNET,
    ENI,
    TRANSIT_GATEWAY,
    TRANSIT_GATEWAY_ATTACHMENT,
)
"""Every kind, in the order flow logs are created and listed."""


@dataclass(frozen=True)
class FlowLogTargets:
    """Every resource to attach a flow log to, by kind. VPCs come from the VPC selection."""

    vpc_ids: tuple[str, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    eni_ids: tuple[str, ...] = ()
    transit_gateway_ids: tuple[str, ...] = ()
    transit_gateway_attachment_ids: tuple[str, ...] = ()

    def of(self, kind: TargetKind) -> tuple[str, ...]:
        """The ids of one kind."""
        ids: tuple[str, ...] = getattr(self, kind.field)
        return ids

    def keyed(self) -> dict[str, dict[str, str]]:
        """Component args for these targets: each kind's ids, keyed by themselves."""
        return {kind.field: {i: i for i in self.of(kind)} for kind in TARGET_KINDS if self.of(kind)}

    @property
    def transit_gateways(self) -> bool:
        """Whether any transit gateway or attachment is among these targets."""
        return logs_transit_gateways({kind: self.of(kind) for kind in TARGET_KINDS})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def flow_log_target_args(
    kind: TargetKind, target_id: pulumi.Input[str], options: FlowLogOptions
) -> dict[str, Any]:
    """The ``aws.ec2.FlowLog`` arguments that say what it logs, and how, for one target."""
    if kind.transit_gateway:
        # No traffic type and AWS's default transit-gateway format, with its version 6 fields.
        return {kind.flow_log_arg: target_id, "max_aggregation_interval": TRANSIT_GATEWAY_INTERVAL}
    return {
        kind.flow_log_arg: target_id,
        "traffic_type": options.traffic_type.value,
        "max_aggregation_interval": options.max_aggregation_interval,
        "log_format": render_log_format(options.log_format) if options.log_format else None,
    }


def logs_transit_gateways(targets: Mapping[TargetKind, Collection[object]]) -> bool:
    """Whether ``targets`` name any transit gateway or attachment, whose flow logs write the
    transit-gateway format and so are kept apart from the VPCs'."""
    return any(targets.get(kind) for kind in TARGET_KINDS if kind.transit_gateway)


def target_problems(targets: Mapping[TargetKind, Mapping[str, pulumi.Input[str]]]) -> list[str]:
    """Problems with the targets: none at all, literal ids of the wrong form, a key used twice."""
    if not any(targets.values()):
        return [
            "vpcIds, subnetIds, eniIds, transitGatewayIds and transitGatewayAttachmentIds are "
            "all empty; give at least one target to log."
        ]
    problems = []
    for kind, keyed in targets.items():
        problems += kind.id_problems([i for i in keyed.values() if isinstance(i, str)])
    uses = Counter(key for keyed in targets.values() for key in keyed)
    for key in sorted(key for key, count in uses.items() if count > 1):
        problems.append(
            f"{key!r} names two targets; a key names one flow log, so give each target its own."
        )
    return problems


CONFIG_KEYS: Mapping[str, Decoder] = {
    kind.config_key: as_string_list for kind in TARGET_KINDS if kind is not VPC
}
"""The config keys of subnet, ENI and transit-gateway targets (VPCs are the VPC selection's)."""


def targets_from_config(decoded: Mapping[str, object]) -> tuple[FlowLogTargets, list[str]]:
    """The non-VPC targets from decoded config values, and the problems with them."""
    problems: list[str] = []
    ids: dict[str, tuple[str, ...]] = {}
    for kind in TARGET_KINDS[1:]:
        value = given(decoded, kind.config_key)
        if isinstance(value, tuple):
            ids[kind.field] = value
            problems += kind.id_problems(value)
    return FlowLogTargets(**ids), problems
