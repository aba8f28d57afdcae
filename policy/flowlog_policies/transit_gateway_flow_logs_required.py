"""``transit-gateway-flow-logs-required``: every transit gateway of the stack has a flow log.

A transit gateway carries traffic between VPCs, accounts and on-premises networks that no VPC
flow log sees in full. No Security Hub control requires its flow logs, so the policy is advisory
by default and made mandatory in prod's policy config. A flow log is linked to its transit
gateway through the ``transitGatewayId`` (``resourceId`` for aws-native) property dependency,
which the engine sends even while a new gateway's id is unknown, and otherwise through the
literal id when both are known; an unknown value never counts as coverage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import EnforcementLevel, PolicyResource, Severity, StackValidationPolicy

from .graph import UNKNOWN, flow_logs, known_str, linked, literal_ids
from .scaffolding import NO_SETTINGS, Finding, Findings, stack_validation

NAME: Final = "transit-gateway-flow-logs-required"
DEFAULTS: Final = NO_SETTINGS

TRANSIT_GATEWAY_TYPES: Final = frozenset(
    {"aws:ec2transitgateway/transitGateway:TransitGateway", "aws-native:ec2:TransitGateway"}
)
"""Resource types that are a transit gateway, wherever they sit in the component tree."""

_LEVEL: Final = "TransitGateway"
"""A flow log's level when it logs a whole transit gateway (not one attachment)."""


def transit_gateway_ids(gateway: PolicyResource) -> list[str]:
    """The literal ids a transit gateway is known by (``id``; ``awsId`` and
    ``transitGatewayId`` for aws-native)."""
    return literal_ids(gateway, ("id", "awsId", "transitGatewayId"))


def check(resources: Sequence[PolicyResource], config: Mapping[str, Any]) -> Findings:
    """Report every transit gateway of the stack that no flow log of the stack covers."""
    gateways = [r for r in resources if r.resource_type in TRANSIT_GATEWAY_TYPES]
    if not gateways:
        return Findings()
    by_id = {gateway_id: g for g in gateways for gateway_id in transit_gateway_ids(g)}

    findings = Findings()
    covered: set[str] = set()
    for flow_log in flow_logs(resources):
        if flow_log.level != _LEVEL:
            continue
        candidates = linked(flow_log.resource, flow_log.target_key, TRANSIT_GATEWAY_TYPES)
        target = known_str(flow_log.target)
        if len(candidates) == 1:
            covered.add(candidates[0].urn)
        elif target is not None and target in by_id:
            gateway = by_id[target]
            # Several dependencies: the literal id says which one is meant.
            if not candidates or gateway in candidates:
                covered.add(gateway.urn)
        elif flow_log.target is UNKNOWN or candidates:
            findings.unresolved.append(
                Finding(
                    f"Flow log '{flow_log.resource.name}' has a {flow_log.target_key} that is "
                    "unknown during this preview and depends on no single transit gateway of "
                    f"this stack, so it covers none; {NAME} still checks every transit gateway.",
                    flow_log.resource.urn,
                )
            )

    for gateway in gateways:
        if gateway.urn not in covered:
            findings.violations.append(
                Finding(
                    f"Transit gateway '{gateway.name}' has no flow log in this stack. Add an "
                    "aws.ec2.FlowLog with transitGatewayId set to this gateway's id and "
                    "maxAggregationInterval 60 (no trafficType), or list its id in the "
                    "vpc-flow-logs project's transitGatewayIds.",
                    gateway.urn,
                )
            )
    return findings


policy: Final = StackValidationPolicy(
    name=NAME,
    description="Every transit gateway the stack manages has a flow log in the same stack.",
    validate=stack_validation(check, DEFAULTS),
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
    tags=["security", "logging", "network"],
    remediation_steps=(
        "Give each transit gateway a flow log in the same stack: an aws.ec2.FlowLog with "
        "transitGatewayId set to the gateway's id, maxAggregationInterval 60 and a "
        "logDestination. Transit-gateway flow logs take no traffic type and only the 60-second "
        "interval. A flow log on one attachment does not cover the whole gateway."
    ),
    url="https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html",
)
"""The policy object ``__main__.py`` puts in the pack."""
